"""The small browser scripts of ui.voter and ui.reconnect, run by themselves in Chromium with a
stand-in for Streamlit's component API (``setStateValue`` records what it is given) and a fake
clock, so each behaviour is checked in milliseconds instead of staged through a server.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

UI = Path(__file__).resolve().parents[2] / "ui"

# Mounts the module at ``url`` as Streamlit would, with ``data``; reports go to window.reports.
MOUNT_JS = """async ([url, data]) => {
  window.reports = [];
  const host = document.createElement("div");
  document.body.appendChild(host);
  const module = await import(url);
  window.mount = (next) => module.default({
    data: next, parentElement: host, setStateValue: (name, value) => window.reports.push([name, value]),
  });
  window.mount(data);
}"""


def module_url(path: Path, tail: str = "") -> str:
    """The script as a module to import; a ``tail`` (a comment) makes it another module."""
    return "data:text/javascript;base64," + base64.b64encode(path.read_bytes() + tail.encode()).decode()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.clock.install(time=0)
    page.goto("about:blank")
    page.clock.pause_at(1_000)  # from here time moves only by run_for
    yield page
    context.close()


def reports(page, name: str) -> list:
    return [value for key, value in page.evaluate("window.reports") if key == name]


@pytest.fixture
def quiet_server(page):
    """The class watch answers with the version the page already shows: nothing to rerun for."""
    page.evaluate("() => { window.fetch = async () => ({ok: true, json: async () => ({v: 'q1:open'})}); }")


def test_the_voter_reports_its_id_again_while_the_session_has_none(page, quiet_server):
    data = {"watch": "/w", "drawn": "q1:open", "need_id": True}
    page.evaluate(MOUNT_JS, [module_url(UI / "voter" / "voter.js"), data])
    first = reports(page, "id")
    assert len(first) == 1  # reported once at mount
    assert len(first[0]) == 32
    page.clock.run_for(2_500)  # the rerun that report asked for never came: report it again
    assert reports(page, "id") == first * 2
    page.evaluate("(data) => window.mount(data)", {**data, "need_id": False})  # the session has it now
    page.clock.run_for(10_000)
    assert reports(page, "id") == first * 2
    assert reports(page, "seen") == []  # the class did not change: no rerun asked for


def test_a_voter_whose_session_knows_its_id_reports_it_once(page, quiet_server):
    data = {"watch": "/w", "drawn": "q1:open", "need_id": False}
    page.evaluate(MOUNT_JS, [module_url(UI / "voter" / "voter.js"), data])
    page.clock.run_for(10_000)
    assert len(reports(page, "id")) == 1


STAPP_JS = """() => {
  const root = document.createElement("div");
  root.dataset.testid = "stApp";
  root.setAttribute("data-test-connection-state", "CONNECTED");
  root.setAttribute("data-test-script-state", "notRunning");
  document.body.appendChild(root);
}"""


@pytest.fixture
def app_root(page):
    """A stand-in for Streamlit's root element, connected and idle, with reconnect.js mounted."""
    page.evaluate(STAPP_JS)
    page.evaluate(MOUNT_JS, [module_url(UI / "reconnect" / "reconnect.js"), None])

    def set_state(**attributes: str) -> None:
        for name, value in attributes.items():
            page.evaluate(
                """([name, value]) => document.querySelector("[data-testid='stApp']")
                     .setAttribute(`data-test-${name}-state`, value)""",
                [name, value],
            )  # the observer runs before evaluate returns (a microtask)

    return set_state


def test_the_page_asks_for_a_run_when_its_connection_comes_back(page, app_root):
    app_root(connection="CONNECTED")  # no loss yet: nothing to do
    page.clock.run_for(2_000)
    assert reports(page, "rejoined") == []
    app_root(connection="PINGING_SERVER")
    app_root(connection="CONNECTING")
    page.clock.run_for(2_000)
    assert reports(page, "rejoined") == []
    app_root(connection="CONNECTED")
    page.clock.run_for(2_000)
    assert len(reports(page, "rejoined")) == 1  # back: one run of the whole page
    app_root(connection="CONNECTED")
    page.clock.run_for(2_000)
    assert len(reports(page, "rejoined")) == 1


def test_a_run_streamlit_asked_for_itself_is_not_doubled(page, app_root):
    app_root(connection="CONNECTING")
    app_root(connection="CONNECTED")
    page.clock.run_for(100)
    app_root(script="running")  # Streamlit's page asked the new session for a run
    app_root(script="notRunning")
    page.clock.run_for(2_000)
    assert reports(page, "rejoined") == []
    app_root(connection="CONNECTING")  # the next loss, where it does not
    app_root(connection="CONNECTED")
    page.clock.run_for(2_000)
    assert len(reports(page, "rejoined")) == 1


def test_a_second_copy_of_the_script_does_not_report_twice(page, app_root):
    page.evaluate(
        MOUNT_JS.replace("window.reports = [];", ""),
        [module_url(UI / "reconnect" / "reconnect.js", "// another version"), None],
    )
    app_root(connection="CONNECTING")
    app_root(connection="CONNECTED")
    page.clock.run_for(2_000)
    assert len(reports(page, "rejoined")) == 1

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


def module_url(path: Path) -> str:
    return "data:text/javascript;base64," + base64.b64encode(path.read_bytes()).decode()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.clock.install()
    page.goto("about:blank")
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


def test_the_page_asks_for_a_run_when_its_connection_comes_back(page):
    page.evaluate(
        """() => {
          const root = document.createElement("div");
          root.dataset.testid = "stApp";
          root.setAttribute("data-test-connection-state", "CONNECTED");
          document.body.appendChild(root);
        }"""
    )
    page.evaluate(MOUNT_JS, [module_url(UI / "reconnect" / "reconnect.js"), None])

    def state(value: str) -> None:
        page.evaluate(
            """(value) => document.querySelector("[data-testid='stApp']")
                 .setAttribute("data-test-connection-state", value)""",
            value,
        )
        page.evaluate("() => new Promise((done) => setTimeout(done, 0))")  # the observer has run
        page.clock.run_for(1)

    state("CONNECTED")  # no loss yet: nothing to do
    assert reports(page, "rejoined") == []
    state("PINGING_SERVER")
    state("CONNECTING")
    assert reports(page, "rejoined") == []
    state("CONNECTED")
    assert len(reports(page, "rejoined")) == 1  # back: one run of the whole page
    state("CONNECTED")
    assert len(reports(page, "rejoined")) == 1

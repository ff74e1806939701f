"""Browser tests: a real ``streamlit run`` server driven by headless Chromium through Playwright.

Chromium comes from ``$CHROMIUM_PATH``, Debian's ``/usr/bin/chromium`` or an already installed
Playwright browser; nothing is downloaded. Without one the tests are skipped, unless
``REQUIRE_BROWSER=1`` (CI), when they fail. The server and browser plumbing lives in
``tests/browser/helpers.py``, which the benchmarks (bench/) import too.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.helpers import VIEWPORT, StreamlitServer, find_chromium, launch

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# When a deep link such as /losses is opened, the Streamlit 1.67 frontend first probes
# <base>/losses/_stcore/health and <base>/losses/_stcore/host-config (it guesses the server's
# base path from the URL), gets 404 for both, then falls back to the root's /_stcore/* and
# connects. Chromium logs each 404 as a console error. Only those probes are ignored: any
# other console error, including any other 404, fails the test.
KNOWN_PROBES = ("/_stcore/health", "/_stcore/host-config")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)  # the page fixture screenshots failed tests
    return report


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path, how = find_chromium()
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {how}", pytrace=False)
        pytest.skip(how)
    return path


@pytest.fixture(scope="session")
def app_url(chromium_path) -> str:
    """Base URL of ``streamlit run server.py`` (as `make run`) on a free port; its output goes to
    artifacts/."""
    server = StreamlitServer("server.py", log_path=ARTIFACTS / "streamlit-server.log")
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        yield browser
        browser.close()


@dataclass
class Watched:
    """A page plus what it said: console messages and any dialog (alert/confirm/prompt)."""

    page: object
    console: list = field(default_factory=list)  # (type, text, url)
    dialogs: list = field(default_factory=list)  # (type, message)

    def console_errors(self) -> list[tuple[str, str, str]]:
        return [m for m in self.console if m[0] == "error" and not m[2].endswith(KNOWN_PROBES)]

    def assert_clean(self) -> None:
        assert not self.dialogs, f"the page opened dialogs: {self.dialogs}"
        assert not self.console_errors(), f"console errors: {self.console_errors()}"

    def watch(self, page) -> None:
        page.on("console", lambda m: self.console.append((m.type, m.text, m.location.get("url", ""))))

        def on_dialog(dialog):
            self.dialogs.append((dialog.type, dialog.message))
            dialog.dismiss()

        page.on("dialog", on_dialog)


@pytest.fixture
def watched(browser, request) -> Watched:
    """A fresh context (own cookies, own Streamlit session) with one watched page."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(20_000)
    w = Watched(None)
    context.on("page", w.watch)  # every page of the context, including tabs a test opens
    w.page = context.new_page()
    yield w
    failed = any(
        getattr(request.node, f"rep_{when}", None) is not None and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )
    if failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::")[-1])
        for k, p in enumerate(context.pages):
            try:
                p.screenshot(path=str(ARTIFACTS / f"{name}-{k}.png"), full_page=True)
            except Exception as exc:  # a crashed page must not hide the test's own failure
                print(f"screenshot of page {k} failed: {exc}")
    context.close()

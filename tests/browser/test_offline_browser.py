"""Offline: once installed, no page asks any outside host for anything (fonts, scripts, telemetry,
images). Every request the browser makes while visiting every page and every tab is recorded, at
page and at context level, websockets included, and any that leaves the app's own origin fails.

Chromium runs with --disable-background-networking etc. (tests/browser/helpers.py), so what is
left to see is what the app's pages themselves ask for.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import EXCEPTION, PAGES, open_app, wait_idle
from ui.i18n import translate

pytestmark = pytest.mark.browser

LOCAL_SCHEMES = ("data", "blob")  # inline content, no network
WS_SCHEMES = {"ws": "http", "wss": "https"}  # a websocket to the app's host is the app's origin
TABBED = {
    "losses": ("derivation", "whatif", "curve", "code"),
    "regularization": ("pair", "geometry", "overfit", "others", "code"),
    "gradients": ("walkthrough", "check", "strategies", "optimizers", "code"),
    "features": ("color", "hog", "bow", "versus", "code"),
}

# Every chart drawn and every image loaded: a plotly chart has drawn once it holds its SVG.
RENDERED_JS = """() => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  const graphs = [...document.querySelectorAll('[data-testid="stGraphVizChart"]')];
  const images = [...document.querySelectorAll('[data-testid="stMain"] img')];
  return charts.every((c) => c.querySelector('svg.main-svg'))
    && graphs.every((g) => g.querySelector('svg'))
    && images.every((i) => i.complete && i.naturalWidth > 0);
}"""


@dataclass
class Recorder:
    """Every URL the context asked for, with what asked (page request, context request, websocket)."""

    seen: dict = field(default_factory=lambda: defaultdict(set))  # url -> {"page", "context", "ws"}

    def attach(self, context, page) -> None:
        context.on("request", lambda r: self.seen[r.url].add("context"))
        page.on("request", lambda r: self.seen[r.url].add("page"))
        page.on("websocket", lambda ws: self.seen[ws.url].add("ws"))

    def foreign(self, origin: str) -> list[str]:
        return sorted(url for url in self.seen if not same_origin(url, origin))


def same_origin(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    scheme = WS_SCHEMES.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}" == origin


def settle(page) -> None:
    """The script run has finished and everything it drew is on screen."""
    wait_idle(page)
    page.wait_for_function(RENDERED_JS, timeout=30_000)
    expect(page.locator(EXCEPTION)).to_have_count(0)


def open_page(page, url: str, path: str, query: str = "") -> None:
    open_app(page, f"{url}/{path}{query}")
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=30_000)
    settle(page)


def visit_tabs(page, name: str, lang: str = "en") -> None:
    """Click every tab of a tabbed page in turn; the page writes the open tab into the URL."""
    for k, tab in enumerate(TABBED[name]):
        button = page.get_by_role("tab", name=translate(lang, f"{name}.tabs.{tab}"), exact=True)
        button.click()
        expect(button).to_have_attribute("aria-selected", "true")
        if k > 0:  # the first tab is the default, which the URL leaves out
            expect(page).to_have_url(re.compile(rf"[?&]tab={tab}(&|$)"), timeout=30_000)
        settle(page)


def grouped(urls) -> dict[str, list[str]]:
    """Request paths grouped by kind, for the report."""
    groups = defaultdict(set)
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            groups[f"{parts.scheme}: URLs"].add(url[:40])
        elif parts.path.startswith("/static/"):
            groups["/static/" + parts.path.split("/")[2]].add(parts.path.rsplit("/", 1)[-1])
        else:
            groups["app"].add(parts.path + (f" ({parts.scheme})" if parts.scheme in WS_SCHEMES else ""))
    return {k: sorted(v) for k, v in sorted(groups.items())}


VISITS = [(path, "") for path in PAGES] + [("losses", "?present=1"), ("regularization", "?lang=ko")]


@pytest.mark.parametrize(("path", "query"), VISITS, ids=[f"/{p}{q}" for p, q in VISITS])
def test_page_and_its_tabs_ask_no_other_origin(watched, app_url, path, query):
    page = watched.page
    recorder = Recorder()
    recorder.attach(page.context, page)
    origin = app_url.rstrip("/")
    lang = "ko" if "lang=ko" in query else "en"

    open_page(page, app_url, path, query)
    if "present=1" in query:
        expect(page.locator(".st-key-present input")).to_be_checked()
    if lang == "ko":
        expect(page.locator("h1").first).to_contain_text(translate("ko", f"{path}.title"))
    if path in TABBED and not query:  # presenter mode and Korean: the page as it opens
        visit_tabs(page, path, lang)

    groups = grouped(recorder.seen)
    print(f"\nrequests seen on /{path}{query}, by kind:")
    for kind, paths in groups.items():
        print(f"  {kind} ({len(paths)}): {', '.join(paths)}")
    # The recording itself works: it saw the page, the app's scripts and the session's websocket.
    kinds = set().union(*recorder.seen.values())
    assert kinds == {"page", "context", "ws"}, kinds
    sockets = [url for url in recorder.seen if urlsplit(url).scheme in WS_SCHEMES]
    assert any(url.endswith("/_stcore/stream") for url in sockets), sockets
    assert "/static/js" in groups
    assert not recorder.foreign(origin), f"requests that left {origin}: {recorder.foreign(origin)}"
    watched.assert_clean()


# What a page might ask another host for: an image, a stylesheet, a web font, a script's fetch and a
# websocket (an inline data: image next to them is no request at all: Playwright reports none).
PROBE_PAGE = """<style>
  @font-face { font-family: probe; src: url(https://probe.invalid/font.woff2); }
  p { font-family: probe; }
</style>
<link rel="stylesheet" href="https://probe.invalid/style.css">
<img src="https://probe.invalid/image.png">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p>text in the probe font</p>
<script>
  fetch("https://probe.invalid/telemetry", {method: "POST", body: "{}"}).catch(() => {});
  new WebSocket("ws://127.0.0.1:1/socket");
</script>"""


def test_the_recorder_sees_every_kind_of_request_to_another_host(browser):
    """The check above can fail: each kind of request to another origin is seen and reported. Nothing
    leaves the machine: Playwright's router answers probe.invalid, and the websocket goes to port 1 of
    this host (another origin: refused at once)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        recorder = Recorder()
        recorder.attach(context, page)
        context.route(re.compile(r"^https://probe\.invalid/"), lambda route: route.fulfill(status=204))
        names = ("font.woff2", "style.css", "image.png", "telemetry")
        expected = {*(f"https://probe.invalid/{name}" for name in names), "ws://127.0.0.1:1/socket"}
        # The font and the socket may come after "load": wait for each request itself.
        with contextlib.ExitStack() as waits:
            for name in names:
                waits.enter_context(page.expect_request(f"https://probe.invalid/{name}"))
            waits.enter_context(page.expect_websocket())
            page.set_content(PROBE_PAGE)
        assert set(recorder.foreign("http://127.0.0.1:8501")) == expected
    finally:
        context.close()

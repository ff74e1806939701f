"""A page against the framework's floor in headless Chromium, timed: first opens and score edits.

``tests/browser/test_speed_browser.py`` guards these figures and ``make bench`` (bench/first_open.py,
bench/browser_bench.py) reports them. A *first open* is a fresh browser context (no cache, no
session) against a warm server, timed from navigation start until the page is complete (the
script run has finished, the page's own content is on screen, every Plotly chart has drawn its
SVG, every data grid its canvas and every player its first frame). An *edit* is a data_editor cell
edited as a user does, timed from Enter until the first metric shows a different value. The page
and its floor take turns, so machine noise hits both alike; each also records the renderer main
thread's CPU seconds, which other work on the machine distorts far less than wall time.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

from tests.browser.helpers import METRIC, VIEWPORT, editor_canvas, open_cell, type_into, wait_idle

# Complete: the script is idle, the ready selector is there (in the page or in a component's
# shadow root), no element is stale, every chart, grid and player has drawn.
COMPLETE_JS = """(ready) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  const hosts = [...document.querySelectorAll('[data-testid^="stBidiComponent"]')]
    .map((h) => h.shadowRoot || h);
  if (![document, ...hosts].some((root) => root.querySelector(ready))) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  for (const root of hosts)
    if (root.querySelector('.ll-player') && !root.querySelector('.ll-player .ll-counter')?.textContent.trim())
      return false;
  for (const c of document.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (!c.querySelector('.main-svg')) return false;
  for (const g of document.querySelectorAll('[data-testid="stDataFrame"]'))
    if (!g.querySelector('canvas')) return false;
  return performance.now();
}"""

# The JavaScript the browser fetched: how many files and how many kB.
_SCRIPTS_JS = """() => performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js'))
  .reduce((out, r) => ({js: out.js + 1, js_kb: out.js_kb + (r.transferSize || r.encodedBodySize) / 1024}),
          {js: 0, js_kb: 0})"""


def thread_time(cdp) -> float:
    """CPU seconds of the renderer's main thread so far (the page's CDP session, Performance on)."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "ThreadTime")


@dataclass
class Opening:
    """One page to open: where, what marks it complete, and which floor it is held against."""

    name: str
    server: str  # key into the servers dict
    path: str
    ready: str  # a CSS selector that exists only once the page's own content is drawn
    floor: str | None = None  # name of the Opening it is compared with
    target: str = ""
    seconds: list[float] = field(default_factory=list)
    resources: list[dict] = field(default_factory=list)


def open_once(browser, url: str, ready: str, timeout: float = 90_000) -> tuple[float, dict]:
    """Open ``url`` in a fresh context: seconds from navigation start to complete, and the scripts
    fetched, the renderer main thread's CPU seconds and the DOM's nodes."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
        page.goto(url, wait_until="commit")
        ms = page.wait_for_function(COMPLETE_JS, arg=ready, polling="raf", timeout=timeout).json_value()
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        found = page.evaluate(_SCRIPTS_JS)
        return ms / 1e3, {**found, "ThreadTime": metrics["ThreadTime"], "Nodes": metrics["Nodes"]}
    finally:
        context.close()


def first_opens(browser, servers: dict, openings: list[Opening], repeats: int) -> None:
    """Warm every page once (first-run imports, caches), then open each ``repeats`` times in turns."""
    for o in openings:
        open_once(browser, servers[o.server].url + o.path, o.ready)
    for _ in range(repeats):
        for o in openings:
            s, res = open_once(browser, servers[o.server].url + o.path, o.ready)
            o.seconds.append(s)
            o.resources.append(res)


def cpu_median(o: Opening) -> float:
    """Median CPU seconds of the renderer's main thread per open."""
    return statistics.median(r["ThreadTime"] for r in o.resources)


_CHANGED_JS = """([sel, old]) => {
  const el = document.querySelector(sel);
  return el !== null && el.textContent.trim() !== old;
}"""


class Target:
    """One app in one tab, with the cell to edit and the values to alternate between."""

    def __init__(self, name, server, path, cell, first, values, ready):
        self.name, self.server, self.path = name, server, path
        self.cell, self.first, self.values, self.ready = cell, first, values, ready
        self.wall: list[float] = []
        self.cpu: list[float] = []  # the renderer main thread's CPU seconds, Enter to idle
        self.page = self.cdp = None

    def open(self, browser) -> None:
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(30_000)
        self.page = context.new_page()
        self.cdp = context.new_cdp_session(self.page)
        self.cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
        self.page.goto(self.server.url + self.path)
        self.page.locator(METRIC).filter(has_text=self.ready).first.wait_for(timeout=60_000)
        wait_idle(self.page)

    def edit_once(self, k: int, record: bool) -> None:
        page, n = self.page, len(self.values)
        old_cell = self.first if k == 0 else self.values[(k - 1) % n]
        editor = open_cell(page, editor_canvas(page), *self.cell, expect_old=old_cell)
        type_into(editor, self.values[k % n])
        old = page.locator(METRIC).first.text_content().strip()
        cpu0, t0 = thread_time(self.cdp), time.perf_counter()
        editor.press("Enter")
        page.wait_for_function(_CHANGED_JS, arg=[METRIC, old], polling="raf", timeout=30_000)
        t1 = time.perf_counter()
        wait_idle(page)  # the run that changed the metric may still be drawing the rest of the page
        if record:
            self.wall.append(t1 - t0)
            self.cpu.append(thread_time(self.cdp) - cpu0)


def edit_targets(app, floor) -> tuple[Target, Target]:
    """The loss page's cat score 3.2 (SVM L 5.27), then 5, 4, 10, 5, ... (4.67, 5.00, 4.30, ...);
    the floor's first cell, the same values (sum 16.40, then 18.20, 17.20, 23.20, ...)."""
    cycle = ("5", "4", "10")
    return (
        Target("loss page", app, "/losses", (0, 1), "3.2", cycle, "5.27"),
        Target("floor", floor, "/", (0, 0), "3.2", cycle, "16.40"),
    )


def edits(browser, page: Target, floor: Target, repeats: int) -> None:
    """``repeats`` edits on each in turns, after a round that warms up and is not recorded."""
    try:
        for t in (page, floor):
            t.open(browser)
        for k in range(repeats + 1):
            for t in (page, floor):
                t.edit_once(k, record=k > 0)
    finally:
        for t in (page, floor):
            if t.page is not None:
                t.page.context.close()

"""First open and warm tab switches in headless Chromium, each page against its floor.

A *first open* is what a student sees who opens a link: a fresh browser context (no cache, no
cookies, no session), against a warm server (every page was opened once before the clock runs,
so no first-run imports). The clock runs from navigation start until the page is complete: the
script run has finished, the page's own content is on screen, and every Plotly chart on it has
drawn its SVG and every data grid its canvas. The page and its floor take turns, so machine noise
hits both alike.

Floors (bench/floor_app.py, bench/floor_plotly_app.py): the least a Streamlit page with the same
kind of widget does. /losses and /home are compared with the one-table floor, the chart pages
with the one-chart floor.

A *warm tab switch* clicks another tab of a page already open and waits until that tab's content
is complete and the run has finished.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.report import Row, absolute_row, skipped_row, slowdown_row
from bench.streamlit_browser import VIEWPORT, find_chromium, launch, wait_idle

SECTION = "first_open"
REPEATS = 5
TAB_REPEATS = 3
TAB_LIMIT = 0.5  # seconds

# Complete: the script is idle, the ready selector is there (in the page or in a component's
# shadow root), no element is stale, every chart has drawn, every grid has its canvas and every
# player its first frame.
_COMPLETE_JS = """(ready) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  const hosts = [...document.querySelectorAll('[data-testid^="stBidiComponent"]')]
    .map((h) => h.shadowRoot || h);
  if (![document, ...hosts].some((root) => root.querySelector(ready))) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  for (const root of hosts)  // a player has drawn its first frame and its numbers
    if (root.querySelector('.ll-player') && !root.querySelector('.ll-player .ll-counter')?.textContent.trim())
      return false;
  for (const c of document.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (!c.querySelector('.main-svg')) return false;
  for (const g of document.querySelectorAll('[data-testid="stDataFrame"]'))
    if (!g.querySelector('canvas')) return false;
  return performance.now();
}"""

# Where the browser's time went: the resources it fetched, by kind.
_RESOURCES_JS = """() => {
  const out = {js: 0, js_kb: 0, css: 0, other: 0, js_end_ms: 0, kb: 0};
  for (const r of performance.getEntriesByType('resource')) {
    const kb = (r.transferSize || r.encodedBodySize || 0) / 1024;
    out.kb += kb;
    if (r.name.endsWith('.js')) {
      out.js += 1; out.js_kb += kb; out.js_end_ms = Math.max(out.js_end_ms, r.responseEnd);
    }
    else if (r.name.endsWith('.css')) out.css += 1;
    else out.other += 1;
  }
  const nav = performance.getEntriesByType('navigation')[0];
  out.dom_content_loaded_ms = nav ? nav.domContentLoadedEventEnd : null;
  out.load_ms = nav ? nav.loadEventEnd : null;
  return out;
}"""


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
    """Open ``url`` in a fresh context; seconds from navigation start to complete, and resources."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
        page.goto(url, wait_until="commit")
        handle = page.wait_for_function(_COMPLETE_JS, arg=ready, polling="raf", timeout=timeout)
        ms = handle.json_value()
        found = page.evaluate(_RESOURCES_JS)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        # The renderer's CPU seconds (its main thread's, and the whole process'), and how the
        # main thread's busy time splits: less sensitive than wall time to a loaded machine.
        for name in ("ThreadTime", "ProcessTime", "TaskDuration", "ScriptDuration", "LayoutDuration",
                     "RecalcStyleDuration", "JSHeapUsedSize", "Nodes"):
            found[name] = metrics.get(name)
        return ms / 1e3, found
    finally:
        context.close()


def first_opens(browser, servers: dict, openings: list[Opening], repeats: int = REPEATS) -> None:
    """Warm every page once (first-run imports, caches), then open each ``repeats`` times in turns."""
    for o in openings:
        open_once(browser, servers[o.server].url + o.path, o.ready)
    for _ in range(repeats):
        for o in openings:
            s, res = open_once(browser, servers[o.server].url + o.path, o.ready)
            o.seconds.append(s)
            o.resources.append(res)


def cpu_median(o: Opening) -> float | None:
    """Median CPU seconds of the renderer's main thread per open: far less sensitive to other
    processes on the machine than wall time."""
    values = [r["ThreadTime"] for r in o.resources if r.get("ThreadTime") is not None]
    return statistics.median(values) if values else None


def ratio_rows(openings: list[Opening]) -> list[Row]:
    by_name = {o.name: o for o in openings}
    rows = []
    for o in openings:
        if o.floor is None:
            continue
        floor = by_name[o.floor]
        cpu, floor_cpu = cpu_median(o), cpu_median(floor)
        note = (f"renderer main-thread CPU {cpu:.2f} s vs {floor_cpu:.2f} s ({cpu / floor_cpu:.2f}x)"
                if cpu and floor_cpu else "")
        rows.append(slowdown_row(SECTION, f"first open {o.name} vs {floor.name} (median of {len(o.seconds)})",
                                 statistics.median(o.seconds), statistics.median(floor.seconds), o.target,
                                 note))
    return rows


def tab_switch(page, label: str, ready: str, timeout: float = 30_000) -> float:
    """Click the tab named ``label`` on an open page; seconds until its content is complete."""
    tab = page.get_by_role("tab", name=label, exact=True)
    t0 = time.perf_counter()
    tab.click()
    # The click first marks the old content stale or starts a run; wait until the new tab is
    # selected and the page is complete again.
    page.wait_for_function(
        """([label, ready, complete]) => {
          const sel = [...document.querySelectorAll('[role="tab"][aria-selected="true"]')]
            .some((t) => t.textContent.trim() === label);
          return sel && eval(complete)(ready);
        }""", arg=[label, ready, _COMPLETE_JS], polling="raf", timeout=timeout)
    return time.perf_counter() - t0


def tab_switches(browser, url: str, tabs: list[tuple[str, str]], repeats: int = TAB_REPEATS) -> dict:
    """Open ``url`` once, visit every tab once (warm), then cycle through ``tabs`` ``repeats``
    times; returns each tab's switch times."""
    context = browser.new_context(viewport=VIEWPORT)
    times: dict[str, list[float]] = {label: [] for label, _ in tabs}
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function(_COMPLETE_JS, arg=tabs[0][1], polling="raf", timeout=90_000)
        for rnd in range(repeats + 1):
            for label, ready in tabs[1:] + tabs[:1]:
                s = tab_switch(page, label, ready)
                wait_idle(page)
                if rnd:
                    times[label].append(s)
    finally:
        context.close()
    return times


def tab_rows(page_name: str, times: dict) -> list[Row]:
    return [absolute_row(SECTION, f"warm tab switch {page_name} -> {label} (median of {len(ts)})",
                         statistics.median(ts), TAB_LIMIT, f"<= {TAB_LIMIT} s")
            for label, ts in times.items() if ts]


METRIC = '[data-testid="stMetricValue"]'
CHART = '[data-testid="stPlotlyChart"] .main-svg'
PLAYER = ".ll-player .ll-frame"  # the in-browser player (ui/player) has drawn
# The open tab's panel shows at least one element (lazy tabs leave the others empty).
TAB_READY = '[role="tabpanel"]:not([hidden]) [data-testid="stElementContainer"]'
TAB_PAGES = ("losses", "regularization", "gradients", "features")
MEASURE = "browser first open: each page vs its floor; warm tab switches"


def tab_labels(page: str) -> list[str]:
    """The page's tab labels in English, in order, from the catalog the app reads."""
    from bench.streamlit_browser import REPO

    catalog = json.loads((REPO / "assets" / "i18n" / "en.json").read_text(encoding="utf-8"))
    return list(catalog[page]["tabs"].values())


def openings() -> list[Opening]:
    return [
        Opening("table floor", "table_floor", "/", METRIC),
        Opening("chart floor", "chart_floor", "/", CHART),
        Opening("/losses", "app", "/losses", METRIC, "table floor", "<= 1.5x"),
        Opening("/optimization", "app", "/optimization", PLAYER, "chart floor", "<= 2x"),
        Opening("/", "app", "/", '[data-testid="stAlert"]', "table floor"),
        Opening("/regularization", "app", "/regularization", CHART, "chart floor"),
        Opening("/gradients", "app", "/gradients", CHART, "chart floor"),
        Opening("/features", "app", "/features", CHART, "chart floor"),
    ]


def servers(log_dir):
    from bench.streamlit_browser import StreamlitServer

    return {
        "app": StreamlitServer("app.py", log_path=log_dir / "app.log"),
        "table_floor": StreamlitServer("bench/floor_app.py", log_path=log_dir / "table_floor.log"),
        "chart_floor": StreamlitServer("bench/floor_plotly_app.py", log_path=log_dir / "chart_floor.log"),
    }


def measure(browser, log_dir, repeats: int = REPEATS, tab_repeats: int = TAB_REPEATS,
            only: tuple[str, ...] | None = None) -> tuple[list[Row], dict]:
    """Start the servers, time the first opens and the tab switches; rows and details."""
    running = servers(log_dir)
    try:
        for s in running.values():
            s.spawn()
        for s in running.values():
            s.wait_healthy()
        todo = [o for o in openings() if only is None or o.name in only or o.floor is None]
        first_opens(browser, running, todo, repeats)
        rows = ratio_rows(todo)
        detail = {o.name: {"seconds": o.seconds, "resources": o.resources[-1] if o.resources else None}
                  for o in todo}
        for name in (TAB_PAGES if tab_repeats else ()):
            tabs = [(label, TAB_READY) for label in tab_labels(name)]
            try:
                times = tab_switches(browser, f"{running['app'].url}/{name}", tabs, tab_repeats)
            except Exception as exc:  # one page's failure must not hide the other pages' numbers
                rows.append(skipped_row(SECTION, f"warm tab switches /{name}", f"<= {TAB_LIMIT} s",
                                        f"failed: {type(exc).__name__}: {str(exc).splitlines()[0]}"))
                continue
            rows += tab_rows(f"/{name}", times)
            detail[f"tabs /{name}"] = times
        return rows, detail
    finally:
        for s in running.values():
            s.stop()


def run() -> tuple[list[Row], dict]:
    """The ``make bench`` section: every page's first open against its floor, and tab switches."""
    executable, how = find_chromium()
    if executable is None:
        return [skipped_row(SECTION, MEASURE, "", f"skipped: {how}")], {"skipped": how}
    from playwright.sync_api import sync_playwright

    log_dir = Path(tempfile.mkdtemp(prefix="losslab-first-open-"))
    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            rows, detail = measure(browser, log_dir)
        except Exception as exc:
            raise RuntimeError(f"{type(exc).__name__}: {str(exc).splitlines()[0]} "
                               f"(server logs in {log_dir})") from exc
        finally:
            browser.close()
    return rows, detail


def main(argv=None) -> int:
    """``python -m bench.first_open [--repeats N] [--tabs N] [--only /losses ...]``: this section alone,
    with each page's resources and renderer CPU."""
    import argparse

    from bench.report import table

    parser = argparse.ArgumentParser(prog="python -m bench.first_open", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--tabs", type=int, default=TAB_REPEATS, help="tab-switch rounds (0: none)")
    parser.add_argument("--only", nargs="*", help="pages to open (their floors always are)")
    args = parser.parse_args(argv)
    executable, how = find_chromium()
    if executable is None:
        print(f"skipped: {how}")
        return 1
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            rows, detail = measure(browser, Path(tempfile.mkdtemp(prefix="losslab-first-open-")),
                                   args.repeats, args.tabs, tuple(args.only) if args.only else None)
        finally:
            browser.close()
    print(table(rows))
    for name, d in detail.items():
        if isinstance(d, dict) and d.get("resources"):
            r = d["resources"]
            print(f"{name}: {[round(s, 2) for s in d['seconds']]} s; renderer CPU {r['ThreadTime']:.2f} s; "
                  f"{r['js']} JS files, {r['js_kb'] / 1024:.1f} MB; {r['Nodes']} DOM nodes")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())

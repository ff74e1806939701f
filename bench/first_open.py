"""First open and warm tab switches in headless Chromium, each page against its floor.

A *first open* (tests.browser.timing) is what a student sees who opens a link: a fresh browser
context against a warm server, until the page is complete. /losses and / are held against
bench/floor_app.py (one data editor), the chart pages against bench/floor_plotly_app.py (one chart).

A *warm tab switch* clicks another tab of a page already open and waits until that tab's content
is complete and the run has finished.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.report import Row, absolute_row, skipped_row, slowdown_row, table
from tests.browser.helpers import (
    METRIC,
    OPEN_TAB_CONTENT,
    REPO,
    VIEWPORT,
    StreamlitServer,
    find_chromium,
    launch,
    wait_idle,
)
from tests.browser.timing import COMPLETE_JS, Opening, cpu_median, first_opens

SECTION = "first_open"
MEASURE = "browser first open: each page vs its floor; warm tab switches"
REPEATS = 5
TAB_REPEATS = 3
TAB_LIMIT = 0.5  # seconds
CHART = '[data-testid="stPlotlyChart"] .main-svg'
PLAYER = ".ll-player .ll-frame"  # the in-browser player (ui/player) has drawn
TAB_PAGES = ("losses", "regularization", "gradients", "features")


def in_browser(fn, section: str, measure: str, target: str = ""):
    """``fn(browser)`` in headless Chromium; a skipped row when there is no Chromium."""
    executable, how = find_chromium()
    if executable is None:
        return [skipped_row(section, measure, target, f"skipped: {how}")], {"skipped": how}
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            return fn(browser)
        finally:
            browser.close()


def ratio_rows(openings: list[Opening]) -> list[Row]:
    by_name = {o.name: o for o in openings}
    rows = []
    for o in (o for o in openings if o.floor is not None):
        floor = by_name[o.floor]
        cpu, floor_cpu = cpu_median(o), cpu_median(floor)
        note = f"renderer main-thread CPU {cpu:.2f} s vs {floor_cpu:.2f} s ({cpu / floor_cpu:.2f}x)"
        rows.append(slowdown_row(SECTION, f"first open {o.name} vs {floor.name} (median of {len(o.seconds)})",
                                 statistics.median(o.seconds), statistics.median(floor.seconds), o.target,
                                 note))
    return rows


# The tab named `label` is selected and the page is complete again.
_TAB_DONE_JS = """([label, ready, complete]) =>
  [...document.querySelectorAll('[role="tab"][aria-selected="true"]')]
    .some((t) => t.textContent.trim() === label) && eval(complete)(ready)"""


def tab_switches(browser, url: str, labels: list[str], repeats: int = TAB_REPEATS) -> dict:
    """Open ``url``, visit every tab once (warm), then cycle through them ``repeats`` times: each
    switch's seconds from the click until its tab is complete."""
    context = browser.new_context(viewport=VIEWPORT)
    times: dict[str, list[float]] = {label: [] for label in labels}
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function(COMPLETE_JS, arg=OPEN_TAB_CONTENT, polling="raf", timeout=90_000)
        for rnd in range(repeats + 1):
            for label in labels[1:] + labels[:1]:
                t0 = time.perf_counter()
                page.get_by_role("tab", name=label, exact=True).click()
                done = [label, OPEN_TAB_CONTENT, COMPLETE_JS]
                page.wait_for_function(_TAB_DONE_JS, arg=done, polling="raf")
                if rnd:
                    times[label].append(time.perf_counter() - t0)
                wait_idle(page)
    finally:
        context.close()
    return times


def tab_labels(page: str) -> list[str]:
    """The page's tab labels in English, in order, from the catalog the app reads."""
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


def measure(browser, log_dir: Path, repeats: int = REPEATS, tab_repeats: int = TAB_REPEATS,
            only: tuple[str, ...] | None = None) -> tuple[list[Row], dict]:
    """Start the app and the floors, time the first opens and the tab switches; rows and details."""
    scripts = {"app": "app.py", "table_floor": "bench/floor_app.py",
               "chart_floor": "bench/floor_plotly_app.py"}
    servers = {k: StreamlitServer(s, log_path=log_dir / f"{k}.log") for k, s in scripts.items()}
    try:
        for s in servers.values():
            s.spawn()
        for s in servers.values():
            s.wait_healthy()
        todo = [o for o in openings() if only is None or o.name in only or o.floor is None]
        first_opens(browser, servers, todo, repeats)
        rows = ratio_rows(todo)
        detail = {o.name: {"seconds": o.seconds, "resources": o.resources[-1]} for o in todo}
        for name in TAB_PAGES if tab_repeats else ():
            try:
                times = tab_switches(browser, f"{servers['app'].url}/{name}", tab_labels(name), tab_repeats)
            except Exception as exc:  # one page's failure must not hide the other pages' numbers
                rows.append(skipped_row(SECTION, f"warm tab switches /{name}", f"<= {TAB_LIMIT} s",
                                        f"failed: {type(exc).__name__}: {str(exc).splitlines()[0]}"))
                continue
            rows += [absolute_row(SECTION, f"warm tab switch /{name} -> {label} (median of {len(ts)})",
                                  statistics.median(ts), TAB_LIMIT, f"<= {TAB_LIMIT} s")
                     for label, ts in times.items()]
            detail[f"tabs /{name}"] = times
        return rows, detail
    except Exception as exc:
        raise RuntimeError(f"{type(exc).__name__}: {str(exc).splitlines()[0]} (logs in {log_dir})") from exc
    finally:
        for s in servers.values():
            s.stop()


def run(repeats: int = REPEATS, tab_repeats: int = TAB_REPEATS, only=None) -> tuple[list[Row], dict]:
    """The ``make bench`` section: every page's first open against its floor, and tab switches."""
    log_dir = Path(tempfile.mkdtemp(prefix="losslab-first-open-"))
    return in_browser(lambda browser: measure(browser, log_dir, repeats, tab_repeats, only), SECTION, MEASURE)


def main(argv=None) -> int:
    """``python -m bench.first_open [--repeats N] [--tabs N] [--only /losses ...]``: this section alone."""
    parser = argparse.ArgumentParser(prog="python -m bench.first_open", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--tabs", type=int, default=TAB_REPEATS, help="tab-switch rounds (0: none)")
    parser.add_argument("--only", nargs="*", help="pages to open (their floors always are)")
    args = parser.parse_args(argv)
    rows, detail = run(args.repeats, args.tabs, tuple(args.only) if args.only else None)
    print(table(rows))
    for name, d in detail.items():
        if isinstance(d, dict) and d.get("resources"):
            r = d["resources"]
            print(f"{name}: {[round(s, 2) for s in d['seconds']]} s; renderer CPU {r['ThreadTime']:.2f} s; "
                  f"{r['js']} JS files, {r['js_kb'] / 1024:.1f} MB; {r['Nodes']} DOM nodes")
    return 0 if rows and rows[0].value is not None else 1


if __name__ == "__main__":
    sys.exit(main())

"""``make bench``'s browser sections, in headless Chromium (tests.browser.timing times them): each page's
first open (a fresh context, a warm server) against its floor (bench/floor_app.py, one data editor, for
/losses and /; bench/floor_plotly_app.py, one chart, for the chart pages), warm tab switches, and the
loss page's score edit against the same edit on bench/floor_app.py."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from bench.report import Row, absolute_row, ratio_row, skipped_row, table
from tests.browser import helpers as h
from tests.browser.timing import COMPLETE_JS, Opening, cpu_median, edit_targets, edits, first_opens

SECTION = "first_open"
MEASURE = "browser first open: each page vs its floor; warm tab switches"
EDITS = 7
EDIT_MEASURE = f"browser edit -> metric updated: loss page vs floor page (median of {EDITS})"
REPEATS, TAB_REPEATS, TAB_LIMIT = 5, 3, 0.5  # TAB_LIMIT: seconds
SERVERS = dict(app="server.py", table_floor="bench/floor_app.py", chart_floor="bench/floor_plotly_app.py")
CHART = '[data-testid="stPlotlyChart"] .main-svg'
TAB_PAGES = ("losses", "regularization", "gradients", "features")
# The tab named `label` is selected and the page is complete again.
_TAB_DONE_JS = """([label, ready, complete]) =>
  [...document.querySelectorAll('[role="tab"][aria-selected="true"]')]
    .some((t) => t.textContent.trim() === label) && eval(complete)(ready)"""


def in_browser(fn, section: str, measure: str, target: str = ""):
    """``fn(browser, logs)`` in headless Chromium, its servers' logs in the folder ``logs``; a skipped row
    when there is no Chromium."""
    executable, how = h.find_chromium()
    if executable is None:
        return [skipped_row(section, measure, target, f"skipped: {how}")], {"skipped": how}
    from playwright.sync_api import sync_playwright

    logs = Path(tempfile.mkdtemp(prefix=f"losslab-{section}-"))
    with sync_playwright() as p:  # which closes the browser
        try:
            return fn(h.launch(p, executable), logs)
        except Exception as exc:
            raise RuntimeError(f"{type(exc).__name__}: {str(exc).splitlines()[0]} (logs in {logs})") from exc


def openings() -> list[Opening]:
    player = ".ll-player .ll-frame"  # the in-browser player (ui/player) has drawn
    return [
        Opening("table floor", "table_floor", "/", h.METRIC),
        Opening("chart floor", "chart_floor", "/", CHART),
        Opening("/losses", "app", "/losses", h.METRIC, "table floor", "<= 1.5x"),
        Opening("/optimization", "app", "/optimization", player, "chart floor", "<= 2x"),
        Opening("/", "app", "/", '[data-testid="stAlert"]', "table floor"),
        *(Opening(f"/{p}", "app", f"/{p}", CHART, "chart floor") for p in TAB_PAGES[1:]),
    ]


def first_open_row(o: Opening, floor: Opening) -> Row:
    """A page's median first open against its floor's, the renderer's CPU beside them."""
    cpu, floor_cpu = cpu_median(o), cpu_median(floor)
    note = f"renderer main-thread CPU {cpu:.2f} s vs {floor_cpu:.2f} s ({cpu / floor_cpu:.2f}x)"
    measure = f"first open {o.name} vs {floor.name} (median of {len(o.seconds)})"
    return ratio_row(SECTION, measure, median(o.seconds), median(floor.seconds), o.target, note)


def tab_switches(browser, url: str, labels: list[str], repeats: int) -> dict[str, list[float]]:
    """Open ``url``, visit every tab once (warm), then cycle through them ``repeats`` times."""
    times: dict[str, list[float]] = {label: [] for label in labels}
    with browser.new_context(viewport=h.VIEWPORT) as context:  # which closes it
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function(COMPLETE_JS, arg=h.OPEN_TAB_CONTENT, polling="raf", timeout=90_000)
        for rnd in range(repeats + 1):
            for label in labels[1:] + labels[:1]:
                t0 = time.perf_counter()
                page.get_by_role("tab", name=label, exact=True).click()
                done = [label, h.OPEN_TAB_CONTENT, COMPLETE_JS]
                page.wait_for_function(_TAB_DONE_JS, arg=done, polling="raf")
                if rnd:
                    times[label].append(time.perf_counter() - t0)
                h.wait_idle(page)
    return times


def tab_rows(browser, url: str, name: str, labels: list[str], repeats: int, detail: dict) -> list[Row]:
    """A page's warm tab switches, a row a tab; one skipped row if they fail (the other pages still count)."""
    try:
        detail[f"tabs /{name}"] = times = tab_switches(browser, f"{url}/{name}", labels, repeats)
    except Exception as exc:
        note = f"failed: {type(exc).__name__}: {str(exc).splitlines()[0]}"
        return [skipped_row(SECTION, f"warm tab switches /{name}", f"<= {TAB_LIMIT} s", note)]
    measure = f"warm tab switch /{name} -> {{}} (median of {repeats})"
    return [absolute_row(SECTION, measure.format(label), median(t), TAB_LIMIT) for label, t in times.items()]


def measure(browser, logs: Path, repeats: int, tab_repeats: int, only=None) -> tuple[list[Row], dict]:
    """Start the app and the floors, time the first opens and the tab switches; rows and details."""
    servers = {k: h.StreamlitServer(s, log_path=logs / f"{k}.log") for k, s in SERVERS.items()}
    catalog = json.loads((h.REPO / "assets" / "i18n" / "en.json").read_text(encoding="utf-8"))
    try:
        for s in servers.values():
            s.spawn()
        for s in servers.values():
            s.wait_healthy()
        todo = [o for o in openings() if only is None or o.name in only or o.floor is None]
        first_opens(browser, servers, todo, repeats)
        by_name = {o.name: o for o in todo}
        rows = [first_open_row(o, by_name[o.floor]) for o in todo if o.floor]
        detail = {o.name: {"seconds": o.seconds, "resources": o.resources[-1]} for o in todo}
        for name in TAB_PAGES if tab_repeats else ():
            labels = list(catalog[name]["tabs"].values())  # in English, in order, as the app shows them
            rows += tab_rows(browser, servers["app"].url, name, labels, tab_repeats, detail)
        return rows, detail
    finally:
        for s in servers.values():
            s.stop()


def run(repeats: int = REPEATS, tab_repeats: int = TAB_REPEATS, only=None) -> tuple[list[Row], dict]:
    """The ``make bench`` section: every page's first open against its floor, and tab switches."""
    return in_browser(
        lambda browser, logs: measure(browser, logs, repeats, tab_repeats, only), SECTION, MEASURE
    )


def measure_edits(browser, logs: Path) -> tuple[list[Row], dict]:
    with (
        h.StreamlitServer("server.py", log_path=logs / "app.log") as app,
        h.StreamlitServer("bench/floor_app.py", log_path=logs / "floor.log") as floor,
    ):
        page, floor_t = edit_targets(app, floor)
        edits(browser, page, floor_t, EDITS)
    cpu, floor_cpu = median(page.cpu), median(floor_t.cpu)
    note = f"renderer main-thread CPU per edit {cpu:.3f} s vs {floor_cpu:.3f} s ({cpu / floor_cpu:.2f}x)"
    row = ratio_row("browser", EDIT_MEASURE, median(page.wall), median(floor_t.wall), "<= 1.2x", note)
    return [row], {t.name: {"wall_s": t.wall, "renderer_cpu_s": t.cpu} for t in (page, floor_t)}


def run_edits() -> tuple[list[Row], dict]:
    return in_browser(measure_edits, "browser", EDIT_MEASURE, "<= 1.2x")


def main(argv=None) -> int:
    """``python -m bench.first_open [--repeats N] [--tabs N] [--only /losses ...]``: this section alone."""
    parser = argparse.ArgumentParser(prog="python -m bench.first_open", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--tabs", type=int, default=TAB_REPEATS, help="tab-switch rounds (0: none)")
    parser.add_argument("--only", nargs="*", help="pages to open (their floors always are)")
    args = parser.parse_args(argv)
    rows, detail = run(args.repeats, args.tabs, tuple(args.only) if args.only else None)
    print(table(rows))
    for name, d in ((k, d) for k, d in detail.items() if "resources" in d):
        r = d["resources"]
        print(
            f"{name}: {[round(s, 2) for s in d['seconds']]} s; renderer CPU {r['ThreadTime']:.2f} s; "
            f"{r['js']} JS files, {r['js_kb'] / 1024:.1f} MB; {r['Nodes']} DOM nodes"
        )
    return 0 if rows and rows[0].value is not None else 1


if __name__ == "__main__":
    sys.exit(main())

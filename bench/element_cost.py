"""What one rerun costs the browser, by kind of element: ``python -m bench.element_cost``.

For each kind, ``bench/element_probe_app.py`` runs with 20 copies of it (or one plotly chart whose
figure changes every time) in a fresh server; one headless Chromium presses the page's Update
button ``--repeats`` times and this reports Chromium's CPU seconds (all its processes, from
/proc) per update, minus the same for the page with none. The README's "Many students at once"
quotes these figures.
"""

from __future__ import annotations

import argparse
import os
import sys

from bench.loadtest import browser_cpu
from bench.streamlit_browser import METRIC, VIEWPORT, StreamlitServer, find_chromium, launch, wait_idle

KINDS = ("none", "slider", "button", "selectbox", "markdown", "caption", "latex", "line_chart",
         "decision_regions")
COPIES = 20
CHARTS = ("line_chart", "decision_regions")


def cost(browser, kind: str, repeats: int) -> float:
    """Chromium CPU seconds per press of Update on the probe page with ``kind``."""
    os.environ.update(PROBE_KIND=kind, PROBE_COPIES=str(COPIES))  # the server inherits them
    with StreamlitServer("bench/element_probe_app.py") as server:
        page = browser.new_page(viewport=VIEWPORT)
        try:
            page.goto(server.url)
            metric = page.locator(METRIC).first
            metric.wait_for(timeout=60_000)
            wait_idle(page)
            button = page.get_by_role("button", name="Update", exact=True)
            for k in range(repeats + 1):  # the first press is a warm-up
                if k == 1:
                    page.wait_for_timeout(500)
                    before = browser_cpu()
                button.click()
                page.wait_for_function("([sel, n]) => document.querySelector(sel)?.innerText.trim() === n",
                                       arg=[METRIC, str(k + 1)], polling=100)
                wait_idle(page)
            page.wait_for_timeout(500)  # what the last update left to draw
            return (browser_cpu() - before) / repeats
        finally:
            page.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=8)
    args = parser.parse_args(argv)
    executable, how = find_chromium()
    if executable is None:
        print(f"element_cost skipped: {how}")
        return 1
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p, executable)
        try:
            results = {kind: cost(browser, kind, args.repeats) for kind in KINDS}
        finally:
            browser.close()
    floor = results.pop("none")
    print(f"Chromium CPU per update of the probe page with nothing on it: {1000 * floor:.0f} ms")
    for kind, secs in results.items():
        extra = 1000 * (secs - floor)
        each = "one chart" if kind in CHARTS else f"{extra / COPIES:5.1f} ms each"
        print(f"  {kind:<18}{extra:7.0f} ms more  ({each})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Playback frames per second of the in-browser player (ui/player) on /optimization.

Opens /optimization at 1280x720 on a fresh server, presses Play and measures in the page, on every
animation frame, how often the drawing visibly changes and whether any frame is blank
(tests.browser.helpers.measure_fps, which the browser tests use too).
"""

from __future__ import annotations

import sys

from bench.first_open import in_browser
from bench.report import Row
from tests.browser.helpers import StreamlitServer, measure_fps, wait_idle

SECTION = "playback"
MEASURE = "playback on /optimization: seconds per visible frame"
TARGET = ">= 15 fps, 0 blank"


def play_and_measure(browser, seconds: float = 3.0) -> dict:
    with StreamlitServer("app.py") as server:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{server.url}/optimization")
        page.locator(".ll-play").wait_for(timeout=60_000)
        wait_idle(page)
        page.locator(".ll-play").click()
        return measure_fps(page, seconds)


def measure(browser) -> tuple[list[Row], dict]:
    r = play_and_measure(browser)
    note = (f"{r['fps']:.1f} visible frames/s ({r['drawn_fps']:.1f} drawn), {r['steps']} steps in "
            f"{r['elapsed']:.1f} s, {r['blanks']} blank samples")
    ok = r["fps"] >= 15 and r["blanks"] == 0
    value = 1 / r["fps"] if r["fps"] else None
    return [Row(SECTION, MEASURE, value, None, None, TARGET, ok, note)], r


def run() -> tuple[list[Row], dict]:
    """``make bench``'s playback section: one row, seconds per visible frame (target >= 15 fps)."""
    return in_browser(measure, SECTION, MEASURE, TARGET)


if __name__ == "__main__":
    rows, _ = run()
    print(rows[0].note)
    sys.exit(0 if rows[0].ok else 1)

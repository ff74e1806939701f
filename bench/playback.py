"""Playback on /optimization: frames per second of visible change, and blank frames, measured in the
page while the in-browser player plays (tests.browser.helpers.measure_fps, as the browser tests do)."""

from __future__ import annotations

import sys

from bench.first_open import in_browser
from bench.report import Row
from tests.browser.helpers import StreamlitServer, measure_fps, wait_idle

MEASURE = "playback on /optimization: seconds per visible frame"
TARGET = ">= 15 fps, 0 blank"


def measure(browser, logs, seconds: float = 3.0) -> tuple[list[Row], dict]:
    """Open /optimization at 1280x720 on a fresh server (its log in ``logs``), press Play, measure."""
    with StreamlitServer("server.py", log_path=logs / "app.log") as server:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{server.url}/optimization")
        page.locator(".ll-play").wait_for(timeout=60_000)
        wait_idle(page)
        page.locator(".ll-play").click()
        r = measure_fps(page, seconds)
    note = (
        f"{r['fps']:.1f} visible frames/s ({r['drawn_fps']:.1f} drawn), {r['steps']} steps in "
        f"{r['elapsed']:.1f} s, {r['blanks']} blank samples"
    )
    ok = r["fps"] >= 15 and r["blanks"] == 0
    return [Row("playback", MEASURE, 1 / r["fps"] if r["fps"] else None, None, None, TARGET, ok, note)], r


def run() -> tuple[list[Row], dict]:
    return in_browser(measure, "playback", MEASURE, TARGET)


if __name__ == "__main__":
    rows, _ = run()
    print(rows[0].note)
    sys.exit(0 if rows[0].ok else 1)

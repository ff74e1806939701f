"""Edit-to-update in headless Chromium, the loss page against the floor page (one data editor and
one metric): tests.browser.timing's edits, as ``make bench``'s row."""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from bench.first_open import in_browser
from bench.report import Row, slowdown_row
from tests.browser.helpers import StreamlitServer
from tests.browser.timing import edit_targets, edits

SECTION = "browser"
TARGET = "<= 1.2x"
REPEATS = 7
MEASURE = f"browser edit -> metric updated: loss page vs floor page (median of {REPEATS})"


def measure(browser) -> tuple[list[Row], dict]:
    logs = Path(tempfile.mkdtemp(prefix="losslab-bench-"))
    with StreamlitServer("app.py", log_path=logs / "app.log") as app, \
            StreamlitServer("bench/floor_app.py", log_path=logs / "floor.log") as floor:
        page, floor_t = edit_targets(app, floor)
        try:
            edits(browser, page, floor_t, REPEATS)
        except Exception as exc:
            raise RuntimeError(f"{type(exc).__name__}: {str(exc).splitlines()[0]} (logs in {logs})") from exc
    cpu, floor_cpu = statistics.median(page.cpu), statistics.median(floor_t.cpu)
    note = f"renderer main-thread CPU per edit {cpu:.3f} s vs {floor_cpu:.3f} s ({cpu / floor_cpu:.2f}x)"
    wall, floor_wall = statistics.median(page.wall), statistics.median(floor_t.wall)
    row = slowdown_row(SECTION, MEASURE, wall, floor_wall, TARGET, note)
    return [row], {t.name: {"wall_s": t.wall, "renderer_cpu_s": t.cpu} for t in (page, floor_t)}


def run() -> tuple[list[Row], dict]:
    return in_browser(measure, SECTION, MEASURE, TARGET)

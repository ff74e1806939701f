"""First open of /losses and its edit-to-update, each against the framework's floor, in one run.

These are regression guards, not the goals. ``make bench`` reports the goals (first open <= 1.5x
the floor, edit <= 1.2x); the page does not meet them yet (see the README's "Speed"). The
bounds here sit above what the page does today on this 2-core machine, including runs with
four other test suites on the same cores, and below what a real regression does: a second
Plotly chart in the first view, or every edit redrawing the whole page again.

The renderer's main-thread CPU seconds are the main check: they hardly move with other load on
the machine (per edit 0.37-0.49 s for /losses against 0.085-0.095 s for the floor, over runs
whose wall times differed threefold). Wall time, which does move, gets a looser bound. Each
figure is the median of a few alternating tries.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from tests.browser.helpers import METRIC, StreamlitServer
from tests.browser.timing import Opening, cpu_median, edit_targets, edits, first_opens

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

OPENS = 3
EDITS = 3
# Today (renderer CPU, wall) on a loaded 2-core machine: first open 4.2-4.8x, 5.4-9.2x; edit
# 4.3-5.3x, 2.2-6.4x. Tighten these as the cuts the README lists land.
FIRST_OPEN_CPU_LIMIT = 6.5
FIRST_OPEN_WALL_LIMIT = 12.0
EDIT_CPU_LIMIT = 6.5
EDIT_WALL_LIMIT = 8.0


@pytest.fixture(scope="module")
def servers(chromium_path):
    running = {
        "app": StreamlitServer("server.py", log_path=ARTIFACTS / "speed-app.log"),
        "table_floor": StreamlitServer("bench/floor_app.py", log_path=ARTIFACTS / "speed-floor.log"),
    }
    for s in running.values():
        s.spawn()
    try:
        for s in running.values():
            s.wait_healthy()
        yield running
    finally:
        for s in running.values():
            s.stop()


def test_first_open_of_losses_is_close_to_the_floor(browser, servers):
    floor = Opening("table floor", "table_floor", "/", METRIC)
    page = Opening("/losses", "app", "/losses", METRIC, "table floor")
    first_opens(browser, servers, [floor, page], repeats=OPENS)
    wall = statistics.median(page.seconds) / statistics.median(floor.seconds)
    cpu = cpu_median(page) / cpu_median(floor)
    seen = (
        f"/losses {page.seconds} s vs floor {floor.seconds} s (wall {wall:.2f}x); renderer CPU "
        f"{[round(r['ThreadTime'], 2) for r in page.resources]} vs "
        f"{[round(r['ThreadTime'], 2) for r in floor.resources]} ({cpu:.2f}x)"
    )
    assert cpu <= FIRST_OPEN_CPU_LIMIT, seen
    assert wall <= FIRST_OPEN_WALL_LIMIT, seen


def test_an_edit_on_losses_updates_both_losses_about_as_fast_as_the_floor(browser, servers):
    page, floor = edit_targets(servers["app"], servers["table_floor"])
    edits(browser, page, floor, EDITS)  # after a round that warms up
    wall = statistics.median(page.wall) / statistics.median(floor.wall)
    cpu = statistics.median(page.cpu) / statistics.median(floor.cpu)
    seen = (
        f"loss page {page.wall} s vs floor {floor.wall} s (wall {wall:.2f}x); renderer CPU "
        f"{page.cpu} vs {floor.cpu} ({cpu:.2f}x)"
    )
    assert cpu <= EDIT_CPU_LIMIT, seen
    assert wall <= EDIT_WALL_LIMIT, seen

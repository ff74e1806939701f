"""Section 3: edit-to-update in headless Chromium, the loss page against the floor page.

Both apps run under ``streamlit run`` on free ports. In each, one data_editor cell is edited as a
user does (double-click, type, Enter) and the clock runs from pressing Enter until the first
metric on the page shows a different value. Values cycle so every edit changes the metric;
the two apps take turns, so machine noise hits both alike. The first round is a warm-up.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.report import Row, skipped_row, slowdown_row
from bench.streamlit_browser import (
    METRIC,
    TYPE_PAUSE_MS,
    VIEWPORT,
    StreamlitServer,
    chromium_version,
    editor_canvas,
    find_chromium,
    launch,
    open_cell,
    type_into,
    wait_idle,
)

SECTION = "browser"
TARGET = "<= 1.2x"
REPEATS = 7
MEASURE = f"browser edit -> metric updated: loss page vs floor page (median of {REPEATS})"

# In-page stopwatch: a capturing keydown listener notes when Enter reaches the page, and a
# MutationObserver notes when the first metric's text first differs from what it was when armed.
_STOPWATCH_JS = """(sel) => {
  const w = window;
  if (!w.__bench) {
    w.__bench = {armed: null, enter: null, changed: null};
    document.addEventListener('keydown', (e) => {
      const b = w.__bench;
      if (e.key === 'Enter' && b.armed !== null && b.enter === null) b.enter = performance.now();
    }, true);
    new MutationObserver(() => {
      const b = w.__bench;
      if (b.armed === null || b.changed !== null) return;
      const el = document.querySelector(sel);
      if (el && el.textContent.trim() !== b.armed) b.changed = performance.now();
    }).observe(document.body, {subtree: true, childList: true, characterData: true});
  }
  const el = document.querySelector(sel);
  w.__bench.armed = el ? el.textContent.trim() : '';
  w.__bench.enter = null;
  w.__bench.changed = null;
  return w.__bench.armed;
}"""
_CHANGED_JS = """(args) => {
  const [sel, old] = args;
  const el = document.querySelector(sel);
  return el !== null && el.textContent.trim() !== old;
}"""


class Target:
    """One app in one tab, with the cell to edit and the values to alternate between."""

    def __init__(self, name, server, path, cell, first, values, ready):
        self.name, self.server, self.path = name, server, path
        self.cell, self.first, self.values, self.ready = cell, first, values, ready
        self.wall: list[float] = []
        self.in_page: list[float] = []
        self.cpu: list[float] = []  # the renderer main thread's CPU seconds, Enter to idle
        self.page = None
        self.cdp = None

    def open(self, browser) -> None:
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(30_000)
        self.page = context.new_page()
        self.cdp = context.new_cdp_session(self.page)
        self.cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
        self.page.goto(self.server.url + self.path)
        self.page.locator(METRIC).filter(has_text=self.ready).first.wait_for(timeout=60_000)
        wait_idle(self.page)

    def thread_time(self) -> float:
        metrics = self.cdp.send("Performance.getMetrics")["metrics"]
        return next(m["value"] for m in metrics if m["name"] == "ThreadTime")

    def edit_once(self, k: int, record: bool) -> None:
        page = self.page
        n = len(self.values)
        old_cell = self.first if k == 0 else self.values[(k - 1) % n]
        editor = open_cell(page, editor_canvas(page), *self.cell, expect_old=old_cell)
        type_into(editor, self.values[k % n])
        page.wait_for_timeout(TYPE_PAUSE_MS)
        old = page.evaluate(_STOPWATCH_JS, METRIC)
        cpu0 = self.thread_time()
        t0 = time.perf_counter()
        editor.press("Enter")
        page.wait_for_function(_CHANGED_JS, arg=[METRIC, old], polling="raf", timeout=30_000)
        t1 = time.perf_counter()
        marks = page.evaluate("() => window.__bench")
        wait_idle(page)  # the run that changed the metric may still be drawing the rest of the page
        if record:
            self.wall.append(t1 - t0)
            self.cpu.append(self.thread_time() - cpu0)
            if marks["enter"] is not None and marks["changed"] is not None:
                self.in_page.append((marks["changed"] - marks["enter"]) / 1e3)


def run(log_dir: Path | None = None) -> tuple[list[Row], dict]:
    executable, how = find_chromium()
    if executable is None:
        return [skipped_row(SECTION, MEASURE, TARGET, f"skipped: {how}")], {"skipped": how}
    from playwright.sync_api import sync_playwright

    own_logs = log_dir is None
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="losslab-bench-"))
    app = StreamlitServer("app.py", log_path=log_dir / "app.log")
    floor = StreamlitServer("bench/floor_app.py", log_path=log_dir / "floor.log")
    # Loss page: the cat image's cat score 3.2, then 5, 4, 10, 5, ... (SVM L 5.27, then 4.67, 5.00,
    # 4.30, ...). Floor: the first cell, the same values (sum 16.40, then 18.20, 17.20, 23.20, ...).
    # A cycle of three, not two: before 937113f the loss page dropped an edit back to the value the
    # cell held two edits earlier, which would leave the metric unchanged and stall the bench.
    cycle = ("5", "4", "10")
    targets = [Target("loss page", app, "/losses", (0, 1), "3.2", cycle, "5.27"),
               Target("floor", floor, "/", (0, 0), "3.2", cycle, "16.40")]
    try:
        app.spawn()
        floor.spawn()
        app.wait_healthy()
        floor.wait_healthy()
        with sync_playwright() as p:
            browser = launch(p, executable)
            try:
                for t in targets:
                    t.open(browser)
                for k in range(REPEATS + 1):  # the first round warms up and is not recorded
                    for t in targets:
                        t.edit_once(k, record=k > 0)
            finally:
                browser.close()
    except Exception as exc:
        raise RuntimeError(f"{type(exc).__name__}: {str(exc).splitlines()[0]} "
                           f"(server logs in {log_dir})") from exc
    finally:
        app.stop()
        floor.stop()
    if own_logs:  # kept (and named in the error) only when something went wrong
        shutil.rmtree(log_dir, ignore_errors=True)
    page_t, floor_t = targets
    note = ""
    if page_t.cpu and floor_t.cpu:
        cpu, floor_cpu = statistics.median(page_t.cpu), statistics.median(floor_t.cpu)
        note = f"renderer main-thread CPU per edit {cpu:.3f} s vs {floor_cpu:.3f} s ({cpu / floor_cpu:.2f}x)"
    row = slowdown_row(SECTION, MEASURE, statistics.median(page_t.wall), statistics.median(floor_t.wall),
                       TARGET, note)
    detail = {
        "chromium": executable,
        "chromium_found_as": how,
        "chromium_version": chromium_version(executable),
    }
    for t in targets:
        detail[t.name] = {"wall_s": t.wall, "in_page_s": t.in_page, "renderer_cpu_s": t.cpu,
                          "in_page_median_s": statistics.median(t.in_page) if t.in_page else None}
    if page_t.cpu and floor_t.cpu:
        detail["renderer_cpu_ratio"] = statistics.median(page_t.cpu) / statistics.median(floor_t.cpu)
    if page_t.in_page and floor_t.in_page:
        detail["in_page_ratio"] = statistics.median(page_t.in_page) / statistics.median(floor_t.in_page)
    return [row], detail

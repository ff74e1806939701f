"""Section 2: a warm rerun of the loss page under AppTest against the framework's floor page.

The loss page is reached as a user reaches it: app.py (page config, language, navigation) routes
to app_pages/losses.py, so the router's cost is part of the page's. The floor is bench/floor_app.py:
one data_editor and one metric. Reruns of the two are interleaved in rounds so that machine
noise hits both alike.
"""

from __future__ import annotations

import collections
import logging
import statistics
import sys
import threading
import time

from bench.report import Row, slowdown_row
from bench.streamlit_browser import REPO

SECTION = "apptest"
TARGET = "<= 1.5x"
ROUNDS, PER_ROUND = 6, 5


NOISE = ("missing ScriptRunContext", "Session state does not function")


def _quiet_streamlit() -> None:
    """Drop the warnings AppTest provokes by reading widgets outside a script run (noise here)."""
    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context",
                 "streamlit.runtime.state.session_state_proxy"):
        logging.getLogger(name).addFilter(lambda rec: not any(n in rec.getMessage() for n in NOISE))


def loss_page():
    return chapter_page("losses")


def chapter_page(name: str, **params):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{name}.py")
    at.run()
    if name != "losses":
        if at.exception:
            raise AssertionError(f"the {name} page raised: {at.exception}")
        return at
    if at.exception or [m.value for m in at.metric][:1] != ["5.27"]:
        raise AssertionError(f"the loss page did not render the lecture's table: {at.exception}")
    return at


def floor_page():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "bench" / "floor_app.py"), default_timeout=60)
    at.run()
    if at.exception or len(at.metric) != 1:
        raise AssertionError(f"the floor page did not render: {at.exception}")
    return at


def _time_reruns(at, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
    return times


# The other chapters (issues 3-6): each page's default tab, warm (caches filled), target <= 3x.
CHAPTERS = (("regularization", {}), ("optimization", {}), ("gradients", {}), ("features", {}))


def _compare(page, floor) -> tuple[float, float, int]:
    page.run()  # warm: caches, lazy imports, first-rerun work
    floor.run()
    page_times, floor_times = [], []
    for _ in range(ROUNDS):
        page_times += _time_reruns(page, PER_ROUND)
        floor_times += _time_reruns(floor, PER_ROUND)
    if page.exception or floor.exception:
        raise AssertionError(f"a rerun raised: {page.exception or floor.exception}")
    return statistics.median(page_times), statistics.median(floor_times), len(page_times)


def run() -> list[Row]:
    _quiet_streamlit()
    floor = floor_page()
    t_page, t_floor, n = _compare(loss_page(), floor)
    rows = [slowdown_row(SECTION, f"AppTest warm rerun: loss page vs floor page (median of {n})", t_page,
                         t_floor, TARGET)]
    for name, params in CHAPTERS:
        t_page, t_floor, n = _compare(chapter_page(name, **params), floor)
        rows.append(slowdown_row(SECTION, f"AppTest warm rerun: {name} page vs floor page (median of {n})",
                                 t_page, t_floor, "<= 3x"))
    return rows


def profile(n: int = 40, top: int = 25, interval: float = 0.0005) -> str:
    """Where a warm rerun of the loss page spends its time (``python -m bench --profile``).

    AppTest runs the script in its own thread, out of cProfile's sight, so this samples every
    thread's stack while ``n`` reruns run, and counts each function once per sample it is on
    the stack of (inclusive time, as a share of the samples taken during script runs).
    """
    _quiet_streamlit()
    at = loss_page()
    at.run()
    me = threading.get_ident()
    inclusive: collections.Counter = collections.Counter()
    samples = 0
    done = threading.Event()

    def sampler():
        nonlocal samples
        while not done.is_set():
            for ident, frame in sys._current_frames().items():
                if ident in (me, threading.get_ident()):
                    continue
                seen = set()
                stack = []
                while frame is not None:
                    code = frame.f_code
                    stack.append(f"{_short(code.co_filename)}:{code.co_firstlineno} {code.co_name}")
                    frame = frame.f_back
                if not any("script_runner" in f for f in stack):
                    continue
                samples += 1
                for f in stack:
                    if f not in seen:
                        seen.add(f)
                        inclusive[f] += 1
            time.sleep(interval)

    thread = threading.Thread(target=sampler, daemon=True)
    thread.start()
    t0 = time.perf_counter()
    _time_reruns(at, n)
    wall = time.perf_counter() - t0
    done.set()
    thread.join()
    lines = [f"{n} warm reruns of the loss page: {wall / n * 1e3:.1f} ms each; {samples} stack samples "
             f"in the script thread. Inclusive share of samples:"]
    for name, count in inclusive.most_common(top):
        lines.append(f"  {count / max(samples, 1):6.1%}  {name}")
    return "\n".join(lines)


def _short(filename: str) -> str:
    for marker in ("site-packages/", str(REPO) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename

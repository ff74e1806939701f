"""``make loadtest``: many students at once against one LossLab server.

Two runs against a fresh server each, with the same targets (issue 7, on this 2-core machine:
0 errors, p95 interaction-to-update latency <= 2 s, server peak memory <= 1.5 GB):

1. **In browsers.** N students, each a browser context of one headless Chromium with two tabs,
   the loss page and the optimization page. All N open both pages first (not timed: page loads
   are not interactions); then for ``--seconds`` every student, at once, edits a score in the
   table as a user does (click, double-click, type, Enter) and waits for the softmax loss to
   change, looks at it for a while (``--think``, 0.5-1.5x the mean at random), clicks the
   player's Step and waits until the server has heard the step (the model editor's caption
   says "At step k", ``optimization.model.at_step``), looks again, and so on. The player draws
   the step in the browser at once and tells the server 0.35 s later (``REPORT_MS`` in
   ui/player/player.js: a burst of steps is reported once), so a Step's latency includes that
   wait. Waiting is done inside the page by a MutationObserver, not by polling over the
   DevTools protocol.
2. **The server alone** (``bench.protocol_load``): the same students and actions as Streamlit
   protocol messages over WebSockets, without the browsers.

Why both: here the 30 browsers run on the same two cores as the server. A browser needs about
0.45-0.6 CPU-seconds to draw one update of these pages alone (the table, KaTeX, three plotly
charts), about 1 CPU-second with 60 tabs on the machine, and the server about 30 ms to compute
and send it, so the browser run measures mostly browsers waiting for each other. Before the
students arrive the run measures one student's updates alone (``alone_cost``), and the report
prints that beside the CPU seconds of each side. The server-alone run measures what students on
their own devices would get from this server.

The default think time is 10 s (a student who acts about every 10 s, i.e. ~6 actions in the
minute); ``--think`` changes it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from bench.playback import ROOT_JS
from bench.streamlit_browser import (
    _GRID_LINES_JS,
    CELL_EDITOR,
    LAUNCH_ARGS,
    METRIC,
    TYPE_PAUSE_MS,
    VIEWPORT,
    GridGeometry,
    StreamlitServer,
    _majority_lines,
    find_chromium,
)
from ui.i18n import translate

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "loadtest.json"
TARGETS = {"errors": 0, "p95_s": 2.0, "peak_mb": 1536}
THINK_S = 10.0  # see the module's docstring
# The optimization page's player (ui/player) and the model editor's caption below it.
PLAYER_COUNTER = ".ll-player .ll-counter"
PLAYER_STEP = ".ll-player .ll-step"
PLAYER_RESET = ".ll-player .ll-reset"
CAPTION = '[data-testid="stCaptionContainer"]'
READY = {"losses": METRIC, "optimization": PLAYER_COUNTER, "": METRIC}  # a page is drawn when it shows this


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (Linux /proc)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


CLK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def percentile(values: list[float], q: float) -> float | None:
    """The q-quantile of ``values`` (sorted), by rank; None when there are none."""
    return round(values[min(len(values) - 1, int(q * len(values)))], 3) if values else None


def latency_summary(latencies: list[tuple]) -> dict:
    """Counts and quantiles of (kind, seconds, ...) records: what both load runs report."""
    times = sorted(t for _, t, *_ in latencies)
    return {
        "interactions": len(times), "p50_s": percentile(times, 0.50), "p95_s": percentile(times, 0.95),
        "max_s": round(times[-1], 3) if times else None,
        "mean_s": round(statistics.mean(times), 3) if times else None,
        "by_kind_p95_s": {kind: percentile(sorted(t for k, t, *_ in latencies if k == kind), 0.95)
                          for kind in ("edit", "step")},
    }


def meets_targets(result: dict) -> bool:
    p95 = result["p95_s"] if result["p95_s"] is not None else float("inf")
    return (result["errors"] <= TARGETS["errors"] and p95 <= TARGETS["p95_s"]
            and result["peak_mb"] <= TARGETS["peak_mb"])


def cpu_by_group(server_pid: int) -> dict[str, float]:
    """CPU seconds (user + system) used so far by the server's process group, by Chromium's
    processes and by everything else, read from /proc (Linux). Dead processes drop out, so the
    sampler keeps the largest value seen per process."""
    out: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        pgrp, utime, stime = int(fields[2]), int(fields[11]), int(fields[12])
        if pgrp == server_pid:
            group = "server"
        elif "chrom" in comm or "headless" in comm:
            group = "browser"
        else:
            group = "other"
        out[int(entry.name)] = (group, (utime + stime) / CLK)
    return out


async def grid_geometry(canvas) -> tuple[GridGeometry, dict]:
    """The score grid's column and row lines, read once from its canvas pixels, and its box."""
    await canvas.scroll_into_view_if_needed()
    found = await canvas.evaluate(_GRID_LINES_JS)
    geometry = GridGeometry([0.0, *found["cols"], float(found["width"])],
                            [0.0, *_majority_lines(found["rowsSeenBy"]), float(found["height"])])
    return geometry, await canvas.bounding_box()


# Resolves once the index-th metric's text differs from `before`, or rejects after `ms`. A
# MutationObserver does the waiting inside the page: no polling over the DevTools protocol, which
# with 30 sessions waiting at once would itself cost the machine's CPU.
_WAIT_METRIC_JS = """([sel, index, before, ms]) => new Promise((resolve, reject) => {
  const read = () => {
    const el = document.querySelectorAll(sel)[index];
    return el ? el.innerText.trim() : null;
  };
  const now = read();
  if (now !== null && now !== before) { resolve(now); return; }
  const timer = setTimeout(() => {
    observer.disconnect();
    reject(new Error(`metric ${index} stayed ${before} for ${ms} ms`));
  }, ms);
  const observer = new MutationObserver(() => {
    const value = read();
    if (value !== null && value !== before) { observer.disconnect(); clearTimeout(timer); resolve(value); }
  });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true});
})"""

# Resolves once an element matching `sel` contains `text`, or rejects after `ms` (as above).
_WAIT_TEXT_JS = """([sel, text, ms]) => new Promise((resolve, reject) => {
  const found = () => [...document.querySelectorAll(sel)].some((el) => el.textContent.includes(text));
  if (found()) { resolve(true); return; }
  const timer = setTimeout(() => {
    observer.disconnect();
    reject(new Error(`no ${sel} said "${text}" within ${ms} ms`));
  }, ms);
  const observer = new MutationObserver(() => {
    if (found()) { observer.disconnect(); clearTimeout(timer); resolve(true); }
  });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true});
})"""

# The step the player shows and its last step (its scrubber's maximum).
_PLAYER_JS = """() => {
  const root = (""" + ROOT_JS + """)();
  return root && {step: Number(root.dataset.step), last: Number(root.querySelector('.ll-scrub').max)};
}"""

# Resolves once the app's script run has finished (the frontend marks it on the app root).
_WAIT_IDLE_JS = """(ms) => new Promise((resolve, reject) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = () => app && app.getAttribute('data-test-script-state') === 'notRunning';
  if (idle()) { resolve(true); return; }
  const timer = setTimeout(() => {
    observer.disconnect();
    reject(new Error(`script still running after ${ms} ms`));
  }, ms);
  const observer = new MutationObserver(() => {
    if (idle()) { observer.disconnect(); clearTimeout(timer); resolve(true); }
  });
  observer.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
})"""


async def metric(page, index: int) -> str:
    return (await page.locator(METRIC).nth(index).inner_text()).strip()


def wait_change(page, index: int, before: str, timeout: float):
    """An awaitable for the index-th metric to differ from ``before``; start it before acting."""
    return page.evaluate(_WAIT_METRIC_JS, [METRIC, index, before, int(timeout * 1000)])


async def wait_idle(page, timeout: float = 30) -> None:
    await page.evaluate(_WAIT_IDLE_JS, int(timeout * 1000))


async def timed(page, act, index: int, timeout: float = 30) -> float:
    """Seconds from ``act()`` (a click or key press) until metric ``index`` changes."""
    before = await metric(page, index)
    return await timed_until(act, wait_change(page, index, before, timeout))


async def timed_until(act, wait) -> float:
    """Seconds from ``act()`` until the awaitable ``wait`` (an in-page wait, not started yet)
    resolves."""
    waiting = asyncio.ensure_future(wait)
    await asyncio.sleep(0)  # the observer is sent to the page before the action is
    t0 = time.monotonic()
    try:
        await act()
    except BaseException:
        waiting.cancel()
        raise
    await waiting
    return time.monotonic() - t0


def at_step(step: int) -> str:
    """The model editor's caption once the server has heard ``step`` (the pages open in English)."""
    return translate("en", "optimization.model.at_step", step=step)


def wait_caption(page, text: str, timeout: float):
    """An awaitable for a caption of the page to contain ``text``; start it before acting."""
    return page.evaluate(_WAIT_TEXT_JS, [CAPTION, text, int(timeout * 1000)])


async def player_step(page, timeout: float = 30) -> float:
    """Click the player's Step as a student does; returns the seconds until the server has heard
    the new step (the model editor's caption says it). Near the trajectory's end the player is
    Reset first (not timed)."""
    shown = await page.evaluate(_PLAYER_JS)
    step = shown["step"]
    if step >= shown["last"] - 10:
        await timed_until(page.locator(PLAYER_RESET).click, wait_caption(page, at_step(0), timeout))
        await wait_idle(page)
        step = 0
    heard = wait_caption(page, at_step(step + 1), timeout)
    latency = await timed_until(page.locator(PLAYER_STEP).click, heard)
    await wait_idle(page)
    return latency


def browser_cpu(server_pid: int = -1) -> float:
    """CPU seconds used so far by the Chromium processes alive now (``server_pid`` only keeps the
    server's own processes out of the count)."""
    return sum(v for group, v in cpu_by_group(server_pid).values() if group == "browser")


async def settle(server_pid: int, window: float = 5.0, quiet: float = 0.25, limit: float = 120.0) -> float:
    """Wait until the browsers are quiet: freshly loaded pages keep compiling and collecting in
    the background for up to a minute. Returns the seconds waited (at most ``limit``)."""
    t0 = time.monotonic()
    before = browser_cpu(server_pid)
    while time.monotonic() - t0 < limit:
        await asyncio.sleep(window)
        now = browser_cpu(server_pid)
        if now - before < quiet * window:
            break
        before = now
    return time.monotonic() - t0


async def open_pages(context, url: str, paths) -> list:
    """One tab per path, each loaded and idle."""
    pages = []
    for path in paths:
        page = await context.new_page()
        await page.goto(f"{url}/{path}", timeout=180_000)
        await page.locator(READY[path]).first.wait_for(timeout=180_000)
        await wait_idle(page, 180)
        pages.append(page)
    return pages


async def open_session(browser, url: str, k: int, loads: asyncio.Semaphore):
    """A student's browser context with the loss page and the optimization page open, both idle."""
    context = await browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    async with loads:  # page loads are the browsers' work: a few at a time, not 60 at once
        pages = await open_pages(context, url, ("losses", "optimization"))
    return context, pages


async def edit_score(page, canvas, geometry, value: float, current: str, watch: int = 1,
                     retries: list | None = None) -> float:
    """Type ``value`` into the cat image's cat score as a user does (click, double-click, type,
    Enter); returns the seconds from Enter until metric ``watch`` changes (on the loss page the
    softmax loss, which moves with every score; the SVM loss may not). Each retry of opening the
    cell is noted in ``retries`` (why, as a word)."""
    editor = page.locator(CELL_EDITOR).first
    retries = [] if retries is None else retries
    for attempt in range(5):
        if attempt:  # the grid may have moved or re-rendered: measure it again
            geometry = await grid_geometry(canvas)
        grid, box = geometry
        x, y = grid.cell_center(0, 1)
        x, y = box["x"] + x, box["y"] + y
        await page.mouse.move(x, y)
        await page.wait_for_timeout(50)
        await page.mouse.click(x, y)
        await page.wait_for_timeout(100)
        await page.mouse.dblclick(x, y)
        try:
            await editor.wait_for(state="visible", timeout=3_000)
        except Exception:
            retries.append("no editor within 3 s")
            continue
        if await editor.input_value() == current:
            break
        retries.append("another cell")
        await editor.press("Escape")  # the overlay opened on another cell
        await editor.wait_for(state="detached", timeout=5_000)
    else:
        raise RuntimeError(f"could not open the score cell holding {current}")
    await editor.fill(f"{value:g}")
    await page.wait_for_timeout(TYPE_PAUSE_MS)  # as a person pauses; latency is timed from Enter
    latency = await timed(page, lambda: editor.press("Enter"), watch)
    await editor.wait_for(state="detached", timeout=10_000)
    await wait_idle(page)
    return latency


async def alone_cost(browser, server: StreamlitServer, floor: StreamlitServer, repeats: int = 5) -> dict:
    """Chromium's CPU seconds (all its processes) per update for one student alone, before the
    others arrive: a score edit on the loss page, a Step in the player (until the server has
    heard it), and the same edit on the floor page (one data editor and one metric,
    bench/floor_app.py). Times the minute's interactions, this is the
    work the browsers bring to the machine's two cores."""
    context = await browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    out = {}
    try:
        losses, optim = await open_pages(context, server.url, ("losses", "optimization"))
        (floor_page,) = await open_pages(context, floor.url, ("",))
        for name, page in (("edit", losses), ("step", optim), ("floor_edit", floor_page)):
            if name != "step":
                canvas = page.locator('[data-testid="stDataFrame"] [data-testid="data-grid-canvas"]').first
                geometry = await grid_geometry(canvas)
                current = "3.2" if name == "edit" else "1.3"  # what the cell holds at first
            for k in range(repeats + 1):  # the first is a warm-up
                if k == 1:
                    await page.wait_for_timeout(500)
                    before = browser_cpu(server.proc.pid)
                if name == "step":
                    await player_step(optim)
                else:  # alternate two values, so every edit changes the metric watched
                    value = 5.0 if k % 2 == 0 else 2.0
                    await edit_score(page, canvas, geometry, value, current, watch=1 if name == "edit" else 0)
                    current = f"{value:g}"
            await page.wait_for_timeout(500)  # what the last update left to draw
            out[name] = round((browser_cpu(server.proc.pid) - before) / repeats, 3)
    finally:
        await context.close()
    return out


async def session(pages, seconds: float, k: int, latencies: list, errors: list, think: float,
                  start: asyncio.Event, started: float, retries: list) -> None:
    losses, optim = pages
    rng = random.Random(k)
    try:
        canvas = losses.locator('[data-testid="stDataFrame"] [data-testid="data-grid-canvas"]').first
        geometry = await grid_geometry(canvas)
        await start.wait()
        await asyncio.sleep(rng.uniform(0, max(think, 0.5)))  # not all in the same instant
        end = time.monotonic() + seconds
        # Alternate between two scores whose losses differ visibly (the metrics show 2 decimals).
        low, high = round(1.0 + 0.1 * (k % 10), 1), 10.0
        value, current = high, "3.2"  # the lecture's cat score is in the cell at first
        while time.monotonic() < end:
            # 1. Edit a score in the table and wait for the loss to follow.
            value = low if value == high else high
            t_at = time.monotonic() - started
            latencies.append(("edit", await edit_score(losses, canvas, geometry, value, current,
                                                       retries=retries), t_at))
            current = f"{value:g}"
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))  # reads the new loss
            # 2. One step of gradient descent in the player, until the server has heard it.
            t_at = time.monotonic() - started
            latencies.append(("step", await player_step(optim), t_at))
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))  # looks at the new boundary
    except Exception as exc:  # counted and reported, never hidden
        errors.append(f"session {k}: {type(exc).__name__}: {str(exc)[:200]}")
        if os.environ.get("LOADTEST_SHOTS"):
            for n, pg in enumerate(pages):
                await pg.screenshot(path=f"{os.environ['LOADTEST_SHOTS']}/session{k}-{n}.png")


async def run(sessions: int, seconds: float, executable: str, think: float = 1.0,
              parallel_loads: int = 4) -> dict:
    from playwright.async_api import async_playwright

    server = StreamlitServer("app.py")
    server.start()
    floor = StreamlitServer("bench/floor_app.py")
    stop = asyncio.Event()
    latencies: list = []
    errors: list = []
    retries: list = []  # retries of opening the score cell in the timed minute
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=executable, args=LAUNCH_ARGS, headless=True)
            # 0. What one student's updates cost Chromium, measured before the others arrive.
            floor.start()
            try:
                alone = await alone_cost(browser, server, floor)
            finally:
                floor.stop()
            # Memory from the start; CPU is re-based when the minute starts.
            peak = [rss_mb(server.proc.pid)]
            baseline = cpu_by_group(server.proc.pid)
            cpu_seen: dict[int, tuple[str, float]] = {}
            load_peak = [os.getloadavg()[0]]

            async def sample():
                while not stop.is_set():
                    peak.append(rss_mb(server.proc.pid))
                    for pid, (group, secs) in cpu_by_group(server.proc.pid).items():
                        used = secs - baseline.get(pid, (group, 0.0))[1]
                        if used > cpu_seen.get(pid, (group, 0.0))[1]:
                            cpu_seen[pid] = (group, used)
                    load_peak.append(os.getloadavg()[0])
                    await asyncio.sleep(0.5)

            sampler = asyncio.create_task(sample())
            # 1. Every student opens the two pages (not timed: page loads are not interactions).
            t_open = time.monotonic()
            loads = asyncio.Semaphore(parallel_loads)
            opened = await asyncio.gather(*(open_session(browser, server.url, k, loads)
                                            for k in range(sessions)), return_exceptions=True)
            setup_s = time.monotonic() - t_open
            settle_s = await settle(server.proc.pid)
            live = []
            for k, got in enumerate(opened):
                if isinstance(got, BaseException):
                    errors.append(f"session {k} did not open: {type(got).__name__}: {str(got)[:200]}")
                else:
                    live.append((k, got))
            # 2. The minute: every session edits and steps at once. CPU is counted from here;
            # memory is sampled throughout.
            baseline.clear()
            baseline.update(cpu_by_group(server.proc.pid))
            cpu_seen.clear()
            start = asyncio.Event()
            started = time.monotonic()
            runs = [session(pages, seconds, k, latencies, errors, think, start, started, retries)
                    for k, (_, pages) in live]
            start.set()
            await asyncio.gather(*runs)
            wall = time.monotonic() - started
            stop.set()
            await sampler
            for _, (context, _) in live:
                await context.close()
            await browser.close()
    finally:
        server.stop()
    thirds = [sorted(t for _, t, at in latencies if lo <= at < hi)
              for lo, hi in ((0, seconds / 3), (seconds / 3, 2 * seconds / 3), (2 * seconds / 3, 1e9))]
    cpu = {g: round(sum(v for grp, v in cpu_seen.values() if grp == g), 1)
           for g in ("server", "browser", "other")}
    return {
        "sessions": sessions, "seconds": seconds, "think_s": think, "setup_s": round(setup_s, 1),
        "settle_s": round(settle_s, 1), "wall_s": round(wall, 1), "errors": len(errors),
        "error_samples": errors[:10], **latency_summary(latencies),
        "p95_by_third_s": [percentile(third, 0.95) for third in thirds],
        "peak_mb": round(max(peak), 1), "cpu_s": cpu, "load_avg_peak": round(max(load_peak), 1),
        "alone_browser_cpu_s": alone,
        "edit_retries": {why: retries.count(why) for why in sorted(set(retries))},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "targets": TARGETS,
    }


def report(result: dict) -> bool:
    ok = meets_targets(result)
    print(f"{result['sessions']} students in headless Chromium (browser contexts of one browser), each "
          "with the loss page and the optimization page open")
    print(f"{'measure':<28}{'value':>12}{'target':>12}")
    print(f"{'sessions x seconds':<28}{result['sessions']:>8} x {result['seconds']:<4g}")
    print(f"{'think time (s, mean)':<28}{result['think_s']:>12g}")
    print(f"{'opening all pages (s)':<28}{result['setup_s']:>12}   (then {result['settle_s']} s until "
          "the browsers were quiet)")
    print(f"{'interactions':<28}{result['interactions']:>12}")
    print(f"{'errors':<28}{result['errors']:>12}{'0':>12}")
    print(f"{'p50 latency (s)':<28}{result['p50_s']:>12}")
    print(f"{'p95 latency (s)':<28}{result['p95_s']:>12}{'<= 2':>12}")
    print(f"{'p95 by kind (s)':<28}{json.dumps(result['by_kind_p95_s']):>12}")
    print(f"{'p95 by third of the minute':<28}{json.dumps(result['p95_by_third_s']):>12}")
    print(f"{'server peak memory (MB)':<28}{result['peak_mb']:>12}{'<= 1536':>12}")
    print(f"{'CPU seconds by process':<28}{json.dumps(result['cpu_s'])}  (other: the test driver and the "
          "kernel's memory threads;")
    print(f"{'':<28}wall {result['wall_s']} s, "
          f"{os.cpu_count()} CPUs, peak load {result['load_avg_peak']})")
    alone = result.get("alone_browser_cpu_s")
    if alone:
        print(f"{'Chromium CPU per update':<28}one student alone: score edit {alone['edit']} s, "
              f"Step {alone['step']} s (the floor page's edit: {alone['floor_edit']} s)")
        per_update = result["cpu_s"]["browser"] / max(result["interactions"], 1)
        print(f"{'':<28}in the run: {per_update:.2f} s ({result['cpu_s']['browser']} s over "
              f"{result['interactions']} updates; the machine has {os.cpu_count()} CPU-s per second)")
    print(f"{'retries opening the cell':<28}{json.dumps(result.get('edit_retries', {}))}")
    for line in result["error_samples"]:
        print("  error:", line)
    print("all targets met" if ok else "TARGETS MISSED")
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=THINK_S,
                        help="mean seconds a student looks at the result before the next action")
    parser.add_argument("--server-think", type=float, default=1.0,
                        help="the same for the server-alone run (bench.protocol_load)")
    parser.add_argument("--no-server-run", action="store_true", help="only the browser run")
    args = parser.parse_args(argv)
    executable, how = find_chromium()
    if executable is None:
        print(f"loadtest skipped: {how}")
        return 1
    result = asyncio.run(run(args.sessions, args.seconds, executable, args.think))
    ok = report(result)
    out = {"browsers": result}
    if not args.no_server_run:
        from bench import protocol_load

        print()
        server = asyncio.run(protocol_load.run(args.sessions, args.seconds, args.server_think))
        ok = protocol_load.report(server) and ok
        out["server_alone"] = server
    OUT.write_text(json.dumps(out, indent=2))
    print(f"\n{'all targets met' if ok else 'TARGETS MISSED'}; written to {OUT.relative_to(REPO)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""``make loadtest``: many students at once against one LossLab server.

Starts ``streamlit run app.py`` on a free port, then drives N concurrent sessions (browser
contexts of one headless Chromium), each for ``--seconds``: it edits a score in the loss
page's table and waits for the SVM loss to change, then presses Step on the optimization page
and waits for the step counter to change, over and over. It reports the p50 and p95
interaction-to-update latency, the errors, and the server's peak resident memory, and writes
bench/loadtest.json.

Targets (issue 7, on a 2-core machine): 0 errors, p95 <= 2 s, peak memory <= 1.5 GB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from bench.streamlit_browser import (
    _GRID_LINES_JS,
    CELL_EDITOR,
    LAUNCH_ARGS,
    METRIC,
    VIEWPORT,
    GridGeometry,
    StreamlitServer,
    _majority_lines,
    find_chromium,
)

OUT = Path(__file__).resolve().parent / "loadtest.json"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'  # the script run has finished
TARGETS = {"errors": 0, "p95_s": 2.0, "peak_mb": 1536}


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


async def cell_center(canvas, row: int, col: int) -> tuple[float, float]:
    await canvas.scroll_into_view_if_needed()
    found = await canvas.evaluate(_GRID_LINES_JS)
    geometry = GridGeometry([0.0, *found["cols"], float(found["width"])],
                            [0.0, *_majority_lines(found["rowsSeenBy"]), float(found["height"])])
    box = await canvas.bounding_box()
    x, y = geometry.cell_center(row, col)
    return box["x"] + x, box["y"] + y


async def metric(page, index: int) -> str:
    return (await page.locator(METRIC).nth(index).inner_text()).strip()


async def wait_change(page, index: int, before: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await metric(page, index) != before:
            return
        await asyncio.sleep(0.02)
    raise TimeoutError(f"metric {index} stayed {before!r} for {timeout:.0f} s")


async def session(browser, url: str, seconds: float, k: int, latencies: list, errors: list,
                  ramp: float) -> None:
    await asyncio.sleep(k * ramp)  # students arrive over a few seconds, not in the same instant
    context = await browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    try:
        losses = await context.new_page()
        # Page loads are the browser's work (this machine runs the 30 browsers too): a long limit.
        await losses.goto(f"{url}/losses", timeout=180_000)
        await losses.locator(METRIC).first.wait_for(timeout=180_000)
        await losses.locator(IDLE).wait_for(timeout=180_000)  # edits only once the first run is over
        optim = await context.new_page()
        await optim.goto(f"{url}/optimization", timeout=180_000)
        await optim.locator(METRIC).first.wait_for(timeout=180_000)
        await optim.locator(IDLE).wait_for(timeout=180_000)
        canvas = losses.locator('[data-testid="stDataFrame"] [data-testid="data-grid-canvas"]').first
        end = time.monotonic() + seconds
        # Alternate between two scores whose losses differ visibly (the metrics show 2 decimals).
        low, high = round(1.0 + 0.1 * (k % 10), 1), 10.0
        value, current = high, "3.2"  # the lecture's cat score is in the cell at first
        while time.monotonic() < end:
            # 1. Edit a score as a user does (hover, click, double-click, type, Enter), and wait for
            # the softmax loss to follow (it moves with every score; the SVM loss may not).
            value = low if value == high else high
            before = await metric(losses, 1)
            editor = losses.locator(CELL_EDITOR).first
            for _ in range(5):
                # Measure the grid afresh, hover, click, double-click; the overlay editor must open
                # holding the cell's current score, or it is the wrong cell: escape and retry.
                await losses.mouse.move(0, 0)
                x, y = await cell_center(canvas, 0, 1)  # the cat image's cat score
                await losses.mouse.move(x, y)
                await losses.wait_for_timeout(50)
                await losses.mouse.click(x, y)
                await losses.wait_for_timeout(100)
                await losses.mouse.dblclick(x, y)
                try:
                    await editor.wait_for(state="visible", timeout=3_000)
                except Exception:
                    continue
                if await editor.input_value() == current:
                    break
                await editor.press("Escape")
                await editor.wait_for(state="detached", timeout=5_000)
            else:
                raise RuntimeError(f"could not open the score cell holding {current}")
            await editor.fill(f"{value:g}")
            # Let the grid take the typed value in before Enter (a person pauses too); under load
            # an immediate Enter can commit the cell's old value. Latency is timed from Enter.
            await losses.wait_for_timeout(150)
            t0 = time.monotonic()
            await editor.press("Enter")
            await wait_change(losses, 1, before, 30)
            latencies.append(("edit", time.monotonic() - t0))
            current = f"{value:g}"
            await editor.wait_for(state="detached", timeout=10_000)
            await losses.locator(IDLE).wait_for(timeout=30_000)
            # 2. One step of gradient descent; Reset once the trajectory's end is near.
            before = await metric(optim, 3)  # the step counter
            step = optim.get_by_role("button", name="Step ›")
            if int(before) >= 490 or not await step.is_enabled():
                await optim.get_by_role("button", name="↺ Reset").click()
                await wait_change(optim, 3, before, 30)
                before = await metric(optim, 3)
            t0 = time.monotonic()
            await step.click()
            await wait_change(optim, 3, before, 30)
            latencies.append(("step", time.monotonic() - t0))
            await optim.locator(IDLE).wait_for(timeout=30_000)
    except Exception as exc:  # counted and reported, never hidden
        errors.append(f"session {k}: {type(exc).__name__}: {str(exc)[:200]}")
        if os.environ.get("LOADTEST_SHOTS"):
            for n, pg in enumerate(context.pages):
                await pg.screenshot(path=f"{os.environ['LOADTEST_SHOTS']}/session{k}-{n}.png")
    finally:
        await context.close()


async def run(sessions: int, seconds: float, executable: str, ramp: float = 2.0) -> dict:
    from playwright.async_api import async_playwright

    server = StreamlitServer("app.py")
    server.start()
    peak = [rss_mb(server.proc.pid)]
    stop = asyncio.Event()

    async def sample_memory():
        while not stop.is_set():
            peak.append(rss_mb(server.proc.pid))
            await asyncio.sleep(0.5)

    latencies: list = []
    errors: list = []
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=executable, args=LAUNCH_ARGS, headless=True)
            sampler = asyncio.create_task(sample_memory())
            started = time.monotonic()
            await asyncio.gather(*(session(browser, server.url, seconds, k, latencies, errors, ramp)
                                   for k in range(sessions)))
            wall = time.monotonic() - started
            stop.set()
            await sampler
            await browser.close()
    finally:
        server.stop()
    times = sorted(t for _, t in latencies)

    def pct(q: float) -> float:
        return times[min(len(times) - 1, int(q * len(times)))] if times else float("nan")

    return {
        "sessions": sessions, "seconds": seconds, "ramp_s": ramp, "wall_s": round(wall, 1),
        "interactions": len(times), "errors": len(errors), "error_samples": errors[:10],
        "p50_s": round(pct(0.50), 3), "p95_s": round(pct(0.95), 3),
        "max_s": round(times[-1], 3) if times else None,
        "mean_s": round(statistics.mean(times), 3) if times else None,
        "by_kind_p95_s": {kind: round(sorted(t for k2, t in latencies if k2 == kind)[
            int(0.95 * (sum(1 for k2, _ in latencies if k2 == kind) - 1))], 3)
            for kind in ("edit", "step") if any(k2 == kind for k2, _ in latencies)},
        "peak_mb": round(max(peak), 1),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "targets": TARGETS,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--ramp", type=float, default=2.0, help="seconds between session starts")
    args = parser.parse_args(argv)
    executable, how = find_chromium()
    if executable is None:
        print(f"loadtest skipped: {how}")
        return 1
    result = asyncio.run(run(args.sessions, args.seconds, executable, args.ramp))
    OUT.write_text(json.dumps(result, indent=2))
    ok = (result["errors"] <= TARGETS["errors"] and result["p95_s"] <= TARGETS["p95_s"]
          and result["peak_mb"] <= TARGETS["peak_mb"])
    print(f"{'measure':<28}{'value':>12}{'target':>12}")
    print(f"{'sessions x seconds':<28}{args.sessions:>8} x {args.seconds:<4g}")
    print(f"{'interactions':<28}{result['interactions']:>12}")
    print(f"{'errors':<28}{result['errors']:>12}{'0':>12}")
    print(f"{'p50 latency (s)':<28}{result['p50_s']:>12}")
    print(f"{'p95 latency (s)':<28}{result['p95_s']:>12}{'<= 2':>12}")
    print(f"{'p95 by kind (s)':<28}{json.dumps(result['by_kind_p95_s']):>12}")
    print(f"{'server peak memory (MB)':<28}{result['peak_mb']:>12}{'<= 1536':>12}")
    for line in result["error_samples"]:
        print("  error:", line)
    print(f"{'all targets met' if ok else 'TARGETS MISSED'}; written to {OUT.relative_to(Path.cwd())}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

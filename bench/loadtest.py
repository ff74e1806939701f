"""``make loadtest``: many students at once against one LossLab server, in headless Chromium, then as
protocol messages (``bench.protocol_load``); docs/performance.md describes both runs."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time

from bench import protocol_load
from bench.metrics import TARGETS, Monitor, class_minute, meets_targets
from tests.browser import helpers as h
from ui.i18n import translate

OUT = h.REPO / "bench" / "loadtest.json"
THINK_S = 10.0  # a student who acts about every 10 s

# Resolves once `what` holds in the page, or rejects after `ms`: a MutationObserver waits inside the
# page (30 sessions polling over the DevTools protocol would themselves cost the machine's CPU).
_UNTIL_JS = """([what, sel, arg, ms]) => new Promise((resolve, reject) => {
  const holds = {
    changed: () => { const el = document.querySelectorAll(sel)[arg[0]];
                     return el !== undefined && el.innerText.trim() !== arg[1]; },
    says: () => [...document.querySelectorAll(sel)].some((el) => el.textContent.includes(arg)),
    idle: () => document.querySelector(sel)?.getAttribute('data-test-script-state') === 'notRunning',
  }[what];
  if (holds()) { resolve(true); return; }
  const timer = setTimeout(() => { observer.disconnect(); reject(new Error(`${what} ${sel} ${arg}`)); }, ms);
  const observer = new MutationObserver(() => {
    if (holds()) { observer.disconnect(); clearTimeout(timer); resolve(true); }
  });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true,
                                   attributeFilter: ['data-test-script-state']});
})"""


def until(page, what: str, sel: str, arg=None, timeout: float = 30):
    """An awaitable (start it before acting) for ``what``: "changed" (element ``arg[0]`` differs from
    ``arg[1]``), "says" (an element contains ``arg``) or "idle" (the script run has finished)."""
    return page.evaluate(_UNTIL_JS, [what, sel, arg, int(timeout * 1000)])


async def wait_idle(page, timeout: float = 30) -> None:
    await until(page, "idle", '[data-testid="stApp"]', timeout=timeout)


async def timed_until(act, wait) -> float:
    """Seconds from ``act()`` until the in-page wait ``wait`` (sent to the page first) resolves."""
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


def at_step(page, step: int):
    """An awaitable for the model editor's caption to say the server has heard ``step``."""
    caption = translate("en", "optimization.model.at_step", step=step)
    return until(page, "says", '[data-testid="stCaptionContainer"]', caption)


async def player_step(page) -> float:
    """Click the player's Step; seconds until the server has heard it (Reset first near the end)."""
    shown = await page.evaluate(h.PLAYER_STATE_JS)
    step = shown["step"]
    if step >= shown["last"] - 10:
        await timed_until(page.locator(".ll-player .ll-reset").click, at_step(page, 0))
        await wait_idle(page)
        step = 0
    latency = await timed_until(page.locator(".ll-player .ll-step").click, at_step(page, step + 1))
    await wait_idle(page)
    return latency


async def edit_score(page, value: float, current: str) -> float:
    """Type ``value`` into the cat image's cat score (which holds ``current``) as a user does;
    seconds from Enter until the softmax loss (which moves with every score) changes."""
    canvas = page.locator(f'{h.EDITOR} [data-testid="data-grid-canvas"]').first
    editor = page.locator(h.CELL_EDITOR).first
    for _ in range(5):  # the grid may have moved or been drawn again: measure it each time
        await canvas.scroll_into_view_if_needed()
        grid = h.GridGeometry.from_canvas(await canvas.evaluate(h.GRID_LINES_JS))
        box = await canvas.bounding_box()
        x, y = grid.cell_center(0, 1)
        for act in (page.mouse.move, page.mouse.click, page.mouse.dblclick):
            await act(box["x"] + x, box["y"] + y)
            await page.evaluate(h.NEXT_FRAME_JS)
        try:
            await editor.wait_for(state="visible", timeout=3_000)
        except Exception:
            continue
        if await editor.input_value() == current:
            break
        await editor.press("Escape")  # the overlay opened on another cell
        await editor.wait_for(state="detached", timeout=5_000)
    else:
        raise RuntimeError(f"could not open the score cell holding {current}")
    await editor.fill(f"{value:g}")
    await page.evaluate(h.NEXT_FRAME_JS)  # latency is timed from Enter
    before = (await page.locator(h.METRIC).nth(1).inner_text()).strip()
    latency = await timed_until(lambda: editor.press("Enter"), until(page, "changed", h.METRIC, [1, before]))
    await editor.wait_for(state="detached", timeout=10_000)
    await wait_idle(page)
    return latency


async def open_student(browser, url: str, loads: asyncio.Semaphore):
    """A browser context with the loss page and the optimization page open, each drawn and idle."""
    context = await browser.new_context(viewport=h.VIEWPORT)
    context.set_default_timeout(30_000)
    pages = []
    async with loads:  # page loads are the browsers' work: a few at a time, not 60 at once
        for path, ready in (("losses", h.METRIC), ("optimization", ".ll-player .ll-counter")):
            page = await context.new_page()
            await page.goto(f"{url}/{path}", timeout=180_000)
            await page.locator(ready).first.wait_for(timeout=180_000)
            await wait_idle(page, 180)
            pages.append(page)
    return pages


async def settle(monitor: Monitor, window: float = 5.0, quiet: float = 0.25, limit: float = 120.0) -> float:
    """Seconds until the browsers are quiet (fresh pages compile and collect for up to a minute)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        monitor.rebase()
        await asyncio.sleep(window)
        monitor.sample()
        if monitor.cpu()["browser"] < quiet * window:
            break
    return time.monotonic() - t0


def actions(losses, optim):
    """A student's score edit (the cell holds the lecture's 3.2 at first) and Step."""
    current = "3.2"

    async def edit(value: float) -> float:
        nonlocal current
        latency = await edit_score(losses, value, current)
        current = f"{value:g}"
        return latency

    return edit, lambda: player_step(optim)


async def run(sessions: int, seconds: float, executable: str, think: float = THINK_S) -> dict:
    from playwright.async_api import async_playwright

    with h.StreamlitServer("app.py") as server:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=executable, args=h.LAUNCH_ARGS, headless=True)
            monitor = Monitor(server.proc.pid)
            t_open, loads = time.monotonic(), asyncio.Semaphore(4)
            students = (open_student(browser, server.url, loads) for _ in range(sessions))
            opened = await asyncio.gather(*students, return_exceptions=True)
            setup_s, settle_s = time.monotonic() - t_open, await settle(monitor)
            r = await class_minute(
                monitor, opened, actions, seconds, think, sessions=sessions, setup_s=round(setup_s, 1)
            )
    r["settle_s"], r["cpu_s"] = round(settle_s, 1), monitor.cpu()
    r["browser_cpu_per_update_s"] = round(r["cpu_s"]["browser"] / max(r["interactions"], 1), 2)
    return r


def report(r: dict) -> bool:
    print(f"""{r["sessions"]} students in headless Chromium, each with /losses and /optimization open, for
{r["seconds"]:g} s, think {r["think_s"]:g} s (opening the pages took {r["setup_s"]} s, then {r["settle_s"]} s
until the browsers were quiet): {r["interactions"]} interactions, {r["errors"]} errors (target 0);
p50 {r["p50_s"]} s, p95 {r["p95_s"]} s (target <= {TARGETS["p95_s"]:g} s; by kind {r["by_kind_p95_s"]});
server peak memory {r["peak_mb"]} MB (target <= {TARGETS["peak_mb"]}); CPU seconds {r["cpu_s"]} in
{r["wall_s"]} s on {os.cpu_count()} CPUs (other: the driver, the kernel's memory threads); Chromium
CPU per update {r["browser_cpu_per_update_s"]} s""")
    return meets_targets(r)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=THINK_S, help="mean seconds between actions")
    parser.add_argument("--server-think", type=float, default=1.0, help="the same, server alone")
    parser.add_argument("--no-server-run", action="store_true", help="only the browser run")
    parser.add_argument("--no-browser-run", action="store_true", help="only the server-alone run")
    args = parser.parse_args(argv)
    out, ok = {}, True
    if not args.no_browser_run:
        executable, how = h.find_chromium()
        if executable is None:
            print(f"loadtest skipped: {how}")
            return 1
        out["browsers"] = asyncio.run(run(args.sessions, args.seconds, executable, args.think))
        ok = report(out["browsers"])
    if not args.no_server_run:
        out["server_alone"] = asyncio.run(protocol_load.run(args.sessions, args.seconds, args.server_think))
        ok = protocol_load.report(out["server_alone"]) and ok
    OUT.write_text(json.dumps(out, indent=2))
    print(f"\n{'all targets met' if ok else 'TARGETS MISSED'}; written to {OUT.relative_to(h.REPO)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

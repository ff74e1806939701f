"""``make loadtest``: a class through nginx (deploy.classroom) against 1 and 2 replicas, over Streamlit's
protocol (``bench.protocol_load``: 30, 100, 300 students for a minute each) with 5 real Chromium
students at the same time as one of the runs; docs/performance.md reads the figures."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from playwright.async_api import async_playwright

from bench import protocol_load
from bench.metrics import latency_summary
from classroom.store import open_store
from deploy.classroom import Classroom
from tests.browser import helpers as h
from ui.i18n import translate

OUT = h.REPO / "bench" / "loadtest.json"
TARGETS = {(1, 100): 1.0, (2, 300): 1.0}  # (replicas, students): p95 seconds, on 2 cores
# Resolves once some text or caption on the page includes t: a mutation observer waits in the page.
SHOWS_JS = """t => new Promise((resolve) => {
  const sel = '[data-testid=stMarkdownContainer], [data-testid=stCaptionContainer]';
  const shows = () => [...document.querySelectorAll(sel)].some((e) => e.innerText.includes(t));
  if (shows()) { resolve(true); return; }
  const o = new MutationObserver(() => { if (shows()) { o.disconnect(); resolve(true); } });
  o.observe(document.body, {subtree: true, childList: true, characterData: true});
})"""


async def browser_student(browser, url: str, code: str, k: int, seconds: float, think: float, out: list):
    """A Chromium context with /losses (in the class) and /optimization open: a Step, then an answer,
    and so on; each timed from the click until the page shows its effect (a mutation observer)."""
    context = await browser.new_context(viewport=h.VIEWPORT)
    context.set_default_timeout(60_000)
    losses, optim = await context.new_page(), await context.new_page()
    await losses.goto(f"{url}/losses?join={code}")
    await optim.goto(f"{url}/optimization")
    radio = losses.locator('[class*="st-key-class-vote"] [role="radiogroup"] label')
    await radio.first.wait_for()
    await optim.locator(".ll-player .ll-step").wait_for()
    rng, end, n = random.Random(k), time.monotonic() + seconds, 0
    while time.monotonic() < end:
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
        n += 1
        if n % 2:
            shown = await optim.evaluate(h.PLAYER_STATE_JS)
            caption = translate("en", "optimization.model.at_step", step=shown["step"] + 1)
            page, click, text = optim, optim.locator(".ll-player .ll-step"), caption
        else:
            label = (await radio.nth(n % 3).inner_text()).strip()
            page, click, text = losses, radio.nth(n % 3), translate("en", "class.counted", answer=label)
        t0 = time.monotonic()
        waiting = asyncio.ensure_future(page.evaluate(SHOWS_JS, text))
        await asyncio.sleep(0)  # the observer is in the page before the click
        await click.click()
        await asyncio.wait_for(waiting, 30)
        out.append(("step" if n % 2 else "vote", time.monotonic() - t0))
    await context.close()


async def browsers(url: str, code: str, n: int, seconds: float, think: float) -> dict:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=h.find_chromium()[0], args=h.LAUNCH_ARGS)
        latencies: list = []
        runs = [browser_student(browser, url, code, k, seconds, think, latencies) for k in range(n)]
        done = await asyncio.gather(*runs, return_exceptions=True)
        errors = [f"{type(e).__name__}: {str(e)[:200]}" for e in done if isinstance(e, BaseException)]
        await browser.close()
    return {"browsers": n, "errors": len(errors), "error_samples": errors[:3], **latency_summary(latencies)}


async def sized_run(room: Classroom, class_: tuple, size: int, args, with_browsers: bool, pool) -> dict:
    """One size for a minute (the students of the smaller sizes go on); halfway through, the instructor
    asks the next question (every student's page reruns its poll at once)."""
    store, code, secret = class_
    pids = [room.replica(k).proc.pid for k in range(room.n)]
    ask = lambda: asyncio.to_thread(store.ask, secret, "regularization.l1_prefers", ["w1", "w2", "tie"])
    midway = None if args.steady or not code else ask  # --steady: the first question all minute
    load = protocol_load.class_minute(room.url, size, args.seconds, args.think, pids, code, midway, pool)
    if not with_browsers:
        return await load
    result, seen = await asyncio.gather(load, browsers(room.url, code, 5, args.seconds, args.think))
    return {**result, "real_browsers": seen}


def one_setup(replicas: int, args) -> list[dict]:
    with tempfile.TemporaryDirectory() as data:
        env = {"LOSSLAB_DATA_DIR": data, "LOSSLAB_DATABASE_URL": ""}
        with Classroom(replicas, args.port, host="127.0.0.1", env=env, logs=Path(data) / "logs") as room:
            store = open_store(f"sqlite:///{data}/classroom.sqlite3")
            code, secret = store.create_class()
            store.ask(secret, "regularization.l2_prefers", ["w1", "w2", "tie"])
            class_ = (store, "" if args.no_class else code, secret)
            return asyncio.run(all_sizes(room, class_, replicas, args))


async def all_sizes(room: Classroom, class_: tuple, replicas: int, args) -> list[dict]:
    out, pool = [], []
    for size in sorted(args.sizes):
        with_browsers = (replicas, size) == (2, args.browsers_with)
        out.append({"replicas": replicas, **await sized_run(room, class_, size, args, with_browsers, pool)})
        report(out[-1])
    await asyncio.gather(*(tab.ws.close() for tabs in pool for tab in tabs))
    return out


def report(r: dict) -> None:
    b = r.get("real_browsers")
    print(
        f"{r['replicas']} replica(s), {r['students']:>3} students: {r['interactions']:>4} actions, "
        f"{r['errors']} errors, p50 {r['p50_s']} s, p95 {r['p95_s']} s {r['by_kind_p95_s']}, CPU "
        f"{r['server_cpu_ms_per_action']} ms/action ({r['server_cpu_ms_per_run']} ms/run with "
        f"{r['poll_runs']} poll runs), peak {r['peak_mb_per_replica']} MB, "
        f"opened in {r['setup_s']} s, {r['reconnects']} reconnects",
        flush=True,
    )
    if b:
        print(f"  + 5 in Chromium: {b['interactions']} actions, {b['errors']} errors, p95 {b['p95_s']} s")
    for line in r["error_samples"] + (b["error_samples"] if b else []):
        print("  error:", line)


def missed(results: list[dict]) -> list[str]:
    """What misses a target: any error; p95 over TARGETS at its (replicas, students)."""
    out: list[str] = []
    for r in results:
        if errors := r["errors"] + r.get("real_browsers", {}).get("errors", 0):
            out.append(f"{r['replicas']}x{r['students']}: {errors} errors")
        limit = TARGETS.get((r["replicas"], r["students"]))
        if limit is not None and (r["p95_s"] is None or r["p95_s"] > limit):
            out.append(f"{r['replicas']}x{r['students']}: p95 {r['p95_s']} s > {limit:g} s")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 100, 300])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=10.0, help="mean seconds between a student's actions")
    parser.add_argument("--browsers-with", type=int, default=100, help="the 2-replica run the browsers join")
    parser.add_argument("--no-class", action="store_true", help="students not in a class: no poll")
    parser.add_argument("--steady", action="store_true", help="no new question halfway through a minute")
    parser.add_argument("--port", type=int, default=18480, help="nginx's; the replicas take the next ones")
    args = parser.parse_args(argv)
    t0, results = time.monotonic(), []
    for replicas in args.replicas:
        results += one_setup(replicas, args)
    bad = missed(results)
    OUT.write_text(json.dumps({"results": results, "missed": bad}, indent=2))
    print(f"\n{'; '.join(bad) or 'all targets met'} ({time.monotonic() - t0:.0f} s); written to {OUT.name}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

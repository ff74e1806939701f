"""What both load drivers (``bench.loadtest``, ``bench.protocol_load``) share: a student's minute, latency
quantiles against the targets, and, sampled with psutil, memory and CPU seconds by group."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import time

import psutil

TARGETS = {"errors": 0, "p95_s": 2.0, "peak_mb": 1536}  # issue 7, on a 2-core machine
GROUPS = ("server", "browser", "other")


async def student(k: int, seconds: float, think: float, edit, step, latencies: list, errors: list) -> None:
    """Student ``k``'s minute: ``edit(score)``, a look of ``think`` x 0.5-1.5 s, ``step()``, a look, and
    so on; each action returns its latency. A failure ends the student, in ``errors``."""
    rng = random.Random(k)
    try:
        await asyncio.sleep(rng.uniform(0, max(think, 0.5)))  # not all in the same instant
        end, value = time.monotonic() + seconds, 10.0
        while time.monotonic() < end:
            value = 10.0 if value != 10.0 else round(1.0 + 0.1 * (k % 10), 1)  # losses that differ visibly
            latencies.append(("edit", await edit(value)))
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))  # reads the new loss
            latencies.append(("step", await step()))
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))  # looks at the new boundary
    except Exception as exc:  # counted and reported, never hidden
        errors.append(f"student {k}: {type(exc).__name__}: {str(exc)[:200]}")


def percentile(values: list[float], q: float) -> float | None:
    """The q-quantile of ``values``, by rank; None when there are none."""
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 3) if values else None


def latency_summary(latencies: list[tuple]) -> dict:
    """Counts and quantiles of (kind, seconds) records."""
    times = [t for _, t in latencies]
    by_kind = {kind: percentile([t for k, t in latencies if k == kind], 0.95) for kind in ("edit", "step")}
    quantiles = {k: percentile(times, q) for k, q in (("p50_s", 0.50), ("p95_s", 0.95), ("max_s", 1.0))}
    return {"interactions": len(times), **quantiles, "by_kind_p95_s": by_kind}


def meets_targets(result: dict) -> bool:
    """Prints the result's error samples; whether it meets the targets."""
    for line in result["error_samples"]:
        print("  error:", line)
    p95 = result["p95_s"] if result["p95_s"] is not None else float("inf")
    ok = result["errors"] <= TARGETS["errors"] and result["peak_mb"] <= TARGETS["peak_mb"]
    return ok and p95 <= TARGETS["p95_s"]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total = 0
    with contextlib.suppress(psutil.NoSuchProcess):
        proc = psutil.Process(pid)
        for p in (proc, *proc.children(recursive=True)):
            with contextlib.suppress(psutil.NoSuchProcess):
                total += p.memory_info().rss
    return total / 2**20


def cpu_by_process(server_pid: int) -> dict[int, tuple[str, float]]:
    """Every process's CPU seconds so far and its group: the server's process group, Chromium, other."""
    out = {}
    for p in psutil.process_iter(["name", "cpu_times"]):
        with contextlib.suppress(OSError, AttributeError):  # gone, or its times not readable (None)
            group = "server" if os.getpgid(p.pid) == server_pid else "other"
            if group == "other" and any(n in (p.info["name"] or "") for n in ("chrom", "headless")):
                group = "browser"
            out[p.pid] = (group, p.info["cpu_times"].user + p.info["cpu_times"].system)
    return out


def by_group(cpu: dict[int, tuple[str, float]]) -> dict[str, float]:
    """Processes' CPU seconds (as ``cpu_by_process`` gives them) summed by group."""
    return {g: round(sum(seconds for group, seconds in cpu.values() if group == g), 1) for g in GROUPS}


class Monitor:
    """The server's peak memory and each process's CPU seconds since ``rebase()`` (the most it reached:
    a process may end), sampled twice a second from its creation (in a running event loop) to ``stop()``."""

    def __init__(self, server_pid: int):
        self.pid, self.peak_mb, self.stopped = server_pid, rss_mb(server_pid), asyncio.Event()
        self.rebase()
        self.task = asyncio.create_task(self.run())

    def rebase(self) -> None:
        self.base, self.used = cpu_by_process(self.pid), {}

    def sample(self) -> None:
        self.peak_mb = max(self.peak_mb, rss_mb(self.pid))
        for pid, (group, seconds) in cpu_by_process(self.pid).items():
            used = seconds - self.base.get(pid, (group, 0.0))[1]
            self.used[pid] = (group, max(used, self.used.get(pid, (group, 0.0))[1]))

    async def run(self) -> None:
        while not self.stopped.is_set():
            self.sample()
            await asyncio.sleep(0.5)
        self.sample()

    async def stop(self) -> None:
        self.stopped.set()
        await self.task

    def cpu(self) -> dict[str, float]:
        """CPU seconds by group since ``rebase()``."""
        return by_group(self.used)


async def class_minute(
    monitor: Monitor, opened: list, actions, seconds: float, think: float, **fields
) -> dict:
    """Every student that opened (``opened`` as ``asyncio.gather(..., return_exceptions=True)`` gives
    them; ``actions(*student)`` gives their edit and step) acts for ``seconds`` at once; then stops
    ``monitor``. The result: ``fields``, the errors, the latencies' summary and the peak memory."""
    latencies, errors = [], []
    for k, e in enumerate(opened):
        if isinstance(e, BaseException):
            errors.append(f"student {k} did not open: {type(e).__name__}: {str(e)[:200]}")
    runs = [
        student(k, seconds, think, *actions(*o), latencies, errors)
        for k, o in enumerate(opened)
        if not isinstance(o, BaseException)
    ]
    monitor.rebase()  # CPU from the start of the minute; memory throughout
    started = time.monotonic()
    await asyncio.gather(*runs)
    wall = time.monotonic() - started
    await monitor.stop()
    summary = {"seconds": seconds, "think_s": think, "wall_s": round(wall, 1), "errors": len(errors)}
    summary["error_samples"], summary["peak_mb"] = errors[:10], round(monitor.peak_mb, 1)
    return {**fields, **summary, **latency_summary(latencies)}

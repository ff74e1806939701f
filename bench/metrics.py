"""What the load drivers (``bench.loadtest``, ``bench.protocol_load``) share: latency quantiles and,
sampled with psutil, memory and CPU seconds by group."""

from __future__ import annotations

import asyncio
import contextlib
import os

import psutil

GROUPS = ("server", "browser", "other")


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
        return {g: round(sum(t for group, t in self.used.values() if group == g), 1) for g in GROUPS}

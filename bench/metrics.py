"""What both load drivers report (``bench.loadtest`` in browsers, ``bench.protocol_load`` over the
protocol): latency quantiles against the targets, and, sampled with psutil while students act,
the server's peak memory and the CPU seconds of the server, of Chromium and of everything else."""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics

import psutil

TARGETS = {"errors": 0, "p95_s": 2.0, "peak_mb": 1536}  # issue 7, on a 2-core machine
GROUPS = ("server", "browser", "other")


def percentile(values: list[float], q: float) -> float | None:
    """The q-quantile of ``values``, by rank; None when there are none."""
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 3) if values else None


def latency_summary(latencies: list[tuple]) -> dict:
    """Counts and quantiles of (kind, seconds) records."""
    times = [t for _, t in latencies]
    return {"interactions": len(times), "p50_s": percentile(times, 0.50), "p95_s": percentile(times, 0.95),
            "max_s": percentile(times, 1.0), "mean_s": round(statistics.mean(times), 3) if times else None,
            "by_kind_p95_s": {kind: percentile([t for k, t in latencies if k == kind], 0.95)
                              for kind in ("edit", "step")}}


def meets_targets(result: dict) -> bool:
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
    """Every process's CPU seconds so far (user + system) and its group: the server's process
    group, Chromium's processes, or other."""
    out = {}
    for p in psutil.process_iter(["name", "cpu_times"]):
        with contextlib.suppress(OSError, AttributeError):  # gone, or its times not readable (None)
            group = "server" if os.getpgid(p.pid) == server_pid else "other"
            if group == "other" and any(n in (p.info["name"] or "") for n in ("chrom", "headless")):
                group = "browser"
            out[p.pid] = (group, p.info["cpu_times"].user + p.info["cpu_times"].system)
    return out


def cpu_by_group(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the processes alive now, by group."""
    used = cpu_by_process(server_pid).values()
    return {g: sum(seconds for group, seconds in used if group == g) for g in GROUPS}


class Monitor:
    """The server's peak memory and every process's CPU seconds since ``rebase()``, sampled twice a
    second while ``run()`` runs (a process that ends keeps the most it reached)."""

    def __init__(self, server_pid: int):
        self.pid, self.peak_mb, self.stopped = server_pid, rss_mb(server_pid), asyncio.Event()
        self.rebase()

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

    def cpu(self) -> dict[str, float]:
        """CPU seconds by group since ``rebase()``."""
        return {g: round(sum(v for grp, v in self.used.values() if grp == g), 1) for g in GROUPS}

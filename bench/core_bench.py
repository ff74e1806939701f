"""Section 1: core's vectorised losses (loss + gradient) against per-example Python loops.

The target: at N = 10,000 examples (C = 10 classes) the vectorised loss, written the way a CS231n
student writes it, is at least 20x faster than the naive loop, with plain NumPy and the default
allocator (no MALLOC_* tuning). ``python -m bench.core_bench`` prints this section alone.

Times are CPU time of this process (page faults included), so a shared machine's other work does
not count. In a fresh process glibc returns each freed ~1 MB block to the kernel and the next call
faults it in again (the page faults per call are reported); on a virtual machine that can cost as
much as the arithmetic. glibc stops doing so once the process has freed one larger block, which
the app's own process has done long before (importing Streamlit and pandas is enough), so this
section measures the worst case.
"""

from __future__ import annotations

import os
import resource
import statistics
import time

import numpy as np

from bench.naive import softmax_loss_naive, svm_loss_naive
from bench.report import Row, speedup_row, table
from core.losses import softmax_loss, svm_loss

SECTION = "core"
SIZES = ((500, 10), (10_000, 10))
TARGET_N = 10_000
TARGET = ">= 20x"


def median_cpu_time(fn, repeat: int, warmup: int = 1) -> float:
    """Median CPU time of this process per call of ``fn()`` (user + system, page faults included).

    Both sides are single-threaded and CPU-bound, so CPU time is what a call costs; unlike wall
    time it leaves out the time other processes on a shared machine hold the cores.
    """
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def measure(sizes=SIZES) -> list[tuple[str, int, int, float, float]]:
    """(loss name, N, C, core seconds, naive seconds) for each size, median CPU time of repeated calls."""
    rng = np.random.default_rng(0)
    out = []
    for n, c in sizes:
        scores = rng.normal(scale=3.0, size=(n, c))  # (N, C), many hinges open and many closed
        y = rng.integers(0, c, size=n)  # (N,)
        as_lists, y_list = scores.tolist(), y.tolist()
        pairs = (
            ("svm_loss", lambda s=scores, y=y: svm_loss(s, y),
             lambda s=as_lists, y=y_list: svm_loss_naive(s, y)),
            ("softmax_loss", lambda s=scores, y=y: softmax_loss(s, y),
             lambda s=as_lists, y=y_list: softmax_loss_naive(s, y)),
        )
        for name, core_fn, naive_fn in pairs:
            # Same numbers first: a fast wrong answer is not a speed-up.
            fast, (slow_loss, slow_grad) = core_fn(), naive_fn()
            if not (np.isclose(fast.total, slow_loss) and np.allclose(fast.grad, slow_grad)):
                raise AssertionError(f"{name}: core and the naive loop disagree at N={n}")
            core_repeat, naive_repeat = (200, 15) if n < 5_000 else (40, 5)
            t_core = median_cpu_time(core_fn, core_repeat, warmup=3)
            t_naive = median_cpu_time(naive_fn, naive_repeat, warmup=1)
            out.append((name, n, c, t_core, t_naive))
    return out


def page_faults_per_call(n: int = TARGET_N, c: int = 10, calls: int = 20) -> dict[str, float]:
    """Minor page faults per call of each loss at N x C. With the default allocator, freed blocks of
    ~1 MB go back to the kernel and the next call faults them in again: on a virtual machine that
    can cost as much as the arithmetic, which is what these numbers show."""
    rng = np.random.default_rng(0)
    scores, y = rng.normal(size=(n, c)), rng.integers(0, c, size=n)
    out = {}
    for name, fn in (("svm_loss", svm_loss), ("softmax_loss", softmax_loss)):
        fn(scores, y)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(calls):
            fn(scores, y)
        out[name] = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / calls
    return out


def run() -> tuple[list[Row], dict]:
    rows = [speedup_row(SECTION, f"core {name} + grad, N={n} C={c} (vs naive loop)", t_core, t_naive,
                        TARGET if n == TARGET_N else "")
            for name, n, c, t_core, t_naive in measure()]
    # The target is for the default allocator: say so if the environment tunes it.
    tuned = sorted(k for k in os.environ if k.startswith("MALLOC_"))
    return rows, {"allocator_environment": tuned, "page_faults_per_call": page_faults_per_call()}


if __name__ == "__main__":
    rows, detail = run()
    print(table(rows))
    print("page faults per call at N=10000:", detail["page_faults_per_call"])
    if detail["allocator_environment"]:
        print("note: measured with", ", ".join(detail["allocator_environment"]), "set")

"""Section 1: core's vectorised losses (loss + gradient) against per-example Python loops.

The target: at N = 10,000 examples (C = 10 classes) the vectorised loss, written the way a CS231n
student writes it, is at least 20x faster than the naive loop, with plain NumPy and the default
allocator. Times are this process's CPU time (a shared machine's other work does not count).
``python -m bench.core_bench`` prints this section alone.
"""

from __future__ import annotations

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
    """Median CPU time (user + system, page faults included) of this process per call of ``fn()``."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def measure(sizes=SIZES) -> list[tuple[str, int, int, float, float]]:
    """(loss name, N, C, core seconds, naive seconds) for each size."""
    rng = np.random.default_rng(0)
    out = []
    for n, c in sizes:
        scores = rng.normal(scale=3.0, size=(n, c))  # (N, C), many hinges open and many closed
        y = rng.integers(0, c, size=n)  # (N,)
        as_lists, y_list = scores.tolist(), y.tolist()
        pairs = (
            (
                "svm_loss",
                lambda s=scores, y=y: svm_loss(s, y),
                lambda s=as_lists, y=y_list: svm_loss_naive(s, y),
            ),
            (
                "softmax_loss",
                lambda s=scores, y=y: softmax_loss(s, y),
                lambda s=as_lists, y=y_list: softmax_loss_naive(s, y),
            ),
        )
        for name, core_fn, naive_fn in pairs:
            fast, (slow_loss, slow_grad) = core_fn(), naive_fn()  # a fast wrong answer is no speed-up
            if not (np.isclose(fast.total, slow_loss) and np.allclose(fast.grad, slow_grad)):
                raise AssertionError(f"{name}: core and the naive loop disagree at N={n}")
            core_repeat, naive_repeat = (200, 15) if n < 5_000 else (40, 5)
            t_core = median_cpu_time(core_fn, core_repeat, warmup=3)
            out.append((name, n, c, t_core, median_cpu_time(naive_fn, naive_repeat)))
    return out


def run() -> tuple[list[Row], dict]:
    rows = [
        speedup_row(
            SECTION,
            f"core {name} + grad, N={n} C={c} (vs naive loop)",
            t_core,
            t_naive,
            TARGET if n == TARGET_N else "",
        )
        for name, n, c, t_core, t_naive in measure()
    ]
    return rows, {}


if __name__ == "__main__":
    print(table(run()[0]))

"""Section 1: core's vectorised losses (loss + gradient) against per-example Python loops.

The loops are written here the way CS231n's ``svm_loss_naive`` / ``softmax_loss_naive`` are (loops over
examples and classes, ``math.exp``, nested lists in and out), with core's default definitions. The
target: at N = 10,000 examples (C = 10 classes) the vectorised loss is at least 20x faster than the
loop, with plain NumPy and the default allocator. Times are this process's CPU time (a shared
machine's other work does not count). ``python -m bench.core_bench`` prints this section alone.
"""

from __future__ import annotations

import math
import statistics
import time
from functools import partial

import numpy as np

from bench.report import Row, ratio_row, table
from core.losses import softmax_loss, svm_loss

SECTION = "core"
SIZES = ((500, 10, ""), (10_000, 10, ">= 20x"))  # (N, C, target)


def svm_loss_naive(scores: list[list[float]], y: list[int], margin: float = 1.0):
    """Multiclass SVM loss L = mean_i sum_{j != y_i} max(0, s_j - s_{y_i} + margin) and dL/ds
    (Weston-Watkins hinge, summed over classes, averaged over examples)."""
    n = len(scores)
    total = 0.0
    grad = []
    for i in range(n):
        row, yi = scores[i], y[i]
        g = [0.0] * len(row)
        for j in range(len(row)):
            if j == yi:
                continue
            arg = row[j] - row[yi] + margin
            if arg > 0:
                total += arg
                g[j] += 1.0 / n
                g[yi] -= 1.0 / n
        grad.append(g)
    return total / n, grad


def softmax_loss_naive(scores: list[list[float]], y: list[int]):
    """Softmax loss L = mean_i -ln(e^{s_{y_i}} / sum_j e^{s_j}) (shifted by the row max) and dL/ds."""
    n = len(scores)
    total = 0.0
    grad = []
    for i in range(n):
        row, yi = scores[i], y[i]
        top = max(row)
        exps = [math.exp(s - top) for s in row]
        z = sum(exps)
        total += -math.log(exps[yi] / z)
        g = [e / z / n for e in exps]
        g[yi] -= 1.0 / n
        grad.append(g)
    return total / n, grad


KERNELS = (("svm_loss", svm_loss, svm_loss_naive), ("softmax_loss", softmax_loss, softmax_loss_naive))


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


def run(sizes=SIZES) -> tuple[list[Row], dict]:
    """One row a loss and size: core's loss + gradient against the naive loop's, in CPU seconds."""
    rng = np.random.default_rng(0)
    rows = []
    for n, c, target in sizes:
        scores = rng.normal(scale=3.0, size=(n, c))  # (N, C), many hinges open and many closed
        y = rng.integers(0, c, size=n)  # (N,)
        core_args, naive_args = (scores, y), (scores.tolist(), y.tolist())
        for name, core_loss, naive_loss in KERNELS:
            fast, (slow_loss, slow_grad) = core_loss(*core_args), naive_loss(*naive_args)
            if not (np.isclose(fast.total, slow_loss) and np.allclose(fast.grad, slow_grad)):
                raise AssertionError(f"{name}: core and the naive loop disagree at N={n}")  # no speed-up
            core_repeat, naive_repeat = (200, 15) if n < 5_000 else (40, 5)
            t_core = median_cpu_time(partial(core_loss, *core_args), core_repeat, warmup=3)
            t_naive = median_cpu_time(partial(naive_loss, *naive_args), naive_repeat)
            measure = f"core {name} + grad, N={n} C={c} (vs naive loop)"
            rows.append(ratio_row(SECTION, measure, t_core, t_naive, target, speedup=True))
    return rows, {}


if __name__ == "__main__":
    print(table(run()[0]))

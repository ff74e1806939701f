"""Section 1: core's vectorised losses (loss + gradient) against per-example Python loops.

The Makefile runs the app, the tests and this benchmark with glibc malloc told to keep freed
memory (``MALLOC_MMAP_THRESHOLD_`` / ``MALLOC_TRIM_THRESHOLD_``). At N=10000 every (C, N)
temporary is 800 kB; by default glibc hands such blocks back to the kernel when they are freed and
the next call faults the pages in again, which costs more than the arithmetic on machines where
page faults are dear (virtual machines). For comparison, N=10000 is measured again in a child
process with the default allocator (those two variables removed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from bench.naive import softmax_loss_naive, svm_loss_naive
from bench.report import REPO, Row, median_time, speedup_row
from core.losses import softmax_loss, svm_loss

SECTION = "core"
SIZES = ((500, 10), (10_000, 10))
TARGET_N = 10_000
TARGET = ">= 50x"
ALLOCATOR_VARIABLES = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")


def measure(sizes=SIZES) -> list[tuple[str, int, int, float, float]]:
    """(loss name, N, C, core seconds, naive seconds) for each size, median of repeated calls."""
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
            t_core, _ = median_time(core_fn, core_repeat, warmup=3)
            t_naive, _ = median_time(naive_fn, naive_repeat, warmup=1)
            out.append((name, n, c, t_core, t_naive))
    return out


def run() -> tuple[list[Row], dict]:
    rows = [speedup_row(SECTION, f"core {name} + grad, N={n} C={c} (vs naive loop)", t_core, t_naive,
                        TARGET if n == TARGET_N else "")
            for name, n, c, t_core, t_naive in measure()]
    detail: dict = {}
    env = {k: v for k, v in os.environ.items() if k not in ALLOCATOR_VARIABLES}
    child = subprocess.run([sys.executable, "-m", "bench.core_bench", str(TARGET_N)], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=120)
    if child.returncode == 0:
        for name, n, c, t_core, t_naive in json.loads(child.stdout):
            rows.append(speedup_row(SECTION, f"  {name}, N={n} C={c}, default glibc malloc", t_core,
                                    t_naive, ""))
        detail["malloc_env"] = {k: os.environ.get(k) for k in ALLOCATOR_VARIABLES}
    else:
        detail["malloc_child_error"] = child.stderr[-2000:]
    return rows, detail


if __name__ == "__main__":  # the child: measure one size, print JSON
    n = int(sys.argv[1]) if len(sys.argv) > 1 else TARGET_N
    print(json.dumps(measure(((n, 10),))))

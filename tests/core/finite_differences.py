"""The oracle every gradient test in tests/core compares against: centered finite differences."""

from __future__ import annotations

import itertools

import numpy as np


def numeric_grad(f, A, h=1e-6) -> np.ndarray:
    """Centered finite differences (f(A + h e_i) - f(A - h e_i)) / 2h of the scalar f at the array A
    (any shape), one entry at a time."""
    A = np.array(A, dtype=np.float64)
    grad = np.zeros_like(A)
    for idx in itertools.product(*map(range, A.shape)):
        plus, minus = A.copy(), A.copy()
        plus[idx] += h
        minus[idx] -= h
        grad[idx] = (f(plus) - f(minus)) / (2 * h)
    return grad

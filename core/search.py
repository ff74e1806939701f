"""Looking for a good W with a budget of loss evaluations: the CS231n notes' three strategies.

Strategy #1, random search: try independent random parameters, keep the best. Strategy #2, random
local search: from the best so far, try a random step, keep it if the loss drops. Strategy #3,
follow the gradient. Each returns the best loss after every evaluation, so the three can share
one plot. Reference: https://cs231n.github.io/optimization-1/#opt
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.linear import LossSpec
from core.params import flat_objective, flatten

STRATEGIES = ("random", "local", "descent")


@dataclass(frozen=True)
class SearchTrace:
    """Best loss found after each loss evaluation, and the parameters that gave it."""

    best_loss: np.ndarray  # (budget,)
    best_params: np.ndarray


def random_search(loss_fn, shape, budget: int, *, seed: int = 0, scale: float = 1.0) -> SearchTrace:
    """Try independent random parameters; keep the best (the notes' strategy #1)."""
    rng = np.random.default_rng(seed)
    best, best_p, trace = np.inf, None, []
    for _ in range(int(budget)):
        p = scale * rng.standard_normal(shape)
        value = float(loss_fn(p))
        if value < best:
            best, best_p = value, p
        trace.append(best)
    return SearchTrace(np.array(trace), best_p)


def random_local_search(loss_fn, start, budget: int, *, seed: int = 0, step: float = 0.1) -> SearchTrace:
    """From the current best, try a random step; move only if it lowers the loss (strategy #2)."""
    rng = np.random.default_rng(seed)
    p = np.array(start, dtype=float)
    if int(budget) <= 0:
        return SearchTrace(np.array([]), p)
    best = float(loss_fn(p))
    trace = [best]
    for _ in range(int(budget) - 1):
        candidate = p + step * rng.standard_normal(p.shape)
        value = float(loss_fn(candidate))
        if value < best:
            best, p = value, candidate
        trace.append(best)
    return SearchTrace(np.array(trace), p)


def gradient_descent(loss_and_grad, start, budget: int, *, lr: float = 0.1) -> SearchTrace:
    """Follow the analytic gradient (strategy #3); each step costs one loss-and-gradient evaluation."""
    p = np.array(start, dtype=float)
    best, best_p, trace = np.inf, p, []
    for _ in range(int(budget)):
        value, grad = loss_and_grad(p)
        if not np.isfinite(value):
            trace.extend([best] * (int(budget) - len(trace)))
            break
        if value < best:
            best, best_p = float(value), p
        trace.append(best)
        p = p - lr * grad
    return SearchTrace(np.array(trace), best_p)


def compare_strategies(
    W, b, X, y, budget: int, spec: LossSpec | None = None, *, seed: int = 0, **options
) -> dict[str, SearchTrace]:
    """The three strategies on the linear classifier's objective (the LossSpec ``spec``, or one
    made from ``options``),
    each with ``budget`` evaluations, over the flat vector p = [W.ravel(), b] (core.params).

    Random search draws parameters at the scale of the current ones (their largest magnitude);
    random local search starts from the current W and b with steps of 0.2; gradient descent starts
    there too with a step size of 0.1. Keys are ``STRATEGIES``.
    """
    start = flatten(W, b)
    loss, loss_and_grad = flat_objective(X, y, np.shape(W), spec, **options)
    scale = float(np.abs(start).max() or 1)
    return {
        "random": random_search(loss, start.shape, budget, seed=seed, scale=scale),
        "local": random_local_search(loss, start, budget, seed=seed, step=0.2),
        "descent": gradient_descent(loss_and_grad, start, budget, lr=0.1),
    }

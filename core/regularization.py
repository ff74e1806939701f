"""Regularization: the R(W) in L = data loss + lambda R(W), as in CS231n Lecture 3.

Penalties with their gradients, max-norm as a projection, the lecture's w1-vs-w2 example and
the full loss of its small two-class problem. The 2-D geometry (level sets, penalized solutions)
is in core.geometry, over- and underfitting measured in core.overfitting.

Reference: https://cs231n.github.io/linear-classify/#regularization
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.checks import choice, finite_array, number
from core.losses import LOSSES

PENALTIES = ("none", "l2", "l1", "elastic_net")


@dataclass(frozen=True)
class Penalty:
    """R(W) and dR/dW."""

    value: float
    grad: np.ndarray  # same shape as W


def _finite_array(name: str, value) -> np.ndarray:
    arr = finite_array(name, value)
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    return arr


def penalty(W, kind: str, *, beta: float = 1.0) -> Penalty:
    """The regularization penalty R(W) and its gradient.

    Parameters
    ----------
    W : array_like, any shape
        Weights (finite).
    kind : {"none", "l2", "l1", "elastic_net"}
        ``"l2"``: sum W^2, grad 2W. ``"l1"``: sum |W|, grad sign(W) (0 at 0,
        a subgradient). ``"elastic_net"``: the lecture's sum(beta W^2 + |W|),
        grad 2 beta W + sign(W).
    beta : float
        Weight of the squared term in the elastic net (finite, >= 0).

    Returns
    -------
    Penalty
        ``value`` (float) and ``grad`` (shaped like W).
    """
    choice("kind", kind, PENALTIES)
    W = _finite_array("W", W)
    beta = number("beta", beta, low=0)
    return _penalty_kernel(W, kind, beta)


def _penalty_kernel(W: np.ndarray, kind: str, beta: float) -> Penalty:
    """``penalty`` on validated input (the training loop calls this once per step)."""
    if kind == "none":
        return Penalty(0.0, np.zeros_like(W))
    if kind == "l2":
        return Penalty(float(np.sum(W * W)), 2.0 * W)
    if kind == "l1":
        return Penalty(float(np.sum(np.abs(W))), np.sign(W))
    return Penalty(float(np.sum(beta * W * W + np.abs(W))), 2.0 * beta * W + np.sign(W))


def max_norm(W, c: float) -> np.ndarray:
    """Max-norm constraint as a projection: each row of W scaled down to norm <= c.

    Parameters
    ----------
    W : array_like, shape (C, D) or (D,)
        Weights; a 1-D vector is treated as one row.
    c : float
        The largest allowed L2 norm of a row (> 0).

    Returns
    -------
    ndarray shaped like W; rows already within the bound are unchanged.
    """
    W = _finite_array("W", W)
    c = number("c", c, low=0, low_open=True)
    rows = np.atleast_2d(W)  # (C, D)
    # Norms computed on rows divided by their largest entry, so 1e200-sized weights do not overflow.
    big = np.max(np.abs(rows), axis=1, keepdims=True)  # (C, 1)
    safe = np.where(big > 0, big, 1.0)
    norms = safe * np.linalg.norm(rows / safe, axis=1, keepdims=True)  # (C, 1)
    scale = np.minimum(1.0, c / np.maximum(norms, 1e-300))
    return (rows * scale).reshape(W.shape)


# ---- the lecture's example: same scores, different penalties ----------------------------------

LECTURE_X = np.array([1.0, 1.0, 1.0, 1.0])
LECTURE_W1 = np.array([1.0, 0.0, 0.0, 0.0])
LECTURE_W2 = np.array([0.25, 0.25, 0.25, 0.25])
# Same w.x = 1 for both, but here L1 prefers the sparse w1 (0.5 < 0.8) and L2 the spread w2.
SPARSE_X = np.array([2.0, 1.0, 1.0, 1.0])
SPARSE_W1 = np.array([0.5, 0.0, 0.0, 0.0])
SPARSE_W2 = np.array([0.2, 0.2, 0.2, 0.2])


def random_pair(dim: int = 4, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A random x and two weight vectors rescaled so that w1.x = w2.x = 1 (same scores)."""
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(0.5, 2.0, size=dim), 2)
    pair = []
    for _ in range(2):
        w = rng.uniform(-1.0, 1.0, size=dim) * (rng.uniform(size=dim) < 0.7)
        if abs(w @ x) < 0.1:  # avoid a near-zero dot product before rescaling
            w[0] += 1.0 / x[0]
        pair.append(np.round(w / (w @ x), 3) + 0.0)  # + 0.0 turns -0.0 into 0.0
    return x, pair[0], pair[1]


PAIRS = {"lecture": (LECTURE_X, LECTURE_W1, LECTURE_W2), "sparse": (SPARSE_X, SPARSE_W1, SPARSE_W2)}


def pair_name(x, w1, w2) -> str:
    """Which named pair (x, w1, w2) is: "lecture", "sparse", or "custom" for any other."""
    for name, pair in PAIRS.items():
        if all(np.array_equal(np.asarray(a, dtype=float), b) for a, b in zip((x, w1, w2), pair, strict=True)):
            return name
    return "custom"


def smaller(a: float, b: float, *, rtol: float = 1e-9) -> str:
    """Which of w1's cost ``a`` and w2's cost ``b`` is smaller: "w1", "w2", or "tie" when equal
    to within ``rtol`` (the lecture's rule: the smaller penalty, or the smaller total loss, wins).

    >>> smaller(1.0, 0.25), smaller(0.5, 0.5), smaller(0.3, 0.9)
    ('w2', 'tie', 'w1')
    """
    if np.isclose(a, b, rtol=rtol, atol=1e-12):
        return "tie"
    return "w1" if a < b else "w2"


@dataclass(frozen=True)
class PairComparison:
    """R(w1) and R(w2) under each penalty, and which one each penalty prefers."""

    kinds: tuple[str, ...]
    r1: np.ndarray  # (K,)
    r2: np.ndarray  # (K,)
    preferred: tuple[str, ...]  # "w1", "w2" or "tie" per kind
    score1: float  # w1 . x
    score2: float  # w2 . x


def compare_pair(
    x, w1, w2, *, beta: float = 1.0, kinds=("l2", "l1", "elastic_net"), rtol: float = 1e-9
) -> PairComparison:
    """Which of two weight vectors each penalty prefers (smaller R wins; equal is a tie)."""
    x, w1, w2 = (_finite_array(n, v) for n, v in (("x", x), ("w1", w1), ("w2", w2)))
    if not (x.shape == w1.shape == w2.shape and x.ndim == 1):
        raise ValueError(f"x, w1 and w2 must be 1-D of one length, got {x.shape}, {w1.shape}, {w2.shape}")
    r1 = np.array([penalty(w1, k, beta=beta).value for k in kinds])
    r2 = np.array([penalty(w2, k, beta=beta).value for k in kinds])
    preferred = tuple(smaller(a, b, rtol=rtol) for a, b in zip(r1, r2, strict=True))
    return PairComparison(tuple(kinds), r1, r2, preferred, float(w1 @ x), float(w2 @ x))


def two_class_scores(w, x) -> np.ndarray:
    """Scores (1, 2) of the page's small classification example: class A scores w.x, class B 0."""
    return np.array([[float(np.dot(w, x)), 0.0]])


def full_loss(
    w, x, label: int, *, loss: str = "softmax", reg: float = 0.0, kind: str = "l2", beta: float = 1.0
) -> tuple[float, float]:
    """(data loss, lambda R(w)) for the page's two-class example.

    Class A scores w.x and class B scores 0; ``label`` is x's class (0 = A,
    1 = B). The data loss is core.losses' SVM (the lecture's defaults) or
    softmax loss of those scores.
    """
    choice("loss", loss, LOSSES)
    reg = number("reg", reg, low=0)
    data = LOSSES[loss](two_class_scores(w, x), [int(label)]).total
    return data, reg * penalty(w, kind, beta=beta).value

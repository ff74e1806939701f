"""The geometry of regularization in 2-D: each penalty's "ball" (its level set), the data loss's
ellipses, and where data loss + lambda R(w) is smallest, as the lecture draws them.

Reference: https://cs231n.github.io/linear-classify/#regularization
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.checks import choice, integer, number
from core.regularization import PENALTIES, penalty


def level_set(kind: str, level: float, *, beta: float = 1.0, points: int = 361) -> np.ndarray:
    """The curve R(w) = ``level`` of a 2-D penalty (the "ball" the lecture draws), shape (points, 2).

    Along a direction u = (cos t, sin t) every penalty here is R(r u) = a r^2 + b r, with
    a = 1, b = 0 for L2 (a circle), a = 0, b = |cos t| + |sin t| for L1 (a diamond), and
    a = beta, b = |cos t| + |sin t| for the elastic net; so the curve's radius in that direction
    is the root r >= 0 of a r^2 + b r = level. The four axis points are always on the curve.

    >>> np.round(level_set("l1", 1.0, points=5), 12) + 0.0  # the diamond |w1| + |w2| = 1
    array([[ 1.,  0.],
           [ 0.,  1.],
           [-1.,  0.],
           [ 0., -1.],
           [ 1.,  0.]])
    """
    choice("kind", kind, ("l2", "l1", "elastic_net"))
    level, beta = number("level", level, low=0), number("beta", beta, low=0)
    points = integer("points", points, 5, 10_001)
    if (points - 1) % 4:
        raise ValueError(f"points must be 4k + 1 between 5 and 10001 (the axes on the curve), got {points}")
    t = np.linspace(0.0, 2.0 * np.pi, points)
    u = np.stack([np.cos(t), np.sin(t)], axis=1)
    u[np.abs(u) < 1e-15] = 0.0  # cos(pi/2) is 6e-17, not 0
    a = 1.0 if kind == "l2" else (beta if kind == "elastic_net" else 0.0)
    b = 0.0 if kind == "l2" else np.abs(u).sum(axis=1)
    if level == 0.0:
        r = np.zeros(points)  # the ball shrinks to the origin
    elif a == 0.0:
        r = level / b
    else:  # the root of a r^2 + b r - level = 0 that is >= 0, written to keep precision
        r = 2.0 * level / (b + np.sqrt(b * b + 4.0 * a * level))
    return u * np.reshape(r, (-1, 1))


@dataclass(frozen=True)
class Quadratic:
    """A data loss f(w) = 0.5 (w - w_star)^T H (w - w_star) in 2-D (least squares)."""

    H: np.ndarray  # (2, 2), symmetric positive definite
    w_star: np.ndarray  # (2,), the unregularized minimum

    def __call__(self, w) -> np.ndarray:
        d = np.asarray(w, dtype=float) - self.w_star  # (..., 2)
        return 0.5 * np.einsum("...i,ij,...j->...", d, self.H, d)

    def grad(self, w) -> np.ndarray:
        return (np.asarray(w, dtype=float) - self.w_star) @ self.H

    def level_set(self, value: float, points: int = 181) -> np.ndarray:
        """The ellipse f(w) = ``value`` around w_star, shape (points, 2): with H = Q diag(h) Q^T,
        w = w_star + Q (sqrt(2 value / h) * (cos t, sin t))."""
        value = number("value", value, low=0)
        h, Q = np.linalg.eigh(self.H)
        t = np.linspace(0.0, 2.0 * np.pi, points)
        circle = np.stack([np.cos(t), np.sin(t)], axis=1) * np.sqrt(2.0 * value / h)
        return self.w_star + circle @ Q.T


DEMO_QUADRATIC = Quadratic(H=np.array([[1.0, 0.3], [0.3, 1.5]]), w_star=np.array([1.0, 0.2]))


def penalized_minimum(
    f: Quadratic, kind: str, lam: float, *, beta: float = 1.0, steps: int = 3000
) -> np.ndarray:
    """argmin_w f(w) + lam R(w) for a 2-D quadratic f, by proximal gradient descent (ISTA).

    The L1 part is handled by its proximal operator (soft thresholding), which
    lands exactly on an axis when a weight should be 0: the sparsity L1 is
    known for. The smooth part (f plus any squared term) takes gradient steps.
    """
    lam = number("lam", lam, low=0)
    choice("kind", kind, PENALTIES)
    beta = number("beta", beta, low=0)
    l2 = {"l2": 1.0, "elastic_net": beta}.get(kind, 0.0) * lam  # weight of sum w^2
    l1 = lam if kind in ("l1", "elastic_net") else 0.0  # weight of sum |w|
    smooth_h = f.H + 2.0 * l2 * np.eye(2)
    if l1 == 0.0:  # closed form: (H + 2 l2 I) w = H w_star
        return np.linalg.solve(smooth_h, f.H @ f.w_star)
    step = 1.0 / np.linalg.eigvalsh(smooth_h).max()
    w = f.w_star.copy()
    for _ in range(steps):
        z = w - step * (f.grad(w) + 2.0 * l2 * w)
        w_new = np.sign(z) * np.maximum(np.abs(z) - step * l1, 0.0)  # soft threshold
        if np.max(np.abs(w_new - w)) < 1e-12:
            return w_new
        w = w_new
    return w


def penalized_path(f: Quadratic, kind: str, lams, *, beta: float = 1.0) -> np.ndarray:
    """``penalized_minimum`` at each lambda: the regularization path, shape (len(lams), 2)."""
    path = [penalized_minimum(f, kind, lam, beta=beta) for lam in np.asarray(lams, dtype=float).ravel()]
    return np.array(path).reshape(-1, 2)


@dataclass(frozen=True)
class PenalizedSolution:
    """Where data loss + lambda R(w) is smallest, and the ball R(w) = R(w*) through it: the
    penalty's level set that the data loss's contours first touch."""

    w: np.ndarray  # (2,)
    ball: np.ndarray  # (points, 2), from level_set
    zeros: int  # how many weights are 0 (|w_i| < 1e-9): L1's sparsity


def solve_penalized(f: Quadratic, kind: str, lam: float, *, beta: float = 1.0) -> PenalizedSolution:
    """``penalized_minimum`` with its ball and its count of zero weights.

    >>> solution = solve_penalized(DEMO_QUADRATIC, "l1", 10**0.5)  # a large lambda: L1 zeroes both
    >>> solution.w + 0.0, solution.zeros
    (array([0., 0.]), 2)
    """
    w = penalized_minimum(f, kind, lam, beta=beta)
    ball = level_set(kind, penalty(w, kind, beta=beta).value, beta=beta)
    return PenalizedSolution(w, ball, int(np.sum(np.abs(w) < 1e-9)))

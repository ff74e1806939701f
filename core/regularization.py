"""Regularization: the R(W) in L = data loss + lambda R(W), as in CS231n Lecture 3.

Penalties with their gradients, max-norm as a projection, the lecture's
w1-vs-w2 example, 2-D geometry (level sets, penalized solutions) and a
polynomial ridge-regression experiment that shows over- and underfitting.

Reference: https://cs231n.github.io/linear-classify/#regularization
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.losses import LOSSES

PENALTIES = ("none", "l2", "l1", "elastic_net")


@dataclass(frozen=True)
class Penalty:
    """R(W) and dR/dW."""

    value: float
    grad: np.ndarray  # same shape as W


def _finite_array(name: str, value) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers") from None
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite numbers (no NaN or infinity)")
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
    if kind not in PENALTIES:
        raise ValueError(f"kind must be one of {list(PENALTIES)}, got {kind!r}")
    W = _finite_array("W", W)
    beta = float(beta)
    if not np.isfinite(beta) or beta < 0:
        raise ValueError(f"beta must be a finite number >= 0, got {beta}")
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
    c = float(c)
    if not np.isfinite(c) or c <= 0:
        raise ValueError(f"c must be a finite number > 0, got {c}")
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


@dataclass(frozen=True)
class PairComparison:
    """R(w1) and R(w2) under each penalty, and which one each penalty prefers."""

    kinds: tuple[str, ...]
    r1: np.ndarray  # (K,)
    r2: np.ndarray  # (K,)
    preferred: tuple[str, ...]  # "w1", "w2" or "tie" per kind
    score1: float  # w1 . x
    score2: float  # w2 . x


def compare_pair(x, w1, w2, *, beta: float = 1.0, kinds=("l2", "l1", "elastic_net"),
                 rtol: float = 1e-9) -> PairComparison:
    """Which of two weight vectors each penalty prefers (smaller R wins; equal is a tie)."""
    x, w1, w2 = (_finite_array(n, v) for n, v in (("x", x), ("w1", w1), ("w2", w2)))
    if not (x.shape == w1.shape == w2.shape and x.ndim == 1):
        raise ValueError(f"x, w1 and w2 must be 1-D of one length, got {x.shape}, {w1.shape}, {w2.shape}")
    r1 = np.array([penalty(w1, k, beta=beta).value for k in kinds])
    r2 = np.array([penalty(w2, k, beta=beta).value for k in kinds])
    preferred = tuple(
        "tie" if np.isclose(a, b, rtol=rtol, atol=1e-12) else ("w1" if a < b else "w2")
        for a, b in zip(r1, r2, strict=True)
    )
    return PairComparison(tuple(kinds), r1, r2, preferred, float(w1 @ x), float(w2 @ x))


def two_class_scores(w, x) -> np.ndarray:
    """Scores (1, 2) of the page's small classification example: class A scores w.x, class B 0."""
    return np.array([[float(np.dot(w, x)), 0.0]])


# ---- 2-D geometry -------------------------------------------------------------------------------


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
    if kind not in ("l2", "l1", "elastic_net"):
        raise ValueError(f"kind must be one of ['l2', 'l1', 'elastic_net'], got {kind!r}")
    level, beta = float(level), float(beta)
    if not np.isfinite(level) or level < 0:
        raise ValueError(f"level must be a finite number >= 0, got {level}")
    if not np.isfinite(beta) or beta < 0:
        raise ValueError(f"beta must be a finite number >= 0, got {beta}")
    if not 5 <= points <= 10_001 or (points - 1) % 4:
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
        value = float(value)
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"value must be a finite number >= 0, got {value}")
        h, Q = np.linalg.eigh(self.H)
        t = np.linspace(0.0, 2.0 * np.pi, points)
        circle = np.stack([np.cos(t), np.sin(t)], axis=1) * np.sqrt(2.0 * value / h)
        return self.w_star + circle @ Q.T


DEMO_QUADRATIC = Quadratic(H=np.array([[1.0, 0.3], [0.3, 1.5]]), w_star=np.array([1.0, 0.2]))


def penalized_minimum(f: Quadratic, kind: str, lam: float, *, beta: float = 1.0,
                      steps: int = 3000) -> np.ndarray:
    """argmin_w f(w) + lam R(w) for a 2-D quadratic f, by proximal gradient descent (ISTA).

    The L1 part is handled by its proximal operator (soft thresholding), which
    lands exactly on an axis when a weight should be 0: the sparsity L1 is
    known for. The smooth part (f plus any squared term) takes gradient steps.
    """
    lam = float(lam)
    if not np.isfinite(lam) or lam < 0:
        raise ValueError(f"lam must be a finite number >= 0, got {lam}")
    if kind not in PENALTIES:
        raise ValueError(f"kind must be one of {list(PENALTIES)}, got {kind!r}")
    if not np.isfinite(beta) or beta < 0:
        raise ValueError(f"beta must be a finite number >= 0, got {beta}")
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


# ---- overfitting, measured: polynomial ridge regression -----------------------------------------


@dataclass(frozen=True)
class PolyData:
    x_train: np.ndarray  # (n_train,)
    y_train: np.ndarray
    x_test: np.ndarray  # (n_test,)
    y_test: np.ndarray


def true_function(x) -> np.ndarray:
    """The smooth function the noisy points come from."""
    return np.sin(np.pi * np.asarray(x, dtype=float))


def make_poly_data(n_train: int = 15, n_test: int = 60, *, noise: float = 0.25, seed: int = 0) -> PolyData:
    """Noisy samples of ``true_function`` on [-1, 1]: a small training set and a held-out test set."""
    if not 2 <= n_train <= 1000 or not 1 <= n_test <= 10000:
        raise ValueError(f"n_train must be in 2..1000 and n_test in 1..10000, got {n_train}, {n_test}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    x_train = np.sort(rng.uniform(-1.0, 1.0, n_train))
    x_test = np.sort(rng.uniform(-1.0, 1.0, n_test))
    y_train = true_function(x_train) + noise * rng.standard_normal(n_train)
    y_test = true_function(x_test) + noise * rng.standard_normal(n_test)
    return PolyData(x_train, y_train, x_test, y_test)


def poly_features(x, degree: int) -> np.ndarray:
    """[1, x, x^2, ..., x^degree] for x in [-1, 1]: shape (N, degree + 1)."""
    if not 0 <= int(degree) <= 30:
        raise ValueError(f"degree must be in 0..30, got {degree}")
    return np.vander(np.asarray(x, dtype=float), int(degree) + 1, increasing=True)


def ridge_fit(x, y, degree: int, lam: float) -> np.ndarray:
    """Polynomial weights minimizing sum (y - Xw)^2 + lam ||w||^2 (the bias not penalized).

    Closed form: w = (X^T X + lam I')^{-1} X^T y with I' the identity minus its
    bias entry, solved by least squares on the stacked system [X; sqrt(lam) I'].
    """
    lam = float(lam)
    if not np.isfinite(lam) or lam < 0:
        raise ValueError(f"lam must be a finite number >= 0, got {lam}")
    X = poly_features(x, degree)  # (N, D)
    d = X.shape[1]
    ridge = np.sqrt(lam) * np.eye(d)[1:]  # (D - 1, D): no row for the bias
    A = np.vstack([X, ridge])
    b = np.concatenate([np.asarray(y, dtype=float), np.zeros(d - 1)])
    w, *_ = np.linalg.lstsq(A, b, rcond=None)
    return w


def mse(w, x, y) -> float:
    """Mean squared error of polynomial weights w on (x, y)."""
    X = poly_features(x, len(w) - 1)
    return float(np.mean((X @ w - np.asarray(y, dtype=float)) ** 2))


def ridge_path(data: PolyData, degree: int, lams) -> tuple[np.ndarray, np.ndarray]:
    """Training and test MSE of the ridge fit at each lambda in ``lams``."""
    train, test = [], []
    for lam in np.asarray(lams, dtype=float):
        w = ridge_fit(data.x_train, data.y_train, degree, lam)
        train.append(mse(w, data.x_train, data.y_train))
        test.append(mse(w, data.x_test, data.y_test))
    return np.array(train), np.array(test)


def full_loss(w, x, label: int, *, loss: str = "softmax", reg: float = 0.0, kind: str = "l2",
              beta: float = 1.0) -> tuple[float, float]:
    """(data loss, lambda R(w)) for the page's two-class example.

    Class A scores w.x and class B scores 0; ``label`` is x's class (0 = A,
    1 = B). The data loss is core.losses' SVM (the lecture's defaults) or
    softmax loss of those scores.
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {list(LOSSES)}, got {loss!r}")
    reg = float(reg)
    if not np.isfinite(reg) or reg < 0:
        raise ValueError(f"reg must be a finite number >= 0, got {reg}")
    data = LOSSES[loss](two_class_scores(w, x), [int(label)]).total
    return data, reg * penalty(w, kind, beta=beta).value

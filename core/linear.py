"""A linear classifier f(x; W, b) = W x + b and its full objective.

The objective is the lecture's L = data loss + lambda R(W), with the data loss
from core.losses and R from core.regularization; b is not regularized.

Reference: https://cs231n.github.io/linear-classify/
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.losses import _softmax_kernel, _svm_kernel, svm_loss, validate_scores
from core.regularization import _penalty_kernel
from core.regularization import penalty as reg_penalty

LINEAR_LOSSES = ("svm", "softmax")


@dataclass(frozen=True)
class Objective:
    """The objective at (W, b) and its gradients."""

    data_loss: float
    reg_loss: float  # reg * R(W)
    total: float
    per_example: np.ndarray  # (N,) L_i
    scores: np.ndarray  # (N, C)
    dW: np.ndarray  # (C, D)
    db: np.ndarray  # (C,)


def scores_of(W, b, X) -> np.ndarray:
    """scores = X W^T + b, shape (N, C) for W (C, D), b (C,), X (N, D)."""
    return np.asarray(X, dtype=float) @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float)


def objective(W, b, X, y, *, loss: str = "softmax", variant: str = "ww", margin: float = 1.0,
              reg: float = 0.0, penalty: str = "l2", beta: float = 1.0) -> Objective:
    """L(W, b) = (1/N) sum_i L_i + reg * R(W), with dL/dW and dL/db.

    Parameters
    ----------
    W : array_like, shape (C, D)
    b : array_like, shape (C,)
    X : array_like, shape (N, D)
    y : array_like of int, shape (N,)
    loss : {"svm", "softmax"}
        ``"svm"`` uses ``variant`` ("ww", "ova", "structured") and ``margin``.
    reg : float
        lambda, >= 0.
    penalty : {"none", "l2", "l1", "elastic_net"}
        R(W); the L2 gradient is 2 * reg * W (the CS231n web demo adds
        0.5 * reg * W, which is not the gradient of its own loss).
    """
    W, b, X = (np.asarray(a, dtype=float) for a in (W, b, X))
    if W.ndim != 2 or b.shape != (W.shape[0],) or X.ndim != 2 or X.shape[1] != W.shape[1]:
        raise ValueError(f"shapes do not fit: W {W.shape} must be (C, D), b {b.shape} (C,), "
                         f"X {X.shape} (N, D)")
    if loss not in LINEAR_LOSSES:
        raise ValueError(f"loss must be one of {list(LINEAR_LOSSES)}, got {loss!r}")
    reg = float(reg)
    if not np.isfinite(reg) or reg < 0:
        raise ValueError(f"reg must be a finite number >= 0, got {reg}")
    scores = scores_of(W, b, X)  # (N, C)
    # The public loss functions validate everything (scores, labels, options) once here ...
    _, y = validate_scores(scores, y)
    if loss == "svm":
        svm_loss(scores[:1], y[:1], margin=margin, variant=variant)
    reg_penalty(W, penalty, beta=beta)
    # ... and the kernel below, which the training loop calls every step, trusts its input.
    return _evaluate(W, b, X, y, loss=loss, variant=variant, margin=float(margin), reg=reg,
                     penalty=penalty, beta=float(beta))


def _evaluate(W, b, X, y, *, loss, variant, margin, reg, penalty, beta) -> Objective:
    """The objective on validated arrays, computed class-major: scores^T = W X^T + b is (C, N)."""
    sT = W @ X.T + b[:, None]  # (C, N)
    if loss == "svm":
        per_example, data_loss, _, gT = _svm_kernel(sT, y, margin, False, False, "sum", variant)
    else:
        _, per_example, data_loss, gT, _, _ = _softmax_kernel(sT, y, 1.0, with_probs=False)
    R = _penalty_kernel(W, penalty, beta)
    dW = gT @ X + reg * R.grad  # (C, D)
    db = gT.sum(axis=1)  # (C,)
    reg_loss = reg * R.value
    return Objective(data_loss, reg_loss, data_loss + reg_loss, per_example, sT.T, dW, db)


def predict(W, b, X) -> np.ndarray:
    """The predicted class of each row of X: argmax of its scores."""
    return np.argmax(scores_of(W, b, X), axis=1)


def accuracy(W, b, X, y) -> float:
    """Fraction of rows of X whose predicted class is y (nan for no rows)."""
    y = np.asarray(y)
    if y.size == 0:
        return float("nan")
    return float(np.mean(predict(W, b, X) == y))


def decision_grid(W, b, *, extent: float = 1.0, n: int = 120):
    """The predicted class over a square grid, for a decision-region picture.

    Returns axis (n,) and classes (n, n) with classes[i, j] the class at (axis[j], axis[i]).
    """
    axis = np.linspace(-extent, extent, n)
    a, c = np.meshgrid(axis, axis)
    points = np.stack([a.ravel(), c.ravel()], axis=1)  # (n*n, 2)
    return axis, predict(W, b, points).reshape(n, n)

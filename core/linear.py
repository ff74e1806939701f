"""A linear classifier f(x; W, b) = W x + b and its full objective.

The objective is the lecture's L = data loss + lambda R(W), with the data loss
from core.losses and R from core.regularization; b is not regularized. What the
objective is (which loss, its margin, lambda, the penalty) is one ``LossSpec``,
checked once when it is made.

Reference: https://cs231n.github.io/linear-classify/
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from core.checks import choice, finite_array, number
from core.losses import SVM_VARIANTS, _softmax_loss, _svm_loss, validate_scores
from core.regularization import PENALTIES, _penalty_kernel

LINEAR_LOSSES = ("svm", "softmax")


@dataclass(frozen=True)
class LossSpec:
    """The objective L = data loss + reg * R(W): every option, validated once when made.

    Parameters
    ----------
    loss : {"svm", "softmax"}
    variant : {"ww", "ova", "structured"}
        The SVM's form (see ``core.losses.svm_loss``); ignored by softmax.
    margin : float
        The SVM's Delta, finite and >= 0.
    reg : float
        lambda, finite and >= 0.
    penalty : {"none", "l2", "l1", "elastic_net"}
        R(W); the L2 gradient is 2 * reg * W (the CS231n web demo adds
        0.5 * reg * W, which is not the gradient of its own loss).
    beta : float
        Weight of the squared term in the elastic net, finite and >= 0.

    >>> LossSpec(loss="svm", reg=-1)
    Traceback (most recent call last):
    ...
    ValueError: reg must be a finite number >= 0, got -1
    """

    loss: str = "softmax"
    variant: str = "ww"
    margin: float = 1.0
    reg: float = 0.0
    penalty: str = "l2"
    beta: float = 1.0

    def __post_init__(self):
        choice("loss", self.loss, LINEAR_LOSSES)
        choice("variant", self.variant, SVM_VARIANTS)
        choice("penalty", self.penalty, PENALTIES)
        for name in ("margin", "reg", "beta"):  # stored as plain floats
            object.__setattr__(self, name, number(name, getattr(self, name), low=0))


SPEC_FIELDS = tuple(f.name for f in fields(LossSpec))


def loss_spec(spec: LossSpec | None = None, **options) -> LossSpec:
    """``spec``, or a LossSpec made from keyword options (``loss="svm", reg=0.1``); not both."""
    if spec is not None and options:
        raise ValueError(f"give a LossSpec or its options, not both; got {sorted(options)} besides the spec")
    return LossSpec(**options) if spec is None else spec


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


def objective(W, b, X, y, spec: LossSpec | None = None, **options) -> Objective:
    """L(W, b) = (1/N) sum_i L_i + reg * R(W), with dL/dW and dL/db.

    Parameters
    ----------
    W : array_like, shape (C, D)
    b : array_like, shape (C,)
    X : array_like, shape (N, D)
    y : array_like of int, shape (N,)
    spec : LossSpec, optional
        Which loss and regularization; or give its fields as keywords
        (``loss="svm", reg=0.1``). The default is softmax without regularization.

    >>> W, b, X = [[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0], [[3.2, 5.1]]
    >>> round(objective(W, b, X, [0], loss="svm").total, 1)  # max(0, 5.1 - 3.2 + 1)
    2.9
    """
    spec = loss_spec(spec, **options)
    W, b, X = (finite_array(name, a) for name, a in (("W", W), ("b", b), ("X", X)))
    if W.ndim != 2 or b.shape != (W.shape[0],) or X.ndim != 2 or X.shape[1] != W.shape[1]:
        raise ValueError(
            f"shapes do not fit: W {W.shape} must be (C, D), b {b.shape} (C,), X {X.shape} (N, D)"
        )
    _, y = validate_scores(scores_of(W, b, X), y)
    # Everything is checked once here; the training loop calls _evaluate every step.
    return _evaluate(W, b, X, y, spec)


def _evaluate(W, b, X, y, spec: LossSpec) -> Objective:
    """The objective on validated arrays and a LossSpec."""
    scores = X @ W.T + b  # (N, C)
    if spec.loss == "svm":
        data = _svm_loss(scores, y, spec.margin, False, False, "sum", spec.variant)
    else:
        data = _softmax_loss(scores, y)
    R = _penalty_kernel(W, spec.penalty, spec.beta)
    dW = data.grad.T @ X + spec.reg * R.grad  # (C, D)
    db = data.grad.sum(axis=0)  # (C,)
    reg_loss = spec.reg * R.value
    return Objective(data.total, reg_loss, data.total + reg_loss, data.per_example, scores, dW, db)


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

"""Following the slope: numerical gradients and gradient checks on the linear classifier.

The lecture's point: the numerical gradient (finite differences) is
approximate, slow and easy to write; the analytic gradient is exact and fast.
Use the analytic one, and check it against the numerical one. A gradient check walks through every
parameter of the classifier, W (C, D) and b (C,) as one flat vector p = [W.ravel(), b]
(core.params); the bugs it catches are planted into the analytic gradient by ``planted``.
Search strategies are in core.search, optimizers on 2-D surfaces in core.descent.

Reference: https://cs231n.github.io/optimization-1/ and
https://cs231n.github.io/neural-networks-3/#gradcheck
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.checks import choice, integer, number
from core.linear import LossSpec, loss_spec, objective
from core.params import flat_objective, flatten

METHODS = ("centered", "forward")


def numerical_gradient(
    f: Callable[[np.ndarray], float], x, *, h: float = 1e-5, method: str = "centered"
) -> np.ndarray:
    """The gradient of scalar f at x by finite differences, one coordinate at a time.

    Parameters
    ----------
    f : callable
        f(x) -> float, x an array shaped like ``x``.
    x : array_like
        Where to differentiate; not modified (each probe uses a copy).
    h : float
        Step, > 0.
    method : {"centered", "forward"}
        ``"centered"``: (f(x + h e_i) - f(x - h e_i)) / 2h, error O(h^2), 2 evaluations
        per coordinate. ``"forward"``: (f(x + h e_i) - f(x)) / h, error O(h), 1 per
        coordinate plus f(x) once.

    Returns
    -------
    ndarray shaped like x.
    """
    choice("method", method, METHODS)
    h = number("h", h, low=0, low_open=True)
    x = np.array(x, dtype=np.float64)  # a private copy: the caller's x is never touched
    grad = np.zeros_like(x)
    fx = float(f(x.copy())) if method == "forward" else None
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = float(f(x.copy()))
        if method == "centered":
            flat[i] = old - h
            f_minus = float(f(x.copy()))
            gflat[i] = (f_plus - f_minus) / (2 * h)
        else:
            gflat[i] = (f_plus - fx) / h
        flat[i] = old
    return grad


def relative_error(a, b) -> float:
    """max over elements of |a - b| / max(|a|, |b|), with 0 where both are 0 (never nan).

    Non-finite entries are judged, not propagated: equal infinities agree (0), an infinity
    against a finite number is completely off (1), and any NaN counts as infinitely wrong.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(elementwise_relative_error(a, b)))


def elementwise_relative_error(a, b) -> np.ndarray:
    """|a - b| / max(|a|, |b|) per element, 0 where both are 0 (see ``relative_error``)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        denom = np.maximum(np.abs(a), np.abs(b))
        rel = np.where(denom > 0, np.abs(a - b) / np.where(denom > 0, denom, 1.0), 0.0)
    rel = np.where(np.isinf(a) | np.isinf(b), np.where(a == b, 0.0, 1.0), rel)
    return np.where(np.isnan(a) | np.isnan(b), np.inf, rel)


# The CS231n gradient-check guide: below 1e-7 fine; up to 1e-4 suspicious (fine near the
# kinks of a hinge); above that the gradient is probably wrong.
VERDICT_FINE, VERDICT_KINK = 1e-7, 1e-4


# Where the true gradient is 0, the numerical one is round-off noise (~1e-11 at h = 1e-5) and the
# relative error is 1 however right the code is; differences below this floor count as agreement.
NOISE_FLOOR = 1e-8


def verdict(rel_error: float) -> str:
    """ "fine", "suspicious" or "wrong" by the CS231n thresholds."""
    if rel_error < VERDICT_FINE:
        return "fine"
    return "suspicious" if rel_error <= VERDICT_KINK else "wrong"


def check_errors(analytic, numeric) -> np.ndarray:
    """Per-element relative errors for a gradient check, 0 where |a - n| is below NOISE_FLOOR."""
    a, n = np.asarray(analytic, dtype=float), np.asarray(numeric, dtype=float)
    rel = elementwise_relative_error(a, n)
    with np.errstate(invalid="ignore"):
        tiny = np.abs(a - n) < NOISE_FLOOR  # False wherever a NaN is involved
    return np.where(tiny, 0.0, rel)


def difference_quotients(f, x, index, hs, *, true_grad: float):
    """|numerical - analytic| of one partial derivative for each h, forward and centered.

    Returns (forward_errors, centered_errors), each (len(hs),): truncation error dominates at
    large h (slope 1 forward, 2 centered on a log-log plot), round-off at tiny h.
    """
    x = np.array(x, dtype=float)
    forward, centered = [], []
    fx = float(f(x.copy()))
    for h in np.asarray(hs, dtype=float):
        plus, minus = x.copy(), x.copy()
        plus.flat[index] += h
        minus.flat[index] -= h
        f_plus, f_minus = float(f(plus)), float(f(minus))
        forward.append(abs((f_plus - fx) / h - true_grad))
        centered.append(abs((f_plus - f_minus) / (2 * h) - true_grad))
    return np.array(forward), np.array(centered)


# ---- one partial derivative, nudged by hand ---------------------------------------------------------------


@dataclass(frozen=True)
class Nudge:
    """The lecture's walkthrough: add h to one parameter and watch the loss move."""

    params: np.ndarray  # (P,) p = [W.ravel(), b]
    nudged: np.ndarray  # (P,) p with h added at ``index``
    loss: float  # L(p)
    nudged_loss: float  # L(p + h e_index)
    quotient: float  # (L(p + h) - L(p)) / h
    analytic: float  # dL/dp[index]


def nudge(W, b, X, y, index: int, h: float, spec: LossSpec | None = None, **options) -> Nudge:
    """The forward difference quotient of the objective (the LossSpec ``spec``, or one made from
    ``options``) in parameter ``index`` of flatten(W, b), beside the analytic partial derivative.

    >>> from core.data import CS231N_DEMO_B, CS231N_DEMO_W, CS231N_DEMO_X, CS231N_DEMO_Y
    >>> n = nudge(CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y, 0, 1e-5, loss="svm", reg=0.1)
    >>> round(n.loss, 4), round(n.analytic, 4), round(n.quotient, 4)  # L(W) and dL/dW[0, 1]
    (6.2667, -0.2333, -0.2333)
    """
    h = number("h", h, low=0, low_open=True)
    p = flatten(W, b)
    index = integer("index", index, 0, p.size - 1)
    loss, loss_and_grad = flat_objective(X, y, np.shape(W), loss_spec(spec, **options))
    p1 = p.copy()
    p1[index] += h
    l0, g = loss_and_grad(p)
    l1 = loss(p1)
    return Nudge(p, p1, l0, l1, (l1 - l0) / h, float(g[index]))


# ---- the gradient check, and the bugs it catches ---------------------------------------------------------

BUGS = ("none", "demo_reg", "no_reg", "no_bias")
REG_BUGS = ("demo_reg", "no_reg")  # bugs in the L2 term's gradient 2 * reg * W


def planted(dW, db, W, bug: str, *, reg: float, penalty: str = "l2") -> tuple[np.ndarray, np.ndarray]:
    """The analytic gradient (dW, db) with a bug planted in it, as a gradient check would meet it.

    ``"demo_reg"``: the original CS231n web demo's L2 gradient, 0.5 * reg * W where 2 * reg * W
    belongs; ``"no_reg"``: the L2 gradient forgotten; ``"no_bias"``: db never computed (zeros);
    ``"none"``: unchanged. The two regularization bugs change nothing without an L2 term
    (``penalty`` other than ``"l2"``, or reg = 0): see ``bug_is_hidden``.

    >>> W = np.array([[1.0, -2.0]])
    >>> planted(2 * 0.1 * W, np.zeros(1), W, "demo_reg", reg=0.1)[0]  # the L2 gradient alone: 2λW -> 0.5λW
    array([[ 0.05, -0.1 ]])
    """
    choice("bug", bug, BUGS)
    dW, db, W = (np.asarray(a, dtype=float) for a in (dW, db, W))
    l2 = float(reg) if penalty == "l2" else 0.0
    if bug == "demo_reg":
        return dW - 2 * l2 * W + 0.5 * l2 * W, db
    if bug == "no_reg":
        return dW - 2 * l2 * W, db
    if bug == "no_bias":
        return dW, np.zeros_like(db)
    return dW, db


def bug_is_hidden(bug: str, *, reg: float, penalty: str = "l2") -> bool:
    """Whether ``bug`` leaves the gradient as it is: a regularization bug with no L2 term."""
    return bug in REG_BUGS and (penalty != "l2" or float(reg) == 0.0)


@dataclass(frozen=True)
class GradientCheck:
    """Every parameter's analytic gradient beside its centered numerical estimate."""

    analytic: np.ndarray  # (P,) flat, with the planted bug
    numeric: np.ndarray  # (P,)
    errors: np.ndarray  # (P,) check_errors(analytic, numeric)
    evaluations: int  # loss evaluations the numerical gradient took (2 per parameter)
    analytic_seconds: float
    numeric_seconds: float

    @property
    def worst(self) -> float:
        return float(self.errors.max())


def gradient_check(
    W, b, X, y, spec: LossSpec | None = None, *, bug: str = "none", h: float = 1e-5, **options
) -> GradientCheck:
    """Check the classifier's analytic gradient (with ``bug`` planted) against the numerical one,
    for the objective ``spec`` (a LossSpec, or one made from ``options``).

    >>> from core.data import CS231N_DEMO_B, CS231N_DEMO_W, CS231N_DEMO_X, CS231N_DEMO_Y
    >>> data = CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y
    >>> [verdict(gradient_check(*data, bug=bug, loss="svm", reg=0.1).worst) for bug in BUGS]
    ['fine', 'wrong', 'wrong', 'wrong']
    """
    spec = loss_spec(spec, **options)
    t0 = time.perf_counter()
    o = objective(W, b, X, y, spec)
    analytic = flatten(*planted(o.dW, o.db, W, bug, reg=spec.reg, penalty=spec.penalty))
    t_analytic = time.perf_counter() - t0
    loss, _ = flat_objective(X, y, np.shape(W), spec)
    calls = [0]

    def counted(p) -> float:
        calls[0] += 1
        return loss(p)

    t0 = time.perf_counter()
    numeric = numerical_gradient(counted, flatten(W, b), h=h)
    t_numeric = time.perf_counter() - t0
    return GradientCheck(analytic, numeric, check_errors(analytic, numeric), calls[0], t_analytic, t_numeric)

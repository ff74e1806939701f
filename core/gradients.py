"""Following the slope: numerical gradients, gradient checks, search strategies, 2-D surfaces.

The lecture's point: the numerical gradient (finite differences) is
approximate, slow and easy to write; the analytic gradient is exact and fast.
Use the analytic one, and check it against the numerical one.

Reference: https://cs231n.github.io/optimization-1/ and
https://cs231n.github.io/neural-networks-3/#gradcheck
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.linear import objective
from core.optim import has_diverged, make_optimizer

METHODS = ("centered", "forward")


def numerical_gradient(f: Callable[[np.ndarray], float], x, *, h: float = 1e-5,
                       method: str = "centered") -> np.ndarray:
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
    if method not in METHODS:
        raise ValueError(f"method must be one of {list(METHODS)}, got {method!r}")
    h = float(h)
    if not np.isfinite(h) or h <= 0:
        raise ValueError(f"h must be a finite number > 0, got {h}")
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
    """"fine", "suspicious" or "wrong" by the CS231n thresholds."""
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


# ---- search strategies on one budget of loss evaluations ---------------------------------------------


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


# ---- 2-D loss surfaces for comparing optimizers ---------------------------------------------------------


@dataclass(frozen=True)
class Surface:
    """A 2-D function with its gradient, a start point and a view box."""

    f: Callable[[np.ndarray], np.ndarray]  # (..., 2) -> (...)
    grad: Callable[[np.ndarray], np.ndarray]  # (2,) -> (2,)
    start: np.ndarray
    box: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max
    minimum: np.ndarray | None


def _quadratic():
    H = np.array([[1.0, 0.0], [0.0, 20.0]])  # condition number 20: a long narrow valley
    return Surface(lambda w: 0.5 * np.einsum("...i,ij,...j->...", w, H, w), lambda w: H @ w,
                   np.array([-1.8, 0.6]), (-2.0, 2.0, -1.0, 1.0), np.zeros(2))


def _rosenbrock():
    def f(w):
        return (1 - w[..., 0]) ** 2 + 100 * (w[..., 1] - w[..., 0] ** 2) ** 2

    def grad(w):
        x, y = w
        return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])

    return Surface(f, grad, np.array([-1.2, 1.0]), (-2.0, 2.0, -1.0, 3.0), np.array([1.0, 1.0]))


def _saddle():
    # A saddle point at the origin between two valleys at w2 = +-sqrt(2): f = w1^2 - w2^2 + w2^4 / 4.
    return Surface(lambda w: w[..., 0] ** 2 - w[..., 1] ** 2 + 0.25 * w[..., 1] ** 4,
                   lambda w: np.array([2 * w[0], -2 * w[1] + w[1] ** 3]),
                   np.array([-1.5, 0.01]), (-2.0, 2.0, -2.2, 2.2), np.array([0.0, np.sqrt(2.0)]))


SURFACES = {"quadratic": _quadratic, "rosenbrock": _rosenbrock, "saddle": _saddle}


def surface(name: str) -> Surface:
    """A named surface: "quadratic" (ill-conditioned bowl), "rosenbrock" or "saddle"."""
    if name not in SURFACES:
        raise ValueError(f"surface must be one of {list(SURFACES)}, got {name!r}")
    return SURFACES[name]()


def classifier_slice(W, b, X, y, a: tuple[int, int], c: tuple[int, int], **opts) -> Surface:
    """The linear classifier's objective as a function of two entries of W, the rest held fixed.

    ``a`` and ``c`` index W (class, feature); the start is their current value and the box
    spans +-3 around it.
    """
    W, b = np.array(W, dtype=float), np.array(b, dtype=float)
    if a == c:
        raise ValueError("the two weights of a slice must differ")

    def at(w1, w2):
        Wk = W.copy()
        Wk[a], Wk[c] = w1, w2
        return Wk

    def f(w):
        w = np.asarray(w, dtype=float)
        flat = w.reshape(-1, 2)
        out = np.array([objective(at(p, q), b, X, y, **opts).total for p, q in flat])
        return out.reshape(w.shape[:-1])

    def grad(w):
        g = objective(at(w[0], w[1]), b, X, y, **opts).dW
        return np.array([g[a], g[c]])

    start = np.array([W[a], W[c]])
    box = (start[0] - 3, start[0] + 3, start[1] - 3, start[1] + 3)
    return Surface(f, grad, start, box, None)


def run_optimizer(surf: Surface, name: str, lr: float, steps: int, **hparams):
    """An optimizer's path on a surface: points (K, 2) and values (K,), K <= steps + 1.

    The run stops early (without non-finite numbers) when it diverges, by the training loop's
    rule (``core.optim.has_diverged``: a loss that is not finite or above 100 times the start's)
    or by leaving a huge box; the third return value says so.
    """
    opt = make_optimizer(name, lr, **hparams)
    w = np.array(surf.start, dtype=float)
    path, values = [w], [float(surf.f(w))]
    diverged = False
    with np.errstate(all="ignore"):
        for _ in range(int(steps)):
            w = opt.step({"w": w}, {"w": surf.grad(w)})["w"]
            value = float(surf.f(w))
            if not np.all(np.isfinite(w)) or has_diverged(value, values[0]) or np.max(np.abs(w)) > 1e6:
                diverged = True
                break
            path.append(w)
            values.append(value)
    return np.array(path), np.array(values), diverged


def grid_values(surf_f, box, n: int = 120):
    """f over a grid of the box: x (n,), y (n,), Z (n, n) with Z[i, j] = f(x[j], y[i])."""
    x = np.linspace(box[0], box[1], n)
    y = np.linspace(box[2], box[3], n)
    a, b = np.meshgrid(x, y)
    return x, y, surf_f(np.stack([a, b], axis=-1))


def lr_sweep(surf: Surface, name: str, lrs, steps: int, **hparams) -> np.ndarray:
    """Final loss after ``steps`` steps for each learning rate; inf where the run diverged."""
    finals = []
    for lr in np.asarray(lrs, dtype=float):
        _, values, diverged = run_optimizer(surf, name, lr, steps, **hparams)
        finals.append(np.inf if diverged else values[-1])
    return np.array(finals)

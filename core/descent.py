"""Optimizers compared: update rules on 2-D loss surfaces, step-size sweeps, minibatch noise.

A 2-D surface can be drawn as contours with each optimizer's path on it: an ill-conditioned bowl
(SGD zig-zags), the Rosenbrock valley, a saddle point, or a slice of the linear classifier's own
objective through two entries of W. Reference: https://cs231n.github.io/neural-networks-3/#update
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.checks import choice
from core.linear import LossSpec, loss_spec, objective
from core.optim import has_diverged, make_optimizer, train


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
    return Surface(
        lambda w: 0.5 * np.einsum("...i,ij,...j->...", w, H, w),
        lambda w: H @ w,
        np.array([-1.8, 0.6]),
        (-2.0, 2.0, -1.0, 1.0),
        np.zeros(2),
    )


def _rosenbrock():
    def f(w):
        return (1 - w[..., 0]) ** 2 + 100 * (w[..., 1] - w[..., 0] ** 2) ** 2

    def grad(w):
        x, y = w
        return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])

    return Surface(f, grad, np.array([-1.2, 1.0]), (-2.0, 2.0, -1.0, 3.0), np.array([1.0, 1.0]))


def _saddle():
    # A saddle point at the origin between two valleys at w2 = +-sqrt(2): f = w1^2 - w2^2 + w2^4 / 4.
    return Surface(
        lambda w: w[..., 0] ** 2 - w[..., 1] ** 2 + 0.25 * w[..., 1] ** 4,
        lambda w: np.array([2 * w[0], -2 * w[1] + w[1] ** 3]),
        np.array([-1.5, 0.01]),
        (-2.0, 2.0, -2.2, 2.2),
        np.array([0.0, np.sqrt(2.0)]),
    )


SURFACES = {"quadratic": _quadratic, "rosenbrock": _rosenbrock, "saddle": _saddle}


def surface(name: str) -> Surface:
    """A named surface: "quadratic" (ill-conditioned bowl), "rosenbrock" or "saddle"."""
    return SURFACES[choice("surface", name, SURFACES)]()


def classifier_slice(
    W, b, X, y, a: tuple[int, int], c: tuple[int, int], spec: LossSpec | None = None, **options
) -> Surface:
    """The linear classifier's objective (the LossSpec ``spec``, or one made from ``options``) as a
    function of two entries of W, the rest held fixed.

    ``a`` and ``c`` index W (class, feature); the start is their current value and the box
    spans +-3 around it.
    """
    W, b = np.array(W, dtype=float), np.array(b, dtype=float)
    spec = loss_spec(spec, **options)
    if a == c:
        raise ValueError("the two weights of a slice must differ")

    def at(w1, w2):
        Wk = W.copy()
        Wk[a], Wk[c] = w1, w2
        return Wk

    def f(w):
        w = np.asarray(w, dtype=float)
        flat = w.reshape(-1, 2)
        out = np.array([objective(at(p, q), b, X, y, spec).total for p, q in flat])
        return out.reshape(w.shape[:-1])

    def grad(w):
        g = objective(at(w[0], w[1]), b, X, y, spec).dW
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


def named_surface(name: str, W, b, X, y, spec: LossSpec | None = None, **options) -> Surface:
    """``surface(name)``, or for ``"classifier"`` the classifier's objective over W[0, 0] and W[0, 1]."""
    if name == "classifier":
        return classifier_slice(W, b, X, y, (0, 0), (0, 1), spec, **options)
    return surface(name)


BATCH_SIZES = (None, 32, 8, 1)  # None: the full batch


def minibatch_losses(
    X, y, W, b, spec: LossSpec | None = None, *, lr: float = 0.1, steps: int = 100, **options
) -> dict:
    """The full-data loss after each SGD step, from W and b, for each batch size in BATCH_SIZES
    smaller than the data: ``{size: losses (steps + 1,)}`` (fewer if a run diverged)."""
    sizes, spec = [s for s in BATCH_SIZES if s is None or s < len(y)], loss_spec(spec, **options)
    return {
        s: train(X, y, lr=lr, steps=steps, batch_size=s, W0=W, b0=b, record_params=False, spec=spec).loss
        for s in sizes
    }

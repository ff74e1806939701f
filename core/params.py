"""The linear classifier's parameters W (C, D) and b (C,) as one flat vector p = [W.ravel(), b].

A gradient check, a search strategy or an optimizer walks through "every parameter" one index at
a time; this is how an index of p maps back to an entry of W or b, and how the lecture names it.
"""

from __future__ import annotations

import numpy as np

from core.checks import choice
from core.linear import LossSpec, loss_spec, objective


def flatten(W, b) -> np.ndarray:
    """The classifier's parameters as one vector: W row by row (class by class), then b.

    >>> flatten([[1.0, 2.0], [2.0, -4.0], [3.0, -1.0]], [0.0, 0.5, -0.5])
    array([ 1. ,  2. ,  2. , -4. ,  3. , -1. ,  0. ,  0.5, -0.5])
    """
    return np.concatenate([np.asarray(W, dtype=float).ravel(), np.asarray(b, dtype=float)])


def unflatten(p, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """W (C, D) and b (C,) back from ``p = flatten(W, b)``; ``shape`` is W's (C, D)."""
    p = np.asarray(p, dtype=float)
    C, D = shape
    if p.shape != (C * D + C,):
        raise ValueError(f"p must have C * D + C = {C * D + C} entries for W of shape {shape}, got {p.shape}")
    return p[: C * D].reshape(C, D), p[C * D :]


def param_keys(shape: tuple[int, int]) -> tuple[str, ...]:
    """A name per entry of the flat vector, in its order: ``"W.c.j"`` for W[c, j], ``"b.c"`` for b[c].

    >>> param_keys((2, 2))
    ('W.0.0', 'W.0.1', 'W.1.0', 'W.1.1', 'b.0', 'b.1')
    """
    C, D = shape
    return tuple(f"W.{c}.{j}" for c in range(C) for j in range(D)) + tuple(f"b.{c}" for c in range(C))


def param_index(key: str, shape: tuple[int, int]) -> int:
    """Where W[c, j] (``"W.c.j"``) or b[c] (``"b.c"``) sits in ``flatten(W, b)``: c * D + j, or C * D + c.

    >>> param_index("W.2.1", (3, 2)), param_index("b.1", (3, 2))
    (5, 7)
    """
    keys = param_keys(shape)
    return keys.index(choice("key", key, keys))


def param_label(key: str) -> str:
    """How the lecture writes a parameter: classes from 0, features from 1 (w₁, w₂).

    >>> param_label("W.0.1"), param_label("b.2")
    ('W[0, 2]', 'b[2]')
    """
    kind, *index = key.split(".")
    return f"W[{index[0]}, {int(index[1]) + 1}]" if kind == "W" else f"b[{index[0]}]"


def flat_objective(X, y, shape: tuple[int, int], spec: LossSpec | None = None, **options):
    """The objective (core.linear.objective for the LossSpec ``spec``, or one made from
    ``options``) as functions of the flat vector p: ``loss(p) -> float`` and
    ``loss_and_grad(p) -> (float, flat gradient)``."""
    spec = loss_spec(spec, **options)

    def loss(p) -> float:
        return objective(*unflatten(p, shape), X, y, spec).total

    def loss_and_grad(p):
        o = objective(*unflatten(p, shape), X, y, spec)
        return o.total, flatten(o.dW, o.db)

    return loss, loss_and_grad

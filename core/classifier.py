"""The optimization chapter's linear classifier on 2-D points: what it trains on and where it starts.

Gradient descent (``core.optim.train``) needs training points, a starting W (C, 2) and b (C,).
These functions choose them as the chapter describes: a random split that still leaves every
class a chance to be learnt, the CS231n demo's W and b or a random start that is easy to read,
and a "nudge" of one parameter by hand.
"""

from __future__ import annotations

import numpy as np

from core.checks import choice, integer
from core.data import CS231N_DEMO_B, CS231N_DEMO_W, train_test_split


def training_split(X, y, *, test_fraction: float, seed: int):
    """Training and test points: a random split, or every point for training when the split
    would leave fewer than two classes to train on.

    Parameters
    ----------
    X : array (N, 2)
    y : array (N,) of class indices
    test_fraction : float in [0, 1)
    seed : int
        Seed of the split (``core.data.train_test_split``).

    Returns
    -------
    X_train (N_train, 2), y_train (N_train,), X_test (N_test, 2), y_test (N_test,)

    >>> X, y = np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([0, 1])
    >>> [len(part) for part in training_split(X, y, test_fraction=0.5, seed=0)]
    [2, 2, 0, 0]
    """
    X_train, y_train, X_test, y_test = train_test_split(X, y, test_fraction=test_fraction, seed=seed)
    if len(np.unique(y_train)) < 2:
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        return X, y, X[:0], y[:0]
    return X_train, y_train, X_test, y_test


def random_start(n_classes: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """W (C, 2) drawn from N(0, 1) and rounded to 2 decimals (easy to read and to type), b = 0.

    >>> W, b = random_start(3, seed=0)
    >>> W.shape, b.tolist()
    ((3, 2), [0.0, 0.0, 0.0])
    >>> bool(np.all(W == np.round(W, 2)))
    True
    """
    n_classes = integer("n_classes", n_classes, 1, 100)
    W = np.round(np.random.default_rng(seed).standard_normal((n_classes, 2)), 2)
    return W, np.zeros(n_classes)


def fresh_start(n_classes: int, *, dataset: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The starting W (C, 2) and b (C,) for data with ``n_classes`` classes: the CS231n demo's own
    W and b for its 9 points, else ``random_start(n_classes, seed)``.

    >>> W, b = fresh_start(3, dataset="cs231n_demo", seed=0)
    >>> W.tolist(), b.tolist()
    ([[1.0, 2.0], [2.0, -4.0], [3.0, -1.0]], [0.0, 0.5, -0.5])
    """
    if dataset == "cs231n_demo" and n_classes == len(CS231N_DEMO_B):
        return CS231N_DEMO_W.copy(), CS231N_DEMO_B.copy()
    return random_start(n_classes, seed)


def fits(W, b, n_classes: int) -> bool:
    """Whether W and b are a linear classifier of 2-D points into ``n_classes`` classes.

    >>> fits([[1.0, 2.0], [2.0, -4.0]], [0.0, 0.5], 2), fits([[1.0, 2.0]], [0.0], 2)
    (True, False)
    """
    return np.shape(W) == (n_classes, 2) and np.shape(b) == (n_classes,)


def parameter_names(n_classes: int) -> list[str]:
    """Every parameter of the classifier by name: ``"W.c.j"`` is row c, column j of W (both from
    0) and ``"b.c.0"`` is b[c].

    >>> parameter_names(2)
    ['W.0.0', 'W.0.1', 'W.1.0', 'W.1.1', 'b.0.0', 'b.1.0']
    """
    return [f"W.{c}.{j}" for c in range(n_classes) for j in range(2)] + [f"b.{c}.0" for c in range(n_classes)]


def nudge(W, b, which: str, delta: float) -> tuple[np.ndarray, np.ndarray]:
    """Copies of W (C, 2) and b (C,) with the parameter ``which`` (see ``parameter_names``) moved
    by ``delta``. The moved value is rounded to 6 decimals, so that 0.2 + 0.1 is 0.3 and not
    0.30000000000000004; every other value is kept exactly.

    >>> W, b = nudge([[0.2, 1.0]], [0.0], "W.0.0", 0.1)
    >>> W.tolist(), b.tolist()
    ([[0.3, 1.0]], [0.0])
    >>> nudge([[0.2, 1.0]], [0.0], "b.0.0", -0.1)[1].tolist()
    [-0.1]
    """
    W, b = np.array(W, dtype=float), np.array(b, dtype=float)
    kind, c, j = choice("which", which, parameter_names(len(b))).split(".")
    target, index = (W, (int(c), int(j))) if kind == "W" else (b, int(c))
    target[index] = round(float(target[index]) + float(delta), 6)
    return W, b


def view_extent(X) -> float:
    """Half the width of the square view [-e, e]^2 that shows every point with a margin (at least 1).

    >>> view_extent([[0.5, -2.0]]), view_extent([[0.1, 0.2]])
    (2.3, 1.0)
    """
    return max(1.0, 1.15 * float(np.max(np.abs(np.asarray(X, dtype=float)))))

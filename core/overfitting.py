"""Over- and underfitting, measured: polynomial ridge regression on a few noisy points.

A high-degree polynomial with a tiny lambda passes through every training point and misses the
test points (overfitting); a huge lambda flattens it (underfitting); in between the test error is
lowest. This is the lecture's "simpler models generalise", with numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.checks import integer, number

LAMBDAS = np.logspace(-8, 2, 41)  # where the page measures the train and test error curves


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
    n_train, n_test = integer("n_train", n_train, 2, 1000), integer("n_test", n_test, 1, 10000)
    noise = number("noise", noise, low=0)
    rng = np.random.default_rng(seed)
    x_train = np.sort(rng.uniform(-1.0, 1.0, n_train))
    x_test = np.sort(rng.uniform(-1.0, 1.0, n_test))
    y_train = true_function(x_train) + noise * rng.standard_normal(n_train)
    y_test = true_function(x_test) + noise * rng.standard_normal(n_test)
    return PolyData(x_train, y_train, x_test, y_test)


def poly_features(x, degree: int) -> np.ndarray:
    """[1, x, x^2, ..., x^degree] for x in [-1, 1]: shape (N, degree + 1)."""
    degree = integer("degree", degree, 0, 30)
    return np.vander(np.asarray(x, dtype=float), degree + 1, increasing=True)


def ridge_fit(x, y, degree: int, lam: float) -> np.ndarray:
    """Polynomial weights minimizing sum (y - Xw)^2 + lam ||w||^2 (the bias not penalized).

    Closed form: w = (X^T X + lam I')^{-1} X^T y with I' the identity minus its
    bias entry, solved by least squares on the stacked system [X; sqrt(lam) I'].
    """
    lam = number("lam", lam, low=0)
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


@dataclass(frozen=True)
class RidgeFit:
    """One ridge fit: its weights, its training and test error, and its curve over [-1, 1]."""

    w: np.ndarray  # (degree + 1,)
    train_error: float
    test_error: float
    grid: np.ndarray  # (points,), evenly spaced on [-1, 1]
    curve: np.ndarray  # (points,), the fitted polynomial on the grid


def fit(data: PolyData, degree: int, lam: float, *, points: int = 201) -> RidgeFit:
    """``ridge_fit`` on the training points, measured on both sets and drawn on a grid.

    >>> data = PolyData(np.array([-1.0, 1.0]), np.array([0.0, 2.0]), np.array([0.0]), np.array([0.0]))
    >>> line = fit(data, 1, 0.0)  # y = 1 + x through both training points, 1 at the test point
    >>> np.round(line.w, 9) + 0.0, round(line.train_error, 9), round(line.test_error, 9)
    (array([1., 1.]), 0.0, 1.0)
    """
    w = ridge_fit(data.x_train, data.y_train, degree, lam)
    grid = np.linspace(-1.0, 1.0, points)
    train, test = mse(w, data.x_train, data.y_train), mse(w, data.x_test, data.y_test)
    return RidgeFit(w, train, test, grid, poly_features(grid, degree) @ w)


def ridge_path(data: PolyData, degree: int, lams) -> tuple[np.ndarray, np.ndarray]:
    """Training and test MSE of the ridge fit at each lambda in ``lams``."""
    train, test = [], []
    for lam in np.asarray(lams, dtype=float):
        w = ridge_fit(data.x_train, data.y_train, degree, lam)
        train.append(mse(w, data.x_train, data.y_train))
        test.append(mse(w, data.x_test, data.y_test))
    return np.array(train), np.array(test)


def fit_regime(lam: float, best_lam: float, *, factor: float = 30.0) -> str:
    """ "over" when lambda is far below the lambda with the lowest test error (more than ``factor``
    times smaller), "under" when far above, "good" in between.

    >>> fit_regime(1e-8, 1e-3), fit_regime(1e-3, 1e-3), fit_regime(10.0, 1e-3)
    ('over', 'good', 'under')
    """
    if lam < best_lam / factor:
        return "over"
    return "under" if lam > best_lam * factor else "good"

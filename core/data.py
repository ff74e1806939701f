"""2-D toy datasets for the optimization chapter.

Every generator takes an explicit seed: the same seed gives the same points,
another seed other points. ``"cs231n_demo"`` is the 9 points of the CS231n
linear-classification web demo and ignores the size, noise and seed.
"""

from __future__ import annotations

import numpy as np

DATASETS = ("cs231n_demo", "blobs", "spiral", "circles", "xor")
MAX_POINTS = 2000

CS231N_DEMO_X = np.array([
    [0.5, 0.4], [0.8, 0.3], [0.3, 0.8],  # class 0
    [-0.4, 0.3], [-0.3, 0.7], [-0.7, 0.2],  # class 1
    [0.7, -0.4], [0.5, -0.6], [-0.4, -0.5],  # class 2
])
CS231N_DEMO_Y = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])
# The demo's starting parameters: W (3, 2) and b (3,).
CS231N_DEMO_W = np.array([[1.0, 2.0], [2.0, -4.0], [3.0, -1.0]])
CS231N_DEMO_B = np.array([0.0, 0.5, -0.5])


def make_dataset(name: str, *, n_per_class: int = 30, n_classes: int = 3, noise: float = 0.1,
                 seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points X (N, 2) and labels y (N,) of a named toy dataset.

    Parameters
    ----------
    name : {"cs231n_demo", "blobs", "spiral", "circles", "xor"}
        ``"circles"`` and ``"xor"`` are two-class by construction (``n_classes``
        is ignored); ``"cs231n_demo"`` is always the demo's 9 points.
    n_per_class : int
        Points per class, 1 to 500.
    n_classes : int
        2 to 5 for blobs and spiral.
    noise : float
        Standard deviation of the Gaussian jitter, 0 to 1.
    seed : int
        Seed of ``np.random.default_rng``.
    """
    if name not in DATASETS:
        raise ValueError(f"name must be one of {list(DATASETS)}, got {name!r}")
    if name == "cs231n_demo":
        return CS231N_DEMO_X.copy(), CS231N_DEMO_Y.copy()
    if not 1 <= int(n_per_class) <= 500:
        raise ValueError(f"n_per_class must be in 1..500, got {n_per_class}")
    if not 2 <= int(n_classes) <= 5:
        raise ValueError(f"n_classes must be in 2..5, got {n_classes}")
    noise = float(noise)
    if not np.isfinite(noise) or not 0 <= noise <= 1:
        raise ValueError(f"noise must be a number in [0, 1], got {noise}")
    rng = np.random.default_rng(seed)
    n, k = int(n_per_class), int(n_classes)
    if name == "blobs":
        angles = 2 * np.pi * np.arange(k) / k + np.pi / 2
        centers = 0.6 * np.stack([np.cos(angles), np.sin(angles)], axis=1)  # (K, 2)
        y = np.repeat(np.arange(k), n)
        X = centers[y] + (0.15 + noise) * rng.standard_normal((n * k, 2))
    elif name == "spiral":  # the CS231n notes' spiral
        y = np.repeat(np.arange(k), n)
        r = np.tile(np.linspace(0.05, 1.0, n), k)
        t = np.linspace(0, 4, n)[None, :] + np.arange(k)[:, None] * 4  # (K, n)
        t = t.ravel() + noise * 2 * rng.standard_normal(n * k)
        X = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    elif name == "circles":
        y = np.repeat(np.arange(2), n)
        radius = np.where(y == 0, 0.35, 0.85)
        t = rng.uniform(0, 2 * np.pi, 2 * n)
        X = radius[:, None] * np.stack([np.cos(t), np.sin(t)], axis=1)
        X = X + noise * rng.standard_normal((2 * n, 2))
    else:  # xor: opposite quadrants share a class
        X = rng.uniform(-1, 1, (2 * n, 2))
        X = X + np.sign(X) * 0.05
        y = ((X[:, 0] > 0) ^ (X[:, 1] > 0)).astype(int)
        X = X + noise * rng.standard_normal((2 * n, 2))
    return X, y.astype(np.intp)


def train_test_split(X, y, *, test_fraction: float = 0.3, seed: int = 0):
    """Split (X, y) at random into training and test parts; the test part may be empty."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if not 0 <= test_fraction < 1:
        raise ValueError(f"test_fraction must be in [0, 1), got {test_fraction}")
    order = np.random.default_rng(seed).permutation(len(y))
    n_test = int(round(test_fraction * len(y)))
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]

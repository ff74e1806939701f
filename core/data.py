"""2-D toy datasets for the optimization chapter.

Every generator takes an explicit seed: the same seed gives the same points,
another seed other points. ``"cs231n_demo"`` is the 9 points of the CS231n
linear-classification web demo and ignores the size, noise and seed.
"""

from __future__ import annotations

import numpy as np

from core.checks import choice, class_labels, integer, number

DATASETS = ("cs231n_demo", "blobs", "spiral", "circles", "xor")
MAX_POINTS = 2000

CS231N_DEMO_X = np.array(
    [
        [0.5, 0.4],
        [0.8, 0.3],
        [0.3, 0.8],  # class 0
        [-0.4, 0.3],
        [-0.3, 0.7],
        [-0.7, 0.2],  # class 1
        [0.7, -0.4],
        [0.5, -0.6],
        [-0.4, -0.5],  # class 2
    ]
)
CS231N_DEMO_Y = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])
# The demo's starting parameters: W (3, 2) and b (3,).
CS231N_DEMO_W = np.array([[1.0, 2.0], [2.0, -4.0], [3.0, -1.0]])
CS231N_DEMO_B = np.array([0.0, 0.5, -0.5])


def make_dataset(
    name: str, *, n_per_class: int = 30, n_classes: int = 3, noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
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
    if choice("name", name, DATASETS) == "cs231n_demo":
        return CS231N_DEMO_X.copy(), CS231N_DEMO_Y.copy()
    n = integer("n_per_class", n_per_class, 1, 500)
    k = integer("n_classes", n_classes, 2, 5)
    noise = number("noise", noise, low=0, high=1)
    rng = np.random.default_rng(seed)
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
    else:  # xor: opposite quadrants share a class, n points each
        y = np.repeat(np.arange(2), n)
        sx = rng.choice([-1.0, 1.0], 2 * n)
        sy = np.where(y == 0, sx, -sx)  # class 0: same signs, class 1: opposite signs
        X = np.stack([sx, sy], axis=1) * rng.uniform(0.05, 1.0, (2 * n, 2))
        X = X + noise * rng.standard_normal((2 * n, 2))
    return X, y.astype(np.intp)


def train_test_split(X, y, *, test_fraction: float = 0.3, seed: int = 0):
    """Split (X, y) at random into training and test parts; the test part may be empty."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same length, got {len(X)} and {len(y)}")
    test_fraction = number("test_fraction", test_fraction, low=0, high=1, high_open=True)
    order = np.random.default_rng(seed).permutation(len(y))
    n_test = min(round(test_fraction * len(y)), len(y) - 1)  # keep at least one training point
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]


MAX_CLASSES = 5
MAX_ABS_COORD = 100.0


def check_points(X, y) -> tuple[np.ndarray, np.ndarray]:
    """Validate user points: 2 to MAX_POINTS rows of finite (x1, x2) with |x| <= 100, and labels
    that are whole numbers 0..4 with at least two classes present. Raises ValueError saying why."""
    X = np.asarray(X, dtype=float)
    y_raw = np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or y_raw.shape != (X.shape[0],):
        raise ValueError(f"points need two coordinates and a label each; got X {X.shape}, y {y_raw.shape}")
    if not 2 <= len(y_raw) <= MAX_POINTS:
        raise ValueError(f"need 2 to {MAX_POINTS} points, got {len(y_raw)}")
    if not np.all(np.isfinite(X)) or np.any(np.abs(X) > MAX_ABS_COORD):
        raise ValueError(
            f"coordinates must be finite numbers between -{MAX_ABS_COORD:g} and {MAX_ABS_COORD:g}"
        )
    y = class_labels("labels", y_raw, MAX_CLASSES)
    if len(np.unique(y)) < 2:
        raise ValueError("points must come from at least two classes")
    return X, y


def parse_points_csv(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Points from CSV text with columns x1, x2, label (a header row is optional).

    Raises ValueError naming the first line that cannot be read.
    """
    rows = []
    seen_line = False
    for line_no, line in enumerate(str(text).splitlines(), start=1):
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        parts = [p.strip() for p in line.replace(";", ",").split(",")]
        first, seen_line = not seen_line, True
        if first and parts[0].lower() in ("x1", "x", "x_1"):
            continue  # header on the first non-empty line
        if len(parts) != 3:
            raise ValueError(f"line {line_no}: expected 3 values (x1, x2, label), got {len(parts)}")
        try:
            rows.append([float(p) for p in parts])
        except ValueError:
            raise ValueError(f"line {line_no}: not numbers") from None
        if len(rows) > MAX_POINTS:
            raise ValueError(f"more than {MAX_POINTS} points")
    if not rows:
        raise ValueError("no points in the file")
    data = np.array(rows)
    return check_points(data[:, :2], data[:, 2])

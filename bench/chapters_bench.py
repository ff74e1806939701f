"""Section 4: the chapter pages' own work, measured in core (issues 4-6).

- 1 000 full-batch gradient-descent steps on 1 000 points (target <= 100 ms);
- the numerical gradient of a CIFAR-sized linear classifier (W 10 x 3073) against the analytic
  one, as a ratio (the lecture's "slow, approximate" vs "fast, exact");
- HoG of a 512 x 512 image, and the faces-vs-non-faces experiment end to end.
"""

from __future__ import annotations

import time

import numpy as np
import skimage.data

from bench.report import Row, absolute_row, median_time, speedup_row
from core import features
from core.data import make_dataset
from core.gradients import numerical_gradient
from core.linear import objective
from core.optim import train

SECTION = "chapters"


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run() -> list[Row]:
    rows = []
    X, y = make_dataset("blobs", n_per_class=334, n_classes=3, noise=0.2, seed=0)
    X, y = X[:1000], y[:1000]
    t_train, _ = median_time(lambda: train(X, y, lr=0.5, steps=1000, loss="softmax", reg=1e-3), 5)
    rows.append(absolute_row(SECTION, "1 000 full-batch SGD steps on 1 000 points (softmax + L2)", t_train,
                             0.100, "<= 100 ms"))

    # CIFAR-10 shapes: W (10, 3073) on a small batch of 3 072-pixel images plus the bias trick.
    rng = np.random.default_rng(0)
    Xc = np.hstack([rng.normal(size=(16, 3072)), np.ones((16, 1))])  # (N, D)
    yc = rng.integers(0, 10, 16)
    W = 1e-3 * rng.normal(size=(10, 3073))
    b = np.zeros(10)

    def loss(w):
        return objective(w, b, Xc, yc, loss="softmax", reg=1e-3).total

    t_analytic, _ = median_time(lambda: objective(W, b, Xc, yc, loss="softmax", reg=1e-3), 20, warmup=2)
    t_numeric = _timed(lambda: numerical_gradient(loss, W))
    rows.append(speedup_row(SECTION, "analytic vs numerical gradient, W 10 x 3073 (61 460 loss evaluations)",
                            t_analytic, t_numeric, "", "ratio = numerical / analytic time"))

    image = np.random.default_rng(0).random((512, 512))
    t_hog, _ = median_time(lambda: features.hog(image), 3)
    rows.append(absolute_row(SECTION, "HoG of a 512 x 512 image", t_hog))
    faces = skimage.data.lfw_subset()
    labels = np.array([1] * 100 + [0] * 100)
    t_lfw = _timed(lambda: features.features_vs_pixels(faces, labels, seed=0))
    measure = "faces vs non-faces: 3 featurizations + 3 classifiers, end to end"
    rows.append(absolute_row(SECTION, measure, t_lfw))
    return rows

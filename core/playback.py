"""What a training run looks like at every step, computed once so the browser can play it back.

For the linear classifier on 2-D points: each class's decision region inside the view box (a
convex polygon: the box cut by the half-planes where that class's score beats every other's),
each class's zero-score line w_c . x + b_c = 0 clipped to the box, which points are misclassified,
and the loss parts and accuracies. Nothing here is drawn; the player only paints these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def clip_halfplane(poly: list, a, c: float) -> list:
    """The part of convex polygon ``poly`` (a list of (x1, x2)) where a . x + c >= 0
    (Sutherland-Hodgman). Plain floats: a few vertices, thousands of calls.

    >>> clip_halfplane([(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)], (-1.0, 0.0), 1.0)
    [(0.0, 0.0), (1.0, 0.0), (1.0, 2.0), (0.0, 2.0)]
    """
    a1, a2, c = float(a[0]), float(a[1]), float(c)
    out = []
    for k, p in enumerate(poly):
        q = poly[(k + 1) % len(poly)]
        sp, sq = a1 * p[0] + a2 * p[1] + c, a1 * q[0] + a2 * q[1] + c
        if sp >= 0:
            out.append(p)
        if (sp >= 0) != (sq >= 0):  # the edge crosses the line: keep the crossing point
            r = sp / (sp - sq)
            out.append((p[0] + (q[0] - p[0]) * r, p[1] + (q[1] - p[1]) * r))
    return out


def region_polygons(W, b, extent: float) -> list[list]:
    """Class c's decision region {x : argmax_k (W x + b)_k = c} inside the square [-extent, extent]^2.

    Returns one polygon (a list of (x1, x2) vertices) per class; empty where the class wins
    nowhere in the box.
    """
    W, b = np.asarray(W, dtype=float).tolist(), np.asarray(b, dtype=float).tolist()
    e = float(extent)
    regions = []
    for c in range(len(b)):
        poly = [(-e, -e), (e, -e), (e, e), (-e, e)]
        for k in range(len(b)):
            if k != c and poly:  # class c beats class k where (w_c - w_k) . x + (b_c - b_k) >= 0
                poly = clip_halfplane(poly, (W[c][0] - W[k][0], W[c][1] - W[k][1]), b[c] - b[k])
        regions.append(poly)
    return regions


def zero_score_segment(w, bias: float, extent: float):
    """The part of the line w . x + bias = 0 inside the square [-extent, extent]^2, as two end
    points ((x1, x2), (x1, x2)), or None where the line misses the box (or w = 0).

    >>> zero_score_segment((0.0, 1.0), -1.0, 2.0)
    ((-2.0, 1.0), (2.0, 1.0))
    """
    w1, w2, bias, e = float(w[0]), float(w[1]), float(bias), float(extent)
    points = []
    if abs(w2) > 1e-12:  # crossings of the left and right edges
        points += [(x, -(w1 * x + bias) / w2) for x in (-e, e)]
    if abs(w1) > 1e-12:  # of the bottom and top edges
        points += [(-(w2 * x + bias) / w1, x) for x in (-e, e)]
    inside = sorted({p for p in points if abs(p[0]) <= e * (1 + 1e-12) and abs(p[1]) <= e * (1 + 1e-12)})
    if len(inside) < 2 or inside[0] == inside[-1]:
        return None
    return inside[0], inside[-1]


@dataclass(frozen=True)
class ClassifierFrames:
    """Per step t = 0..T-1 of a run: the numbers and shapes the player shows."""

    data_loss: np.ndarray  # (T,)
    reg_loss: np.ndarray  # (T,)
    total: np.ndarray  # (T,)
    accuracy: np.ndarray  # (T,) on the training points
    test_accuracy: np.ndarray  # (T,), or (0,) without test points
    test_loss: np.ndarray  # (T,), or (0,)
    wrong: np.ndarray  # (T, N) bool: training point i misclassified at step t
    regions: list  # T lists of C polygons (K, 2)
    lines: list  # T lists of C segments (2, 2) or None


def classifier_frames(hist, X, y, X_test=None, y_test=None, *, extent: float) -> ClassifierFrames:
    """Everything the optimization page's player shows at each recorded step of ``hist``
    (a ``core.optim.History`` with its parameters recorded), for the points it was trained on."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    W_all, b_all = np.stack(hist.W), np.stack(hist.b)  # (T, C, D), (T, C)
    predicted = np.argmax(W_all @ X.T + b_all[:, :, None], axis=1)  # (T, N)
    W_rows, b_rows = W_all.tolist(), b_all.tolist()
    return ClassifierFrames(
        data_loss=np.asarray(hist.data_loss, dtype=float),
        reg_loss=np.asarray(hist.reg_loss, dtype=float),
        total=np.asarray(hist.loss, dtype=float),
        accuracy=np.asarray(hist.accuracy, dtype=float),
        test_accuracy=np.asarray(hist.test_accuracy, dtype=float),
        test_loss=np.asarray(hist.test_loss, dtype=float),
        wrong=predicted != y,
        regions=[region_polygons(W, b, extent) for W, b in zip(W_rows, b_rows, strict=True)],
        lines=[
            [zero_score_segment(w, bc, extent) for w, bc in zip(W, b, strict=True)]
            for W, b in zip(W_rows, b_rows, strict=True)
        ],
    )

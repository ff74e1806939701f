"""Per-example Python loops for the lecture's two losses: the reference core is measured against.

Written the way CS231n's ``svm_loss_naive`` / ``softmax_loss_naive`` are: plain loops over
examples and classes, ``math.exp``, nested lists in and out. Same definitions as core's defaults
(Weston-Watkins hinge, margin 1, sum over classes, mean over examples; natural-log softmax).
"""

from __future__ import annotations

import math


def svm_loss_naive(scores: list[list[float]], y: list[int], margin: float = 1.0):
    """Multiclass SVM loss L = mean_i sum_{j != y_i} max(0, s_j - s_{y_i} + margin) and dL/ds."""
    n = len(scores)
    total = 0.0
    grad = []
    for i in range(n):
        row, yi = scores[i], y[i]
        g = [0.0] * len(row)
        for j in range(len(row)):
            if j == yi:
                continue
            arg = row[j] - row[yi] + margin
            if arg > 0:
                total += arg
                g[j] += 1.0 / n
                g[yi] -= 1.0 / n
        grad.append(g)
    return total / n, grad


def softmax_loss_naive(scores: list[list[float]], y: list[int]):
    """Softmax loss L = mean_i -ln(e^{s_{y_i}} / sum_j e^{s_j}) (shifted by the row max) and dL/ds."""
    n = len(scores)
    total = 0.0
    grad = []
    for i in range(n):
        row, yi = scores[i], y[i]
        top = max(row)
        exps = [math.exp(s - top) for s in row]
        z = sum(exps)
        total += -math.log(exps[yi] / z)
        g = [e / z / n for e in exps]
        g[yi] -= 1.0 / n
        grad.append(g)
    return total / n, grad

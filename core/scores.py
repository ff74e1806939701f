"""Score tables and what both losses share: checking them, the result types, the stable log-sum.

Scores are (N, C): one row per example, one column per class; ``y`` holds each example's
correct class. core.losses computes the losses from these pieces.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.checks import choice, class_labels, finite_array

SVM_VARIANTS = ("ww", "ova", "structured")
CLASS_REDUCTIONS = ("sum", "mean")
LOG_BASES = ("e", 2, 10)


@dataclass(frozen=True)
class SVMResult:
    """Multiclass SVM loss of a batch of score rows."""

    per_example: np.ndarray  # (N,) L_i
    total: float  # L = mean_i L_i
    terms: np.ndarray  # (N, C) the hinge term of each class in L_i
    grad: np.ndarray  # (N, C) d total / d scores


@dataclass(frozen=True)
class SoftmaxResult:
    """Softmax (cross-entropy) loss of a batch of score rows."""

    probs: np.ndarray  # (N, C) softmax probabilities
    per_example: np.ndarray  # (N,) L_i = -log p_{y_i}
    total: float  # L = mean_i L_i
    grad: np.ndarray  # (N, C) d total / d scores
    shift: np.ndarray  # (N,) row max subtracted before exp (log-sum-exp trick)
    exp_shifted: np.ndarray  # (N, C) exp(scores - shift), never overflows


def validate_scores(scores, y) -> tuple[np.ndarray, np.ndarray]:
    """Check and convert a score matrix and its labels.

    Parameters
    ----------
    scores : array_like, shape (N, C)
        Finite class scores, N >= 1 examples and C >= 2 classes.
    y : array_like of int, shape (N,)
        Correct class of each example, in ``0 .. C-1``.

    Returns
    -------
    scores : ndarray of float64, shape (N, C)
    y : ndarray of intp, shape (N,)

    Raises
    ------
    ValueError
        When a shape, a label or a score is not usable; the message says which.
    """
    scores = finite_array("scores", scores, ndim=2)
    N, C = scores.shape
    if N < 1 or C < 2:
        raise ValueError(
            f"scores must have at least one example (row) and at least 2 classes "
            f"(columns), got shape {scores.shape}"
        )
    y = np.asarray(y)
    if y.shape != (N,):
        raise ValueError(f"y must have one label per example: expected shape ({N},), got {y.shape}")
    return scores, class_labels("y", y, C)


def log_base_factor(log_base) -> float:
    """ln(b) for the allowed log bases; -log_b(p) = -ln(p) / ln(b)."""
    if isinstance(log_base, str) and log_base in ("2", "10"):
        log_base = int(log_base)
    choice("log_base", log_base, LOG_BASES)
    return 1.0 if log_base == "e" else float(np.log(log_base))


def log_sum(exp: np.ndarray, sum_exp: np.ndarray) -> np.ndarray:
    """ln(sum_exp) for rows of exp (N, C) whose maximum is 1, to full precision.

    sum_exp = 1 + r, with r the sum of the other entries. When r is below ~1e-16 the sum rounds
    to exactly 1 and ln gives 0: a confident correct class would get loss 0.00 although softmax
    is never fully satisfied (the notes' [10, -100, -100] has L = 2e-48, not 0). For those rare
    rows r is summed without the 1 and ln(1 + r) taken with log1p.
    """
    out = np.log(sum_exp)
    close = np.flatnonzero(sum_exp < 1.0 + 1e-6)
    if close.size:
        others = np.sort(exp[close], axis=1)[:, :-1]  # (k, C - 1), the largest (1.0) dropped
        out[close] = np.log1p(others.sum(axis=1))
    return out

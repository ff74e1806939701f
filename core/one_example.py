"""One example looked at closely: the slide's softmax working, how many hinge terms L_i sums, L_i as
the correct-class score slides, and the sanity check at all-zero scores (CS231n Lecture 3)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.checks import choice, finite_array, integer
from core.losses import LOSSES, _softmax_loss, softmax_loss, svm_loss
from core.scores import SVM_VARIANTS, log_base_factor, validate_scores


@dataclass(frozen=True)
class SoftmaxWorking:
    """One example's softmax loss step by step, in the slide's order: exp, normalize, -log."""

    shift: float  # m subtracted before exp: 0, unless e^s would overflow or underflow
    exp: np.ndarray  # (C,) e^{s_j - m}
    sum_exp: float  # sum_j e^{s_j - m}
    probs: np.ndarray  # (C,) e^{s_j - m} / sum_exp
    loss: float  # -log_b probs[y]


EXP_SAFE = 700.0  # |s| up to this: e^s is a finite, nonzero float64 (e^709.8 overflows)


def softmax_working(scores_row, y: int, *, log_base="e") -> SoftmaxWorking:
    """The softmax loss of one score row as the slide works it out.

    The slide exponentiates the scores (24.5, 164.0, 0.18 for the cat image), normalizes by
    their sum (188.7) and takes -log of the correct class's share (24.5 / 188.7 = 0.13). Where a
    score is so large or small that e^s is not a usable float, the row's maximum m is subtracted
    first (``shift``); the probabilities are the same.

    Parameters
    ----------
    scores_row : array_like, shape (C,)
    y : int
        The correct class.
    log_base : {"e", 2, 10}

    Returns
    -------
    SoftmaxWorking

    >>> w = softmax_working([3.2, 5.1, -1.7], 0)
    >>> [round(float(v), 2) for v in w.exp], round(w.sum_exp, 1), round(float(w.probs[0]), 2)
    ([24.53, 164.02, 0.18], 188.7, 0.13)
    >>> round(w.loss, 2)
    2.04
    """
    row = finite_array("scores_row", scores_row)
    scores, labels = validate_scores(row[None, :] if row.ndim == 1 else row, [y])
    ln_b = log_base_factor(log_base)
    row = scores[0]
    top = float(row.max())
    shift = 0.0 if -EXP_SAFE <= top <= EXP_SAFE else top
    exp = np.exp(row - shift)  # (C,)
    sum_exp = float(exp.sum())
    loss = float(_softmax_loss(scores, labels, ln_b).per_example[0])  # to full precision
    return SoftmaxWorking(shift=shift, exp=exp, sum_exp=sum_exp, probs=exp / sum_exp, loss=loss)


def svm_term_count(num_classes: int, *, include_correct: bool = False, variant: str = "ww") -> int:
    """How many hinge terms L_i sums: C - 1 in the lecture's loss (every j != y_i).

    ``"ova"`` sums all C classes; ``"structured"`` only the top wrong class; ``include_correct``
    adds the j = y_i term (except for ``"ova"``, whose sum already has it). The lecture's Q5 asks
    about dividing by something: PyTorch's ``MultiMarginLoss`` divides by C, the number of
    classes, not by this count.

    >>> svm_term_count(3), svm_term_count(3, include_correct=True), svm_term_count(3, variant="ova")
    (2, 3, 3)
    """
    choice("variant", variant, SVM_VARIANTS)
    C = integer("num_classes", num_classes, 2)
    if variant == "ova":
        return C
    return (C - 1 if variant == "ww" else 1) + bool(include_correct)


def loss_vs_correct_score(scores_row, y: int, grid, *, loss: str, **options) -> np.ndarray:
    """L_i as the correct-class score s_{y} sweeps over ``grid``, other scores fixed.

    Parameters
    ----------
    scores_row : array_like, shape (C,)
        One example's scores.
    y : int
        Its correct class.
    grid : array_like, shape (G,)
        Values to put in place of ``scores_row[y]``.
    loss : {"svm", "softmax"}
        Which loss; ``options`` are passed on to it.

    Returns
    -------
    ndarray, shape (G,)
        L_i at each grid value (the hinge shape for the SVM).
    """
    choice("loss", loss, tuple(LOSSES))
    row = finite_array("scores_row", scores_row, ndim=1)
    grid = np.asarray(grid, dtype=np.float64).ravel()  # (G,)
    batch = np.repeat(row[None, :], grid.shape[0], axis=0)  # (G, C)
    y = integer("y", y, 0, row.size - 1)
    batch[:, y] = grid
    labels = np.full(grid.shape[0], y)
    return LOSSES[loss](batch, labels, **options).per_example


def initial_loss_check(num_classes: int, *, margin: float = 1.0) -> tuple[float, float]:
    """What the losses should be when all scores are ~0 (the lecture's sanity check).

    With s_j = 0 for all j, every wrong-class hinge is max(0, 0 - 0 + Delta) = Delta,
    so the SVM loss is (C - 1) * Delta, and every probability is 1/C, so the
    softmax loss is -ln(1/C) = ln C. Both are computed by svm_loss and softmax_loss on a
    zero score row, so they always agree with what the page shows.

    Returns
    -------
    (svm, softmax) : tuple of float

    >>> [round(v, 2) for v in initial_loss_check(10)]  # CIFAR-10: 9 and ln 10
    [9.0, 2.3]
    """
    zeros = np.zeros((1, integer("num_classes", num_classes, 2)))
    return svm_loss(zeros, [0], margin=margin).total, softmax_loss(zeros, [0]).total

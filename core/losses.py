"""Multiclass SVM and softmax losses, as in CS231n Lecture 3.

Scores are (N, C): one row per example, one column per class; ``y`` holds each
example's correct class. Every function returns the loss *and* its gradient with
respect to the scores, so the pages can show both and the tests can check one
against the other by finite differences.

Reference: https://cs231n.github.io/linear-classify/#loss-function
"""

from __future__ import annotations

import numpy as np

from core.checks import choice, number
from core.scores import (
    CLASS_REDUCTIONS,
    LOG_BASES,
    SVM_VARIANTS,
    SoftmaxResult,
    SVMResult,
    log_base_factor,
    log_sum,
    validate_scores,
)

__all__ = [
    "CLASS_REDUCTIONS",
    "LOG_BASES",
    "LOSSES",
    "SVM_VARIANTS",
    "SVMResult",
    "SoftmaxResult",
    "softmax_loss",
    "svm_loss",
    "validate_scores",
]


def svm_loss(
    scores,
    y,
    *,
    margin: float = 1.0,
    squared: bool = False,
    include_correct: bool = False,
    class_reduction: str = "sum",
    variant: str = "ww",
) -> SVMResult:
    """Multiclass SVM (hinge) loss and its gradient.

    Parameters
    ----------
    scores : array_like, shape (N, C)
        Class scores s = f(x_i, W), one row per example.
    y : array_like of int, shape (N,)
        Correct class y_i of each example.
    margin : float
        The Delta in max(0, s_j - s_{y_i} + Delta); finite and >= 0.
    squared : bool
        Use the squared hinge max(0, .)^2 instead of max(0, .).
    include_correct : bool
        Also add the j = y_i term, which is always h(Delta): the lecture's Q4
        (every L_i grows by the margin). For ``"ova"`` the sum already runs over
        all classes, so this flag changes nothing there.
    class_reduction : {"sum", "mean"}
        ``"mean"`` divides each L_i by C (the lecture's Q5; PyTorch's
        ``MultiMarginLoss`` does this).
    variant : {"ww", "ova", "structured"}
        ``"ww"``: Weston-Watkins, L_i = sum_{j != y_i} max(0, s_j - s_{y_i} + Delta)
        (the lecture's). ``"ova"``: one-vs-all, L_i = sum_j max(0, Delta - t_ij s_j)
        with t_ij = +1 for the correct class and -1 otherwise. ``"structured"``:
        Crammer-Singer, only the highest-scoring wrong class counts.

    Returns
    -------
    SVMResult
        ``per_example`` (N,), ``total`` (mean over examples), ``terms`` (N, C),
        ``grad`` (N, C) = d total / d scores (a subgradient at the kinks).

    Examples
    --------
    The lecture's cat, car and frog images (one row each, classes cat / car / frog):

    >>> scores = [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]
    >>> result = svm_loss(scores, [0, 1, 2])
    >>> [round(float(v), 2) for v in result.per_example], round(result.total, 2)
    ([2.9, 0.0, 12.9], 5.27)
    """
    scores, y = validate_scores(scores, y)
    choice("variant", variant, SVM_VARIANTS)
    choice("class_reduction", class_reduction, CLASS_REDUCTIONS)
    margin = number("margin", margin, low=0)
    return _svm_loss(scores, y, margin, bool(squared), bool(include_correct), class_reduction, variant)


def _svm_loss(scores, y, margin, squared, include_correct, class_reduction, variant) -> SVMResult:
    """``svm_loss`` on validated input (the training loop calls this every step)."""
    N, C = scores.shape
    rows = np.arange(N)
    if variant == "ova":  # every class against the margin: t = +1 for y_i, -1 for the others
        t = -np.ones((N, C))
        t[rows, y] = 1
        margins = np.maximum(0, margin - t * scores)  # (N, C)
    else:
        correct = scores[rows, y]  # (N,) s_{y_i}
        margins = scores - correct[:, None] + margin  # (N, C) s_j - s_{y_i} + Delta
        np.maximum(margins, 0, out=margins)  # the hinge max(0, .), in place: one (N, C) array fewer
        margins[rows, y] = 0  # the sum runs over j != y_i
        if variant == "structured":  # only the highest-scoring wrong class counts
            top = margins.argmax(axis=1)  # (N,) its hinge is the largest (the first on ties)
            only_top = np.zeros_like(margins)
            only_top[rows, top] = margins[rows, top]
            margins = only_top
    # Gradient: each open hinge's slope (2 * margin for the squared hinge), then the chain rule.
    dscores = 2 * margins if squared else (margins > 0).astype(np.float64)  # (N, C)
    if variant == "ova":
        dscores *= -t
    else:
        dscores[rows, y] = -dscores.sum(axis=1)  # s_{y_i} enters every term with a minus sign
    terms = margins**2 if squared else margins
    if include_correct and variant != "ova":  # the lecture's Q4: the constant j = y_i term h(Delta)
        terms[rows, y] = margin**2 if squared else margin
    scale = 1 / C if class_reduction == "mean" else 1  # Q5: PyTorch's MultiMarginLoss divides by C
    per_example = terms.sum(axis=1) * scale  # (N,) L_i
    dscores *= scale / N
    return SVMResult(per_example=per_example, total=float(per_example.sum() / N), terms=terms, grad=dscores)


def softmax_loss(scores, y, *, log_base="e") -> SoftmaxResult:
    """Softmax (cross-entropy) loss L_i = -log(e^{s_{y_i}} / sum_j e^{s_j}) and its gradient.

    Computed stably: each row is shifted by its maximum before exponentiating
    (log-sum-exp), so scores of +-1e5 still give finite losses and gradients.

    Parameters
    ----------
    scores : array_like, shape (N, C)
        Class scores, read as unnormalized log-probabilities.
    y : array_like of int, shape (N,)
        Correct class of each example.
    log_base : {"e", 2, 10}
        Base of the logarithm. The lecture uses the natural log (2.04 for the
        cat image); the 2017 slide printed 0.89, which is -log10(0.13).

    Returns
    -------
    SoftmaxResult
        ``probs`` (N, C), ``per_example`` (N,), ``total``, ``grad`` (N, C)
        = (probs - onehot(y)) / (N ln b), plus ``shift`` and ``exp_shifted``.

    Examples
    --------
    The lecture's cat image: p(cat) = 0.13, so L = -ln 0.13 = 2.04 (-log10 0.13 = 0.89 on the slide).

    >>> cat = softmax_loss([[3.2, 5.1, -1.7]], [0])
    >>> round(float(cat.probs[0, 0]), 2), round(cat.total, 2)
    (0.13, 2.04)
    >>> round(softmax_loss([[3.2, 5.1, -1.7]], [0], log_base=10).total, 2)
    0.89
    """
    scores, y = validate_scores(scores, y)
    return _softmax_loss(scores, y, log_base_factor(log_base))


def _softmax_loss(scores, y, ln_b: float = 1.0) -> SoftmaxResult:
    """``softmax_loss`` on validated input, with ln_b = ln(log base) (the training loop's kernel)."""
    N = scores.shape[0]
    rows = np.arange(N)
    shift = scores.max(axis=1)  # (N,) the log-sum-exp trick: e^(s - max) never overflows
    exp = np.exp(scores - shift[:, None])  # (N, C) in (0, 1], 1 at each row's maximum
    sum_exp = exp.sum(axis=1)  # (N,) in [1, C]
    probs = exp / sum_exp[:, None]  # (N, C)
    # -log(probs[rows, y]) written as log(sum_exp) - (s_{y_i} - shift): a tiny p_{y_i} gives a
    # large finite loss instead of -log(0) = inf.
    per_example = (log_sum(exp, sum_exp) - (scores[rows, y] - shift)) / ln_b  # (N,) L_i
    dscores = probs.copy()
    dscores[rows, y] -= 1  # d L_i / d s = probs - onehot(y_i)
    dscores /= N * ln_b
    return SoftmaxResult(
        probs=probs,
        per_example=per_example,
        total=float(per_example.sum() / N),
        grad=dscores,
        shift=shift,
        exp_shifted=exp,
    )


LOSSES = {"svm": svm_loss, "softmax": softmax_loss}

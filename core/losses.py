"""Multiclass SVM and softmax losses, as in CS231n Lecture 3.

Scores are (N, C): one row per example, one column per class; ``y`` holds each
example's correct class. Every function returns the loss *and* its gradient with
respect to the scores, so the pages can show both and the tests can check one
against the other by finite differences.

Reference: https://cs231n.github.io/linear-classify/#loss-function
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SVM_VARIANTS = ("ww", "ova", "structured")
CLASS_REDUCTIONS = ("sum", "mean")
LOG_BASES = ("e", 2, 10)
MAX_ABS_SCORE = 1e6  # what the pages accept in a cell; core accepts any finite number


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
    try:
        scores = np.asarray(scores, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"scores must be numbers, got {exc}") from None
    if scores.ndim != 2:
        raise ValueError(f"scores must be 2-D (N examples, C classes), got shape {scores.shape}")
    n, c = scores.shape
    if n < 1:
        raise ValueError("scores must have at least one example (row), got 0")
    if c < 2:
        raise ValueError(f"scores must have at least 2 classes (columns), got {c}")
    if not np.all(np.isfinite(scores)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(scores))[0])
        raise ValueError(f"scores must be finite numbers; scores{list(bad)} is {scores[bad]}")
    y_arr = np.asarray(y)
    if y_arr.ndim != 1 or y_arr.shape[0] != n:
        raise ValueError(f"y must have one label per example: expected shape ({n},), got {y_arr.shape}")
    if y_arr.dtype.kind not in "iu":
        if y_arr.dtype.kind == "f" and np.all(np.isfinite(y_arr)) and np.all(y_arr == np.round(y_arr)):
            y_arr = y_arr.astype(np.intp)
        else:
            raise ValueError(f"y must hold integer class indices, got dtype {y_arr.dtype}")
    if np.any(y_arr < 0) or np.any(y_arr >= c):
        raise ValueError(f"y must hold class indices in 0..{c - 1}, got {y_arr.tolist()}")
    return scores, y_arr.astype(np.intp)


def _choice(name: str, value, allowed) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")


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
    _choice("variant", variant, SVM_VARIANTS)
    _choice("class_reduction", class_reduction, CLASS_REDUCTIONS)
    margin = float(margin)
    if not np.isfinite(margin) or margin < 0:
        raise ValueError(f"margin must be a finite number >= 0, got {margin}")
    per_example, total, terms, grad = _svm_kernel(
        _class_major(scores), y, margin, squared, include_correct, class_reduction, variant)
    return SVMResult(per_example=per_example, total=total, terms=terms.T, grad=grad.T)


def _svm_kernel(sT, y, margin, squared, include_correct, class_reduction, variant):
    """The SVM loss on validated class-major scores sT (C, N); returns terms and grad as (C, N).

    Written for few passes over memory: at N = 10 000 every (C, N) temporary is 800 kB, and
    each pass costs about as much as the arithmetic.
    """
    c, n = sT.shape
    rows = np.arange(n)
    at_y = y * n + rows  # flat index of (y_i, i) in a (C, N) array
    if variant == "ova":
        sign = np.full((c, n), -1.0)  # t_ij: +1 for the correct class, -1 otherwise
        sign.ravel()[at_y] = 1.0
        hinge = np.maximum(margin - sign * sT, 0.0)  # (C, N)
        dterm = 2.0 * hinge if squared else (hinge > 0).astype(np.float64)
        grad = dterm * -sign  # d/ds_j of max(0, margin - t_ij s_j)
    else:
        arg = sT - sT.take(at_y)  # (C, N) s_j - s_{y_i}
        arg += margin
        if variant == "structured":
            # Only the highest-scoring wrong class counts (the first one on ties).
            wrong = arg.copy()
            wrong.ravel()[at_y] = -np.inf
            keep = np.zeros((c, n), dtype=bool)
            keep[np.argmax(wrong, axis=0), rows] = True
            keep.ravel()[at_y] = include_correct
            arg = np.where(keep, arg, 0.0)
        elif not include_correct:
            arg.ravel()[at_y] = 0.0  # the j = y_i term is left out of the sum
        hinge = np.maximum(arg, 0.0, out=arg)  # (C, N); the j = y_i entry is 0 or the margin
        dterm = 2.0 * hinge if squared else (hinge > 0).astype(np.float64)
        dterm.ravel()[at_y] = 0.0  # the j = y_i term is constant (the margin): no gradient
        grad = dterm
        grad.ravel()[at_y] = -dterm.sum(axis=0)
    terms = hinge * hinge if squared else hinge  # (C, N)
    per_example = terms.sum(axis=0)  # (N,)
    scale = 1.0 / c if class_reduction == "mean" else 1.0
    if scale != 1.0:
        per_example *= scale
    total = float(per_example.sum() / n)
    grad *= scale / n
    return per_example, total, terms, grad


def _class_major(scores: np.ndarray) -> np.ndarray:
    """scores (N, C) as a C-contiguous (C, N) copy.

    NumPy reduces a short last axis slowly (max over axis 1 of a (1000, 3)
    array takes ~40 us, over axis 0 of its (3, 1000) transpose ~1 us), so the
    losses do their per-example reductions over classes in this layout.
    """
    return np.ascontiguousarray(scores.T)


def _log_base_factor(log_base) -> float:
    """ln(b) for the allowed log bases; -log_b(p) = -ln(p) / ln(b)."""
    if isinstance(log_base, str) and log_base in ("2", "10"):
        log_base = int(log_base)
    if isinstance(log_base, bool) or log_base not in LOG_BASES:
        raise ValueError(f"log_base must be one of {list(LOG_BASES)}, got {log_base!r}")
    return 1.0 if log_base == "e" else float(np.log(log_base))


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
    ln_b = _log_base_factor(log_base)
    probs, per_example, total, grad, shift, exp_shifted = _softmax_kernel(_class_major(scores), y, ln_b)
    return SoftmaxResult(probs=probs.T, per_example=per_example, total=total, grad=grad.T, shift=shift,
                         exp_shifted=exp_shifted.T)


def _log_sum(exp_shifted: np.ndarray, sum_exp: np.ndarray) -> np.ndarray:
    """ln(sum_exp) for columns of exp_shifted (C, N) whose maximum is 1, to full precision.

    sum_exp = 1 + r, with r the sum of the other entries. When r is below ~1e-16 the sum rounds
    to exactly 1 and ln gives 0: a confident correct class would get loss 0.00 although softmax
    is never fully satisfied (the notes' [10, -100, -100] has L = 2e-48, not 0). For those rare
    columns r is summed without the 1 and ln(1 + r) taken with log1p.
    """
    out = np.log(sum_exp)
    close = np.flatnonzero(sum_exp < 1.0 + 1e-6)
    if close.size:
        cols = np.sort(exp_shifted[:, close], axis=0)  # (C, k), the largest (1.0) last
        out[close] = np.log1p(cols[:-1].sum(axis=0))
    return out


def _softmax_kernel(sT, y, ln_b, *, with_probs: bool = True):
    """The softmax loss on validated class-major scores sT (C, N); arrays come back as (C, N).

    ``with_probs=False`` (the training loop) skips the separate probability array: the gradient
    is formed from the exponentials directly, one pass fewer.
    """
    c, n = sT.shape
    at_y = y * n + np.arange(n)  # flat index of (y_i, i) in a (C, N) array: faster than [y, rows]
    shift = sT.max(axis=0)  # (N,)
    exp_shifted = sT - shift  # (C, N), max 0 in each column
    correct = exp_shifted.take(at_y)  # (N,) s_{y_i} - max, kept before the exp below
    np.exp(exp_shifted, out=exp_shifted)  # (C, N) in (0, 1]
    sum_exp = exp_shifted.sum(axis=0)  # (N,) in [1, C]
    per_example = (_log_sum(exp_shifted, sum_exp) - correct) * (1.0 / ln_b)  # (N,) -log_b p_{y_i}
    total = float(per_example.sum() / n)
    k = 1.0 / (n * ln_b)
    if with_probs:
        probs = exp_shifted / sum_exp  # (C, N)
        grad = probs * k
    else:
        probs = None
        grad = exp_shifted * (k / sum_exp)  # (C, N) = probs * k
    grad.ravel()[at_y] -= k
    return probs, per_example, total, grad, shift, exp_shifted


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
    row = np.asarray(scores_row, dtype=np.float64)
    scores, labels = validate_scores(row[None, :] if row.ndim == 1 else row, [y])
    row = scores[0]
    ln_b = _log_base_factor(log_base)
    top = float(row.max())
    shift = 0.0 if -EXP_SAFE <= top <= EXP_SAFE else top
    exp = np.exp(row - shift)  # (C,)
    sum_exp = float(exp.sum())
    probs = exp / sum_exp
    by_max = np.exp(row - top)[:, None]  # (C, 1), max 1: the loss to full precision, as softmax_loss
    loss = float((_log_sum(by_max, by_max.sum(axis=0))[0] - (row[labels[0]] - top)) / ln_b)
    return SoftmaxWorking(shift=shift, exp=exp, sum_exp=sum_exp, probs=probs, loss=loss)


def svm_term_count(num_classes: int, *, include_correct: bool = False, variant: str = "ww") -> int:
    """How many hinge terms L_i sums: C - 1 in the lecture's loss (every j != y_i).

    ``"ova"`` sums all C classes; ``"structured"`` only the top wrong class; ``include_correct``
    adds the j = y_i term (except for ``"ova"``, whose sum already has it). The lecture's Q5 asks
    about dividing by something: PyTorch's ``MultiMarginLoss`` divides by C, the number of
    classes, not by this count.

    >>> svm_term_count(3), svm_term_count(3, include_correct=True), svm_term_count(3, variant="ova")
    (2, 3, 3)
    """
    _choice("variant", variant, SVM_VARIANTS)
    c = int(num_classes)
    if c < 2:
        raise ValueError(f"num_classes must be >= 2, got {num_classes}")
    if variant == "ova":
        return c
    return (c - 1 if variant == "ww" else 1) + bool(include_correct)


LOSSES = {"svm": svm_loss, "softmax": softmax_loss}


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
    _choice("loss", loss, tuple(LOSSES))
    row = np.asarray(scores_row, dtype=np.float64)
    if row.ndim != 1:
        raise ValueError(f"scores_row must be 1-D, got shape {row.shape}")
    grid = np.asarray(grid, dtype=np.float64).ravel()  # (G,)
    batch = np.repeat(row[None, :], grid.shape[0], axis=0)  # (G, C)
    batch[:, int(y)] = grid
    labels = np.full(grid.shape[0], int(y))
    return LOSSES[loss](batch, labels, **options).per_example


def initial_loss_check(num_classes: int, *, margin: float = 1.0) -> tuple[float, float]:
    """What the losses should be when all scores are ~0 (the lecture's sanity check).

    With s_j = 0 for all j, every wrong-class hinge is max(0, 0 - 0 + Delta) = Delta,
    so the SVM loss is (C - 1) * Delta, and every probability is 1/C, so the
    softmax loss is -ln(1/C) = ln C. Both are computed by the losses above on a
    zero score row, so they always agree with what the page shows.

    Returns
    -------
    (svm, softmax) : tuple of float
    """
    if int(num_classes) < 2:
        raise ValueError(f"num_classes must be >= 2, got {num_classes}")
    zeros = np.zeros((1, int(num_classes)))
    return svm_loss(zeros, [0], margin=margin).total, softmax_loss(zeros, [0]).total

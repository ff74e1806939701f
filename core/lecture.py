"""The lecture's worked example and its "what if" questions, computed.

Lecture 3 walks through three training images (a cat, a car, a frog) scored by
a linear classifier, then asks a series of questions about the losses. Each
question here is a function from the current table and loss options to the
numbers that answer it, so the page never types an answer in: it shows what
these functions compute from whatever is in the table right now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from core.losses import softmax_loss, svm_loss, validate_scores
from core.one_example import initial_loss_check, loss_vs_correct_score, svm_term_count

# The slide's table, stored as (N, C): one row per image, one column per class.
LECTURE_CLASSES = ("cat", "car", "frog")
LECTURE_SCORES = np.array(
    [
        [3.2, 5.1, -1.7],  # cat image
        [1.3, 4.9, 2.0],  # car image
        [2.2, 2.5, -3.1],  # frog image
    ]
)
LECTURE_LABELS = np.array([0, 1, 2])

# The notes' SVM-vs-softmax example: three score vectors, correct class 0.
SVM_VS_SOFTMAX_SCORES = np.array([[10.0, -2.0, 3.0], [10.0, 9.0, 9.0], [10.0, -100.0, -100.0]])
SVM_VS_SOFTMAX_LABELS = np.array([0, 0, 0])

QUESTIONS = ("q1", "q2", "q3", "q4", "q5", "q6", "q7")


@dataclass(frozen=True)
class Comparison:
    """Rows of (SVM loss, softmax loss) under named settings, plus named facts.

    ``rows`` holds (label key, label parameters) pairs; ``svm`` and ``softmax``
    are the matching losses; ``facts`` are the derived numbers the answer
    sentence quotes.
    """

    rows: list[tuple[str, dict]]
    svm: np.ndarray  # (R,)
    softmax: np.ndarray  # (R,)
    facts: dict = field(default_factory=dict)


def near_zero_scores(n: int, c: int, *, seed: int = 0, scale: float = 0.01) -> np.ndarray:
    """Small random scores, as a freshly initialised W gives (the lecture's Q3)."""
    rng = np.random.default_rng(seed)
    return rng.uniform(-scale, scale, size=(n, c))  # (N, C)


def _losses(scores, y, svm_opts: dict, softmax_opts: dict):
    return svm_loss(scores, y, **svm_opts), softmax_loss(scores, y, **softmax_opts)


def _slide_correct_score(row, y: int, values, svm_opts: dict, softmax_opts: dict):
    """(SVM, softmax) L_i of one example with its correct-class score set to each of ``values``."""
    svm = loss_vs_correct_score(row, y, values, loss="svm", **svm_opts)
    return svm, loss_vs_correct_score(row, y, values, loss="softmax", **softmax_opts)


def jiggle_correct_score(scores, y, i: int, svm_opts: dict, softmax_opts: dict, *, delta: float = 0.5):
    """Q1: nudge example i's correct-class score by -delta, 0, +delta; L_i each time.

    While the correct score beats every other by the margin, the SVM loss stays
    0 whatever the nudge; the softmax loss always moves.
    """
    scores, y = validate_scores(scores, y)
    values = scores[i, y[i]] + np.array([-delta, 0.0, delta])
    svm, soft = _slide_correct_score(scores[i], y[i], values, svm_opts, softmax_opts)
    rows = [("whatif.row.jiggle", {"score": float(v)}) for v in values]
    facts = {"svm_change": float(np.ptp(svm)), "softmax_change": float(np.ptp(soft))}
    return Comparison(rows, svm, soft, facts)


def loss_extremes(scores, y, i: int, svm_opts: dict, softmax_opts: dict):
    """Q2: L_i as example i's correct score goes very high and very low.

    The minimum (0) is reached or approached as s_y grows; there is no maximum:
    the loss grows without bound as s_y falls.
    """
    scores, y = validate_scores(scores, y)
    top = float(np.delete(scores[i], y[i]).max())
    margin = float(svm_opts.get("margin", 1.0))
    values = [top + margin + 100.0, top + margin, top - 100.0, top - 1000.0]
    svm, soft = _slide_correct_score(scores[i], y[i], values, svm_opts, softmax_opts)
    rows = [("whatif.row.correct_score", {"score": v}) for v in values]
    return Comparison(rows, svm, soft, {"svm_min": float(svm.min()), "softmax_min": float(soft.min())})


def sanity_check(scores, y, svm_opts: dict, softmax_opts: dict):
    """Q3: with all scores near 0, SVM ~ (C - 1) * margin and softmax ~ ln C."""
    scores, y = validate_scores(scores, y)
    c = scores.shape[1]
    a, b = _losses(scores, y, svm_opts, softmax_opts)
    expect_svm, expect_soft = initial_loss_check(c, margin=float(svm_opts.get("margin", 1.0)))
    # The expectation under the current options: a zero table through the same losses.
    zero = np.zeros_like(scores)
    za, zb = _losses(zero, y, svm_opts, softmax_opts)
    rows = [("whatif.row.current", {}), ("whatif.row.all_zero", {})]
    facts = {
        "classes": c,
        "c_minus_1": expect_svm,
        "ln_c": expect_soft,
        "max_abs": float(np.abs(scores).max()),
    }
    return Comparison(rows, np.array([a.total, za.total]), np.array([b.total, zb.total]), facts)


def option_effect(scores, y, svm_opts: dict, softmax_opts: dict, option: str, values: tuple):
    """Q4-Q6: the SVM total under each value of one option, the rest as they are."""
    scores, y = validate_scores(scores, y)
    rows, svm = [], []
    soft = softmax_loss(scores, y, **softmax_opts).total
    for v in values:
        opts = dict(svm_opts, **{option: v})
        svm.append(svm_loss(scores, y, **opts).total)
        rows.append((f"whatif.row.{option}.{v}", {}))
    svm = np.array(svm)
    facts = {
        "difference": float(svm[1] - svm[0]),
        "ratio": float(svm[1] / svm[0]) if svm[0] != 0 else None,
        "classes": scores.shape[1],
    }
    return Comparison(rows, svm, np.full(len(values), soft), facts)


def class_mean(scores, y, svm_opts: dict, softmax_opts: dict):
    """Q5: the SVM total summed over classes, divided by C, and divided by the terms summed.

    "Mean over classes" is ambiguous: PyTorch's ``MultiMarginLoss`` divides the sum over
    j != y_i by C, the number of classes, although only C - 1 terms are summed; dividing by the
    terms actually summed (``svm_term_count``: C - 1 in the lecture's loss) is the other reading.
    Both only rescale L. On the lecture's table the sum is 5.27, so 5.27 / 3 = 1.76 and
    5.27 / 2 = 2.63.

    >>> comp = class_mean(LECTURE_SCORES, LECTURE_LABELS, {}, {})
    >>> [round(float(v), 2) for v in comp.svm], comp.facts["terms"]
    ([5.27, 1.76, 2.63], 2)
    """
    scores, y = validate_scores(scores, y)
    comp = option_effect(scores, y, svm_opts, softmax_opts, "class_reduction", ("sum", "mean"))
    terms = svm_term_count(
        scores.shape[1],
        include_correct=bool(svm_opts.get("include_correct", False)),
        variant=svm_opts.get("variant", "ww"),
    )
    per_term = float(comp.svm[0] / terms)
    rows = [*comp.rows, ("whatif.row.class_reduction.terms", {"terms": terms})]
    facts = {**comp.facts, "terms": terms, "per_term": per_term, "ratio_terms": 1.0 / terms}
    return Comparison(rows, np.append(comp.svm, per_term), np.append(comp.softmax, comp.softmax[0]), facts)


def svm_vs_softmax(scores, y, svm_opts: dict, softmax_opts: dict):
    """Q7: per-example SVM and softmax losses side by side.

    On the notes' rows [10, -2, 3], [10, 9, 9], [10, -100, -100] (y = 0) the SVM
    is satisfied (0) by all three while softmax still tells them apart.
    """
    scores, y = validate_scores(scores, y)
    a, b = _losses(scores, y, svm_opts, softmax_opts)
    rows = [("whatif.row.example", {"index": k + 1}) for k in range(scores.shape[0])]
    return Comparison(
        rows,
        a.per_example,
        b.per_example,
        {
            "svm_distinct": int(np.unique(np.round(a.per_example, 9)).size),
            "softmax_distinct": int(np.unique(np.round(b.per_example, 9)).size),
        },
    )


# ---- the what-if questions as a table ----------------------------------------------------------------
# Each question sets up a table and options (what its button does), and is answered by a function of
# whatever table and options are on screen when the answer is shown: the user may keep editing.


@dataclass(frozen=True)
class WhatIf:
    """What one of the lecture's questions sets up, and the function that answers it.

    ``scores`` (N, C) and ``labels`` (N,) are the table the question starts from, ``options``
    the SVM options it changes from the lecture's (``svm_loss``'s keywords), ``example`` the
    image it looks at. ``answer(scores, y, i, svm_opts, softmax_opts)`` returns the
    ``Comparison`` for the table and options given, never a stored result.
    """

    scores: np.ndarray
    labels: np.ndarray
    answer: Callable[..., Comparison]
    options: dict = field(default_factory=dict)
    example: int = 0


def _whole_table(compare: Callable[..., Comparison]) -> Callable[..., Comparison]:
    """A question about the whole table: the image the page looks at plays no part."""
    return lambda scores, y, i, svm_opts, softmax_opts: compare(scores, y, svm_opts, softmax_opts)


def _one_option(option: str, values: tuple) -> Callable[..., Comparison]:
    return _whole_table(lambda scores, y, so, mo: option_effect(scores, y, so, mo, option, values))


WHAT_IF = {
    "q1": WhatIf(LECTURE_SCORES, LECTURE_LABELS, jiggle_correct_score, example=1),  # the car: margin met
    "q2": WhatIf(LECTURE_SCORES, LECTURE_LABELS, loss_extremes),
    "q3": WhatIf(near_zero_scores(3, 3, seed=0), LECTURE_LABELS, _whole_table(sanity_check)),
    "q4": WhatIf(
        LECTURE_SCORES,
        LECTURE_LABELS,
        _one_option("include_correct", (False, True)),
        {"include_correct": True},
    ),
    "q5": WhatIf(LECTURE_SCORES, LECTURE_LABELS, _whole_table(class_mean), {"class_reduction": "mean"}),
    "q6": WhatIf(LECTURE_SCORES, LECTURE_LABELS, _one_option("squared", (False, True)), {"squared": True}),
    "q7": WhatIf(SVM_VS_SOFTMAX_SCORES, SVM_VS_SOFTMAX_LABELS, _whole_table(svm_vs_softmax)),
}


def what_if(question: str, scores, y, i: int, svm_opts: dict, softmax_opts: dict) -> tuple[Comparison, str]:
    """The answer to ``question`` on this table: its comparison and the sentence that fits it.

    The sentence is a catalog key: ``whatif.<q>.answer``, or ``whatif.q1.answer_moved`` when
    image ``i`` misses the margin (the SVM loss moves too), or ``whatif.q5.answer_zero`` when
    the summed loss is 0 (nothing to rescale).

    >>> comp, key = what_if("q4", LECTURE_SCORES, LECTURE_LABELS, 0, {"include_correct": True}, {})
    >>> [round(float(v), 2) for v in comp.svm], key
    ([5.27, 6.27], 'whatif.q4.answer')
    """
    if question not in WHAT_IF:
        raise ValueError(f"question must be one of {tuple(WHAT_IF)}, got {question!r}")
    comp = WHAT_IF[question].answer(scores, y, i, svm_opts, softmax_opts)
    key = f"whatif.{question}.answer"
    if question == "q1" and comp.facts["svm_change"] != 0:
        key = "whatif.q1.answer_moved"
    if question == "q5" and comp.facts["ratio"] is None:
        key = "whatif.q5.answer_zero"
    return comp, key


@dataclass(frozen=True)
class LossCurves:
    """L_i of one image as its correct-class score slides over ``grid`` (K,), the others fixed.

    ``losses`` maps "hinge", "squared" and "softmax" to (K,) curves and ``now`` to the loss at the
    current score; ``y_max`` is a top for the plot that shows the hinge and softmax whole (the
    squared hinge may run off it).
    """

    grid: np.ndarray
    losses: dict
    now: dict
    y_max: float


def loss_curves(scores_row, y: int, svm_opts: dict, softmax_opts: dict, *, points: int = 241) -> LossCurves:
    """The hinge, the squared hinge and softmax against the correct score of one image.

    The grid runs from 5 below the lower of s_y and the best wrong score to 5 above the higher of
    s_y and (best wrong score + margin), so the hinge's corner is always in view.

    >>> curves = loss_curves(LECTURE_SCORES[0], 0, {}, {})
    >>> round(float(curves.grid[0]), 2), round(float(curves.grid[-1]), 2), round(curves.now["hinge"], 2)
    (-1.8, 11.1, 2.9)
    """
    row = np.asarray(scores_row, dtype=np.float64)
    top = float(np.delete(row, y).max())
    margin = float(svm_opts.get("margin", 1.0))
    grid = np.linspace(min(row[y], top) - 5.0, max(row[y], top + margin) + 5.0, points)
    specs = {
        "hinge": ("svm", {**svm_opts, "squared": False}),
        "squared": ("svm", {**svm_opts, "squared": True}),
        "softmax": ("softmax", softmax_opts),
    }
    losses = {
        name: loss_vs_correct_score(row, y, grid, loss=loss, **opts) for name, (loss, opts) in specs.items()
    }
    now = {
        name: float(loss_vs_correct_score(row, y, [row[y]], loss=loss, **opts)[0])
        for name, (loss, opts) in specs.items()
    }
    y_max = 1.3 * max(float(np.max(losses[name])) for name in ("hinge", "softmax")) + 0.5
    return LossCurves(grid, losses, now, y_max)

"""The lecture's seven "what if" questions on the loss page, to predict before they are answered.

Inputs (what /losses has on screen): ``scores`` (N, C) and ``labels`` (N,), the table;
``example``, the image the page looks at; ``svm`` and ``softmax``, the loss options as
``svm_loss`` and ``softmax_loss`` keywords. Each question's ``setup`` is its what-if preset in
``core.lecture.WHAT_IF``; its answer is computed from whatever table and options are on screen.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from core import lecture
from core.checks import integer
from core.quiz.question import Answer, Question


def _compare(q: str, inputs: Mapping) -> tuple[lecture.Comparison, str]:
    """The what-if's comparison on the inputs, and the key of its answer sentence, which explains
    the answer (``whatif.q1.answer`` or its variant)."""
    example = integer("example", inputs["example"], 0, max(len(inputs["labels"]) - 1, 0))
    return lecture.what_if(q, inputs["scores"], inputs["labels"], example, inputs["svm"], inputs["softmax"])


def image(inputs: Mapping) -> dict:
    """The image the page looks at, counted from 1 as the table shows it: the prompt quotes it."""
    return {"image": integer("example", inputs["example"], 0) + 1}


def nudge(inputs: Mapping) -> Answer:
    """Q1: does the SVM loss of this image change when its correct score moves by ±0.5?"""
    comp, why = _compare("q1", inputs)
    return Answer("changes" if comp.facts["svm_change"] != 0 else "same", comp.facts, why)


def extremes(inputs: Mapping) -> Answer:
    """Q2: the smallest and largest L_i can be: 0, and no largest (it grows without bound)."""
    comp, why = _compare("q2", inputs)
    lowest, falling = float(comp.svm.min()), comp.svm[-2:]  # the last rows: s_y very low, then lower
    unbounded = falling[1] > falling[0] > 0
    value = ("zero_inf" if unbounded else "zero_c") if lowest == 0 else "other"
    return Answer(value, comp.facts, why)


def at_init(inputs: Mapping) -> Answer:
    """Q3: the SVM loss when every score is about 0: (C − 1)·Δ, computed on the table shown."""
    comp, why = _compare("q3", inputs)
    c, margin = comp.facts["classes"], float(inputs["svm"].get("margin", 1.0))
    return Answer(float(comp.svm[0]), comp.facts, why, mistakes=(0.0, c * margin, math.log(c), margin))


def include_correct(inputs: Mapping) -> Answer:
    """Q4: how much L grows when the sum also takes j = y_i (each L_i gains max(0, Δ) = Δ)."""
    comp, why = _compare("q4", inputs)
    margin = float(inputs["svm"].get("margin", 1.0))
    n = len(inputs["labels"])
    facts = {**comp.facts, "margin": margin}
    return Answer(comp.facts["difference"], facts, why, mistakes=(0.0, n * margin, 2 * margin))


def class_mean(inputs: Mapping) -> Answer:
    """Q5: L with the class terms averaged (÷ C, as PyTorch does) instead of summed."""
    comp, why = _compare("q5", inputs)
    total, c = float(comp.svm[0]), comp.facts["classes"]
    return Answer(float(comp.svm[1]), comp.facts, why, mistakes=(total, comp.facts["per_term"], total * c))


def squared(inputs: Mapping) -> Answer:
    """Q6: L with the squared hinge: each margin violation is squared before it is summed."""
    comp, why = _compare("q6", inputs)
    plain = float(comp.svm[0])
    return Answer(float(comp.svm[1]), comp.facts, why, mistakes=(plain, plain**2))


def which_separates(inputs: Mapping) -> Answer:
    """Q7: which loss tells the images apart (gives them different losses)?"""
    comp, why = _compare("q7", inputs)
    svm, soft = comp.facts["svm_distinct"] > 1, comp.facts["softmax_distinct"] > 1
    value = {(True, True): "both", (False, True): "softmax", (True, False): "svm"}.get((svm, soft), "neither")
    return Answer(value, comp.facts, why)


QUESTIONS = (
    Question("losses.q1", "choice", nudge, choices=("same", "changes"), setup="q1", given=image),
    Question(
        "losses.q2", "choice", extremes, choices=("zero_inf", "zero_c", "other"), setup="q2", given=image
    ),
    Question("losses.q3", "number", at_init, tolerance=0.05, setup="q3"),
    Question("losses.q4", "number", include_correct, tolerance=0.05, setup="q4"),
    Question("losses.q5", "number", class_mean, tolerance=0.05, setup="q5"),
    Question("losses.q6", "number", squared, tolerance=0.05, setup="q6"),
    Question(
        "losses.q7", "choice", which_separates, choices=("svm", "softmax", "both", "neither"), setup="q7"
    ),
)


def lecture_inputs() -> dict:
    """The slide's table with the lecture's options: the inputs the doctests use.

    >>> from core.quiz.question import grade
    >>> q3 = QUESTIONS[2]; answer = q3.solve(dict(lecture_inputs(), scores=lecture.near_zero_scores(3, 3)))
    >>> round(answer.value, 2), grade(q3, 2, answer).verdict
    (1.99, 'right')
    >>> round(QUESTIONS[3].solve(lecture_inputs()).value, 2), QUESTIONS[0].solve(lecture_inputs()).value
    (1.0, 'same')
    """
    return {
        "scores": lecture.LECTURE_SCORES,
        "labels": lecture.LECTURE_LABELS,
        "example": 1,
        "svm": {},
        "softmax": {},
    }

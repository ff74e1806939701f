"""The regularization page's questions: which of w₁ and w₂ each penalty prefers, and by how much.

Inputs (what /regularization has on screen; its settings, ``ui.settings.regularization``, so the
page may pass ``SETTINGS.values()``):

- ``x``, ``w1``, ``w2``: the pair tab's table (settings ``x``, ``w1``, ``w2``), sequences of one
  length; the lecture's x = [1, 1, 1, 1], w₁ = [1, 0, 0, 0], w₂ = [.25, .25, .25, .25] by default.
- ``beta``: the elastic net's β (setting ``beta``).
- ``loglam``, ``kind``, ``loss``, ``label``: the full-loss section's log₁₀ λ, penalty, loss and
  x's class (settings of those names); only the ``full_loss`` question reads them.

Every answer is computed by ``core.regularization`` (``compare_pair``, ``full_loss``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from core import regularization as reg
from core.checks import integer, number
from core.quiz.question import Answer, Question

WHO = ("w1", "w2", "tie")


def _compare(inputs: Mapping) -> reg.PairComparison:
    return reg.compare_pair(inputs["x"], inputs["w1"], inputs["w2"], beta=inputs.get("beta", 1.0))


def scores(inputs: Mapping) -> dict:
    """w₁·x and w₂·x: the scores the prompts quote (the same for the lecture's pair)."""
    comp = _compare(inputs)
    return {"score1": comp.score1, "score2": comp.score2}


def _facts(comp: reg.PairComparison, kind: str) -> dict:
    k = comp.kinds.index(kind)
    r1, r2 = float(comp.r1[k]), float(comp.r2[k])
    return {"r1": r1, "r2": r2, "gap": r1 - r2, "score1": comp.score1, "score2": comp.score2}


def _prefers(kind: str):
    def solve(inputs: Mapping) -> Answer:
        comp = _compare(inputs)
        preferred = comp.preferred[comp.kinds.index(kind)]
        return Answer(preferred, _facts(comp, kind), "why_tie" if preferred == "tie" else "why")

    solve.__doc__ = f"Which of w₁ and w₂ {kind.upper()} prefers: the smaller R(w) wins."
    return solve


def _gap(kind: str, other: str):
    def solve(inputs: Mapping) -> Answer:
        comp = _compare(inputs)
        facts = _facts(comp, kind)
        slips = [_facts(comp, other)["gap"], -facts["gap"]]
        if facts["r2"]:
            slips.append(facts["r1"] / facts["r2"])
        if kind == "l2":  # ‖w‖ for ‖w‖²: the square forgotten
            slips.append(float(np.linalg.norm(inputs["w1"]) - np.linalg.norm(inputs["w2"])))
        return Answer(facts["gap"], facts, mistakes=tuple(slips))

    solve.__doc__ = (
        f"R(w₁) − R(w₂) under {kind.upper()}. Slips: the {other.upper()} gap (penalties mixed up), "
        "the sign turned round, the ratio R(w₁) / R(w₂), and for L2 the gap of the norms."
    )
    return solve


def full_loss(inputs: Mapping) -> Answer:
    """Which of w₁ and w₂ has the smaller full loss L = data loss + λR(w), as the page sets it."""
    x, lam = inputs["x"], 10.0 ** number("loglam", inputs["loglam"], low=-300, high=300)
    options = {"loss": inputs["loss"], "reg": lam, "kind": inputs["kind"], "beta": inputs.get("beta", 1.0)}
    (d1, p1), (d2, p2) = (
        reg.full_loss(w, x, integer("label", inputs["label"], 0, 1), **options)
        for w in (inputs["w1"], inputs["w2"])
    )
    winner = reg.smaller(d1 + p1, d2 + p2)
    facts = {
        "data1": d1,
        "data2": d2,
        "reg1": p1,
        "reg2": p2,
        "total1": d1 + p1,
        "total2": d2 + p2,
        "lam": lam,
    }
    return Answer(winner, facts, "why_tie" if winner == "tie" else "why")


QUESTIONS = (
    Question("regularization.l2_prefers", "choice", _prefers("l2"), choices=WHO, given=scores),
    Question("regularization.l2_gap", "number", _gap("l2", "l1"), tolerance=0.01, given=scores),
    Question("regularization.l1_prefers", "choice", _prefers("l1"), choices=WHO, given=scores),
    Question("regularization.l1_gap", "number", _gap("l1", "l2"), tolerance=0.01, given=scores),
    Question("regularization.full_loss", "choice", full_loss, choices=WHO),
)


def lecture_inputs() -> dict:
    """The page's defaults: the lecture's x, w₁, w₂ and its full-loss settings.

    >>> inputs = lecture_inputs()
    >>> [q.solve(inputs).value for q in QUESTIONS]
    ['w2', 0.75, 'tie', 0.0, 'w2']
    >>> QUESTIONS[0].solve(dict(inputs, **dict(zip(("x", "w1", "w2"), reg.PAIRS["sparse"])))).value
    'w2'
    >>> QUESTIONS[2].solve(dict(inputs, **dict(zip(("x", "w1", "w2"), reg.PAIRS["sparse"])))).value
    'w1'
    """
    return {
        "x": tuple(reg.LECTURE_X),
        "w1": tuple(reg.LECTURE_W1),
        "w2": tuple(reg.LECTURE_W2),
        "beta": 1.0,
        "loglam": -1.0,
        "kind": "l2",
        "loss": "softmax",
        "label": 0,
    }

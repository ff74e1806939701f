"""How a quiz answer reads on screen: numbers as the slides print them, facts, the explanation's key.

Shared by the question card (ui.predict) and class mode (ui.class_poll), so a student alone and a
class see an answer printed the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.quiz import Answer, Question
from ui.i18n import catalog, current_language, t
from ui.numbers import fmt, short


def number_text(value: float) -> str:
    """A number as an answer or a class's choice shows it (the slides' style: 2.04, 3, 0.13)."""
    return short(float(value))


def optional(key: str, **fields) -> str:
    """A catalog string that a question may or may not have (a unit): "" when it has none."""
    return t(key, **fields) if key in catalog(current_language()) else ""


def facts_text(facts: Mapping) -> dict[str, str]:
    """The answer's facts as the explanation prints them: floats with two decimals."""
    return {k: ("—" if v is None else fmt(v) if isinstance(v, float) else str(v)) for k, v in facts.items()}


def answer_text(question: Question, value: float | str) -> str:
    if question.kind == "choice":
        return t(f"quiz.{question.id}.choice.{value}")
    unit = optional(f"quiz.{question.id}.unit")
    return f"{number_text(value)} {unit}".strip()


def why_key(question: Question, answer: Answer) -> str:
    """The explanation's catalog key: ``answer.why`` under the question's keys, or a whole key
    (the loss page's questions explain with its what-if sentences, ``whatif.q4.answer``)."""
    return answer.why if "." in answer.why else f"quiz.{question.id}.{answer.why}"

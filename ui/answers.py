"""How a quiz answer reads on screen: numbers as the slides print them, facts, the explanation's key.

Shared by the question card (ui.predict) and class mode (ui.class_poll), so a student alone and a
class see an answer printed the same way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from core.quiz import Answer, Question
from ui.i18n import catalog, current_language, t
from ui.numbers import fmt, short

NEVER = "never"  # how "it never happens" (an infinite answer) is written in a class's options
NEVER_WORDS = frozenset({"never", "inf", "infinity", "∞", "없음", "안됨", "안 됨", "도달 못함"})


def number_text(value: float) -> str:
    """A number as an answer or a class's choice is stored and shown (the slides' style: 2.04, 3,
    0.13); an infinite answer ("90 % is never reached") is ``NEVER``."""
    return NEVER if math.isinf(float(value)) else short(float(value))


def option_text(question: Question, option: str) -> str:
    """A class option as a student reads it: a choice in their language, "never" in words, a number."""
    if question.kind == "choice" and option in question.choices:
        return t(f"quiz.{question.id}.choice.{option}")
    if option == NEVER:
        return t("predict.never")
    unit = optional(f"quiz.{question.id}.unit")
    return f"{option} {unit}".strip()


def optional(key: str, **fields) -> str:
    """A catalog string that a question may or may not have (a unit): "" when it has none."""
    return t(key, **fields) if key in catalog(current_language()) else ""


def facts_text(facts: Mapping) -> dict[str, str]:
    """The answer's facts as the explanation prints them: floats with two decimals."""
    return {k: ("—" if v is None else fmt(v) if isinstance(v, float) else str(v)) for k, v in facts.items()}


def answer_text(question: Question, value: float | str) -> str:
    """An answer (or a guess) as the card shows it, with the question's unit."""
    if question.kind == "choice":
        return t(f"quiz.{question.id}.choice.{value}")
    return option_text(question, number_text(value))


def why_key(question: Question, answer: Answer) -> str:
    """The explanation's catalog key: ``answer.why`` under the question's keys, or a whole key
    (the loss page's questions explain with its what-if sentences, ``whatif.q4.answer``)."""
    return answer.why if "." in answer.why else f"quiz.{question.id}.{answer.why}"

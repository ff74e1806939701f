"""A question asked before its answer is shown, the answer computed from the inputs, and the grade.

A ``Question`` is asked before its answer is shown. Its ``solve`` turns the page's current inputs
(a mapping the chapter documents, e.g. the score table and loss options on /losses) into an
``Answer``: the value, the facts its explanation quotes, and, for a number, a few values a student
who makes a common mistake would give (the class's other choices). Nothing is stored: change the
inputs and the answer changes with them.

``grade`` compares a guess with the answer: right, close or off, and by how much.

>>> q = Question("demo.c", "number", lambda inputs: Answer(inputs["c"] - 1.0), tolerance=0.05)
>>> grade(q, 2.0, q.solve({"c": 3})), grade(q, 2.2, q.solve({"c": 3})).verdict
(Verdict(verdict='right', error=0.0), 'close')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

KINDS = ("number", "choice")
VERDICTS = ("right", "close", "off")


@dataclass(frozen=True)
class Answer:
    """What a question's answer is for the current inputs.

    ``value`` is a number (a "number" question) or the key of the right choice; ``facts`` fill the
    explanation's ``{fields}`` and ``why`` names which explanation fits (a catalog key under the
    question's); ``mistakes`` are numbers a common slip gives (ln for log₁₀, forgetting the margin).
    """

    value: float | str
    facts: Mapping = field(default_factory=dict)
    why: str = "why"
    mistakes: tuple[float, ...] = ()


@dataclass(frozen=True)
class Question:
    """One question: ``id`` is ``"<chapter>.<name>"`` and its catalog key under ``quiz.``.

    ``kind`` is "number" (a guess counts as right within ``tolerance`` + ``relative``·|answer|, and
    close within ``close`` times that) or "choice" (one of ``choices``, catalog keys under
    ``quiz.<id>.choice``). ``solve(inputs)`` computes the answer; ``setup`` is what the page puts
    on screen first (a chapter's own, e.g. a what-if preset on /losses).
    """

    id: str
    kind: str
    solve: Callable[[Mapping], Answer]
    choices: tuple[str, ...] = ()
    tolerance: float = 0.0
    relative: float = 0.01
    close: float = 5.0
    setup: str | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError(
                f"question {self.id!r}: choices are for choice questions only, and required there"
            )

    @property
    def chapter(self) -> str:
        return self.id.split(".", 1)[0]


@dataclass(frozen=True)
class Verdict:
    """``verdict`` is right, close or off; ``error`` is guess − answer for a number (else None)."""

    verdict: str
    error: float | None = None


def grade(question: Question, guess: float | str, answer: Answer) -> Verdict:
    """How ``guess`` compares with ``answer`` (a choice is right or off; a number can be close)."""
    if question.kind == "choice":
        if guess not in question.choices:
            raise ValueError(f"guess must be one of {question.choices}, got {guess!r}")
        return Verdict("right" if guess == answer.value else "off")
    guess = float(guess)
    if not math.isfinite(guess):
        raise ValueError(f"guess must be a finite number, got {guess!r}")
    error = guess - float(answer.value)
    allowed = question.tolerance + question.relative * abs(float(answer.value))
    if abs(error) <= allowed:
        return Verdict("right", error)
    return Verdict("close" if abs(error) <= question.close * max(allowed, 1e-12) else "off", error)


def class_options(question: Question, answer: Answer, number: Callable[[float], str]) -> list[str]:
    """The choices a class votes among: a choice question's keys, or for a number the answer and
    the mistakes' values printed by ``number``, in increasing order, without repeats."""
    if question.kind == "choice":
        return list(question.choices)
    values = sorted({float(v) for v in (answer.value, *answer.mistakes) if math.isfinite(v)})
    printed: list[str] = []
    for v in values:
        if number(v) not in printed:
            printed.append(number(v))
    return printed

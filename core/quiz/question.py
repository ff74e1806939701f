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

    ``value`` is a number (a "number" question; ``math.inf`` where the thing asked for never
    happens, e.g. 90 % accuracy not reached) or the key of the right choice; ``facts`` fill the
    explanation's ``{fields}`` and ``why`` names which explanation fits (a catalog key under the
    question's); ``mistakes`` are numbers a common slip gives (ln for log₁₀, forgetting the margin).
    A fact is a float (printed with 2 decimals), an int (printed as it is: counts, classes, powers
    of ten) or a str (a vector or a name, printed as plain text).
    """

    value: float | str
    facts: Mapping = field(default_factory=dict)
    why: str = "why"
    mistakes: tuple[float, ...] = ()


def _nothing_given(inputs: Mapping) -> Mapping:
    return {}


@dataclass(frozen=True)
class Question:
    """One question: ``id`` is ``"<chapter>.<name>"`` and its catalog key under ``quiz.``.

    ``kind`` is "number" (a guess counts as right within ``tolerance`` + ``relative``·|answer|, and
    close within ``close`` times that) or "choice" (one of ``choices``, catalog keys under
    ``quiz.<id>.choice``). ``solve(inputs)`` computes the answer; ``setup`` is what the page puts
    on screen first (a chapter's own, e.g. a what-if preset on /losses). ``given(inputs)`` holds
    the facts the prompt quotes before the answer is shown (its ``{fields}``; none by default).
    """

    id: str
    kind: str
    solve: Callable[[Mapping], Answer]
    choices: tuple[str, ...] = ()
    tolerance: float = 0.0
    relative: float = 0.01
    close: float = 5.0
    setup: str | None = None
    given: Callable[[Mapping], Mapping] = _nothing_given

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
    """How ``guess`` compares with ``answer`` (a choice is right or off; a number can be close).

    A number guess is right within ``question.tolerance + question.relative * |answer|`` of the
    answer and close within ``question.close`` times that; ``math.inf`` stands for "never" and
    is right only when the answer is never too.

    >>> q = Question("demo.n", "number", lambda inputs: Answer(100.0), tolerance=0.0, relative=0.1)
    >>> [grade(q, g, q.solve({})).verdict for g in (110, 111, 150, 151, math.inf)]
    ['right', 'close', 'close', 'off', 'off']
    """
    if question.kind == "choice":
        if guess not in question.choices:
            raise ValueError(f"guess must be one of {question.choices}, got {guess!r}")
        return Verdict("right" if guess == answer.value else "off")
    guess, value = float(guess), float(answer.value)
    if math.isnan(guess) or guess == -math.inf:
        raise ValueError(f"guess must be a number, or inf for never, got {guess!r}")
    if math.isinf(guess) or math.isinf(value):  # "never" is right only against never
        return Verdict("right", 0.0) if guess == value else Verdict("off", None)
    error = guess - value
    allowed = question.tolerance + question.relative * abs(float(answer.value))
    if abs(error) <= allowed:
        return Verdict("right", error)
    return Verdict("close" if abs(error) <= question.close * max(allowed, 1e-12) else "off", error)


def class_options(question: Question, answer: Answer, number: Callable[[float], str]) -> list[str]:
    """The choices a class votes among: a choice question's keys, or for a number the answer and
    the mistakes' values printed by ``number``, in increasing order, without repeats (an infinite
    answer, "never", last).

    >>> q = Question("demo.c", "number", lambda inputs: Answer(2.0, mistakes=(3.0, 2.001, 0.0)))
    >>> class_options(q, q.solve({}), lambda v: f"{v:.2f}")
    ['0.00', '2.00', '3.00']
    """
    if question.kind == "choice":
        return list(question.choices)
    values = sorted({float(v) for v in (answer.value, *answer.mistakes) if not math.isnan(v)})
    printed: list[str] = []
    for v in values:
        if number(v) not in printed:
            printed.append(number(v))
    return printed

"""Predict, then reveal: the lecture's questions, each answered by core from what is on screen.

Every chapter has a few questions (``core/quiz/<chapter>.py``); ``QUESTIONS`` maps each id
(``"losses.q3"``) to its ``Question``, and ``chapter(name)`` lists one chapter's in order. A page
passes its current inputs to ``question.solve`` when the student asks for the answer, so the
answer follows whatever is on screen; ``question.given(inputs)`` fills the prompt's fields before
that. Each chapter module's docstring lists the inputs it reads and where the page has them, and
its ``lecture_inputs()`` returns them at the page's defaults. Inputs core refuses (a fractional cell
size, vectors of different lengths) raise ``ValueError`` naming the value, as core does.

Catalog keys (assets/i18n/quiz.<lang>.json): ``quiz.<chapter>.title``; per question
``quiz.<id>.prompt``, ``.why`` and each ``why_*`` its solve may return, ``.choice.<key>`` and, for
a number, ``.unit``.
"""

from __future__ import annotations

from core.quiz import features, gradients, losses, optimization, regularization
from core.quiz.question import Answer, Question, Verdict, class_options, grade

CHAPTERS = {
    "losses": losses.QUESTIONS,
    "regularization": regularization.QUESTIONS,
    "optimization": optimization.QUESTIONS,
    "gradients": gradients.QUESTIONS,
    "features": features.QUESTIONS,
}
QUESTIONS = {q.id: q for questions in CHAPTERS.values() for q in questions}


def chapter(name: str) -> tuple[Question, ...]:
    """The questions of chapter ``name``, in the order the page asks them."""
    if name not in CHAPTERS:
        raise ValueError(f"chapter must be one of {tuple(CHAPTERS)}, got {name!r}")
    return CHAPTERS[name]


__all__ = ["CHAPTERS", "QUESTIONS", "Answer", "Question", "Verdict", "chapter", "class_options", "grade"]

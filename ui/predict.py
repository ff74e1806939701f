"""Predict, then reveal: a question card that takes the student's guess before it shows the answer.

``ask(settings, question, inputs)`` shows the question (``quiz.<id>.prompt``) and a box for a number
or a choice. "Check" grades the guess against ``question.solve(inputs)``, which core computes from
what is on screen; "Just show me" skips the guess. The reveal then shows the answer, the guess beside
it (right, close or off, and by how much) and the explanation in the lecture's numbers. Change the
inputs and the answer follows them; "Predict again" asks afresh.

The chapter's progress (which questions were predicted, and how they went) is the page setting
``quiz`` (ui.settings.base.progress_field), so it lives in the session and in the URL: a student
can bookmark their place. The guess itself stays in the session only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import streamlit as st

from core.quiz import Answer, Question, Verdict, chapter, grade
from ui import class_mode
from ui.answers import NEVER_WORDS, answer_text, facts_text, number_text, optional, why_key
from ui.i18n import t
from ui.plots.theme import GUESS_COLORS
from ui.settings.page import PageSettings
from ui.shortcuts import SHORTCUTS
from ui.widgets import md_escape

MARKS = {"right": "✓", "close": "≈", "off": "✗", "shown": "○"}  # beside a question's number in the picker


def parse_guess(question: Question, raw) -> float | str:
    """The guess as typed or chosen; ValueError (a catalog key) when there is none or it is no number.
    A typed number is used exactly as written: ``float`` of the text, nothing rounded."""
    if question.kind == "choice":
        if raw not in question.choices:
            raise ValueError("predict.choose")
        return raw
    text = (raw or "").strip()
    if not text:
        raise ValueError("predict.empty")
    if text.lower() in NEVER_WORDS:
        return math.inf  # "it never happens": right only where the answer is never too
    try:
        value = float(text.replace("−", "-"))
    except ValueError:
        raise ValueError("predict.not_number") from None
    if not math.isfinite(value):
        raise ValueError("predict.not_number")
    return value


# ---- the session's record of one question --------------------------------------------------------------


def _record_key(question: Question) -> str:
    return f"_predict.{question.id}"


def _input_key(question: Question) -> str:
    return f"predict.{question.id}.guess"


def record(question: Question) -> dict | None:
    """``{"guess", "then", "verdict"}`` once the question was checked or shown, else None."""
    return st.session_state.get(_record_key(question))


def _progress(settings: PageSettings, question: Question, outcome: str) -> None:
    name = question.id.split(".", 1)[1]
    done = dict(settings["quiz"])
    done[name] = outcome
    order = [q.id.split(".", 1)[1] for q in chapter(question.chapter)]
    settings.set(quiz=tuple((n, done[n]) for n in order if n in done))


def _check(settings: PageSettings, question: Question, inputs: Mapping) -> None:
    try:
        guess = parse_guess(question, st.session_state.get(_input_key(question)))
    except ValueError as refused:
        st.session_state[f"{_record_key(question)}.refused"] = str(refused)
        return
    answer = question.solve(inputs)
    verdict = grade(question, guess, answer)
    st.session_state[_record_key(question)] = {"guess": guess, "then": answer.value, "verdict": verdict}
    st.session_state.pop(f"{_record_key(question)}.refused", None)
    _progress(settings, question, verdict.verdict)


def _show(settings: PageSettings, question: Question, inputs: Mapping) -> None:
    answer = question.solve(inputs)
    st.session_state[_record_key(question)] = {"guess": None, "then": answer.value, "verdict": None}
    st.session_state.pop(f"{_record_key(question)}.refused", None)
    if dict(settings["quiz"]).get(question.id.split(".", 1)[1]) is None:
        _progress(settings, question, "shown")


def _show_once(settings: PageSettings, question: Question, inputs: Mapping) -> bool:
    """The class has seen the answer: the instructor's card shows it too. Whether that changed it."""
    if record(question) is not None:
        return False
    _show(settings, question, inputs)
    return True


def forget(question: Question) -> None:
    """Ask ``question`` afresh (its progress mark stays until the next guess replaces it)."""
    st.session_state.pop(_record_key(question), None)
    st.session_state.pop(_input_key(question), None)


# ---- drawing -----------------------------------------------------------------------------------------


def progress_line(settings: PageSettings, chapter_name: str, *, numbered: bool = False) -> None:
    """ "This chapter: 3 of 5 predicted, 2 right", from the page's ``quiz`` setting; ``numbered``
    adds each question's mark ("1 ✓ · 2 ✗ · 4 ·") for a page whose picker shows plain numbers."""
    outcomes = dict(settings["quiz"])
    guessed = [o for o in outcomes.values() if o != "shown"]
    total = len(chapter(chapter_name))
    line = t("predict.progress", guessed=len(guessed), total=total, right=guessed.count("right"))
    names = question_names(chapter_name)
    marks = [f"{k + 1} {MARKS[outcomes[n]]}" for k, n in enumerate(names) if n in outcomes]
    st.caption(f"{line} {' · '.join(marks)}" if numbered and marks else line)


def prompt(question: Question, number: int, total: int, facts: Mapping) -> None:
    """The question, which may quote ``facts`` the page gives (what is on screen, never the answer)."""
    text = t(f"quiz.{question.id}.prompt", **facts)
    st.markdown(f"**{t('predict.question', n=number, total=total)}** · {text}")


def _guess_box(settings: PageSettings, question: Question, inputs: Mapping):
    """The box for the guess, then Check and "Just show me"; returns the row's last cell."""
    key = _input_key(question)
    if question.kind == "choice":
        st.radio(
            t("predict.choice_label"),
            question.choices,
            index=None,
            key=key,
            format_func=lambda c: t(f"quiz.{question.id}.choice.{c}"),
        )
    else:
        unit = optional(f"quiz.{question.id}.unit")
        label = t("predict.number_label") + (f" ({unit})" if unit else "")
        st.text_input(label, key=key, placeholder=t("predict.number_placeholder"), max_chars=40)
    refused = st.session_state.get(f"{_record_key(question)}.refused")
    if refused:
        typed = md_escape(str(st.session_state.get(key) or ""))
        st.warning(t(refused, typed=typed), icon=":material/warning:")
    left, right, _, last = st.columns([2, 2, 1, 2])
    left.button(
        t("predict.check"),
        key=f"predict.{question.id}.check",
        type="primary",
        on_click=_check,
        args=(settings, question, inputs),
        width="stretch",
    )
    right.button(
        t("predict.skip"),
        key=f"predict.{question.id}.skip",
        on_click=_show,
        args=(settings, question, inputs),
        width="stretch",
        shortcut=None
        if class_mode.token()
        else SHORTCUTS["reveal"],  # an instructor's A reveals to the class
    )
    return last


def verdict_line(question: Question, guess, verdict: Verdict | None) -> None:
    """The guess beside the answer: right, close (and by how much) or off, as a coloured badge."""
    if verdict is None:
        st.caption(t("predict.skipped"))
        return
    yours = t("predict.yours", guess=md_escape(answer_text(question, guess)))
    by = "" if verdict.error is None else number_text(abs(verdict.error))
    outcome = "off_by" if verdict.verdict == "off" and by else verdict.verdict
    badge = (
        f":{GUESS_COLORS[verdict.verdict]}-badge[{MARKS[verdict.verdict]} {t('predict.' + outcome, by=by)}]"
    )
    st.markdown(f"{yours} {badge}")


def reveal(question: Question, answer: Answer, seen: dict, facts: Mapping) -> None:
    """The answer for what is on screen now, the guess beside it, and why."""
    st.markdown(t("predict.answer", answer=answer_text(question, answer.value)))
    verdict_line(question, seen["guess"], seen["verdict"])
    if seen["then"] != answer.value:
        st.caption(t("predict.changed", then=answer_text(question, seen["then"])))
    why = t(why_key(question, answer), **{**facts_text(answer.facts), **facts})
    st.success(why, icon=":material/lightbulb:")


def ask(
    settings: PageSettings,
    question: Question,
    inputs: Mapping,
    *,
    facts: Mapping | None = None,
    details: Callable[[Answer], None] | None = None,
    next_question: Callable[[], None] | None = None,
) -> None:
    """The card for ``question`` on the inputs now on screen. ``facts`` are printed values the
    explanation may also quote (the image number, the margin as the sidebar shows it);
    ``details(answer)`` adds what the page shows beside a revealed answer (the loss page's
    comparison table); ``next_question`` moves the page on (a callback). An instructor running a
    class also gets the class controls under it."""
    questions = chapter(question.chapter)
    facts = {**facts_text(question.given(inputs)), **(facts or {})}  # what the prompt may quote
    with st.container(border=True):
        prompt(question, questions.index(question) + 1, len(questions), facts)
        seen = record(question)
        if seen is None:
            last = _guess_box(settings, question, inputs)
        else:
            answer = question.solve(inputs)
            reveal(question, answer, seen, facts)
            if details:
                details(answer)
            left, _, last = st.columns([2, 3, 2])
            left.button(
                t("predict.again"),
                key=f"predict.{question.id}.again",
                on_click=forget,
                args=(question,),
                width="stretch",
            )
        if next_question is not None:
            last.button(
                t("predict.next"),
                key=f"predict.{question.chapter}.next",
                on_click=next_question,
                icon=":material/arrow_forward:",
                shortcut=SHORTCUTS["next"],
                width="stretch",
            )
        if class_mode.token():
            class_mode.card_controls(question, inputs, facts, lambda: _show_once(settings, question, inputs))


def question_names(chapter_name: str) -> tuple[str, ...]:
    """The chapter's question names (``q1``, ``l2_prefers``, ...), as the URL writes them."""
    return tuple(q.id.split(".", 1)[1] for q in chapter(chapter_name))


def chapter_tab(
    settings: PageSettings, chapter_name: str, inputs: Mapping, facts: Mapping | None = None
) -> None:
    """A chapter's "Predict" tab: the progress line, a picker over its questions, the open one's card.
    The page's settings hold ``q`` (the question open) and ``quiz`` (the progress)."""
    st.caption(t("predict.intro"))
    progress_line(settings, chapter_name, numbered=True)
    names = question_names(chapter_name)
    # Plain numbers: a label that changed under the radio (a mark added) would leave it unselected.
    settings.draw("q", format_func=lambda n: str(names.index(n) + 1))
    name = settings["q"]
    after = names[(names.index(name) + 1) % len(names)]
    question = chapter(chapter_name)[names.index(name)]
    ask(settings, question, inputs, facts=facts, next_question=lambda: settings.set(q=after))

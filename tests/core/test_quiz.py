"""core.quiz: every question answered on every case of its page; the grading; the class's options;
and the catalog text each question needs, in both languages, with the fields its answer fills."""

from __future__ import annotations

import math
import string
import time

import pytest
from quiz_cases import CASES, solved

from core.quiz import CHAPTERS, QUESTIONS, Answer, Question, chapter, class_options, grade
from ui.i18n import LANGUAGES, catalog


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


# ---- every question, on the page's inputs ------------------------------------------------------------


def test_every_chapter_asks_its_questions_in_order():
    assert [q.id for q in chapter("losses")] == [f"losses.q{k}" for k in range(1, 8)]
    assert set(CASES) == set(CHAPTERS)  # every chapter is tested on its cases
    for name in CHAPTERS:
        assert all(q.chapter == name for q in chapter(name))
    for name in ("regularization", "optimization", "gradients", "features"):
        assert 3 <= len(chapter(name)) <= 5, name
    with pytest.raises(ValueError, match="chapter must be one of"):
        chapter("nope")


@pytest.mark.parametrize("question", [q for name in CASES for q in CHAPTERS[name]], ids=lambda q: q.id)
def test_every_question_solves_on_every_case(question):
    for inputs in CASES[question.chapter]:
        answer = question.solve(inputs)
        assert isinstance(answer, Answer)
        if question.kind == "choice":
            assert answer.value in question.choices
        else:
            assert not math.isnan(float(answer.value))
            assert grade(question, answer.value, answer).verdict == "right"
        if question.chapter == "losses":  # explained by the what-if's own sentence (core.lecture.what_if)
            assert answer.why.startswith(f"whatif.{question.id.split('.')[1]}.answer")
        else:
            assert answer.why == "why" or answer.why.startswith("why_")


def test_every_solve_is_fast_on_the_pages_defaults():
    for name, cases in CASES.items():
        inputs = cases[0]
        for q in CHAPTERS[name]:
            q.solve(inputs)  # warm: the page calls it on every reveal
            start = time.perf_counter()
            q.solve(inputs)
            assert time.perf_counter() - start < 0.3, q.id


# ---- grading and the class's options ---------------------------------------------------------------


NUMBER = Question(
    "demo.n", "number", lambda inputs: Answer(inputs["v"]), tolerance=0.5, relative=0.0, close=2
)
CHOICE = Question("demo.c", "choice", lambda inputs: Answer("b"), choices=("a", "b"))


@pytest.mark.parametrize(
    ("guess", "verdict"),
    [(10.0, "right"), (10.5, "right"), (9.5, "right"), (10.51, "close"), (11.0, "close"), (11.01, "off")],
)
def test_a_number_is_right_within_the_tolerance_and_close_within_close_times_it(guess, verdict):
    result = grade(NUMBER, guess, Answer(10.0))
    assert result.verdict == verdict
    assert result.error == pytest.approx(guess - 10.0)


def test_the_relative_part_of_the_tolerance_grows_with_the_answer():
    q = Question("demo.r", "number", lambda inputs: Answer(0.0), tolerance=0.0, relative=0.01)
    assert grade(q, 1010.0, Answer(1000.0)).verdict == "right"
    assert grade(q, 1010.5, Answer(1000.0)).verdict == "close"
    assert grade(q, 0.0, Answer(0.0)).verdict == "right"
    assert grade(q, 1e-9, Answer(0.0)).verdict == "off"


def test_never_is_right_only_against_never():
    never = Answer(math.inf)
    assert grade(NUMBER, math.inf, never).verdict == "right"
    assert grade(NUMBER, 1e9, never) == grade(NUMBER, 1e9, never)
    assert grade(NUMBER, 1e9, never).verdict == "off"
    assert grade(NUMBER, math.inf, Answer(3.0)).verdict == "off"


@pytest.mark.parametrize("guess", [math.nan, -math.inf, "ten", None])
def test_a_guess_that_is_no_number_is_refused(guess):
    with pytest.raises((ValueError, TypeError)):
        grade(NUMBER, guess, Answer(1.0))


def test_a_choice_is_right_or_off_and_must_be_listed():
    assert grade(CHOICE, "b", Answer("b")).verdict == "right"
    assert grade(CHOICE, "a", Answer("b")).verdict == "off"
    assert grade(CHOICE, "a", Answer("b")).error is None
    with pytest.raises(ValueError, match="guess must be one of"):
        grade(CHOICE, "<b>c</b>", Answer("b"))


def test_class_options_are_the_answer_and_the_slips_printed_once_in_order():
    answer = Answer(2.0, mistakes=(3.0, 2.001, 0.0, math.nan, math.inf))
    assert class_options(NUMBER, answer, lambda v: f"{v:.2f}") == ["0.00", "2.00", "3.00", "inf"]
    assert class_options(CHOICE, Answer("a"), str) == ["a", "b"]


def test_the_class_options_of_every_number_question_hold_its_answer():
    for q, inputs, answer in solved():
        options = class_options(q, answer, lambda v: f"{v:.2f}")
        if q.kind == "number":
            assert f"{float(answer.value):.2f}" in options
            if inputs is CASES[q.chapter][0]:  # on the page's defaults the class has slips to vote for
                assert len(options) >= 3, f"{q.id}: too few slips to vote for"
        else:
            assert options == list(q.choices)


def test_a_question_must_be_one_of_the_kinds_with_choices_only_for_a_choice():
    with pytest.raises(ValueError, match="kind must be one of"):
        Question("demo.x", "essay", lambda inputs: Answer(0.0))
    with pytest.raises(ValueError, match="choices are for choice questions"):
        Question("demo.x", "number", lambda inputs: Answer(0.0), choices=("a",))
    with pytest.raises(ValueError, match="choices are for choice questions"):
        Question("demo.x", "choice", lambda inputs: Answer("a"))


# ---- the catalog text -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_question_has_its_text(lang):
    text = catalog(lang)
    for name in CHAPTERS:
        assert text.get(f"quiz.{name}.title"), f"quiz.{name}.title missing in {lang}"
    for q in QUESTIONS.values():
        key = f"quiz.{q.id}"
        assert text.get(f"{key}.prompt"), f"{key}.prompt missing in {lang}"
        if q.chapter != "losses":  # the loss page's questions are explained by its whatif.*.answer
            assert text.get(f"{key}.why"), f"{key}.why missing in {lang}"
        for choice in q.choices:
            assert text.get(f"{key}.choice.{choice}"), f"{key}.choice.{choice} missing in {lang}"
        if q.kind == "number":
            assert f"{key}.unit" in text, f"{key}.unit missing in {lang}"


def test_both_languages_have_the_same_quiz_keys_with_the_same_fields():
    en, ko = ({k: v for k, v in catalog(lang).items() if k.startswith("quiz.")} for lang in ("en", "ko"))
    assert en.keys() == ko.keys()
    for key in en:
        assert _fields(en[key]) == _fields(ko[key]), key


def test_every_field_an_explanation_quotes_is_in_its_answers_facts():
    text = catalog("en")
    for q, inputs, answer in solved():
        key = answer.why if "." in answer.why else f"quiz.{q.id}.{answer.why}"
        why = text.get(key)
        assert why is not None, f"{key} missing"
        assert _fields(why) <= set(answer.facts), (q.id, answer.why, _fields(why) - set(answer.facts))
        why.format(**answer.facts)  # fills
        prompt = text[f"quiz.{q.id}.prompt"]
        given = q.given(inputs)
        assert _fields(prompt) <= set(given), (q.id, _fields(prompt) - set(given))


def test_every_explanation_in_the_catalog_is_one_a_case_reaches():
    reached = {(q.id, answer.why) for q, _, answer in solved()}
    text = catalog("en")
    for q in QUESTIONS.values():
        if q.chapter not in CASES:
            continue
        variants = {k.rsplit(".", 1)[1] for k in text if k.startswith(f"quiz.{q.id}.why")}
        assert variants <= {why for qid, why in reached if qid == q.id}, q.id


def test_facts_are_numbers_or_text():
    for q, _, answer in solved():
        for name, value in answer.facts.items():
            assert value is None or isinstance(value, int | float | str), (q.id, name, value)

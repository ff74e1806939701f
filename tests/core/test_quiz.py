"""core.quiz: every question answered from the page's inputs, on its defaults and on edited ones;
the grading; the class's options; and the catalog text each question needs, in both languages."""

from __future__ import annotations

import math
import string
import time

import numpy as np
import pytest

from core import features as feat
from core import gradients as grad
from core import lecture, params
from core import regularization as reg
from core.linear import LossSpec
from core.optim import History, train
from core.quiz import CHAPTERS, QUESTIONS, Answer, Question, chapter, class_options, grade
from core.quiz import features as quiz_feat
from core.quiz import gradients as quiz_grad
from core.quiz import losses as quiz_losses
from core.quiz import optimization as quiz_opt
from core.quiz import regularization as quiz_reg
from ui.i18n import LANGUAGES, catalog


def _edit(inputs: dict, **changes) -> dict:
    return {**inputs, **changes}


LOSS = quiz_losses.lecture_inputs()
REG = quiz_reg.lecture_inputs()
OPT = quiz_opt.lecture_inputs()
SEPARATED = {  # two points the starting W already tells apart: 100 % at step 0
    "X": np.array([[1.0, 0.0], [-1.0, 0.0]]),
    "y": np.array([0, 1]),
    "W0": np.array([[1.0, 0.0], [-1.0, 0.0]]),
    "b0": np.zeros(2),
}
GRAD = quiz_grad.lecture_inputs()
FIVE = {"W": np.arange(10.0).reshape(5, 2) / 10, "b": np.zeros(5), "y": np.array([0, 1, 2, 3, 4, 0, 1, 2, 3])}
FEAT = quiz_feat.lecture_inputs()
GRAY = np.random.default_rng(0).integers(0, 256, size=(75, 100), dtype=np.uint8)  # a small gray image
SPARSE = dict(zip(("x", "w1", "w2"), (tuple(v) for v in reg.PAIRS["sparse"]), strict=True))

# Per chapter: the page's defaults first, then edits that reach every explanation a question has.
CASES = {
    "losses": [
        LOSS,
        _edit(LOSS, example=0),  # the cat misses the margin: q1's other explanation
        _edit(LOSS, scores=lecture.near_zero_scores(3, 3)),
        _edit(LOSS, scores=np.array([[5.0, 1.0, 0.0], [0.0, 9.0, 1.0], [0.0, 0.0, 4.0]])),  # L = 0
        _edit(LOSS, scores=lecture.SVM_VS_SOFTMAX_SCORES, labels=lecture.SVM_VS_SOFTMAX_LABELS),
        _edit(LOSS, svm={"margin": 2.0}, softmax={"log_base": "10"}),
    ],
    "regularization": [
        REG,
        _edit(REG, **SPARSE),
        _edit(REG, w1=(0.25, 0.25, 0.25, 0.25)),  # w1 = w2: ties everywhere
        _edit(REG, loss="svm", loglam=1.0, kind="l1"),
        _edit(REG, x=(1.0, -2.0), w1=(3.0, 1.0), w2=(-1.0, -1.0), label=1, beta=0.5, kind="elastic_net"),
    ],
    "optimization": [
        OPT,
        _edit(OPT, optimizer="momentum"),  # a step of 10 oscillates
        _edit(OPT, spec=LossSpec("svm", reg=0.0)),  # no regularization: a step of 10 still converges
        _edit(OPT, optimizer="rmsprop", lr=10.0),  # the first step blows up; 90 % never reached
        _edit(OPT, **SEPARATED),
        _edit(OPT, optimizer="adam", lr=1.0, batch=3, seed=5, spec=LossSpec("softmax", reg=0.01)),
    ],
    "gradients": [
        GRAD,
        _edit(GRAD, wloss="softmax", param="b.2"),
        _edit(GRAD, spec=LossSpec("svm", reg=0.0)),  # piecewise linear: the largest h wins
        *(_edit(GRAD, bug=bug) for bug in grad.BUGS[1:]),
        _edit(GRAD, bug="no_reg", spec=LossSpec("softmax", reg=0.0)),  # nothing for the bug to spoil
        _edit(
            GRAD,
            **SEPARATED,
            bug="no_bias",
            spec=LossSpec("svm", reg=0.0),
            W=SEPARATED["W0"],
            b=SEPARATED["b0"],
        ),
        _edit(GRAD, **FIVE, param="W.4.1", bug="no_bias"),
    ],
    "features": [
        FEAT,
        _edit(FEAT, cpb=2),
        _edit(FEAT, image=GRAY, orient=12, ppc=7, cpb=3, bins=4),
    ],
}


def _solved():
    """(question, inputs, answer) for every question on every case of its chapter."""
    for name, cases in CASES.items():
        for q in CHAPTERS[name]:
            for inputs in cases:
                yield q, inputs, q.solve(inputs)


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


# ---- every question, on the page's inputs ------------------------------------------------------------


def test_every_chapter_asks_its_questions_in_order():
    assert [q.id for q in chapter("losses")] == [f"losses.q{k}" for k in range(1, 8)]
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
        assert answer.why == "why" or answer.why.startswith("why_")


def test_the_regularization_answers_on_the_lecture_vectors():
    solved = {q.id.split(".")[1]: q.solve(REG) for q in chapter("regularization")}
    assert solved["l2_prefers"].value == "w2"  # 1 against 4 × 0.25² = 0.25
    assert solved["l2_gap"].value == pytest.approx(0.75)
    assert solved["l1_prefers"].value == "tie"  # 1 = 4 × 0.25
    assert solved["l1_gap"].value == 0.0
    assert solved["full_loss"].value == "w2"  # same data loss, smaller L2 penalty
    assert solved["l2_prefers"].facts["r1"] == 1.0
    assert solved["l2_prefers"].facts["r2"] == 0.25
    assert 4.0 in solved["l2_gap"].mistakes  # the ratio
    assert 0.5 in solved["l2_gap"].mistakes  # ‖w₁‖ − ‖w₂‖ = 1 − 0.5: the square forgotten


def test_the_regularization_answers_follow_the_vectors():
    by_id = {q.id: q for q in chapter("regularization")}
    sparse = _edit(REG, **SPARSE)
    assert by_id["regularization.l1_prefers"].solve(sparse).value == "w1"  # 0.5 < 0.8
    assert by_id["regularization.l1_gap"].solve(sparse).value == pytest.approx(0.5 - 0.8)
    assert by_id["regularization.l2_gap"].solve(sparse).value == pytest.approx(0.25 - 0.16)
    swapped = _edit(REG, w1=REG["w2"], w2=REG["w1"])
    assert by_id["regularization.l2_prefers"].solve(swapped).value == "w1"
    assert by_id["regularization.l2_gap"].solve(swapped).value == pytest.approx(-0.75)


def test_the_full_loss_answer_follows_lambda_the_penalty_and_the_scores():
    q = QUESTIONS["regularization.full_loss"]
    assert q.solve(_edit(REG, kind="l1")).value == "tie"  # equal scores and equal L1 penalties
    # w₁ scores 2 for class A, w₂ scores 1: with a tiny λ the data loss decides, with a big one L2 does.
    unequal = _edit(REG, w1=(2.0, 0.0, 0.0, 0.0), loglam=-3.0)
    assert q.solve(unequal).value == "w1"
    assert q.solve(_edit(unequal, loglam=1.0)).value == "w2"
    answer = q.solve(unequal)
    data, penalty = reg.full_loss(unequal["w1"], unequal["x"], 0, loss="softmax", reg=1e-3, kind="l2")
    assert answer.facts["total1"] == pytest.approx(data + penalty)


def test_a_step_size_of_10_is_judged_by_running_the_trainer():
    q = QUESTIONS["optimization.step_size_10"]
    sgd = train(OPT["X"], OPT["y"], lr=10.0, steps=200, W0=OPT["W0"], b0=OPT["b0"], spec=OPT["spec"])
    answer = q.solve(OPT)
    assert sgd.diverged
    assert (answer.value, answer.facts["step"]) == ("diverges", sgd.diverged_at)
    assert q.solve(_edit(OPT, optimizer="momentum")).value == "oscillates"
    assert q.solve(_edit(OPT, spec=LossSpec("svm", reg=0.0))).value == "converges"


def test_the_steps_to_90_percent_follow_the_step_size_and_the_optimizer():
    q = QUESTIONS["optimization.to_90"]
    assert q.solve(OPT).value == 79  # SGD at 0.1 on the demo's 9 points: all 9 right at step 79
    assert q.solve(_edit(OPT, lr=1.0)).value < 79
    hist = train(
        OPT["X"], OPT["y"], optimizer="adam", lr=0.1, steps=500, W0=OPT["W0"], b0=OPT["b0"], spec=OPT["spec"]
    )
    first = int(np.argmax(np.array(hist.accuracy) >= 0.9))
    assert q.solve(_edit(OPT, optimizer="adam")).value == first
    assert q.solve(_edit(OPT, optimizer="rmsprop", lr=10.0)).value == math.inf
    assert q.solve(_edit(OPT, **SEPARATED)).value == 0


def test_the_steps_to_90_percent_read_the_pages_own_history_when_given():
    history = History(loss=[1.0, 0.5, 0.4], accuracy=[0.5, 0.8, 0.95])
    assert QUESTIONS["optimization.to_90"].solve(_edit(OPT, history=history)).value == 2


def test_one_step_lands_where_the_trainer_does():
    q = QUESTIONS["optimization.one_step"]
    for inputs in (OPT, _edit(OPT, optimizer="adam", lr=0.5), _edit(OPT, batch=2, seed=3)):
        hist = train(
            inputs["X"],
            inputs["y"],
            optimizer=inputs["optimizer"],
            lr=inputs["lr"],
            steps=1,
            batch_size=inputs["batch"] or None,
            seed=inputs["seed"],
            W0=inputs["W0"],
            b0=inputs["b0"],
            spec=inputs["spec"],
        )
        assert q.solve(inputs).value == pytest.approx(hist.loss[1])
    assert q.solve(OPT).value < q.solve(OPT).facts["start"]


def test_the_optimization_answers_are_cached_and_fast():
    inputs = _edit(OPT, lr=0.3)
    start = time.perf_counter()
    first = [q.solve(inputs) for q in chapter("optimization")]
    cold = time.perf_counter() - start
    start = time.perf_counter()
    again = [q.solve(inputs) for q in chapter("optimization")]
    warm = time.perf_counter() - start
    assert first == again
    assert cold < 1.0  # 200 + 500 + 1 steps on 9 points
    assert warm < 0.05  # from the cache


def test_the_best_h_is_where_cores_difference_quotients_are_smallest():
    for inputs in (GRAD, _edit(GRAD, wloss="softmax", param="b.2"), _edit(GRAD, param="W.2.0")):
        spec = inputs["spec"] if inputs["wloss"] == "classifier" else LossSpec("softmax", reg=0.1)
        W, b = inputs["W"], inputs["b"]
        loss, loss_and_grad = params.flat_objective(inputs["X"], inputs["y"], W.shape, spec)
        p, index = params.flatten(W, b), params.param_index(inputs["param"], W.shape)
        hs = 10.0 ** np.arange(-10, 0)
        forward, centered = grad.difference_quotients(
            loss, p, index, hs, true_grad=loss_and_grad(p)[1][index]
        )
        for name, errors in (("best_h", forward), ("best_h_centered", centered)):
            answer = QUESTIONS[f"gradients.{name}"].solve(inputs)
            assert errors[int(answer.value) + 10] == errors.min(), (name, inputs["param"])


def test_the_best_h_follows_the_loss():
    forward, centered = QUESTIONS["gradients.best_h"], QUESTIONS["gradients.best_h_centered"]
    smooth = _edit(GRAD, wloss="softmax")
    assert -9 <= forward.solve(smooth).value <= -6  # near √ε ≈ 1e-8: truncation h against round-off ε/h
    assert -6 <= centered.solve(smooth).value <= -3  # near ∛ε ≈ 1e-5
    linear = _edit(GRAD, spec=LossSpec("svm", reg=0.0))
    assert forward.solve(linear).value == -1  # straight pieces: no truncation error, the largest h wins
    assert forward.solve(linear).why == "why_linear"
    assert -10.0 in forward.solve(smooth).mistakes  # "smaller is always better"


def test_the_bug_check_says_what_cores_check_says():
    q = QUESTIONS["gradients.bug_check"]
    for bug in grad.BUGS:
        result = grad.gradient_check(GRAD["W"], GRAD["b"], GRAD["X"], GRAD["y"], GRAD["spec"], bug=bug)
        assert q.solve(_edit(GRAD, bug=bug)).value == grad.verdict(result.worst)
    assert [q.solve(_edit(GRAD, bug=bug)).value for bug in grad.BUGS] == ["fine", "wrong", "wrong", "wrong"]
    hidden = q.solve(_edit(GRAD, bug="demo_reg", spec=LossSpec("svm", reg=0.0)))
    assert (hidden.value, hidden.why) == ("fine", "why_hidden")


def test_the_check_costs_two_evaluations_per_parameter():
    q = QUESTIONS["gradients.evaluations"]
    assert q.solve(GRAD).value == 2 * (3 * 2 + 3)
    assert q.solve(_edit(GRAD, **FIVE)).value == 2 * (5 * 2 + 5)
    assert set(q.solve(GRAD).mistakes) == {9.0, 12.0, 19.0}


def test_a_parameter_the_classifier_does_not_have_is_refused():
    with pytest.raises(ValueError, match="key must be one of"):
        QUESTIONS["gradients.best_h"].solve(_edit(GRAD, param="W.4.0"))


def test_the_lectures_hog_length():
    assert QUESTIONS["features.hog_640"].solve(FEAT).value == 80 * 60 * 9  # 43,200
    assert QUESTIONS["features.hog_640_blocks"].solve(FEAT).value == 79 * 59 * 2 * 2 * 9  # 167,796
    assert QUESTIONS["features.hog_640"].solve(_edit(FEAT, ppc=16, orient=18)).value == 40 * 30 * 18
    assert 640 * 480 // 8 * 9 in QUESTIONS["features.hog_640"].solve(FEAT).mistakes  # ÷ side, not area


@pytest.mark.parametrize(("orient", "ppc", "cpb"), [(9, 8, 1), (9, 8, 2), (12, 7, 3), (4, 16, 1)])
def test_the_hog_lengths_are_the_length_of_the_real_descriptor(orient, ppc, cpb):
    """The quiz sizes HoG as core does; on images small enough to run, that is skimage's length."""
    settings = {"orient": orient, "ppc": ppc, "cpb": cpb}
    for image in (GRAY, FEAT["image"][:100, :130]):
        answer = QUESTIONS["features.hog_image"].solve({"image": image, **settings, "bins": 10})
        real, _ = feat.hog(image, orientations=orient, pixels_per_cell=ppc, cells_per_block=cpb)
        assert answer.value == real.size


def test_the_hog_length_of_the_image_on_screen_follows_the_image():
    q = QUESTIONS["features.hog_image"]
    assert q.solve(FEAT).value == (300 // 8) * (451 // 8) * 9  # chelsea: partial cells dropped
    assert q.solve(FEAT).facts["cells_x"] == 56
    assert q.solve(_edit(FEAT, image=GRAY)).value == (75 // 8) * (100 // 8) * 9
    assert q.given(FEAT) == {"height": 300, "width": 451, "orient": 9, "ppc": 8, "cpb": 1}
    with pytest.raises(ValueError, match="smaller than one block"):
        q.solve(_edit(FEAT, image=GRAY[:10, :10], ppc=8, cpb=2))


def test_the_rgb_histogram_has_a_row_of_bins_per_channel():
    q = QUESTIONS["features.rgb_length"]
    assert q.solve(FEAT).value == 3 * 10
    assert q.solve(_edit(FEAT, bins=64)).value == 3 * 64
    assert q.solve(_edit(FEAT, image=GRAY, bins=4)).value == 12  # a gray image is counted as three channels
    assert 1000.0 in q.solve(FEAT).mistakes  # the joint histogram's 10³ bins


def test_every_solve_is_fast_on_the_pages_defaults():
    for name, cases in CASES.items():
        inputs = cases[0]
        for q in CHAPTERS[name]:
            q.solve(inputs)  # warm: the page calls it on every reveal
            start = time.perf_counter()
            q.solve(inputs)
            assert time.perf_counter() - start < 0.3, q.id


def test_a_bad_vector_is_refused_by_core():
    with pytest.raises(ValueError, match="one length"):
        QUESTIONS["regularization.l2_prefers"].solve(_edit(REG, w1=(1.0, 0.0)))
    with pytest.raises(ValueError, match="finite"):
        QUESTIONS["regularization.l2_gap"].solve(_edit(REG, x=(1.0, math.nan, 1.0, 1.0)))


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
    for q, inputs, answer in _solved():
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
    for q, inputs, answer in _solved():
        why = text.get(f"quiz.{q.id}.{answer.why}")
        assert why is not None, f"quiz.{q.id}.{answer.why} missing"
        assert _fields(why) <= set(answer.facts), (q.id, answer.why, _fields(why) - set(answer.facts))
        why.format(**answer.facts)  # fills
        prompt = text[f"quiz.{q.id}.prompt"]
        given = q.given(inputs)
        assert _fields(prompt) <= set(given), (q.id, _fields(prompt) - set(given))


def test_every_explanation_in_the_catalog_is_one_a_case_reaches():
    reached = {(q.id, answer.why) for q, _, answer in _solved()}
    text = catalog("en")
    for q in QUESTIONS.values():
        if q.chapter not in CASES:
            continue
        variants = {k.rsplit(".", 1)[1] for k in text if k.startswith(f"quiz.{q.id}.why")}
        assert variants <= {why for qid, why in reached if qid == q.id}, q.id


def test_facts_are_numbers_or_text():
    for q, _, answer in _solved():
        for name, value in answer.facts.items():
            assert value is None or isinstance(value, int | float | str), (q.id, name, value)

"""core.quiz, chapter by chapter: each answer is what core computes from the page's inputs, on the
lecture's numbers and on edited inputs (change an input, and the answer changes as core says)."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from quiz_cases import FEAT, FIVE, GRAD, GRAY, LOSS, OPT, REG, SEPARATED, SEPARATED_AT_START, SPARSE, edit

from core import features as feat
from core import gradients as grad
from core import lecture, params
from core import regularization as reg
from core.linear import LossSpec
from core.losses import svm_loss
from core.optim import History, train
from core.quiz import QUESTIONS, chapter


def test_the_loss_answers_follow_the_table_and_the_options():
    q = {q.id.split(".")[1]: q for q in chapter("losses")}
    assert q["q1"].solve(LOSS).value == "same"  # the car beats the others by more than the margin
    assert q["q1"].solve(edit(LOSS, example=0)).value == "changes"  # the cat does not
    near_zero = lecture.near_zero_scores(3, 3)
    answer = q["q3"].solve(edit(LOSS, scores=near_zero))
    assert answer.value == pytest.approx(svm_loss(near_zero, LOSS["labels"]).total)
    assert answer.value == pytest.approx(2.0, abs=0.05)  # (C − 1)·Δ
    assert q["q3"].solve(edit(LOSS, scores=near_zero, svm={"margin": 2.0})).value == pytest.approx(
        4.0, abs=0.1
    )
    assert q["q4"].solve(edit(LOSS, svm={"margin": 2.0})).value == pytest.approx(2.0)
    assert q["q5"].solve(LOSS).value == pytest.approx(5.27 / 3, abs=0.01)
    assert q["q6"].solve(LOSS).value == pytest.approx(30.55, abs=0.01)
    notes = edit(LOSS, scores=lecture.SVM_VS_SOFTMAX_SCORES, labels=lecture.SVM_VS_SOFTMAX_LABELS)
    assert q["q7"].solve(notes).value == "softmax"  # the SVM is satisfied by all three
    assert q["q1"].given(LOSS) == {"image": 2}


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
    sparse = edit(REG, **SPARSE)
    assert by_id["regularization.l1_prefers"].solve(sparse).value == "w1"  # 0.5 < 0.8
    assert by_id["regularization.l1_gap"].solve(sparse).value == pytest.approx(0.5 - 0.8)
    assert by_id["regularization.l2_gap"].solve(sparse).value == pytest.approx(0.25 - 0.16)
    swapped = edit(REG, w1=REG["w2"], w2=REG["w1"])
    assert by_id["regularization.l2_prefers"].solve(swapped).value == "w1"
    assert by_id["regularization.l2_gap"].solve(swapped).value == pytest.approx(-0.75)


def test_the_full_loss_answer_follows_lambda_the_penalty_and_the_scores():
    q = QUESTIONS["regularization.full_loss"]
    assert q.solve(edit(REG, kind="l1")).value == "tie"  # equal scores and equal L1 penalties
    # w₁ scores 2 for class A, w₂ scores 1: with a tiny λ the data loss decides, with a big one L2 does.
    unequal = edit(REG, w1=(2.0, 0.0, 0.0, 0.0), loglam=-3.0)
    assert q.solve(unequal).value == "w1"
    assert q.solve(edit(unequal, loglam=1.0)).value == "w2"
    answer = q.solve(unequal)
    data, penalty = reg.full_loss(unequal["w1"], unequal["x"], 0, loss="softmax", reg=1e-3, kind="l2")
    assert answer.facts["total1"] == pytest.approx(data + penalty)


def test_a_step_size_of_10_is_judged_by_running_the_trainer():
    q = QUESTIONS["optimization.step_size_10"]
    sgd = train(OPT["X"], OPT["y"], lr=10.0, steps=200, W0=OPT["W0"], b0=OPT["b0"], spec=OPT["spec"])
    answer = q.solve(OPT)
    assert sgd.diverged
    assert (answer.value, answer.facts["step"]) == ("diverges", sgd.diverged_at)
    assert q.solve(edit(OPT, optimizer="momentum")).value == "oscillates"
    assert q.solve(edit(OPT, spec=LossSpec("svm", reg=0.0))).value == "converges"


def test_the_steps_to_90_percent_follow_the_step_size_and_the_optimizer():
    q = QUESTIONS["optimization.to_90"]
    assert q.solve(OPT).value == 79  # SGD at 0.1 on the demo's 9 points: all 9 right at step 79
    assert q.solve(edit(OPT, lr=1.0)).value < 79
    hist = train(
        OPT["X"], OPT["y"], optimizer="adam", lr=0.1, steps=500, W0=OPT["W0"], b0=OPT["b0"], spec=OPT["spec"]
    )
    first = int(np.argmax(np.array(hist.accuracy) >= 0.9))
    assert q.solve(edit(OPT, optimizer="adam")).value == first
    assert q.solve(edit(OPT, optimizer="rmsprop", lr=10.0)).value == math.inf
    assert q.solve(edit(OPT, **SEPARATED)).value == 0


def test_the_steps_to_90_percent_read_the_pages_own_history_when_given():
    history = History(loss=[1.0, 0.5, 0.4], accuracy=[0.5, 0.8, 0.95])
    assert QUESTIONS["optimization.to_90"].solve(edit(OPT, history=history)).value == 2


def test_one_step_lands_where_the_trainer_does():
    q = QUESTIONS["optimization.one_step"]
    for inputs in (OPT, edit(OPT, optimizer="adam", lr=0.5), edit(OPT, batch=2, seed=3)):
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
    inputs = edit(OPT, lr=0.3)
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
    for inputs in (GRAD, edit(GRAD, wloss="softmax", param="b.2"), edit(GRAD, param="W.2.0")):
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
    smooth = edit(GRAD, wloss="softmax")
    assert -9 <= forward.solve(smooth).value <= -6  # near √ε ≈ 1e-8: truncation h against round-off ε/h
    assert -6 <= centered.solve(smooth).value <= -3  # near ∛ε ≈ 1e-5
    linear = edit(GRAD, spec=LossSpec("svm", reg=0.0))
    assert forward.solve(linear).value == -1  # straight pieces: no truncation error, the largest h wins
    assert forward.solve(linear).why == "why_linear"
    assert -10.0 in forward.solve(smooth).mistakes  # "smaller is always better"


def test_the_bug_check_says_what_cores_check_says():
    q = QUESTIONS["gradients.bug_check"]
    for bug in grad.BUGS:
        result = grad.gradient_check(GRAD["W"], GRAD["b"], GRAD["X"], GRAD["y"], GRAD["spec"], bug=bug)
        assert q.solve(edit(GRAD, bug=bug)).value == grad.verdict(result.worst)
    assert [q.solve(edit(GRAD, bug=bug)).value for bug in grad.BUGS] == ["fine", "wrong", "wrong", "wrong"]
    hidden = q.solve(edit(GRAD, bug="demo_reg", spec=LossSpec("svm", reg=0.0)))
    assert (hidden.value, hidden.why) == ("fine", "why_hidden")


def test_the_check_catches_every_bug_with_an_l2_term_and_only_the_bias_without():
    q = QUESTIONS["gradients.caught"]
    flagged = sum(
        grad.verdict(
            grad.gradient_check(GRAD["W"], GRAD["b"], GRAD["X"], GRAD["y"], GRAD["spec"], bug=bug).worst
        )
        != "fine"
        for bug in grad.BUGS[1:]
    )
    assert q.solve(GRAD).value == flagged == 3
    for spec in (LossSpec("svm", reg=0.0), LossSpec("svm", reg=0.1, penalty="l1")):
        answer = q.solve(edit(GRAD, spec=spec))
        assert (answer.value, answer.why) == (1, "why_hidden")
    met = q.solve(edit(GRAD, **SEPARATED_AT_START))  # every margin met: the true ∂L/∂b is 0
    assert (met.value, met.why) == (2, "why_missed")


def test_the_check_costs_two_evaluations_per_parameter():
    q = QUESTIONS["gradients.evaluations"]
    assert q.solve(GRAD).value == 2 * (3 * 2 + 3)
    assert q.solve(edit(GRAD, **FIVE)).value == 2 * (5 * 2 + 5)
    assert set(q.solve(GRAD).mistakes) == {9.0, 12.0, 19.0}


def test_a_parameter_the_classifier_does_not_have_is_refused():
    with pytest.raises(ValueError, match="key must be one of"):
        QUESTIONS["gradients.best_h"].solve(edit(GRAD, param="W.4.0"))


def test_the_lectures_hog_length():
    assert QUESTIONS["features.hog_640"].solve(FEAT).value == 80 * 60 * 9  # 43,200
    assert QUESTIONS["features.hog_640_blocks"].solve(FEAT).value == 79 * 59 * 2 * 2 * 9  # 167,796
    assert QUESTIONS["features.hog_640"].solve(edit(FEAT, ppc=16, orient=18)).value == 40 * 30 * 18
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
    assert q.solve(edit(FEAT, image=GRAY)).value == (75 // 8) * (100 // 8) * 9
    assert q.given(FEAT) == {"height": 300, "width": 451, "orient": 9, "ppc": 8, "cpb": 1}
    with pytest.raises(ValueError, match="smaller than one block"):
        q.solve(edit(FEAT, image=GRAY[:10, :10], ppc=8, cpb=2))


def test_the_rgb_histogram_has_a_row_of_bins_per_channel():
    q = QUESTIONS["features.rgb_length"]
    assert q.solve(FEAT).value == 3 * 10
    assert q.solve(edit(FEAT, bins=64)).value == 3 * 64
    assert q.solve(edit(FEAT, image=GRAY, bins=4)).value == 12  # a gray image is counted as three channels
    assert 1000.0 in q.solve(FEAT).mistakes  # the joint histogram's 10³ bins


def test_a_bad_vector_is_refused_by_core():
    with pytest.raises(ValueError, match="one length"):
        QUESTIONS["regularization.l2_prefers"].solve(edit(REG, w1=(1.0, 0.0)))
    with pytest.raises(ValueError, match="finite"):
        QUESTIONS["regularization.l2_gap"].solve(edit(REG, x=(1.0, math.nan, 1.0, 1.0)))


@pytest.mark.parametrize(
    ("qid", "inputs", "message"),
    [
        ("features.hog_640", edit(FEAT, ppc=7.5), "ppc must be >= 1"),
        ("features.hog_image", edit(FEAT, orient=True), "orient must be"),
        ("features.rgb_length", edit(FEAT, bins=3.5), "bins must be in 1..256"),
        ("regularization.full_loss", edit(REG, label=0.5), "label must be in 0..1"),
        ("regularization.full_loss", edit(REG, loglam=math.nan), "loglam must be a finite number"),
        ("optimization.one_step", edit(OPT, lr=-1.0), "lr must be a finite number > 0"),
        ("optimization.to_90", edit(OPT, batch=2.5), "batch must be >= 0"),
        ("losses.q1", edit(LOSS, example=1.5), "example must be"),
        ("losses.q2", edit(LOSS, example=3), "example must be in 0..2"),
    ],
)
def test_a_setting_is_used_exactly_or_refused_never_rounded(qid, inputs, message):
    q = QUESTIONS[qid]
    for part in (q.given, q.solve) if qid == "losses.q1" else (q.solve,):  # what the prompt quotes too
        with pytest.raises(ValueError, match=message):
            part(inputs)

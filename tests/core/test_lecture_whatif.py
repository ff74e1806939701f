"""core.lecture's what-if table and loss curves: what each question sets up, and answers computed
from whatever table is given (never stored), against hand-worked numbers."""

from __future__ import annotations

import numpy as np
import pytest

from core import lecture
from core.lecture import LECTURE_LABELS, LECTURE_SCORES, WHAT_IF, loss_curves, what_if
from core.losses import softmax_loss, svm_loss

LECTURE_SVM = {
    "margin": 1.0,
    "squared": False,
    "include_correct": False,
    "class_reduction": "sum",
    "variant": "ww",
}
SOFT = {"log_base": "e"}
# Another table: 2 images, 4 classes, nothing like the lecture's.
OTHER_SCORES = np.array([[0.5, -2.0, 4.0, 1.0], [3.0, 3.0, -1.0, 0.0]])
OTHER_LABELS = np.array([2, 0])


def test_every_question_has_one_entry():
    assert tuple(WHAT_IF) == lecture.QUESTIONS


@pytest.mark.parametrize(
    ("q", "options", "example"),
    [
        ("q1", {}, 1),
        ("q2", {}, 0),
        ("q3", {}, 0),
        ("q4", {"include_correct": True}, 0),
        ("q5", {"class_reduction": "mean"}, 0),
        ("q6", {"squared": True}, 0),
        ("q7", {}, 0),
    ],
)
def test_what_each_question_sets_up(q, options, example):
    entry = WHAT_IF[q]
    assert entry.options == options
    assert entry.example == example
    if q == "q3":  # a freshly initialised W: every score within 0.01 of 0, the lecture's shape
        assert entry.scores.shape == (3, 3)
        assert np.abs(entry.scores).max() <= 0.01
        np.testing.assert_array_equal(entry.labels, LECTURE_LABELS)
    elif q == "q7":  # the notes' three rows, correct class 0
        np.testing.assert_array_equal(entry.scores, [[10, -2, 3], [10, 9, 9], [10, -100, -100]])
        np.testing.assert_array_equal(entry.labels, [0, 0, 0])
    else:
        np.testing.assert_array_equal(entry.scores, LECTURE_SCORES)
        np.testing.assert_array_equal(entry.labels, LECTURE_LABELS)


def direct(q, scores, y, i, so, mo):
    """The question's function called by hand, as the page used to dispatch it."""
    return {
        "q1": lambda: lecture.jiggle_correct_score(scores, y, i, so, mo),
        "q2": lambda: lecture.loss_extremes(scores, y, i, so, mo),
        "q3": lambda: lecture.sanity_check(scores, y, so, mo),
        "q4": lambda: lecture.option_effect(scores, y, so, mo, "include_correct", (False, True)),
        "q5": lambda: lecture.class_mean(scores, y, so, mo),
        "q6": lambda: lecture.option_effect(scores, y, so, mo, "squared", (False, True)),
        "q7": lambda: lecture.svm_vs_softmax(scores, y, so, mo),
    }[q]()


@pytest.mark.parametrize("q", lecture.QUESTIONS)
def test_answers_are_computed_from_the_table_and_options_given(q):
    so, mo = {**LECTURE_SVM, "margin": 2.5, "variant": "ova"}, {"log_base": "2"}
    comp, _ = what_if(q, OTHER_SCORES, OTHER_LABELS, 1, so, mo)
    want = direct(q, OTHER_SCORES, OTHER_LABELS, 1, so, mo)
    assert comp.rows == want.rows
    assert comp.facts == want.facts
    np.testing.assert_array_equal(comp.svm, want.svm)
    np.testing.assert_array_equal(comp.softmax, want.softmax)
    lecture_comp, _ = what_if(q, LECTURE_SCORES, LECTURE_LABELS, 1, so, mo)
    assert not np.array_equal(lecture_comp.svm, comp.svm) or lecture_comp.rows != comp.rows


def test_q4_on_its_own_setup_gives_the_lecture_answer_and_follows_the_margin():
    entry = WHAT_IF["q4"]
    comp, key = what_if("q4", entry.scores, entry.labels, 0, {**LECTURE_SVM, **entry.options}, SOFT)
    # Including j = y_i adds max(0, s_y - s_y + 1) = 1 per image: 5.27 -> 6.27.
    np.testing.assert_allclose(comp.svm, [15.8 / 3, 15.8 / 3 + 1])
    assert key == "whatif.q4.answer"
    assert comp.facts["difference"] == pytest.approx(1.0)
    comp, _ = what_if("q4", entry.scores, entry.labels, 0, {**LECTURE_SVM, "margin": 2.5}, SOFT)
    assert comp.facts["difference"] == pytest.approx(2.5)


def test_q1_says_the_svm_moved_when_the_image_misses_the_margin():
    entry = WHAT_IF["q1"]
    comp, key = what_if("q1", entry.scores, entry.labels, entry.example, LECTURE_SVM, SOFT)
    # The car image: 4.9 beats 1.3 and 2.0 by more than 1 +- 0.5, so its SVM loss stays 0.
    assert key == "whatif.q1.answer"
    assert comp.facts["svm_change"] == 0
    assert comp.facts["softmax_change"] > 0
    comp, key = what_if("q1", entry.scores, entry.labels, 2, LECTURE_SVM, SOFT)  # the frog: 12.9 +- 1
    assert key == "whatif.q1.answer_moved"
    assert comp.facts["svm_change"] == pytest.approx(2.0)


def test_q5_says_when_there_is_nothing_to_rescale():
    _, key = what_if("q5", LECTURE_SCORES, LECTURE_LABELS, 0, LECTURE_SVM, SOFT)
    assert key == "whatif.q5.answer"
    comp, key = what_if("q5", [[5.0, -5.0, -5.0], [5.0, -5.0, -5.0]], [0, 0], 0, LECTURE_SVM, SOFT)
    assert key == "whatif.q5.answer_zero"
    assert comp.facts["ratio"] is None


def test_q3_and_q7_on_their_setups_give_the_lecture_answers():
    q3 = WHAT_IF["q3"]
    comp, _ = what_if("q3", q3.scores, q3.labels, 0, LECTURE_SVM, SOFT)
    assert comp.facts["c_minus_1"] == 2.0
    assert comp.facts["ln_c"] == pytest.approx(np.log(3))
    assert comp.svm[0] == pytest.approx(2.0, abs=0.05)
    assert comp.softmax[0] == pytest.approx(np.log(3), abs=0.05)
    q7 = WHAT_IF["q7"]
    comp, _ = what_if("q7", q7.scores, q7.labels, 0, LECTURE_SVM, SOFT)
    assert comp.facts == {"svm_distinct": 1, "softmax_distinct": 3}


def test_an_unknown_question_is_refused_by_name():
    with pytest.raises(ValueError, match="q9"):
        what_if("q9", LECTURE_SCORES, LECTURE_LABELS, 0, LECTURE_SVM, SOFT)


@pytest.mark.parametrize("i", [0, 1, 2])
@pytest.mark.parametrize("margin", [0.0, 1.0, 3.0])
def test_loss_curves_show_the_hinge_corner_and_the_current_losses(i, margin):
    row, y = LECTURE_SCORES[i], int(LECTURE_LABELS[i])
    so = {**LECTURE_SVM, "margin": margin}
    curves = loss_curves(row, y, so, SOFT)
    top = float(np.delete(row, y).max())
    grid = curves.grid
    assert grid[0] == pytest.approx(min(row[y], top) - 5)
    assert grid[-1] == pytest.approx(max(row[y], top + margin) + 5)
    hinge = curves.losses["hinge"]
    # Past the corner s_y = top + margin the hinge is exactly 0; before it, it falls.
    assert np.all(hinge[grid >= top + margin + 1e-9] == 0)
    before = grid < top + margin - 1e-9
    assert np.all(np.diff(hinge[before]) < 0)
    np.testing.assert_array_equal(curves.losses["squared"] == 0, hinge == 0)  # the same corner, squared
    assert np.all(np.diff(curves.losses["softmax"]) < 0)  # softmax keeps pushing
    assert curves.now["hinge"] == pytest.approx(svm_loss(LECTURE_SCORES, LECTURE_LABELS, **so).per_example[i])
    assert curves.now["softmax"] == pytest.approx(softmax_loss(LECTURE_SCORES, LECTURE_LABELS).per_example[i])
    assert curves.y_max > max(hinge.max(), curves.losses["softmax"].max())

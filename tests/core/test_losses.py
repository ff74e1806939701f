"""Tests for core.losses: the CS231n Lecture 3 multiclass SVM and softmax losses.

The numbers in the lecture-table tests come from the slides (classes cat, car, frog);
everything else is checked against a plain-Python per-example reference written
here, against centered finite differences, or as a Hypothesis property.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from finite_differences import numeric_grad
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core.losses import LOSSES, SVM_VARIANTS, softmax_loss, svm_loss, validate_scores
from core.one_example import initial_loss_check, loss_vs_correct_score, softmax_working, svm_term_count

# The lecture's score table, one row per image (cat, car, frog), columns (cat, car, frog).
LECTURE_SCORES = [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]
LECTURE_Y = [0, 1, 2]
CAT_ROW = LECTURE_SCORES[0]


# --------------------------------------------------------------------------------------
# Independent reference implementations: one example at a time, plain Python loops.
# --------------------------------------------------------------------------------------


def _hinge(x: float, squared: bool) -> float:
    h = max(0.0, x)
    return h * h if squared else h


def _ref_terms(row, yi, margin, squared, include_correct, variant):
    """The hinge terms of one example, one loop per SVM variant."""
    c = len(row)
    terms = [0.0] * c
    if variant == "ova":
        for j in range(c):
            t = 1.0 if j == yi else -1.0
            terms[j] = _hinge(margin - t * row[j], squared)
        return terms
    if variant == "ww":
        for j in range(c):
            if j != yi:
                terms[j] = _hinge(row[j] - row[yi] + margin, squared)
    elif variant == "structured":
        best_j = None
        for j in range(c):
            if j != yi and (best_j is None or row[j] > row[best_j]):
                best_j = j
        terms[best_j] = _hinge(row[best_j] - row[yi] + margin, squared)
    else:  # pragma: no cover - the grid only holds known variants
        raise AssertionError(variant)
    if include_correct:
        terms[yi] = _hinge(margin, squared)
    return terms


def ref_svm_row(row, yi, *, margin, squared, include_correct, class_reduction, variant):
    """Return (L_i, terms_i) for one example, terms_i being the unscaled hinge terms."""
    c = len(row)
    terms = _ref_terms(row, yi, margin, squared, include_correct, variant)
    total = 0.0
    for t in terms:
        total += t
    if class_reduction == "mean":
        total /= c
    return total, terms


def ref_svm(scores, y, **opts):
    per, terms = [], []
    for row, yi in zip(scores, y, strict=True):
        li, ti = ref_svm_row(list(map(float, row)), int(yi), **opts)
        per.append(li)
        terms.append(ti)
    return per, sum(per) / len(per), terms


def ref_softmax(scores, y, log_base="e"):
    ln_b = 1.0 if log_base == "e" else math.log(float(log_base))
    per, probs = [], []
    for row, yi in zip(scores, y, strict=True):
        m = max(row)
        exps = [math.exp(s - m) for s in row]
        z = sum(exps)
        probs.append([e / z for e in exps])
        per.append(-(row[yi] - m - math.log(z)) / ln_b)
    return per, sum(per) / len(per), probs


SVM_GRID = [
    pytest.param(
        dict(variant=v, margin=m, squared=sq, include_correct=ic, class_reduction=cr),
        id=f"{v}-m{m}-{'sq' if sq else 'lin'}-{'inc' if ic else 'exc'}-{cr}",
    )
    for v, m, sq, ic, cr in itertools.product(
        SVM_VARIANTS, [0.0, 1.0, 2.5], [False, True], [False, True], ["sum", "mean"]
    )
]

LOG_BASES_ALL = ["e", 2, 10, "2", "10"]


# --------------------------------------------------------------------------------------
# 1. The lecture's numbers
# --------------------------------------------------------------------------------------


def test_lecture_svm_per_example_and_total():
    res = svm_loss(LECTURE_SCORES, LECTURE_Y)
    np.testing.assert_allclose(res.per_example, [2.9, 0.0, 12.9], atol=1e-12)
    assert res.total == pytest.approx(15.8 / 3, abs=1e-12)
    assert round(res.total, 2) == 5.27


def test_lecture_svm_terms_cat_row():
    res = svm_loss(LECTURE_SCORES, LECTURE_Y)
    # cat image: car term 5.1 - 3.2 + 1 = 2.9, frog term max(0, -1.7 - 3.2 + 1) = 0
    np.testing.assert_allclose(res.terms[0], [0.0, 2.9, 0.0], atol=1e-12)
    np.testing.assert_allclose(res.terms[2], [6.3, 6.6, 0.0], atol=1e-12)


def test_lecture_softmax_per_example_and_total():
    res = softmax_loss(LECTURE_SCORES, LECTURE_Y)
    np.testing.assert_allclose(np.round(res.per_example, 2), [2.04, 0.08, 6.16])
    assert res.per_example[1] == pytest.approx(0.079, abs=5e-4)
    assert round(res.total, 2) == 2.76
    assert res.total == pytest.approx(res.per_example.mean(), rel=1e-15)


def test_lecture_softmax_cat_probabilities():
    res = softmax_loss(LECTURE_SCORES, LECTURE_Y)
    np.testing.assert_allclose(np.round(res.probs[0], 2), [0.13, 0.87, 0.00])
    assert res.per_example[0] == pytest.approx(-math.log(res.probs[0, 0]), rel=1e-12)


def test_softmax_working_is_the_slides_normalize_step():
    # The slide: exp -> 24.5, 164.0, 0.18; sum 188.7; 24.5 / 188.7 = 0.13; -ln 0.13 = 2.04.
    work = softmax_working(CAT_ROW, 0)
    assert work.shift == 0
    np.testing.assert_allclose(work.exp, [math.exp(3.2), math.exp(5.1), math.exp(-1.7)], rtol=1e-15)
    np.testing.assert_allclose(np.round(work.exp, 2), [24.53, 164.02, 0.18])
    assert round(work.sum_exp, 1) == 188.7
    assert round(float(work.probs[0]), 2) == 0.13
    assert work.probs[0] == pytest.approx(work.exp[0] / work.sum_exp, rel=1e-15)
    assert round(work.loss, 2) == 2.04


@pytest.mark.parametrize(
    "row",
    [
        [1000.0, 999.0, 0.0],
        [-1000.0, -1001.0, -5000.0],
        [3.2, 5.1, -1.7],
        [-0.5, -100.0, -40.0],
        [10.0, -100.0, -100.0],
    ],
)
@pytest.mark.parametrize("base", ["e", 2, 10])
def test_softmax_working_agrees_with_softmax_loss(row, base):
    for y in range(3):
        work = softmax_working(row, y, log_base=base)
        res = softmax_loss([row], [y], log_base=base)
        assert (np.all(np.isfinite(work.exp)) and work.sum_exp >= 1) or work.shift == 0
        np.testing.assert_allclose(work.probs, res.probs[0], rtol=1e-12)
        assert work.loss == pytest.approx(res.per_example[0], rel=1e-12)
    assert (softmax_working(row, 0).shift != 0) == (max(row) > 700 or max(row) < -700)


def test_svm_term_count():
    assert svm_term_count(3) == 2  # the lecture: j != y_i
    assert svm_term_count(10, include_correct=True) == 10
    assert svm_term_count(4, variant="ova") == svm_term_count(4, variant="ova", include_correct=True) == 4
    assert svm_term_count(5, variant="structured") == 1
    for bad in ({"num_classes": 1}, {"num_classes": 3, "variant": "x"}):
        with pytest.raises(ValueError, match=r"num_classes|variant"):
            svm_term_count(**bad)


@pytest.mark.parametrize("base", [10, "10"])
def test_lecture_softmax_log10_is_the_2017_slide(base):
    res = softmax_loss([CAT_ROW], [0], log_base=base)
    assert round(float(res.per_example[0]), 2) == 0.89
    assert res.per_example[0] == pytest.approx(2.0403 / math.log(10), abs=1e-4)


@pytest.mark.parametrize("base", [2, "2"])
def test_lecture_softmax_log2(base):
    natural = softmax_loss([CAT_ROW], [0]).per_example[0]
    res = softmax_loss([CAT_ROW], [0], log_base=base)
    assert res.per_example[0] == pytest.approx(natural / math.log(2), rel=1e-12)
    assert round(float(natural), 2) == 2.04


@pytest.mark.parametrize("base", LOG_BASES_ALL)
def test_softmax_accepts_every_log_base(base):
    ln_b = 1.0 if base == "e" else math.log(int(base))
    natural = softmax_loss(LECTURE_SCORES, LECTURE_Y)
    res = softmax_loss(LECTURE_SCORES, LECTURE_Y, log_base=base)
    np.testing.assert_allclose(res.per_example, natural.per_example / ln_b, rtol=1e-12)
    np.testing.assert_allclose(res.probs, natural.probs, rtol=1e-12)  # base only rescales the loss


def test_losses_registry():
    assert LOSSES["svm"] is svm_loss
    assert LOSSES["softmax"] is softmax_loss
    assert set(SVM_VARIANTS) == {"ww", "ova", "structured"}


# --------------------------------------------------------------------------------------
# 2. Every variant and option against the loop reference
# --------------------------------------------------------------------------------------


def _random_batch(seed, n=5, c=4, scale=2.0):
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, scale, size=(n, c)), rng.integers(0, c, size=n)


@pytest.mark.parametrize("opts", SVM_GRID)
@pytest.mark.parametrize("data", ["lecture", "random"])
def test_svm_matches_reference(opts, data):
    if data == "lecture":
        scores, y = np.array(LECTURE_SCORES), np.array(LECTURE_Y)
    else:
        scores, y = _random_batch(1234)
    res = svm_loss(scores, y, **opts)
    per, total, terms = ref_svm(scores, y, **opts)
    assert res.per_example.shape == (len(y),)
    assert res.terms.shape == scores.shape
    assert res.grad.shape == scores.shape
    np.testing.assert_allclose(res.per_example, per, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(res.terms, terms, rtol=1e-12, atol=1e-12)
    assert isinstance(res.total, float)
    assert res.total == pytest.approx(total, rel=1e-12, abs=1e-12)
    assert res.total == pytest.approx(float(np.mean(res.per_example)), rel=1e-12, abs=1e-12)
    scale = 1.0 / scores.shape[1] if opts["class_reduction"] == "mean" else 1.0
    np.testing.assert_allclose(res.per_example, res.terms.sum(axis=1) * scale, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("squared", [False, True])
@pytest.mark.parametrize("margin", [0.0, 1.0, 2.5])
@pytest.mark.parametrize("variant", ["ww", "structured"])
def test_svm_correct_class_term(variant, margin, squared):
    scores, y = _random_batch(7)
    rows = np.arange(len(y))
    off = svm_loss(scores, y, variant=variant, margin=margin, squared=squared)
    on = svm_loss(scores, y, variant=variant, margin=margin, squared=squared, include_correct=True)
    h = margin**2 if squared else margin
    np.testing.assert_array_equal(off.terms[rows, y], 0.0)
    np.testing.assert_allclose(on.terms[rows, y], h)
    np.testing.assert_allclose(on.per_example, off.per_example + h, rtol=1e-12)
    np.testing.assert_allclose(on.grad, off.grad, atol=1e-15)  # a constant term adds no gradient


@pytest.mark.parametrize("squared", [False, True])
@pytest.mark.parametrize("class_reduction", ["sum", "mean"])
def test_svm_ova_ignores_include_correct(squared, class_reduction):
    scores, y = _random_batch(8)
    kw = dict(variant="ova", squared=squared, class_reduction=class_reduction)
    a = svm_loss(scores, y, include_correct=False, **kw)
    b = svm_loss(scores, y, include_correct=True, **kw)
    np.testing.assert_array_equal(a.per_example, b.per_example)
    np.testing.assert_array_equal(a.terms, b.terms)
    np.testing.assert_array_equal(a.grad, b.grad)


@pytest.mark.parametrize("variant", SVM_VARIANTS)
def test_svm_mean_reduction_divides_by_classes(variant):
    scores, y = _random_batch(9, c=6)
    s = svm_loss(scores, y, variant=variant)
    m = svm_loss(scores, y, variant=variant, class_reduction="mean")
    np.testing.assert_allclose(m.per_example, s.per_example / 6, rtol=1e-12)
    np.testing.assert_allclose(m.grad, s.grad / 6, rtol=1e-12)


def test_svm_structured_is_max_wrong_term_of_ww():
    scores, y = _random_batch(10, n=8, c=5)
    ww = svm_loss(scores, y, variant="ww")
    cs = svm_loss(scores, y, variant="structured")
    np.testing.assert_allclose(cs.per_example, ww.terms.max(axis=1), rtol=1e-12)
    assert np.all(cs.per_example <= ww.per_example + 1e-12)


def test_svm_structured_ties_pick_one_class():
    # Two wrong classes tie for the top score: only one hinge term counts.
    res = svm_loss([[0.0, 2.0, 2.0]], [0], variant="structured")
    assert res.per_example[0] == pytest.approx(3.0)
    assert np.count_nonzero(res.terms) == 1
    assert res.grad[0].sum() == pytest.approx(0.0)


@pytest.mark.parametrize("base", LOG_BASES_ALL)
def test_softmax_matches_reference(base):
    scores, y = _random_batch(11, n=6, c=5, scale=3.0)
    res = softmax_loss(scores, y, log_base=base)
    per, total, probs = ref_softmax(scores.tolist(), y.tolist(), log_base=base)
    np.testing.assert_allclose(res.per_example, per, rtol=1e-12)
    np.testing.assert_allclose(res.probs, probs, rtol=1e-12, atol=1e-300)
    assert isinstance(res.total, float)
    assert res.total == pytest.approx(total, rel=1e-12)
    np.testing.assert_allclose(res.shift, scores.max(axis=1))
    np.testing.assert_allclose(
        res.exp_shifted, np.exp(scores - scores.max(axis=1, keepdims=True)), rtol=1e-12
    )
    assert np.all(res.exp_shifted <= 1.0)


# --------------------------------------------------------------------------------------
# 3. Gradients vs centered finite differences
# --------------------------------------------------------------------------------------


def _far_from_kinks(scores, y, opts, tol=1e-3):
    """True when no hinge argument that depends on the scores is within tol of 0,
    and (for structured) the top wrong class is not within tol of a tie."""
    n, c = scores.shape
    m = opts["margin"]
    for i in range(n):
        yi = int(y[i])
        if opts["variant"] == "ova":
            args = [m - (1.0 if j == yi else -1.0) * scores[i, j] for j in range(c)]
        else:
            args = [scores[i, j] - scores[i, yi] + m for j in range(c) if j != yi]
        if min(abs(a) for a in args) < tol:
            return False
        if opts["variant"] == "structured":
            wrong = sorted((scores[i, j] for j in range(c) if j != yi), reverse=True)
            if len(wrong) > 1 and wrong[0] - wrong[1] < tol:
                return False
    return True


def _kink_free_batch(seed, opts, n=4, c=5):
    rng = np.random.default_rng(seed)
    for _ in range(1000):
        scores = rng.normal(0.0, 1.5, size=(n, c))
        y = rng.integers(0, c, size=n)
        if _far_from_kinks(scores, y, opts):
            return scores, y
    raise AssertionError("could not draw a kink-free batch")  # pragma: no cover


@pytest.mark.parametrize("opts", SVM_GRID)
def test_svm_grad_matches_finite_differences(opts):
    scores, y = _kink_free_batch(2024, opts)
    res = svm_loss(scores, y, **opts)
    num = numeric_grad(lambda s: svm_loss(s, y, **opts).total, scores)
    assert np.any(res.grad != 0)  # the check below is not vacuous
    np.testing.assert_allclose(res.grad, num, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("opts", SVM_GRID)
def test_svm_grad_matches_reference_finite_differences(opts):
    # Same check against the loop reference: catches a loss and gradient that are wrong together.
    scores, y = _kink_free_batch(99, opts, n=3, c=4)
    res = svm_loss(scores, y, **opts)
    num = numeric_grad(lambda s: ref_svm(s, y, **opts)[1], scores)
    np.testing.assert_allclose(res.grad, num, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("base", LOG_BASES_ALL)
@pytest.mark.parametrize("seed", [0, 1])
def test_softmax_grad_matches_finite_differences(base, seed):
    scores, y = _random_batch(seed, n=4, c=5, scale=2.0)
    res = softmax_loss(scores, y, log_base=base)
    num = numeric_grad(lambda s: softmax_loss(s, y, log_base=base).total, scores)
    np.testing.assert_allclose(res.grad, num, rtol=1e-5, atol=1e-8)
    num_ref = numeric_grad(lambda s: ref_softmax(s.tolist(), y.tolist(), log_base=base)[1], scores)
    np.testing.assert_allclose(res.grad, num_ref, rtol=1e-5, atol=1e-8)


def test_softmax_grad_closed_form():
    res = softmax_loss(LECTURE_SCORES, LECTURE_Y)
    onehot = np.eye(3)[LECTURE_Y]
    np.testing.assert_allclose(res.grad, (res.probs - onehot) / 3, rtol=1e-12)
    np.testing.assert_allclose(res.grad.sum(axis=1), 0.0, atol=1e-15)


def test_svm_grad_lecture_table():
    res = svm_loss(LECTURE_SCORES, LECTURE_Y)
    expected = np.array([[-1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [1.0, 1.0, -2.0]]) / 3
    np.testing.assert_allclose(res.grad, expected, atol=1e-15)


# --------------------------------------------------------------------------------------
# 4. Hypothesis properties
# --------------------------------------------------------------------------------------

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


@st.composite
def batches(draw):
    n = draw(st.integers(1, 5))
    c = draw(st.integers(2, 6))
    scores = draw(arrays(np.float64, (n, c), elements=finite))
    y = draw(arrays(np.intp, (n,), elements=st.integers(0, c - 1)))
    return scores, y


svm_options = st.fixed_dictionaries(
    {
        "variant": st.sampled_from(SVM_VARIANTS),
        "margin": st.floats(min_value=0.0, max_value=10.0),
        "squared": st.booleans(),
        "include_correct": st.booleans(),
        "class_reduction": st.sampled_from(["sum", "mean"]),
    }
)
PROPS = settings(max_examples=60, deadline=None)


@PROPS
@given(batch=batches(), opts=svm_options)
def test_prop_svm_nonnegative_and_matches_reference(batch, opts):
    scores, y = batch
    res = svm_loss(scores, y, **opts)
    assert np.all(res.per_example >= 0)
    assert np.all(res.terms >= 0)
    assert res.total >= 0
    assert np.all(np.isfinite(res.grad))
    per, _, _ = ref_svm(scores, y, **opts)
    np.testing.assert_allclose(res.per_example, per, rtol=1e-9, atol=1e-9)


@PROPS
@given(batch=batches(), opts=svm_options, shift=finite, data=st.data())
def test_prop_svm_shift_invariant(batch, opts, shift, data):
    scores, y = batch
    opts = dict(opts, variant=data.draw(st.sampled_from(["ww", "structured"])))
    row = data.draw(st.integers(0, scores.shape[0] - 1))
    shifted = scores.copy()
    shifted[row] += shift
    a = svm_loss(scores, y, **opts)
    b = svm_loss(shifted, y, **opts)
    np.testing.assert_allclose(b.per_example, a.per_example, rtol=1e-9, atol=1e-6)


def test_svm_ova_is_not_shift_invariant():
    # Sanity check of the reference claim above: ova depends on the scores' absolute level.
    a = svm_loss([[0.0, 0.0, 0.0]], [0], variant="ova").total
    b = svm_loss([[5.0, 5.0, 5.0]], [0], variant="ova").total
    assert a == pytest.approx(3.0)
    assert b == pytest.approx(12.0)


@PROPS
@given(batch=batches(), base=st.sampled_from(LOG_BASES_ALL))
def test_prop_softmax_probs_and_loss(batch, base):
    scores, y = batch
    res = softmax_loss(scores, y, log_base=base)
    assert np.all(res.probs >= 0)
    assert np.all(res.probs <= 1)
    np.testing.assert_allclose(res.probs.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(res.per_example >= 0)
    assert np.all(np.isfinite(res.per_example))
    assert np.all(np.isfinite(res.grad))
    np.testing.assert_allclose(res.grad.sum(axis=1), 0.0, atol=1e-12)


@PROPS
@given(batch=batches(), shift=finite, data=st.data())
def test_prop_softmax_shift_invariant(batch, shift, data):
    scores, y = batch
    row = data.draw(st.integers(0, scores.shape[0] - 1))
    shifted = scores.copy()
    shifted[row] += shift
    a = softmax_loss(scores, y)
    b = softmax_loss(shifted, y)
    np.testing.assert_allclose(b.per_example, a.per_example, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(b.probs, a.probs, rtol=1e-6, atol=1e-12)


# --------------------------------------------------------------------------------------
# 5. Numerical stability
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("base", ["e", 2, 10])
def test_softmax_stable_for_huge_scores(base):
    ln_b = 1.0 if base == "e" else math.log(base)
    res = softmax_loss([[1e5, -1e5, 0.0]], [1], log_base=base)
    assert np.all(np.isfinite(res.probs))
    assert np.all(np.isfinite(res.per_example))
    assert np.all(np.isfinite(res.grad))
    assert np.all(np.isfinite(res.exp_shifted))
    assert res.per_example[0] == pytest.approx(2e5 / ln_b, rel=1e-12)
    np.testing.assert_allclose(res.probs, [[1.0, 0.0, 0.0]], atol=1e-300)
    np.testing.assert_allclose(res.grad, np.array([[1.0, -1.0, 0.0]]) / ln_b, atol=1e-15)


def test_softmax_stable_when_correct_class_wins_hugely():
    res = softmax_loss([[1e5, -1e5, 0.0], [-1e5, -1e5, 1e5]], [0, 2])
    np.testing.assert_allclose(res.per_example, 0.0, atol=1e-300)
    assert res.total == 0.0
    assert np.all(np.isfinite(res.grad))


def test_svm_finite_for_huge_scores():
    for variant in SVM_VARIANTS:
        res = svm_loss([[1e5, -1e5, 0.0]], [1], variant=variant, squared=True)
        assert np.isfinite(res.total)
        assert np.all(np.isfinite(res.grad))


# --------------------------------------------------------------------------------------
# 6. Bad input
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [svm_loss, softmax_loss, validate_scores], ids=["svm", "softmax", "validate"])
@pytest.mark.parametrize(
    ("scores", "y", "match"),
    [
        ([[1.0, float("nan")]], [0], "finite"),
        ([[1.0, float("inf")]], [0], "finite"),
        ([[-float("inf"), 1.0]], [0], "finite"),
        ([[1.0, 2.0]], [-1], r"class indices in 0\.\.1"),
        ([[1.0, 2.0]], [2], r"class indices in 0\.\.1"),
        ([[1.0, 2.0], [3.0, 4.0]], [0], "one label per example"),
        ([[1.0, 2.0]], [0, 1], "one label per example"),
        ([[1.0, 2.0]], [[0]], "one label per example"),
        ([1.0, 2.0], [0], "2-D"),
        ([[[1.0, 2.0]]], [0], "2-D"),
        (np.zeros((0, 3)), [], "at least one example"),
        ([[1.0]], [0], "at least 2 classes"),
        ([[1.0, 2.0]], [0.5], r"class indices in 0\.\.1 \(whole numbers\); y\[0\] is 0\.5"),
        ([[1.0, 2.0]], [float("nan")], r"class indices in 0\.\.1 \(whole numbers\); y\[0\] is nan"),
        ([[1.0, 2.0]], ["a"], r"class indices in 0\.\.1 \(whole numbers\), got \['a'\] \(dtype <U1\)"),
        ([["x", "y"]], [0], "numbers"),
    ],
    ids=[
        "nan",
        "inf",
        "-inf",
        "label-negative",
        "label-too-big",
        "y-too-short",
        "y-too-long",
        "y-2d",
        "scores-1d",
        "scores-3d",
        "zero-examples",
        "one-class",
        "label-0.5",
        "label-nan",
        "label-str",
        "scores-str",
    ],
)
def test_bad_input_raises(fn, scores, y, match):
    with pytest.raises(ValueError, match=match):
        fn(scores, y)


def test_validate_accepts_integral_float_labels():
    s, y = validate_scores([[1, 2, 3]], [2.0])
    assert s.dtype == np.float64
    assert y.dtype == np.intp
    assert y.tolist() == [2]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"variant": "crammer"}, "variant"),
        ({"class_reduction": "max"}, "class_reduction"),
        ({"margin": -0.1}, "margin"),
        ({"margin": float("nan")}, "margin"),
        ({"margin": float("inf")}, "margin"),
    ],
)
def test_svm_bad_options_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        svm_loss(LECTURE_SCORES, LECTURE_Y, **kwargs)


@pytest.mark.parametrize("base", [3, "ten", True, False, "E", 0, "3", None])
def test_softmax_bad_log_base_raises(base):
    with pytest.raises(ValueError, match="log_base"):
        softmax_loss(LECTURE_SCORES, LECTURE_Y, log_base=base)


def test_loss_vs_correct_score_bad_inputs():
    with pytest.raises(ValueError, match="loss"):
        loss_vs_correct_score(CAT_ROW, 0, [0.0], loss="hinge")
    with pytest.raises(ValueError, match="1-D"):
        loss_vs_correct_score([CAT_ROW], 0, [0.0], loss="svm")
    with pytest.raises(ValueError, match="finite"):
        loss_vs_correct_score(CAT_ROW, 0, [float("nan")], loss="softmax")


@pytest.mark.parametrize("c", [1, 0, -3])
def test_initial_loss_check_bad_classes(c):
    with pytest.raises(ValueError, match="num_classes"):
        initial_loss_check(c)


# --------------------------------------------------------------------------------------
# 7. Loss curves and the initial-loss sanity check
# --------------------------------------------------------------------------------------


def test_svm_curve_is_the_hinge_at_the_cat_row():
    grid = np.linspace(-10.0, 12.0, 221)
    curve = loss_vs_correct_score(CAT_ROW, 0, grid, loss="svm")
    assert curve.shape == grid.shape
    # Reference: sum over the wrong classes (car 5.1, frog -1.7) of max(0, s_j - s + 1).
    expected = np.maximum(0, 5.1 - grid + 1) + np.maximum(0, -1.7 - grid + 1)
    np.testing.assert_allclose(curve, expected, atol=1e-12)
    # Zero once the correct score clears the highest wrong score by the margin (6.1).
    assert np.all(curve[grid >= 6.1 + 1e-9] == 0)
    assert np.all(curve[grid < 6.1 - 1e-9] > 0)
    # Far left both hinges are open: slope -2.
    left = grid <= -1.0
    np.testing.assert_allclose(np.diff(curve[left]) / np.diff(grid[left]), -2.0, rtol=1e-9)
    # Between -0.7 and 6.1 only the car hinge is open: slope -1.
    mid = (grid >= 0.0) & (grid <= 6.0)
    np.testing.assert_allclose(np.diff(curve[mid]) / np.diff(grid[mid]), -1.0, rtol=1e-9)


@pytest.mark.parametrize("loss", ["svm", "softmax"])
def test_curve_equals_per_example_at_current_score(loss):
    for i, (row, yi) in enumerate(zip(LECTURE_SCORES, LECTURE_Y, strict=True)):
        curve = loss_vs_correct_score(row, yi, [row[yi]], loss=loss)
        full = LOSSES[loss](LECTURE_SCORES, LECTURE_Y).per_example
        assert curve[0] == pytest.approx(full[i], rel=1e-12, abs=1e-12)


def test_curve_passes_options_through():
    grid = np.linspace(-5, 10, 31)
    sq = loss_vs_correct_score(CAT_ROW, 0, grid, loss="svm", margin=2.5, squared=True)
    expected = np.maximum(0, 5.1 - grid + 2.5) ** 2 + np.maximum(0, -1.7 - grid + 2.5) ** 2
    np.testing.assert_allclose(sq, expected, atol=1e-9)
    sm10 = loss_vs_correct_score(CAT_ROW, 0, grid, loss="softmax", log_base=10)
    sme = loss_vs_correct_score(CAT_ROW, 0, grid, loss="softmax")
    np.testing.assert_allclose(sm10, sme / math.log(10), rtol=1e-12)


def test_softmax_curve_is_decreasing():
    grid = np.linspace(-20.0, 30.0, 501)
    curve = loss_vs_correct_score(CAT_ROW, 0, grid, loss="softmax")
    assert np.all(np.diff(curve) < 0)
    assert np.all(curve > 0)
    assert curve[-1] < 1e-9
    # Far left it approaches the line -s + logsumexp(other scores).
    assert curve[0] == pytest.approx(20.0 + math.log(math.exp(5.1) + math.exp(-1.7)), rel=1e-9)


def test_curve_does_not_modify_input_row():
    row = np.array(CAT_ROW)
    loss_vs_correct_score(row, 0, [100.0], loss="svm")
    np.testing.assert_array_equal(row, CAT_ROW)


@pytest.mark.parametrize("c", range(2, 11))
def test_initial_loss_check(c):
    svm, soft = initial_loss_check(c)
    assert svm == pytest.approx(c - 1, abs=1e-12)
    assert soft == pytest.approx(math.log(c), rel=1e-12)


@pytest.mark.parametrize("margin", [0.0, 0.5, 2.5])
@pytest.mark.parametrize("c", [2, 3, 10])
def test_initial_loss_check_margin_scaling(c, margin):
    svm, soft = initial_loss_check(c, margin=margin)
    assert svm == pytest.approx((c - 1) * margin, abs=1e-12)
    assert soft == pytest.approx(math.log(c), rel=1e-12)

"""Tests for core.linear: the linear classifier's objective L = data loss + reg * R(W) and its gradients.

The worked numbers are the CS231n web demo's (9 points, W = [[1, 2], [2, -4], [3, -1]],
b = [0, 0.5, -0.5]): every score and hinge term is worked out by hand in the comments.
The gradients are checked against centered finite differences for every loss, SVM
variant and penalty, at points chosen away from the hinges' kinks and, for L1, away
from W = 0. Hypothesis checks that total = data_loss + reg_loss and that softmax is >= 0.
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

from core.data import CS231N_DEMO_B, CS231N_DEMO_W, make_dataset
from core.linear import LossSpec, accuracy, decision_grid, objective, predict, scores_of
from core.losses import SVM_VARIANTS, softmax_loss, svm_loss
from core.regularization import PENALTIES, penalty

DEMO_X, DEMO_Y = make_dataset("cs231n_demo")
W, B = CS231N_DEMO_W, CS231N_DEMO_B

# Scores X W^T + b of the demo's 9 points at the starting W, b, worked out by hand.
DEMO_SCORES = np.array(
    [
        [1.3, -0.1, 0.6],  # (0.5, 0.4), class 0
        [1.4, 0.9, 1.6],  # (0.8, 0.3), class 0
        [1.9, -2.1, -0.4],  # (0.3, 0.8), class 0
        [0.2, -1.5, -2.0],  # (-0.4, 0.3), class 1
        [1.1, -2.9, -2.1],  # (-0.3, 0.7), class 1
        [-0.3, -1.7, -2.8],  # (-0.7, 0.2), class 1
        [-0.1, 3.5, 2.0],  # (0.7, -0.4), class 2
        [-0.7, 3.9, 1.6],  # (0.5, -0.6), class 2
        [-1.4, 1.7, -1.2],  # (-0.4, -0.5), class 2
    ]
)
# Weston-Watkins L_i = sum_{j != y_i} max(0, s_j - s_{y_i} + 1),
# e.g. row 1: (0.9 - 1.4 + 1) + (1.6 - 1.4 + 1) = 0.5 + 1.2.
DEMO_SVM_PER_EXAMPLE = [0.3, 1.7, 0.0, 3.2, 6.8, 2.4, 2.5, 3.3, 4.7]  # sum 24.9, mean 2.7667
DEMO_L2 = 1 + 4 + 4 + 16 + 9 + 1  # sum of W^2 = 35


def ref_softmax_per_example(scores, y):
    """-log softmax of the correct class, one row at a time in plain Python."""
    out = []
    for row, yi in zip(scores.tolist(), y.tolist(), strict=True):
        m = max(row)
        out.append(-(row[yi] - m - math.log(sum(math.exp(s - m) for s in row))))
    return out


# ---- the demo's worked numbers ---------------------------------------------------------------------


def test_demo_scores_by_hand():
    res = objective(W, B, DEMO_X, DEMO_Y, loss="svm")
    np.testing.assert_allclose(res.scores, DEMO_SCORES, atol=1e-12)
    np.testing.assert_allclose(scores_of(W, B, DEMO_X), DEMO_SCORES, atol=1e-12)


def test_demo_svm_data_loss_is_2_77():
    res = objective(W, B, DEMO_X, DEMO_Y, loss="svm", variant="ww", margin=1.0)
    np.testing.assert_allclose(res.per_example, DEMO_SVM_PER_EXAMPLE, atol=1e-12)
    assert res.data_loss == pytest.approx(24.9 / 9, rel=1e-12)
    assert round(res.data_loss, 2) == 2.77
    assert res.reg_loss == 0.0
    assert res.total == res.data_loss


def test_demo_svm_with_l2_regularization():
    res = objective(W, B, DEMO_X, DEMO_Y, loss="svm", reg=0.1)
    assert res.reg_loss == pytest.approx(0.1 * DEMO_L2, rel=1e-12)  # 3.5
    assert res.total == pytest.approx(24.9 / 9 + 3.5, rel=1e-12)


def test_demo_svm_gradient_by_hand():
    # dL/ds_ij = (1/N) * [hinge (i, j) open] for j != y_i, minus the open count for j = y_i.
    open_ = DEMO_SCORES - DEMO_SCORES[np.arange(9), DEMO_Y][:, None] + 1 > 0
    open_[np.arange(9), DEMO_Y] = False
    dS = open_.astype(float)
    dS[np.arange(9), DEMO_Y] = -open_.sum(axis=1)
    dS /= 9
    res = objective(W, B, DEMO_X, DEMO_Y, loss="svm")
    np.testing.assert_allclose(res.dW, dS.T @ DEMO_X, atol=1e-14)
    np.testing.assert_allclose(res.db, dS.sum(axis=0), atol=1e-14)


def test_demo_softmax_against_plain_python():
    res = objective(W, B, DEMO_X, DEMO_Y, loss="softmax")
    ref = ref_softmax_per_example(DEMO_SCORES, DEMO_Y)
    np.testing.assert_allclose(res.per_example, ref, rtol=1e-12)
    assert res.data_loss == pytest.approx(sum(ref) / 9, rel=1e-12)


@pytest.mark.parametrize(
    ("loss", "opts"),
    [
        ("softmax", {}),
        ("svm", {"variant": "ova", "margin": 1.5}),
        ("svm", {"variant": "structured", "margin": 0.75}),
    ],
)
def test_objective_agrees_with_core_losses_on_its_scores(loss, opts):
    # (With margin 2 the ova hinge of (0.7, -0.4) would sit exactly at its kink, 2 - s_2 = 0.)
    assert loss == "softmax" or _far_from_kinks(DEMO_SCORES, DEMO_Y, opts["variant"], opts["margin"])
    res = objective(W, B, DEMO_X, DEMO_Y, loss=loss, **opts)
    direct = softmax_loss(DEMO_SCORES, DEMO_Y) if loss == "softmax" else svm_loss(DEMO_SCORES, DEMO_Y, **opts)
    np.testing.assert_allclose(res.per_example, direct.per_example, rtol=1e-12, atol=1e-12)
    assert res.data_loss == pytest.approx(direct.total, rel=1e-12)
    # dL/dW = (dL/dscores)^T X and dL/db = column sums of dL/dscores
    np.testing.assert_allclose(res.dW, direct.grad.T @ DEMO_X, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(res.db, direct.grad.sum(axis=0), rtol=1e-12, atol=1e-14)


def test_objective_shapes_and_types():
    res = objective(W, B, DEMO_X, DEMO_Y)
    assert res.per_example.shape == (9,)
    assert res.scores.shape == (9, 3)
    assert res.dW.shape == (3, 2)
    assert res.db.shape == (3,)
    assert all(isinstance(v, float) for v in (res.data_loss, res.reg_loss, res.total))
    assert res.data_loss == pytest.approx(res.per_example.mean(), rel=1e-12)


def test_objective_accepts_lists_and_does_not_modify_input():
    args = [a.copy() for a in (W, B, DEMO_X, DEMO_Y)]
    from_lists = objective(*(a.tolist() for a in args), loss="svm", reg=0.3, penalty="elastic_net")
    from_arrays = objective(*args, loss="svm", reg=0.3, penalty="elastic_net")
    assert from_lists.total == from_arrays.total
    for a, original in zip(args, (W, B, DEMO_X, DEMO_Y), strict=True):
        np.testing.assert_array_equal(a, original)


# ---- regularization -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", PENALTIES)
@pytest.mark.parametrize("reg", [0.0, 0.1, 2.5])
def test_reg_loss_is_reg_times_penalty(kind, reg):
    res = objective(W, B, DEMO_X, DEMO_Y, loss="softmax", reg=reg, penalty=kind, beta=0.5)
    assert res.reg_loss == pytest.approx(reg * penalty(W, kind, beta=0.5).value, rel=1e-12, abs=0)
    assert res.total == pytest.approx(res.data_loss + res.reg_loss, rel=1e-12)
    plain = objective(W, B, DEMO_X, DEMO_Y, loss="softmax")
    assert res.data_loss == plain.data_loss  # the penalty does not touch the data loss
    np.testing.assert_allclose(res.dW - plain.dW, reg * penalty(W, kind, beta=0.5).grad, atol=1e-14)


def test_l2_gradient_is_two_reg_w_not_the_demos_half():
    reg = 0.1
    with_reg = objective(W, B, DEMO_X, DEMO_Y, loss="svm", reg=reg, penalty="l2")
    without = objective(W, B, DEMO_X, DEMO_Y, loss="svm", reg=0.0)
    extra = with_reg.dW - without.dW
    np.testing.assert_allclose(extra, 2 * reg * W, rtol=1e-12)  # d/dW of reg * sum W^2
    assert not np.allclose(extra, 0.5 * reg * W)  # what the CS231n web demo adds
    # And it really is the slope of reg_loss: (R(W + hE) - R(W - hE)) / 2h for E = e_00.
    h = 1e-6
    E = np.zeros_like(W)
    E[0, 0] = h
    slope = (
        objective(W + E, B, DEMO_X, DEMO_Y, loss="svm", reg=reg).reg_loss
        - objective(W - E, B, DEMO_X, DEMO_Y, loss="svm", reg=reg).reg_loss
    ) / (2 * h)
    assert slope == pytest.approx(2 * reg * W[0, 0], rel=1e-6)  # 0.2, not 0.05


@pytest.mark.parametrize("kind", PENALTIES)
def test_bias_is_not_regularized(kind):
    reg = 0.7
    a = objective(W, B, DEMO_X, DEMO_Y, reg=reg, penalty=kind)
    b = objective(W, B + 10.0, DEMO_X, DEMO_Y, reg=reg, penalty=kind)
    c = objective(W, B, DEMO_X, DEMO_Y, reg=0.0, penalty=kind)
    assert a.reg_loss == b.reg_loss  # b does not enter R
    np.testing.assert_allclose(a.db, c.db, atol=0)  # nor its gradient


# ---- gradients against finite differences ---------------------------------------------------------

LOSS_OPTIONS = [pytest.param("softmax", {}, id="softmax")] + [
    pytest.param("svm", {"variant": v, "margin": m}, id=f"svm-{v}-m{m}")
    for v, m in itertools.product(SVM_VARIANTS, [0.0, 1.0, 2.5])
]


def _far_from_kinks(scores, y, variant, margin, tol=1e-3):
    """True if no hinge argument (and, for Crammer-Singer, no top-two tie) is within tol."""
    n, c = scores.shape
    for i in range(n):
        s, yi = scores[i], y[i]
        wrong = [j for j in range(c) if j != yi]
        if variant == "ova":
            args = [margin - (1.0 if j == yi else -1.0) * s[j] for j in range(c)]
        else:
            args = [s[j] - s[yi] + margin for j in wrong]
        if min(abs(a) for a in args) < tol:
            return False
        if variant == "structured":
            top = sorted((s[j] for j in wrong), reverse=True)
            if top[0] - top[1] < tol:
                return False
    return True


def _problem(seed, loss, opts, n=6, c=4, d=3):
    """Random W (|w| in [0.2, 1.5], away from the L1 kink), b, X, y with no hinge at a kink."""
    rng = np.random.default_rng(seed)
    for _ in range(1000):
        Wr = rng.uniform(0.2, 1.5, (c, d)) * rng.choice([-1.0, 1.0], (c, d))
        br = rng.normal(0.0, 0.5, c)
        Xr = rng.normal(0.0, 1.0, (n, d))
        yr = rng.integers(0, c, n)
        if loss == "softmax" or _far_from_kinks(Xr @ Wr.T + br, yr, opts["variant"], opts["margin"]):
            return Wr, br, Xr, yr
    raise AssertionError("no kink-free problem found")  # pragma: no cover


@pytest.mark.parametrize(("loss", "opts"), LOSS_OPTIONS)
@pytest.mark.parametrize("kind", PENALTIES)
def test_gradients_match_finite_differences(loss, opts, kind):
    Wr, br, Xr, yr = _problem(7, loss, opts)
    kw = dict(loss=loss, reg=0.3, penalty=kind, beta=0.6, **opts)
    res = objective(Wr, br, Xr, yr, **kw)
    num_W = numeric_grad(lambda V: objective(V, br, Xr, yr, **kw).total, Wr)
    num_b = numeric_grad(lambda v: objective(Wr, v, Xr, yr, **kw).total, br)
    np.testing.assert_allclose(res.dW, num_W, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(res.db, num_b, rtol=1e-6, atol=1e-8)
    assert np.abs(res.dW).max() > 1e-3  # not a vacuous comparison of zeros


def test_gradient_on_the_demo_with_l2_matches_finite_differences():
    kw = dict(loss="softmax", reg=0.1, penalty="l2")
    res = objective(W, B, DEMO_X, DEMO_Y, **kw)
    np.testing.assert_allclose(
        res.dW, numeric_grad(lambda V: objective(V, B, DEMO_X, DEMO_Y, **kw).total, W), rtol=1e-6, atol=1e-9
    )
    np.testing.assert_allclose(
        res.db, numeric_grad(lambda v: objective(W, v, DEMO_X, DEMO_Y, **kw).total, B), rtol=1e-6, atol=1e-9
    )


def test_softmax_db_sums_to_zero():
    # sum_j (p_ij - 1[j = y_i]) = 0 for each example: the gradient cannot shift all biases at once.
    res = objective(W, B, DEMO_X, DEMO_Y, loss="softmax", reg=1.0)
    assert abs(res.db.sum()) < 1e-14


# ---- bad input ------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((W[0], B, DEMO_X, DEMO_Y), "shapes do not fit"),  # W 1-D
        ((W, B[:2], DEMO_X, DEMO_Y), "shapes do not fit"),  # b too short
        ((W, B[:, None], DEMO_X, DEMO_Y), "shapes do not fit"),  # b 2-D
        ((W, B, DEMO_X[:, :1], DEMO_Y), "shapes do not fit"),  # D mismatch
        ((W, B, DEMO_X[0], DEMO_Y), "shapes do not fit"),  # X 1-D
        ((W.T, B, DEMO_X, DEMO_Y), "shapes do not fit"),  # W transposed (2, 3)
        ((W[:1], B[:1], DEMO_X, np.zeros(9, int)), "at least 2 classes"),
        ((W, B, DEMO_X, DEMO_Y[:-1]), "one label per example"),
        ((W, B, DEMO_X, DEMO_Y + 1), r"class indices in 0\.\.2"),
        ((W, B, DEMO_X, DEMO_Y + 0.5), r"class indices in 0\.\.2 \(whole numbers\); y\[0\] is \d\.5"),
        ((W, B, np.zeros((0, 2)), np.zeros(0, int)), "at least one example"),
        ((W, B, np.where(DEMO_X > 0.7, np.nan, DEMO_X), DEMO_Y), "finite"),
        ((np.full((3, 2), np.inf), B, DEMO_X, DEMO_Y), "finite"),
    ],
    ids=[
        "W-1d",
        "b-short",
        "b-2d",
        "D-mismatch",
        "X-1d",
        "W-transposed",
        "one-class",
        "y-short",
        "label-3",
        "label-frac",
        "no-rows",
        "X-nan",
        "W-inf",
    ],
)
def test_bad_arrays_raise(args, match):
    with pytest.raises(ValueError, match=match):
        objective(*args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"loss": "hinge"}, "loss must be one of"),
        ({"loss": "SVM"}, "loss must be one of"),
        ({"reg": -0.1}, "reg"),
        ({"reg": float("nan")}, "reg"),
        ({"reg": float("inf")}, "reg"),
        ({"reg": "lots"}, "reg must be a finite number >= 0"),
        ({"penalty": "l3"}, "penalty must be one of"),
        ({"beta": -1.0, "penalty": "elastic_net"}, "beta"),
        ({"loss": "svm", "variant": "cs"}, "variant"),
        ({"loss": "svm", "margin": -1.0}, "margin"),
        ({"loss": "svm", "margin": float("nan")}, "margin"),
    ],
)
def test_bad_options_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        objective(W, B, DEMO_X, DEMO_Y, **kwargs)


def test_zero_reg_with_any_penalty_is_allowed():
    res = objective(W, B, DEMO_X, DEMO_Y, reg=0, penalty="l1")
    assert res.reg_loss == 0.0


# ---- predict, accuracy, decision_grid -------------------------------------------------------------


def test_predict_and_accuracy_on_the_demo():
    # argmax of each row of DEMO_SCORES
    expected = [0, 2, 0, 0, 0, 0, 1, 1, 1]
    np.testing.assert_array_equal(predict(W, B, DEMO_X), expected)
    assert accuracy(W, B, DEMO_X, DEMO_Y) == pytest.approx(2 / 9)


def test_accuracy_one_and_zero():
    # Scores x1 + x2, -x1 + x2, x1 - x2: e.g. (-0.4, -0.5) scores [-0.9, -0.1, 0.1], class 2.
    perfect = np.array([[1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
    assert accuracy(perfect, np.zeros(3), DEMO_X, DEMO_Y) == 1.0
    assert accuracy(perfect, np.zeros(3), DEMO_X, (DEMO_Y + 1) % 3) == 0.0
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert accuracy(np.eye(2), np.zeros(2), X, [0, 1]) == 1.0
    assert accuracy(np.eye(2), np.zeros(2), X, [1, 0]) == 0.0


def test_accuracy_of_no_rows_is_nan():
    assert math.isnan(accuracy(W, B, np.zeros((0, 2)), []))


def test_predict_ties_go_to_the_first_class():
    np.testing.assert_array_equal(predict(np.zeros((3, 2)), np.zeros(3), DEMO_X), np.zeros(9, int))


def test_decision_grid_orientation():
    # Class 1 wherever x1 > 0, class 0 elsewhere: depends only on the column j = axis[j].
    Wx = np.array([[-1.0, 0.0], [1.0, 0.0]])
    axis, classes = decision_grid(Wx, np.zeros(2), extent=2.0, n=9)
    np.testing.assert_allclose(axis, np.linspace(-2.0, 2.0, 9))
    assert classes.shape == (9, 9)
    np.testing.assert_array_equal(classes, np.tile((axis > 0).astype(int), (9, 1)))
    # Class 2 wherever x2 > 0.5: depends only on the row i = axis[i].
    Wy = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    axis, classes = decision_grid(Wy, np.array([0.0, 0.0, -0.5]), extent=1.0, n=5)
    np.testing.assert_array_equal(classes, np.repeat((axis > 0.5)[:, None] * 2, 5, axis=1))


def test_decision_grid_agrees_with_predict():
    axis, classes = decision_grid(W, B, extent=1.0, n=31)
    for i, j in [(0, 0), (3, 17), (30, 30), (15, 2), (22, 9)]:
        assert classes[i, j] == predict(W, B, [[axis[j], axis[i]]])[0]
    assert set(np.unique(classes).tolist()) == {0, 1, 2}


# ---- Hypothesis properties ------------------------------------------------------------------------

finite = st.floats(min_value=-10.0, max_value=10.0, allow_nan=False, allow_infinity=False)
PROPS = settings(max_examples=40, deadline=None)


@st.composite
def problems(draw):
    c = draw(st.integers(2, 4))
    d = draw(st.integers(1, 3))
    n = draw(st.integers(1, 5))
    Wd = draw(arrays(np.float64, (c, d), elements=finite))
    bd = draw(arrays(np.float64, (c,), elements=finite))
    Xd = draw(arrays(np.float64, (n, d), elements=finite))
    yd = draw(arrays(np.intp, (n,), elements=st.integers(0, c - 1)))
    return Wd, bd, Xd, yd


options = st.fixed_dictionaries(
    {
        "loss": st.sampled_from(["softmax", "svm"]),
        "variant": st.sampled_from(SVM_VARIANTS),
        "margin": st.floats(0.0, 5.0),
        "reg": st.floats(0.0, 10.0),
        "penalty": st.sampled_from(PENALTIES),
        "beta": st.floats(0.0, 3.0),
    }
)


@PROPS
@given(problem=problems(), opts=options)
def test_prop_total_is_data_plus_reg(problem, opts):
    res = objective(*problem, **opts)
    assert res.total == pytest.approx(res.data_loss + res.reg_loss, rel=1e-12, abs=1e-300)
    assert res.reg_loss == pytest.approx(
        opts["reg"] * penalty(problem[0], opts["penalty"], beta=opts["beta"]).value, rel=1e-12
    )
    assert res.data_loss == pytest.approx(float(np.mean(res.per_example)), rel=1e-12, abs=1e-12)
    assert res.reg_loss >= 0
    assert np.all(np.isfinite(res.dW))
    assert np.all(np.isfinite(res.db))


@PROPS
@given(problem=problems(), reg=st.floats(0.0, 10.0), kind=st.sampled_from(PENALTIES))
def test_prop_softmax_objective_is_nonnegative(problem, reg, kind):
    res = objective(*problem, loss="softmax", reg=reg, penalty=kind)
    assert np.all(res.per_example >= 0)
    assert res.data_loss >= 0
    assert res.total >= 0
    assert res.total >= res.reg_loss


@PROPS
@given(problem=problems(), opts=options)
def test_prop_svm_objective_is_nonnegative(problem, opts):
    res = objective(*problem, **{**opts, "loss": "svm"})
    assert np.all(res.per_example >= 0)
    assert res.total >= 0


# ---- the loss specification ---------------------------------------------------------------------


SPEC_OPTIONS = {
    "loss": "svm",
    "variant": "structured",
    "margin": 2.0,
    "reg": 0.1,
    "penalty": "elastic_net",
    "beta": 0.5,
}


def test_a_spec_gives_what_its_options_give():
    by_spec = objective(W, B, DEMO_X, DEMO_Y, LossSpec(**SPEC_OPTIONS))
    by_options = objective(W, B, DEMO_X, DEMO_Y, **SPEC_OPTIONS)
    assert by_spec.total == by_options.total
    assert by_spec.total != objective(W, B, DEMO_X, DEMO_Y).total
    np.testing.assert_array_equal(by_spec.dW, by_options.dW)


def test_the_default_spec_is_softmax_without_regularization():
    assert LossSpec() == LossSpec(loss="softmax", reg=0.0)
    expected = softmax_loss(DEMO_SCORES, DEMO_Y).total
    assert objective(W, B, DEMO_X, DEMO_Y, LossSpec()).total == pytest.approx(expected, abs=1e-12)


def test_a_spec_is_frozen_hashable_and_holds_plain_floats():
    spec = LossSpec(margin=2, reg=np.float32(0.5), beta="1")
    assert (spec.margin, spec.reg, spec.beta) == (2.0, 0.5, 1.0)
    assert all(type(v) is float for v in (spec.margin, spec.reg, spec.beta))
    assert hash(spec) == hash(LossSpec(margin=2.0, reg=0.5))  # usable as a cache key
    with pytest.raises(AttributeError):
        spec.reg = 1.0


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"loss": "hinge"}, "loss must be one of"),
        ({"variant": "cs"}, "variant must be one of"),
        ({"penalty": "l3"}, "penalty must be one of"),
        ({"margin": -1}, "margin must be a finite number >= 0"),
        ({"reg": float("nan")}, "reg must be"),
        ({"beta": float("inf")}, "beta must be"),
    ],
)
def test_a_bad_spec_is_refused_when_it_is_made(options, match):
    with pytest.raises(ValueError, match=match):
        LossSpec(**options)


def test_a_spec_and_options_together_are_refused():
    with pytest.raises(ValueError, match="not both"):
        objective(W, B, DEMO_X, DEMO_Y, LossSpec(), reg=0.1)

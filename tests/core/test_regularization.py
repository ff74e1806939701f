"""Tests for core.regularization: the R(W) of L = data loss + lambda R(W) (CS231n Lecture 3).

Expected numbers are the lecture's (x = [1, 1, 1, 1], w1 = [1, 0, 0, 0], w2 = [0.25] * 4),
worked out by hand in the comments, or computed here independently: centered finite
differences for gradients, the normal equations with np.linalg.solve for ridge regression,
np.polyfit for plain least squares, the KKT (subgradient) conditions for the L1 solutions,
core.losses for the data loss. Hypothesis checks the properties that hold for every input.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from finite_differences import numeric_grad
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from core import overfitting
from core.geometry import (
    DEMO_QUADRATIC,
    Quadratic,
    level_set,
    penalized_minimum,
    penalized_path,
    solve_penalized,
)
from core.losses import softmax_loss, svm_loss
from core.overfitting import make_poly_data, poly_features, ridge_fit, ridge_path
from core.regularization import (
    LECTURE_W1,
    LECTURE_W2,
    LECTURE_X,
    PENALTIES,
    SPARSE_W1,
    SPARSE_W2,
    SPARSE_X,
    compare_pair,
    full_loss,
    max_norm,
    penalty,
    random_pair,
    two_class_scores,
)

# A small (C, D) = (2, 3) weight matrix with no zero entry, and its hand-worked penalties.
W23 = np.array([[1.0, -2.0, 0.5], [-0.25, 3.0, -1.5]])
W23_L2 = 1 + 4 + 0.25 + 0.0625 + 9 + 2.25  # 16.5625
W23_L1 = 1 + 2 + 0.5 + 0.25 + 3 + 1.5  # 8.25
SHAPES = [(7,), (3, 5), (2, 3, 4)]


def away_from_zero(shape, seed):
    """Random weights with |w| in [0.2, 2]: no L1 kink within a finite-difference step."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.2, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)


# ---- penalty: values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "beta", "value"),
    [
        ("none", 1.0, 0.0),
        ("l2", 1.0, W23_L2),
        ("l1", 1.0, W23_L1),
        ("elastic_net", 1.0, W23_L2 + W23_L1),  # 24.8125
        ("elastic_net", 0.5, 0.5 * W23_L2 + W23_L1),  # 16.53125
        ("elastic_net", 0.0, W23_L1),  # beta = 0 leaves the pure L1 part
        ("l2", 3.0, W23_L2),  # beta only weighs the elastic net's squared term
        ("l1", 0.0, W23_L1),
    ],
)
def test_penalty_values_on_a_hand_worked_matrix(kind, beta, value):
    result = penalty(W23, kind, beta=beta)
    assert isinstance(result.value, float)
    assert result.value == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(
    ("kind", "r1", "r2"),
    [("l2", 1.0, 0.25), ("l1", 1.0, 1.0), ("elastic_net", 2.0, 1.25), ("none", 0.0, 0.0)],
)
def test_penalty_on_the_lecture_pair(kind, r1, r2):
    # L2: 1^2 = 1 against 4 * 0.25^2 = 0.25; L1: 1 against 4 * 0.25 = 1 (equal).
    assert penalty(LECTURE_W1, kind).value == pytest.approx(r1)
    assert penalty(LECTURE_W2, kind).value == pytest.approx(r2)


def test_penalty_of_zero_weights_is_zero_with_zero_gradient():
    for kind in PENALTIES:
        result = penalty(np.zeros((2, 3)), kind)
        assert result.value == 0.0
        np.testing.assert_array_equal(result.grad, np.zeros((2, 3)))


def test_penalty_accepts_lists_and_scalars():
    assert penalty([[3.0, -4.0]], "l2").value == 25.0
    assert penalty(-2.0, "l1").value == 2.0
    assert penalty(-2.0, "l1").grad.shape == ()


# ---- penalty: gradients ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", PENALTIES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_penalty_grad_matches_finite_differences(kind, shape):
    W = away_from_zero(shape, seed=len(shape))
    result = penalty(W, kind, beta=0.7)
    assert result.grad.shape == W.shape
    numeric = numeric_grad(lambda V: penalty(V, kind, beta=0.7).value, W)
    np.testing.assert_allclose(result.grad, numeric, rtol=1e-6, atol=1e-6)


def test_penalty_grads_by_hand():
    np.testing.assert_array_equal(penalty(W23, "l2").grad, 2 * W23)
    np.testing.assert_array_equal(penalty(W23, "l1").grad, [[1, -1, 1], [-1, 1, -1]])
    np.testing.assert_allclose(penalty(W23, "elastic_net", beta=0.5).grad, W23 + np.sign(W23))
    np.testing.assert_array_equal(penalty(W23, "none").grad, np.zeros((2, 3)))


def test_l1_grad_is_zero_at_exactly_zero():
    W = np.array([[0.0, -0.0, 2.0], [-3.0, 0.0, 1e-300]])
    np.testing.assert_array_equal(penalty(W, "l1").grad, [[0, 0, 1], [-1, 0, 1]])
    np.testing.assert_array_equal(penalty(W, "elastic_net", beta=2.0).grad[W == 0], 0.0)
    assert penalty(W, "l1").value == pytest.approx(5.0)


def test_beta_scales_only_the_squared_term():
    base = penalty(W23, "elastic_net", beta=0.0)
    for beta in (0.5, 1.0, 2.0, 5.0):
        result = penalty(W23, "elastic_net", beta=beta)
        assert result.value == pytest.approx(beta * W23_L2 + W23_L1)
        np.testing.assert_allclose(result.grad - base.grad, beta * 2 * W23)


# ---- penalty: bad input ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["l3", "L2", "", "ridge", None])
def test_unknown_kind_is_refused_and_the_valid_kinds_are_listed(kind):
    with pytest.raises(ValueError, match=r"kind must be one of.*'none'.*'l2'.*'l1'.*'elastic_net'"):
        penalty(W23, kind)


@pytest.mark.parametrize(
    ("W", "match"),
    [
        ([1.0, np.nan], "finite"),
        ([[1.0], [np.inf]], "finite"),
        ([-np.inf], "finite"),
        ([], "empty"),
        (np.zeros((3, 0)), "empty"),
        (["a", "b"], "numbers"),
    ],
)
@pytest.mark.parametrize("kind", PENALTIES)
def test_bad_weights_are_refused(W, match, kind):
    with pytest.raises(ValueError, match=match):
        penalty(W, kind)


@pytest.mark.parametrize("beta", [-1e-9, -1.0, np.nan, np.inf])
def test_bad_beta_is_refused(beta):
    with pytest.raises(ValueError, match="beta must be a finite number >= 0"):
        penalty(W23, "elastic_net", beta=beta)


# ---- max_norm ----------------------------------------------------------------------------------


def test_max_norm_scales_only_the_rows_above_c():
    W = np.array([[3.0, 4.0], [0.3, 0.4], [0.0, 0.0], [-6.0, 8.0], [1.2, -1.6]])  # norms 5, .5, 0, 10, 2
    out = max_norm(W, 2.0)
    np.testing.assert_array_equal(out[1:3], W[1:3])  # within the bound: untouched
    np.testing.assert_allclose(out[0], [1.2, 1.6])  # 5 -> 2, direction kept
    np.testing.assert_allclose(out[3], [-1.2, 1.6])
    np.testing.assert_allclose(out[4], W[4])  # norm exactly c
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), [2.0, 0.5, 0.0, 2.0, 2.0])
    np.testing.assert_array_equal(W[0], [3.0, 4.0])  # the input is not modified


def test_max_norm_keeps_the_direction_of_every_scaled_row():
    W = away_from_zero((6, 5), seed=3) * 4
    out = max_norm(W, 1.5)
    norms = np.linalg.norm(W, axis=1)
    for w, o, n in zip(W, out, norms, strict=True):
        if n > 1.5:
            assert np.linalg.norm(o) == pytest.approx(1.5, rel=1e-12)
            np.testing.assert_allclose(o, w * (1.5 / n), rtol=1e-12)
        else:
            np.testing.assert_array_equal(o, w)


def test_max_norm_treats_a_vector_as_one_row():
    out = max_norm([6.0, 8.0], 5.0)
    assert out.shape == (2,)
    np.testing.assert_allclose(out, [3.0, 4.0])
    np.testing.assert_array_equal(max_norm([0.6, 0.8], 5.0), [0.6, 0.8])


@pytest.mark.parametrize("c", [0.0, -1.0, np.nan, np.inf])
def test_max_norm_refuses_a_bad_bound(c):
    with pytest.raises(ValueError, match="c must be a finite number > 0"):
        max_norm(W23, c)


@pytest.mark.parametrize(("W", "match"), [([np.nan, 1.0], "finite"), ([], "empty")])
def test_max_norm_refuses_bad_weights(W, match):
    with pytest.raises(ValueError, match=match):
        max_norm(W, 1.0)


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_max_norm_of_a_huge_but_finite_row_keeps_its_direction():
    out = max_norm([[1e200, 1e200]], 1.0)  # got [[0, 0]]
    np.testing.assert_allclose(out, [[math.sqrt(0.5), math.sqrt(0.5)]])


# ---- the lecture's pair --------------------------------------------------------------------------


def test_compare_pair_on_the_lecture_example():
    comp = compare_pair(LECTURE_X, LECTURE_W1, LECTURE_W2)
    assert comp.kinds == ("l2", "l1", "elastic_net")
    assert comp.score1 == comp.score2 == 1.0  # same scores, so the same data loss
    np.testing.assert_allclose(comp.r1, [1.0, 1.0, 2.0])
    np.testing.assert_allclose(comp.r2, [0.25, 1.0, 1.25])
    # L2 prefers the spread w2; L1 rates the two equal: a tie, NOT w1.
    assert comp.preferred == ("w2", "tie", "w2")


def test_compare_pair_on_the_sparse_preset():
    comp = compare_pair(SPARSE_X, SPARSE_W1, SPARSE_W2)
    assert comp.score1 == pytest.approx(1.0)
    assert comp.score2 == pytest.approx(1.0)
    np.testing.assert_allclose(comp.r1, [0.25, 0.5, 0.75])  # 0.5^2; 0.5; 0.25 + 0.5
    np.testing.assert_allclose(comp.r2, [0.16, 0.8, 0.96])  # 4 * 0.04; 4 * 0.2; 0.16 + 0.8
    assert comp.preferred[:2] == ("w2", "w1")  # L2 the spread one, L1 the sparse one


def test_compare_pair_follows_beta_and_kinds():
    # Elastic net on the sparse preset: beta * 0.25 + 0.5 against beta * 0.16 + 0.8, equal at beta = 10/3.
    assert compare_pair(SPARSE_X, SPARSE_W1, SPARSE_W2, beta=1.0).preferred[2] == "w1"
    assert compare_pair(SPARSE_X, SPARSE_W1, SPARSE_W2, beta=5.0).preferred[2] == "w2"
    comp = compare_pair(LECTURE_X, LECTURE_W1, LECTURE_W2, kinds=("none", "l1"))
    assert comp.kinds == ("none", "l1")
    assert comp.preferred == ("tie", "tie")
    swapped = compare_pair(LECTURE_X, LECTURE_W2, LECTURE_W1)
    assert swapped.preferred == ("w1", "tie", "w1")


@pytest.mark.parametrize(
    ("x", "w1", "w2", "match"),
    [
        ([1, 1, 1], [1, 0, 0, 0], [0.25] * 4, "one length"),
        ([[1, 1]], [[1, 0]], [[0.5, 0.5]], "1-D"),
        ([1, np.nan], [1, 0], [0.5, 0.5], "finite"),
        ([1, 1], [], [0.5, 0.5], "empty"),
    ],
)
def test_compare_pair_refuses_bad_vectors(x, w1, w2, match):
    with pytest.raises(ValueError, match=match):
        compare_pair(x, w1, w2)


def test_random_pair_is_deterministic_per_seed_and_differs_across_seeds():
    first = random_pair(4, seed=7)
    again = random_pair(4, seed=7)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    others = [random_pair(4, seed=s) for s in range(5)]
    assert len({tuple(np.concatenate(p)) for p in others}) == 5


@pytest.mark.parametrize("seed", range(0, 200, 7))
def test_random_pair_gives_equal_scores_and_url_friendly_numbers(seed):
    x, w1, w2 = random_pair(4, seed=seed)
    assert x.shape == w1.shape == w2.shape == (4,)
    assert np.all((x >= 0.5) & (x <= 2.0))
    # Rounded to 3 decimals: each w.x is 1 up to 4 * 0.0005 * 2.
    assert w1 @ x == pytest.approx(1.0, abs=4e-3)
    assert w2 @ x == pytest.approx(1.0, abs=4e-3)
    for w in (w1, w2):
        assert np.all(np.abs(w) <= 100)  # inside the page's editor bounds
        assert not np.any(np.signbit(w) & (w == 0)), "a -0.0 would print as -0 in the URL"
        np.testing.assert_array_equal(w, np.round(w, 3))
    assert random_pair(6, seed=seed)[0].shape == (6,)


# ---- the full loss of the two-class example ---------------------------------------------------------


def test_two_class_scores():
    np.testing.assert_array_equal(two_class_scores([1.0, 2.0], [3.0, -1.0]), [[1.0, 0.0]])


@pytest.mark.parametrize("loss", ["softmax", "svm"])
@pytest.mark.parametrize("label", [0, 1])
def test_full_loss_on_the_lecture_pair(loss, label):
    d1, r1 = full_loss(LECTURE_W1, LECTURE_X, label, loss=loss, reg=0.1, kind="l2")
    d2, r2 = full_loss(LECTURE_W2, LECTURE_X, label, loss=loss, reg=0.1, kind="l2")
    assert d1 == d2  # w.x is 1 for both: the data loss cannot tell them apart
    assert (r1, r2) == (pytest.approx(0.1), pytest.approx(0.025))
    oracle = {"softmax": softmax_loss, "svm": svm_loss}[loss]
    assert d1 == pytest.approx(oracle(np.array([[1.0, 0.0]]), [label]).total)
    # Scores [1, 0]: softmax -log(e / (e + 1)) = 0.3133 for A, 1.3133 for B; SVM max(0, 0 - 1 + 1) = 0 or 2.
    want = {
        ("softmax", 0): math.log(1 + math.exp(-1)),
        ("softmax", 1): math.log(1 + math.e),
        ("svm", 0): 0.0,
        ("svm", 1): 2.0,
    }[loss, label]
    assert d1 == pytest.approx(want)


@pytest.mark.parametrize("kind", PENALTIES)
@pytest.mark.parametrize("reg_strength", [0.0, 0.01, 1.0, 7.5])
def test_full_loss_regularization_part_is_reg_times_penalty(kind, reg_strength):
    x, w1, _ = random_pair(4, seed=3)
    data, penalty_part = full_loss(w1, x, 0, reg=reg_strength, kind=kind, beta=0.3)
    assert penalty_part == pytest.approx(reg_strength * penalty(w1, kind, beta=0.3).value)
    assert data == pytest.approx(softmax_loss(two_class_scores(w1, x), [0]).total)
    assert data == pytest.approx(full_loss(w1, x, 0, reg=0.0)[0])  # reg never touches the data loss


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"loss": "hinge"}, "loss must be one of"),
        ({"reg": -0.1}, "reg must be a finite number >= 0"),
        ({"reg": np.nan}, "reg must be a finite number >= 0"),
        ({"kind": "l3"}, "kind must be one of"),
        ({"beta": -1.0}, "beta"),
    ],
)
def test_full_loss_refuses_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        full_loss(LECTURE_W1, LECTURE_X, 0, **{"reg": 0.1, **kwargs})


def test_full_loss_refuses_a_label_outside_the_two_classes():
    with pytest.raises(ValueError, match="class indices"):
        full_loss(LECTURE_W1, LECTURE_X, 7)


# ---- 2-D geometry -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["l2", "l1", "elastic_net"])
@pytest.mark.parametrize("level", [0.01, 0.7, 4.0])
def test_every_point_of_a_level_set_has_the_level(kind, level):
    curve = level_set(kind, level, beta=0.4)
    assert curve.shape == (361, 2)
    values = [penalty(w, kind, beta=0.4).value for w in curve]
    np.testing.assert_allclose(values, level, rtol=1e-12)


def test_level_sets_by_hand():
    # The four axis points: radius 1 for the unit circle and diamond; for the elastic net
    # 0.5 r^2 + r = 4 gives r = 2 (0.5 * 4 + 2).
    axes = np.array([[1, 0], [0, 1], [-1, 0], [0, -1]])
    for kind, beta, level, radius in [("l2", 1, 1, 1), ("l1", 1, 1, 1), ("elastic_net", 0.5, 4, 2)]:
        curve = level_set(kind, level, beta=beta, points=9)
        np.testing.assert_allclose(curve[[0, 2, 4, 6]], radius * axes, atol=1e-12)
    diagonal = level_set("l1", 1.0, points=9)[1]  # the diamond's edge at 45 degrees: (0.5, 0.5)
    np.testing.assert_allclose(diagonal, [0.5, 0.5])
    np.testing.assert_array_equal(level_set("l2", 0.0, points=5), np.zeros((5, 2)))  # the ball is the origin
    beta_zero = level_set("elastic_net", 1.0, beta=0.0, points=9)  # no squared part: the L1 diamond
    np.testing.assert_allclose(beta_zero, level_set("l1", 1.0, points=9), atol=1e-15)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"kind": "none"}, "kind must be one of"),
        ({"level": -1.0}, "level must be"),
        ({"level": np.inf}, "level"),
        ({"beta": -1.0}, "beta must be"),
        ({"points": 6}, "points must be"),
        ({"points": 1}, "points must be"),
    ],
)
def test_level_set_refuses_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        level_set(**{"kind": "l2", "level": 1.0, **kwargs})


def test_the_data_loss_ellipse_has_its_value():
    f = Quadratic(H=np.array([[1.0, 0.3], [0.3, 1.5]]), w_star=np.array([1.0, 0.2]))
    curve = f.level_set(0.3)
    np.testing.assert_allclose(f(curve), 0.3, rtol=1e-12)
    np.testing.assert_allclose(f.level_set(0.0), np.tile(f.w_star, (181, 1)))  # value 0: the minimum itself
    with pytest.raises(ValueError, match="value must be"):
        f.level_set(-0.1)


def test_penalty_refuses_a_negative_beta():
    with pytest.raises(ValueError, match="beta"):
        penalty([1.0, 0.0], "elastic_net", beta=-1.0)


def kkt_residuals(f: Quadratic, kind: str, lam: float, beta: float, w: np.ndarray):
    """(stationarity error on nonzero coords, subgradient excess on zero coords) of f + lam R at w."""
    grad_f = f.grad(w)
    b2 = beta if kind == "elastic_net" else 0.0
    nonzero = w != 0
    stationarity = np.abs(grad_f + lam * (2 * b2 * w + np.sign(w)))[nonzero]
    excess = (np.abs(grad_f) - lam)[~nonzero]
    return (stationarity.max(initial=0.0), excess.max(initial=-np.inf))


OTHER_QUADRATIC = Quadratic(H=np.array([[2.0, -0.5], [-0.5, 0.8]]), w_star=np.array([-0.7, 1.2]))


@pytest.mark.parametrize("f", [DEMO_QUADRATIC, OTHER_QUADRATIC], ids=["demo", "other"])
@pytest.mark.parametrize("kind", PENALTIES)
def test_no_regularization_returns_the_unregularized_minimum(f, kind):
    np.testing.assert_allclose(penalized_minimum(f, kind, 0.0), f.w_star, atol=1e-12)
    if kind == "none":
        np.testing.assert_allclose(penalized_minimum(f, kind, 5.0), f.w_star, atol=1e-12)


@pytest.mark.parametrize("f", [DEMO_QUADRATIC, OTHER_QUADRATIC], ids=["demo", "other"])
@pytest.mark.parametrize("lam", [0.01, 0.3, 1.0, 4.0])
def test_l2_solution_matches_the_closed_form(f, lam):
    want = np.linalg.solve(f.H + 2 * lam * np.eye(2), f.H @ f.w_star)
    np.testing.assert_allclose(penalized_minimum(f, "l2", lam), want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("f", [DEMO_QUADRATIC, OTHER_QUADRATIC], ids=["demo", "other"])
@pytest.mark.parametrize("kind", ["l1", "elastic_net"])
@pytest.mark.parametrize("lam", [0.01, 0.1, 0.3, 0.5, 1.0, 3.0])
@pytest.mark.parametrize("beta", [0.5, 2.0])
def test_l1_and_elastic_net_solutions_satisfy_the_kkt_conditions(f, kind, lam, beta):
    w = penalized_minimum(f, kind, lam, beta=beta)
    stationarity, excess = kkt_residuals(f, kind, lam, beta, w)
    assert stationarity < 1e-8, w
    assert excess <= 1e-8, w

    # A convex objective: no nearby point does better.
    def objective(v):
        return f(v) + lam * penalty(v, kind, beta=beta).value

    for step in itertools.product([-1e-4, 0.0, 1e-4], repeat=2):
        assert objective(w) <= objective(w + np.array(step)) + 1e-12


def test_l1_gives_exact_zeros_on_the_demo_and_l2_never_does():
    f = DEMO_QUADRATIC  # w_star = [1, 0.2]
    # At the page's default lambda = 10**-0.3 (about 0.5), L1 puts w2 exactly on 0.
    w = penalized_minimum(f, "l1", 10**-0.3)
    assert w[1] == 0.0
    assert w[0] > 0.5
    np.testing.assert_array_equal(penalized_minimum(f, "l1", 3.0), [0.0, 0.0])
    assert penalized_minimum(f, "l1", 0.01)[1] != 0.0  # a small lambda keeps both
    for lam in np.logspace(-2, 2, 30):
        w2 = penalized_minimum(f, "l2", lam)
        assert np.all(w2 != 0.0), (lam, w2)
        assert np.all(np.sign(w2) == np.sign(f.w_star))  # shrunk, never flipped


@pytest.mark.parametrize("kind", ["l2", "l1", "elastic_net"])
@pytest.mark.parametrize("lam", [0.01, 10**-0.3, 3.0])
def test_solve_penalized_gives_the_minimum_its_ball_and_its_zeros(kind, lam):
    solution = solve_penalized(DEMO_QUADRATIC, kind, lam, beta=0.5)
    np.testing.assert_array_equal(solution.w, penalized_minimum(DEMO_QUADRATIC, kind, lam, beta=0.5))
    radius = penalty(solution.w, kind, beta=0.5).value  # the ball is the level set through w
    ball_values = [penalty(p, kind, beta=0.5).value for p in solution.ball]
    np.testing.assert_allclose(ball_values, radius, rtol=1e-9, atol=1e-12)
    assert solution.zeros == int(np.sum(solution.w == 0.0))


def test_solve_penalized_counts_l1_zeros_on_the_demo():
    assert solve_penalized(DEMO_QUADRATIC, "l1", 0.01).zeros == 0
    assert solve_penalized(DEMO_QUADRATIC, "l1", 10**-0.3).zeros == 1  # the page's default: w2 = 0
    assert solve_penalized(DEMO_QUADRATIC, "l1", 3.0).zeros == 2
    assert solve_penalized(DEMO_QUADRATIC, "l2", 3.0).zeros == 0  # L2 shrinks, never zeroes


def test_penalized_path_shape_and_rows():
    lams = [0.0, 0.1, 0.5, 2.0]
    for kind in ("l2", "l1", "elastic_net"):
        path = penalized_path(DEMO_QUADRATIC, kind, lams, beta=0.5)
        assert path.shape == (4, 2)
        for lam, row in zip(lams, path, strict=True):
            np.testing.assert_array_equal(row, penalized_minimum(DEMO_QUADRATIC, kind, lam, beta=0.5))
    norms = np.linalg.norm(penalized_path(DEMO_QUADRATIC, "l2", np.logspace(-2, 1, 20)), axis=1)
    assert np.all(np.diff(norms) < 0)  # more lambda, smaller weights


def test_penalized_path_of_no_lambdas_keeps_its_documented_shape():
    assert penalized_path(DEMO_QUADRATIC, "l2", []).shape == (0, 2)


@pytest.mark.parametrize(
    ("kind", "lam", "beta", "match"),
    [
        ("l2", -0.1, 1.0, "lam must be"),
        ("l1", np.nan, 1.0, "lam must be"),
        ("l3", 0.1, 1.0, "kind must be one of"),
        ("elastic_net", 0.1, -1.0, "beta must be"),
        ("elastic_net", 0.1, np.nan, "beta must be"),
    ],
)
def test_penalized_minimum_refuses_bad_input(kind, lam, beta, match):
    with pytest.raises(ValueError, match=match):
        penalized_minimum(DEMO_QUADRATIC, kind, lam, beta=beta)


# ---- ridge regression: over- and underfitting ---------------------------------------------------


DATA = make_poly_data()  # the page's defaults: 15 training points, 60 test points, noise 0.25, seed 0
LAMBDA_GRID = np.logspace(-8, 2, 41)  # the page's grid


def normal_equation(x, y, degree, lam):
    """(X^T X + lam I') w = X^T y, I' the identity without its bias entry."""
    X = np.vander(np.asarray(x), degree + 1, increasing=True)
    penalty_matrix = lam * np.eye(degree + 1)
    penalty_matrix[0, 0] = 0.0
    return np.linalg.solve(X.T @ X + penalty_matrix, X.T @ y)


@pytest.mark.parametrize("degree", [1, 3, 6])
@pytest.mark.parametrize("lam", [1e-3, 0.1, 1.0, 10.0])
def test_ridge_fit_matches_the_normal_equations_with_an_unpenalized_bias(degree, lam):
    w = ridge_fit(DATA.x_train, DATA.y_train, degree, lam)
    assert w.shape == (degree + 1,)
    want = normal_equation(DATA.x_train, DATA.y_train, degree, lam)
    np.testing.assert_allclose(w, want, rtol=1e-7, atol=1e-9)


def test_ridge_fit_does_not_penalize_the_bias():
    w = ridge_fit(DATA.x_train, DATA.y_train, 5, 1e10)
    assert w[0] == pytest.approx(np.mean(DATA.y_train), abs=1e-6)  # only the bias survives
    np.testing.assert_allclose(w[1:], 0.0, atol=1e-6)


@pytest.mark.parametrize("degree", [0, 1, 3, 7])
def test_ridge_fit_without_lambda_is_least_squares(degree):
    w = ridge_fit(DATA.x_train, DATA.y_train, degree, 0.0)
    np.testing.assert_allclose(w, np.polyfit(DATA.x_train, DATA.y_train, degree)[::-1], rtol=1e-7, atol=1e-9)


def test_poly_features_and_mse_by_hand():
    np.testing.assert_array_equal(poly_features([2.0, -1.0], 3), [[1, 2, 4, 8], [1, -1, 1, -1]])
    w = np.array([1.0, 2.0])  # y = 1 + 2x
    assert overfitting.mse(w, [0.0, 1.0], [1.0, 4.0]) == pytest.approx(0.5)  # errors 0 and 1


def test_make_poly_data_is_deterministic_per_seed():
    a, b, c = make_poly_data(seed=4), make_poly_data(seed=4), make_poly_data(seed=5)
    for name in ("x_train", "y_train", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
        assert not np.array_equal(getattr(a, name), getattr(c, name))
    assert a.x_train.shape == a.y_train.shape == (15,)
    assert a.x_test.shape == a.y_test.shape == (60,)
    assert np.all(np.diff(a.x_train) >= 0)
    assert np.all(np.abs(a.x_test) <= 1.0)
    clean = make_poly_data(8, 5, noise=0.0, seed=1)
    np.testing.assert_allclose(clean.y_train, np.sin(np.pi * clean.x_train))


def test_ridge_path_training_error_grows_with_lambda():
    train, test = ridge_path(DATA, 12, LAMBDA_GRID)
    assert train.shape == test.shape == (41,)
    assert np.all(np.diff(train) >= -1e-9)


def test_ridge_path_shows_overfitting_and_underfitting_at_degree_12():
    train, test = ridge_path(DATA, 12, LAMBDA_GRID)
    best = int(np.argmin(test))
    assert 0 < best < len(LAMBDA_GRID) - 1  # the best lambda is strictly inside the grid
    assert test[0] > 10 * train[0]
    assert test[0] > 5 * test[best]
    assert train[-1] > 5 * train[0]
    assert test[-1] > 2 * test[best]
    w_best = ridge_fit(DATA.x_train, DATA.y_train, 12, LAMBDA_GRID[best])
    assert train[best] == pytest.approx(overfitting.mse(w_best, DATA.x_train, DATA.y_train))


@pytest.mark.parametrize("lam", [1e-8, 1e-3, 1.0])
def test_fit_measures_the_ridge_fit_on_both_sets_and_draws_it(lam):
    fit = overfitting.fit(DATA, 12, lam)
    w = ridge_fit(DATA.x_train, DATA.y_train, 12, lam)
    np.testing.assert_array_equal(fit.w, w)
    assert fit.train_error == overfitting.mse(w, DATA.x_train, DATA.y_train)
    assert fit.test_error == overfitting.mse(w, DATA.x_test, DATA.y_test)
    assert fit.grid.shape == fit.curve.shape == (201,)
    assert fit.grid[0] == -1.0
    assert fit.grid[-1] == 1.0
    np.testing.assert_allclose(fit.curve, np.polyval(w[::-1], fit.grid), rtol=1e-9, atol=1e-9)


def test_fit_by_hand():
    data = overfitting.PolyData(np.array([-1.0, 1.0]), np.array([0.0, 2.0]), np.array([0.5]), np.array([0.0]))
    line = overfitting.fit(data, 1, 0.0, points=3)  # y = 1 + x
    np.testing.assert_allclose(line.curve, [0.0, 1.0, 2.0], atol=1e-12)
    assert line.train_error == pytest.approx(0.0, abs=1e-20)
    assert line.test_error == pytest.approx(2.25)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ridge_fit(DATA.x_train, DATA.y_train, 3, -1.0), "lam must be"),
        (lambda: ridge_fit(DATA.x_train, DATA.y_train, 3, np.nan), "lam must be"),
        (lambda: ridge_fit(DATA.x_train, DATA.y_train, 31, 0.1), "degree must be in 0..30"),
        (lambda: poly_features([0.5], -1), "degree must be in 0..30"),
        (lambda: make_poly_data(1), "n_train must be in 2..1000"),
        (lambda: make_poly_data(15, 0), "n_test"),
        (lambda: make_poly_data(noise=np.nan), "noise must be"),
        (lambda: make_poly_data(noise=-0.1), "noise must be"),
        (lambda: ridge_path(DATA, 5, [0.1, -1.0]), "lam must be"),
    ],
)
def test_ridge_refuses_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---- properties ------------------------------------------------------------------------------------

PROPS = settings(max_examples=40, deadline=None)
weights = arrays(
    np.float64,
    array_shapes(min_dims=1, max_dims=3, max_side=5),
    elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
)
betas = st.floats(0.0, 10.0)


@PROPS
@given(W=weights, beta=betas, kind=st.sampled_from(PENALTIES))
def test_penalty_is_never_negative_and_grad_keeps_the_shape(W, beta, kind):
    result = penalty(W, kind, beta=beta)
    assert result.value >= 0.0
    assert result.grad.shape == W.shape


@PROPS
@given(W=weights, beta=betas)
def test_l2_is_the_sum_of_squares_and_elastic_net_is_beta_l2_plus_l1(W, beta):
    l2, l1 = penalty(W, "l2").value, penalty(W, "l1").value
    assert l2 == pytest.approx(float(np.sum(W**2)), rel=1e-12, abs=1e-300)
    assert l1 == pytest.approx(float(np.sum(np.abs(W))), rel=1e-12, abs=1e-300)
    assert penalty(W, "elastic_net", beta=beta).value == pytest.approx(beta * l2 + l1, rel=1e-9, abs=1e-12)


@PROPS
@given(
    W=arrays(
        np.float64,
        st.tuples(st.integers(1, 5), st.integers(1, 5)),
        elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    ),
    c=st.floats(1e-3, 1e3),
)
def test_max_norm_rows_never_exceed_c(W, c):
    out = max_norm(W, c)
    assert out.shape == W.shape
    assert np.all(np.linalg.norm(out, axis=1) <= c + 1e-9)
    inside = np.linalg.norm(W, axis=1) <= c
    np.testing.assert_array_equal(out[inside], W[inside])

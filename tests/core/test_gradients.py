"""Tests for core.gradients (finite differences, gradient checks, planted bugs), core.params (W and b
as one flat vector), core.search (search strategies) and core.descent (optimizers on 2-D surfaces).

Oracles are functions whose gradients are known in closed form (polynomials, exp, a quadratic
form), the CS231n gradient-check thresholds, the demo classifier of core.data with
core.linear.objective, and the stability limit of gradient descent on a quadratic (lr < 2 / L).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core import descent, params, search
from core import gradients as grad
from core.data import CS231N_DEMO_B, CS231N_DEMO_W, CS231N_DEMO_X, CS231N_DEMO_Y
from core.linear import objective
from core.optim import OPTIMIZERS, train

# The app's default classifier: the lecture's SVM with L2 regularization, lambda = 0.1.
DEMO_OPTS = {"loss": "svm", "variant": "ww", "margin": 1.0, "reg": 0.1, "penalty": "l2", "beta": 1.0}
SOFTMAX_OPTS = {**DEMO_OPTS, "loss": "softmax"}
A = np.array([[2.0, -1.0, 0.5], [0.3, 1.5, 0.0], [-0.7, 0.2, 3.0]])  # not symmetric on purpose


def poly(x):
    return float(np.sum(3 * x**3 - 2 * x**2 + x))


def poly_grad(x):
    return 9 * x**2 - 4 * x + 1


def exp_sum(x):
    return float(np.sum(np.exp(x)))


def quad_form(x):
    return float(x @ A @ x)


def quad_form_grad(x):
    return (A + A.T) @ x


KNOWN = {  # name -> (f, its analytic gradient)
    "poly": (poly, poly_grad),
    "exp": (exp_sum, np.exp),
    "quadratic_form": (quad_form, quad_form_grad),
}


# ---- demo classifier as a function of the flat parameter vector [W.ravel(), b] ------------------


def demo_start() -> np.ndarray:
    return np.concatenate([CS231N_DEMO_W.ravel(), CS231N_DEMO_B])


def demo_unflat(p):
    return p[:6].reshape(3, 2), p[6:]


def demo_loss(p, opts=DEMO_OPTS) -> float:
    return objective(*demo_unflat(p), CS231N_DEMO_X, CS231N_DEMO_Y, **opts).total


def demo_loss_and_grad(p, opts=DEMO_OPTS):
    o = objective(*demo_unflat(p), CS231N_DEMO_X, CS231N_DEMO_Y, **opts)
    return o.total, np.concatenate([o.dW.ravel(), o.db])


# ---- 1. numerical_gradient --------------------------------------------------------------------------


@pytest.mark.parametrize("method", grad.METHODS)
@pytest.mark.parametrize("name", KNOWN)
def test_numerical_gradient_matches_the_analytic_gradient_of_known_functions(name, method):
    f, df = KNOWN[name]
    rng = np.random.default_rng(0)
    for _ in range(3):
        x = rng.uniform(-1.5, 1.5, 3)
        num = grad.numerical_gradient(f, x, method=method)
        tol = 1e-4 if method == "forward" else 1e-8  # O(h) against O(h^2) at h = 1e-5
        np.testing.assert_allclose(num, df(x), rtol=tol, atol=tol)
        assert grad.relative_error(num, df(x)) < (1e-4 if method == "forward" else 1e-7)


def test_the_worked_one_dimensional_example():
    # d/dx x^3 at 2 is 12; centered differences of a cubic err by exactly h^2 (f''' / 6 = 1).
    for h in (1e-1, 1e-2):
        got = grad.numerical_gradient(lambda x: float(np.sum(x**3)), [2.0], h=h)
        np.testing.assert_allclose(got, [12.0 + h**2], rtol=1e-9)
    # forward differences err by 3 x h + h^2 at the same point
    got = grad.numerical_gradient(lambda x: float(np.sum(x**3)), [2.0], h=0.1, method="forward")
    np.testing.assert_allclose(got, [12.0 + 3 * 2.0 * 0.1 + 0.01], rtol=1e-9)


def test_centered_differences_of_a_quadratic_are_exact_up_to_round_off():
    x = np.array([0.4, -1.2, 2.0])
    num = grad.numerical_gradient(quad_form, x, h=1e-3)
    np.testing.assert_allclose(num, quad_form_grad(x), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize(("method", "order"), [("forward", 1), ("centered", 2)])
def test_error_falls_like_h_forward_and_h_squared_centered(method, order):
    x = np.array([0.3, -0.2, 1.0])
    errors = [
        np.max(np.abs(grad.numerical_gradient(exp_sum, x, h=h, method=method) - np.exp(x)))
        for h in (1e-2, 1e-3, 1e-4)
    ]
    for big, small in itertools.pairwise(errors):
        ratio = big / small  # h shrank 10x: the error shrinks 10x (forward) or 100x (centered)
        assert 10**order / 1.5 < ratio < 10**order * 1.5, errors


def test_gradient_is_shaped_like_x_and_accepts_lists_and_integers():
    x = np.arange(6, dtype=float).reshape(2, 3)
    num = grad.numerical_gradient(lambda w: float(np.sum(w**2)), x)
    assert num.shape == (2, 3)
    assert num.dtype == np.float64
    np.testing.assert_allclose(num, 2 * x, atol=1e-6)
    from_ints = grad.numerical_gradient(lambda w: float(np.sum(w**2)), [[0, 1, 2], [3, 4, 5]])
    np.testing.assert_allclose(from_ints, num)
    scalar = grad.numerical_gradient(lambda w: float(w**3), 2.0)
    assert scalar.shape == ()
    assert abs(float(scalar) - 12.0) < 1e-6


@pytest.mark.parametrize(("method", "calls_per_coordinate", "extra"), [("centered", 2, 0), ("forward", 1, 1)])
def test_each_probe_moves_one_coordinate_by_h_and_x_is_untouched(method, calls_per_coordinate, extra):
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    probes = []

    def f(w):
        probes.append(w.copy())
        return float(np.sum(w**2))

    h = 1e-3
    grad.numerical_gradient(f, x, h=h, method=method)
    np.testing.assert_array_equal(x, before)
    assert len(probes) == calls_per_coordinate * x.size + extra
    for p in probes:
        assert p.shape == x.shape
        moved = np.flatnonzero(p != x)
        assert len(moved) <= 1
        if len(moved) == 1:
            np.testing.assert_allclose(abs(p.flat[moved[0]] - x.flat[moved[0]]), h, rtol=1e-9)
    assert sum(np.array_equal(p, x) for p in probes) == extra  # forward evaluates f(x) once


@pytest.mark.parametrize("method", grad.METHODS)
def test_an_f_that_mutates_its_argument_affects_neither_x_nor_the_result(method):
    x = np.array([0.5, -1.0, 2.0])
    before = x.copy()

    def vandal(w):
        w += 1.0  # mutates its argument in place, then scores what it made
        value = float(np.sum(w**2))
        w[...] = 1e9
        return value

    num = grad.numerical_gradient(vandal, x, method=method)
    np.testing.assert_array_equal(x, before)
    tol = 1e-4 if method == "forward" else 1e-8
    np.testing.assert_allclose(num, 2 * (x + 1.0), rtol=tol, atol=tol)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "backward"}, "method must be one of"),
        ({"h": 0.0}, "h must be a finite number > 0"),
        ({"h": -1e-5}, "h must be a finite number > 0"),
        ({"h": float("nan")}, "h must be a finite number > 0"),
        ({"h": float("inf")}, "h must be a finite number > 0"),
    ],
)
def test_bad_method_or_step_is_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        grad.numerical_gradient(exp_sum, np.zeros(2), **kwargs)


# ---- 2. relative error, the check, the verdict --------------------------------------------------------


def test_relative_error_worked_examples():
    assert grad.relative_error([1.0, 0.0], [1.1, 0.0]) == pytest.approx(0.1 / 1.1)
    assert grad.relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0  # both 0: 0, not nan
    assert grad.relative_error([2.0, -3.0], [2.0, -3.0]) == 0.0
    assert grad.relative_error([1.0], [-1.0]) == 2.0  # opposite signs: the largest possible
    assert grad.relative_error([0.0], [1e-30]) == 1.0
    assert grad.relative_error([[1.0, 10.0], [5.0, 0.0]], [[1.0, 11.0], [5.0, 0.0]]) == pytest.approx(1 / 11)
    assert grad.relative_error([], []) == 0.0
    with pytest.raises(ValueError, match="same shape"):
        grad.relative_error([1.0, 2.0], [1.0])


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, 5, elements=finite), arrays(np.float64, 5, elements=finite))
def test_relative_error_is_symmetric_bounded_and_zero_only_for_equal_arrays(a, b):
    e = grad.relative_error(a, b)
    assert np.isfinite(e)
    assert 0.0 <= e <= 2.0
    assert e == grad.relative_error(b, a)
    assert (e == 0.0) == bool(np.all(a == b))
    assert grad.relative_error(a, a) == 0.0
    np.testing.assert_allclose(np.max(grad.elementwise_relative_error(a, b), initial=0.0), e)


def test_relative_error_is_never_nan_for_an_infinite_gradient():
    assert not np.isnan(grad.relative_error([np.inf], [1.0]))


def test_a_nan_analytic_gradient_does_not_pass_the_check():
    assert grad.verdict(grad.relative_error([np.nan], [1.0])) != "fine"
    assert grad.verdict(float(np.max(grad.check_errors([np.nan], [1.0])))) != "fine"


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        (0.0, "fine"),
        (9.99e-8, "fine"),
        (1e-7, "suspicious"),
        (5e-6, "suspicious"),
        (1e-4, "suspicious"),
        (1.0001e-4, "wrong"),
        (0.5, "wrong"),
        (2.0, "wrong"),
        (float("nan"), "wrong"),
    ],
)
def test_verdict_uses_the_cs231n_thresholds(rel, expected):
    assert grad.VERDICT_FINE == 1e-7
    assert grad.VERDICT_KINK == 1e-4
    assert grad.verdict(rel) == expected


def test_check_errors_ignores_differences_below_the_noise_floor():
    assert grad.NOISE_FLOOR == 1e-8
    analytic = np.array([0.0, 1.0, 0.0, 2.0, 0.0])
    numeric = np.array([3e-11, 1.0 + 1e-3, -9e-9, 2.0, 2e-8])
    errors = grad.check_errors(analytic, numeric)
    # round-off around a true 0 is agreement; 2e-8 is above the floor and counts in full
    np.testing.assert_allclose(errors, [0.0, 1e-3 / 1.001, 0.0, 0.0, 1.0])
    assert grad.elementwise_relative_error(analytic, numeric)[0] == 1.0  # what the floor prevents


def test_the_demo_classifier_passes_its_own_gradient_check_and_the_demo_bug_fails_it():
    p = demo_start()
    _, analytic = demo_loss_and_grad(p)
    numeric = grad.numerical_gradient(demo_loss, p)
    errors = grad.check_errors(analytic, numeric)
    assert grad.verdict(float(errors.max())) == "fine"
    # The CS231n web demo's regularization gradient: 0.5 * lambda * W instead of 2 * lambda * W.
    W = CS231N_DEMO_W
    buggy = analytic.copy()
    buggy[:6] += (-2 * 0.1 * W + 0.5 * 0.1 * W).ravel()
    assert grad.verdict(float(grad.check_errors(buggy, numeric).max())) == "wrong"


# ---- 3. the error-vs-h curve ----------------------------------------------------------------------------


def test_difference_quotients_match_numerical_gradient_coordinate_by_coordinate():
    x = np.array([0.3, -0.2, 1.0])
    hs = np.array([1e-1, 1e-3, 1e-5])
    for index in range(3):
        true = float(np.exp(x[index]))
        forward, centered = grad.difference_quotients(exp_sum, x, index, hs, true_grad=true)
        assert forward.shape == centered.shape == (3,)
        for k, h in enumerate(hs):
            f_num = grad.numerical_gradient(exp_sum, x, h=h, method="forward")[index]
            c_num = grad.numerical_gradient(exp_sum, x, h=h)[index]
            assert forward[k] == pytest.approx(abs(f_num - true), rel=1e-6, abs=1e-15)
            assert centered[k] == pytest.approx(abs(c_num - true), rel=1e-6, abs=1e-15)
    np.testing.assert_array_equal(x, [0.3, -0.2, 1.0])


@pytest.mark.parametrize(
    ("f", "x", "index", "true"),
    [
        (exp_sum, np.array([0.3, -0.2, 1.0]), 0, float(np.exp(0.3))),
        (poly, np.array([0.7, 1.3]), 1, float(poly_grad(np.array([1.3]))[0])),
        (demo_loss, demo_start(), 0, float(demo_loss_and_grad(demo_start())[1][0])),
    ],
    ids=["exp", "poly", "demo_classifier"],
)
def test_the_centered_error_curve_has_its_minimum_in_the_middle(f, x, index, true):
    hs = np.logspace(-10, -1, 37)  # the page's grid
    forward, centered = grad.difference_quotients(f, x, index, hs, true_grad=true)
    best = int(np.argmin(centered))
    assert 3 <= best <= len(hs) - 4, hs[best]  # neither end: round-off left, truncation right
    assert centered[0] > 100 * centered[best]  # round-off at h = 1e-10
    if f is not demo_loss:  # the SVM is piecewise linear in W[0, 0]: no truncation error until a kink
        assert 1e-7 <= hs[best] <= 1e-3
        assert centered[-1] > 100 * centered[best]
        assert forward.min() > centered.min()  # centered differences get closer


# ---- 4. search strategies -------------------------------------------------------------------------------


def assert_trace(trace: search.SearchTrace, budget: int):
    assert trace.best_loss.shape == (budget,)
    assert np.all(np.diff(trace.best_loss) <= 0), "the best loss so far never goes up"
    assert np.all(np.isfinite(trace.best_loss))


@pytest.mark.parametrize("budget", [1, 7, 60])
def test_random_search_traces_are_non_increasing_and_deterministic(budget):
    shape = demo_start().shape
    a = search.random_search(demo_loss, shape, budget, seed=3, scale=4.0)
    assert_trace(a, budget)
    assert a.best_params.shape == shape
    assert demo_loss(a.best_params) == a.best_loss[-1]
    b = search.random_search(demo_loss, shape, budget, seed=3, scale=4.0)
    np.testing.assert_array_equal(a.best_loss, b.best_loss)
    np.testing.assert_array_equal(a.best_params, b.best_params)


@pytest.mark.parametrize("budget", [1, 7, 60])
def test_random_local_search_traces_are_non_increasing_and_deterministic(budget):
    start = demo_start()
    calls = []

    def loss(p):
        calls.append(1)
        return demo_loss(p)

    a = search.random_local_search(loss, start, budget, seed=5, step=0.2)
    assert_trace(a, budget)
    assert len(calls) == budget  # the budget counts loss evaluations
    assert a.best_loss[0] == demo_loss(start)
    assert demo_loss(a.best_params) == a.best_loss[-1]
    b = search.random_local_search(demo_loss, start, budget, seed=5, step=0.2)
    np.testing.assert_array_equal(a.best_loss, b.best_loss)
    np.testing.assert_array_equal(start, demo_start())


def test_a_zero_budget_gives_an_empty_trace_for_every_strategy():
    start = demo_start()
    assert len(search.random_search(demo_loss, start.shape, 0).best_loss) == 0
    assert len(search.gradient_descent(demo_loss_and_grad, start, 0).best_loss) == 0
    assert len(search.random_local_search(demo_loss, start, 0).best_loss) == 0


def test_different_seeds_search_differently():
    shape = demo_start().shape
    a = search.random_search(demo_loss, shape, 50, seed=0, scale=4.0)
    b = search.random_search(demo_loss, shape, 50, seed=1, scale=4.0)
    assert not np.array_equal(a.best_loss, b.best_loss)
    c = search.random_local_search(demo_loss, demo_start(), 50, seed=0)
    d = search.random_local_search(demo_loss, demo_start(), 50, seed=1)
    assert not np.array_equal(c.best_params, d.best_params)


@pytest.mark.parametrize("budget", [1, 10, 120])
def test_gradient_descent_trace_is_non_increasing_and_one_evaluation_per_step(budget):
    calls = []

    def loss_and_grad(p):
        calls.append(p.copy())
        return demo_loss_and_grad(p)

    trace = search.gradient_descent(loss_and_grad, demo_start(), budget, lr=0.1)
    assert_trace(trace, budget)
    assert len(calls) == budget
    assert trace.best_loss[0] == demo_loss(demo_start())
    assert demo_loss(trace.best_params) == pytest.approx(trace.best_loss[-1], rel=1e-12)
    # each step is p - lr * grad
    for before, after in itertools.pairwise(calls):
        np.testing.assert_allclose(after, before - 0.1 * demo_loss_and_grad(before)[1])
    again = search.gradient_descent(demo_loss_and_grad, demo_start(), budget, lr=0.1)
    np.testing.assert_array_equal(trace.best_loss, again.best_loss)


def test_gradient_descent_that_blows_up_keeps_a_finite_full_length_trace():
    with np.errstate(over="ignore"):
        trace = search.gradient_descent(
            lambda p: (float(np.sum(p**2)), 2 * p), np.array([1.0, -1.0]), 50, lr=1e6
        )
    assert_trace(trace, 50)
    assert np.all(trace.best_loss == 2.0)  # nothing ever beat the start
    np.testing.assert_array_equal(trace.best_params, [1.0, -1.0])


@pytest.mark.parametrize("opts", [DEMO_OPTS, SOFTMAX_OPTS], ids=["svm", "softmax"])
@pytest.mark.parametrize("budget", [20, 100, 300])
def test_gradient_descent_beats_random_search_on_the_demo_classifier(budget, opts):
    start = demo_start()
    descent = search.gradient_descent(lambda p: demo_loss_and_grad(p, opts), start, budget, lr=0.1)
    for seed in range(3):
        scale = float(np.abs(start).max())  # as the page draws random W
        random = search.random_search(
            lambda p: demo_loss(p, opts), start.shape, budget, seed=seed, scale=scale
        )
        assert descent.best_loss[-1] < random.best_loss[-1], (seed, descent.best_loss[-1])
    assert descent.best_loss[-1] < descent.best_loss[0]


# ---- 5. surfaces and optimizers -------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(descent.SURFACES))
def test_each_surface_gradient_matches_finite_differences(name):
    surf = descent.surface(name)
    x0, x1, y0, y1 = surf.box
    rng = np.random.default_rng(1)
    for _ in range(6):
        w = np.array([rng.uniform(x0, x1), rng.uniform(y0, y1)])
        num = grad.numerical_gradient(lambda v: float(surf.f(v)), w, h=1e-6)
        np.testing.assert_allclose(surf.grad(w), num, rtol=1e-6, atol=1e-5)
    np.testing.assert_allclose(surf.grad(surf.minimum), [0.0, 0.0], atol=1e-12)
    assert surf.grad(surf.start).shape == (2,)
    assert x0 <= surf.start[0] <= x1
    assert y0 <= surf.start[1] <= y1


@pytest.mark.parametrize("name", list(descent.SURFACES))
def test_surface_f_is_vectorised_and_the_minimum_is_lowest_on_the_grid(name):
    surf = descent.surface(name)
    x, y, Z = descent.grid_values(surf.f, surf.box, 31)
    assert x.shape == y.shape == (31,)
    assert Z.shape == (31, 31)
    for i, j in [(0, 0), (4, 17), (30, 30), (12, 3)]:
        assert Z[i, j] == pytest.approx(float(surf.f(np.array([x[j], y[i]]))))  # Z[i, j] = f(x[j], y[i])
    assert float(surf.f(surf.minimum)) <= Z.min() + 1e-12


def test_the_named_surfaces_and_an_unknown_name():
    assert descent.surface("quadratic").f(np.array([1.0, 1.0])) == pytest.approx(0.5 * (1 + 20))
    assert descent.surface("rosenbrock").f(np.array([1.0, 1.0])) == 0.0
    np.testing.assert_allclose(descent.surface("saddle").grad(np.zeros(2)), [0.0, 0.0])  # the saddle point
    with pytest.raises(ValueError, match="surface must be one of"):
        descent.surface("bowl")


@pytest.mark.parametrize("opt", list(OPTIMIZERS))
@pytest.mark.parametrize("name", list(descent.SURFACES))
def test_run_optimizer_at_a_small_step_returns_a_finite_full_path(name, opt):
    surf = descent.surface(name)
    path, values, diverged = descent.run_optimizer(surf, opt, 1e-3, 40)
    assert not diverged
    assert path.shape == (41, 2)
    assert values.shape == (41,)
    assert np.all(np.isfinite(path))
    assert np.all(np.isfinite(values))
    np.testing.assert_array_equal(path[0], surf.start)
    np.testing.assert_allclose(values, surf.f(path))
    assert values[-1] < values[0]


def test_sgd_on_the_bowl_converges_to_the_minimum():
    path, values, diverged = descent.run_optimizer(descent.surface("quadratic"), "sgd", 0.05, 500)
    assert not diverged
    np.testing.assert_allclose(path[-1], [0.0, 0.0], atol=1e-8)
    assert np.all(np.diff(values) <= 0)


@pytest.mark.parametrize("opt", ["sgd", "momentum", "nesterov"])
def test_a_huge_step_on_the_bowl_is_flagged_as_divergence_without_non_finite_numbers(opt):
    path, values, diverged = descent.run_optimizer(descent.surface("quadratic"), opt, 10.0, 100)
    assert diverged
    assert len(path) == len(values) < 101  # stopped early
    assert np.all(np.isfinite(path))
    assert np.all(np.isfinite(values))
    assert np.max(np.abs(path)) <= 1e6


def test_lr_sweep_marks_divergence_with_inf_at_the_stability_limit():
    # sgd on 0.5 w^T H w with H = diag(1, 20) is stable iff lr < 2 / 20 = 0.1
    surf = descent.surface("quadratic")
    lrs = [1e-3, 0.05, 0.09, 0.11, 1.0, 10.0]
    finals = descent.lr_sweep(surf, "sgd", lrs, 300)
    assert finals.shape == (6,)
    assert np.all(np.isfinite(finals[:3]))
    assert np.all(np.isinf(finals[3:]))
    for lr, final in zip(lrs, finals, strict=True):
        _, values, diverged = descent.run_optimizer(surf, "sgd", lr, 300)
        assert diverged == bool(np.isinf(final))
        if not diverged:
            assert final == values[-1]
    assert finals[2] < finals[0]  # a step just below the limit gets further than a tiny one


# ---- 6. the classifier slice ----------------------------------------------------------------------------


@pytest.mark.parametrize("opts", [DEMO_OPTS, SOFTMAX_OPTS], ids=["svm", "softmax"])
def test_classifier_slice_f_and_grad_agree_with_the_objective(opts):
    W, b, X, y = CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y
    a, c = (0, 0), (1, 1)
    surf = descent.classifier_slice(W, b, X, y, a, c, **opts)
    np.testing.assert_array_equal(surf.start, [1.0, -4.0])
    assert surf.box == (-2.0, 4.0, -7.0, -1.0)
    assert surf.minimum is None
    assert float(surf.f(surf.start)) == pytest.approx(objective(W, b, X, y, **opts).total)
    rng = np.random.default_rng(2)
    for _ in range(4):
        w = surf.start + rng.uniform(-3, 3, 2)
        Wk = W.copy()
        Wk[a], Wk[c] = w
        o = objective(Wk, b, X, y, **opts)
        assert float(surf.f(w)) == pytest.approx(o.total)
        np.testing.assert_allclose(surf.grad(w), [o.dW[a], o.dW[c]])
        if opts["loss"] == "softmax":  # smooth: finite differences must agree everywhere
            num = grad.numerical_gradient(lambda v: float(surf.f(v)), w)
            assert grad.relative_error(surf.grad(w), num) < 1e-7
    np.testing.assert_array_equal(W, CS231N_DEMO_W)  # the caller's W is held fixed, not changed
    _, _, Z = descent.grid_values(surf.f, surf.box, 5)
    assert Z.shape == (5, 5)
    assert np.all(np.isfinite(Z))


def test_classifier_slice_gradient_passes_a_check_at_the_demo_start():
    surf = descent.classifier_slice(
        CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y, (0, 0), (0, 1), **DEMO_OPTS
    )
    num = grad.numerical_gradient(lambda v: float(surf.f(v)), surf.start)
    assert grad.verdict(float(grad.check_errors(surf.grad(surf.start), num).max())) == "fine"
    path, values, diverged = descent.run_optimizer(surf, "sgd", 0.1, 30)
    assert not diverged
    assert np.all(np.isfinite(path))
    assert values[-1] < values[0]


def test_a_slice_needs_two_different_weights():
    with pytest.raises(ValueError, match="must differ"):
        descent.classifier_slice(CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y, (1, 0), (1, 0))


# ---- 7. W and b as one flat vector (core.params) ---------------------------------------------------------


def test_flatten_and_unflatten_are_inverse_and_follow_the_keys():
    W, b = CS231N_DEMO_W, CS231N_DEMO_B
    p = params.flatten(W, b)
    np.testing.assert_array_equal(p, demo_start())
    W2, b2 = params.unflatten(p, W.shape)
    np.testing.assert_array_equal(W2, W)
    np.testing.assert_array_equal(b2, b)
    keys = params.param_keys(W.shape)
    assert keys == ("W.0.0", "W.0.1", "W.1.0", "W.1.1", "W.2.0", "W.2.1", "b.0", "b.1", "b.2")
    for n, key in enumerate(keys):
        assert params.param_index(key, W.shape) == n
        kind, *index = key.split(".")
        expected = W[int(index[0]), int(index[1])] if kind == "W" else b[int(index[0])]
        assert p[n] == expected
    with pytest.raises(ValueError, match="entries"):
        params.unflatten(p[:-1], W.shape)


@pytest.mark.parametrize(
    ("key", "shape", "index"),
    [
        ("W.0.0", (3, 2), 0),
        ("W.2.1", (3, 2), 5),
        ("b.0", (3, 2), 6),
        ("b.4", (5, 2), 14),
        ("W.1.0", (2, 3), 3),
        ("b.1", (2, 3), 7),
    ],
)
def test_param_index_is_row_major_w_then_b(key, shape, index):
    assert params.param_index(key, shape) == index


@pytest.mark.parametrize("key", ["b.4", "W.3.0", "W.0.2", "W.0", "x.1", ""])
def test_a_parameter_the_classifier_does_not_have_is_refused(key):
    with pytest.raises(ValueError, match=r"key must be one of \['W\.0\.0', .*'b\.2'\], got"):
        params.param_index(key, (3, 2))


def test_param_label_counts_features_from_one_as_the_lecture_does():
    assert [params.param_label(k) for k in params.param_keys((2, 2))] == [
        "W[0, 1]",
        "W[0, 2]",
        "W[1, 1]",
        "W[1, 2]",
        "b[0]",
        "b[1]",
    ]


def test_flat_objective_is_the_objective_of_the_unflattened_parameters():
    loss, loss_and_grad = params.flat_objective(CS231N_DEMO_X, CS231N_DEMO_Y, (3, 2), **DEMO_OPTS)
    p = demo_start() + 0.1
    assert loss(p) == demo_loss(p)
    value, g = loss_and_grad(p)
    assert value == demo_loss(p)
    np.testing.assert_array_equal(g, demo_loss_and_grad(p)[1])


# ---- 8. the walkthrough, the planted bugs and the check on the classifier --------------------------------


@pytest.mark.parametrize(("index", "h"), [(0, 1e-5), (5, 1e-7), (7, 1e-3)])
def test_nudge_adds_h_to_one_parameter_and_compares_the_quotient_with_the_analytic_gradient(index, h):
    n = grad.nudge(CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y, index, h, **DEMO_OPTS)
    p = demo_start()
    np.testing.assert_array_equal(n.params, p)
    assert np.flatnonzero(n.nudged != p).tolist() == [index]
    assert n.nudged[index] == p[index] + h
    assert n.loss == demo_loss(p)
    assert n.nudged_loss == demo_loss(n.nudged)
    assert n.quotient == (n.nudged_loss - n.loss) / h
    assert n.analytic == demo_loss_and_grad(p)[1][index]
    with pytest.raises(ValueError, match=r"index must be in 0\.\.8"):
        grad.nudge(CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y, 9, h, **DEMO_OPTS)
    with pytest.raises(ValueError, match="h must be"):
        grad.nudge(CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y, index, 0.0, **DEMO_OPTS)


def test_each_planted_bug_changes_what_the_lecture_says_it_changes():
    o = objective(CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y, **DEMO_OPTS)
    W, reg = CS231N_DEMO_W, DEMO_OPTS["reg"]
    none = grad.planted(o.dW, o.db, W, "none", reg=reg)
    np.testing.assert_array_equal(none[0], o.dW)
    np.testing.assert_array_equal(none[1], o.db)
    dW, db = grad.planted(o.dW, o.db, W, "demo_reg", reg=reg)
    np.testing.assert_allclose(o.dW - dW, 1.5 * reg * W)  # 2 lambda W became 0.5 lambda W
    np.testing.assert_array_equal(db, o.db)
    dW, _ = grad.planted(o.dW, o.db, W, "no_reg", reg=reg)
    data_only = objective(W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y, **{**DEMO_OPTS, "reg": 0.0})
    np.testing.assert_allclose(dW, data_only.dW, atol=1e-15)
    dW, db = grad.planted(o.dW, o.db, W, "no_bias", reg=reg)
    np.testing.assert_array_equal(dW, o.dW)
    assert np.all(db == 0)
    assert np.any(o.db != 0)
    with pytest.raises(ValueError, match="bug must be one of"):
        grad.planted(o.dW, o.db, W, "typo", reg=reg)


@pytest.mark.parametrize(
    ("reg", "penalty", "hidden"),
    [
        (0.1, "l2", False),
        (0.0, "l2", True),
        (0.1, "l1", True),
        (0.1, "none", True),
        (0.1, "elastic_net", True),
    ],
)
def test_the_regularization_bugs_are_hidden_without_an_l2_term(reg, penalty, hidden):
    o = objective(CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y, reg=reg, penalty=penalty)
    for bug in grad.REG_BUGS:
        dW, _ = grad.planted(o.dW, o.db, CS231N_DEMO_W, bug, reg=reg, penalty=penalty)
        assert np.array_equal(dW, o.dW) == hidden == grad.bug_is_hidden(bug, reg=reg, penalty=penalty)
    assert not grad.bug_is_hidden("no_bias", reg=0.0)
    assert not grad.bug_is_hidden("none", reg=0.0)


@pytest.mark.parametrize("bug", grad.BUGS)
def test_gradient_check_on_the_classifier_catches_every_planted_bug(bug):
    data = CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y
    check = grad.gradient_check(*data, bug=bug, **DEMO_OPTS)
    o = objective(*data, **DEMO_OPTS)
    np.testing.assert_array_equal(
        check.analytic, params.flatten(*grad.planted(o.dW, o.db, CS231N_DEMO_W, bug, reg=0.1))
    )
    np.testing.assert_array_equal(check.numeric, grad.numerical_gradient(demo_loss, demo_start()))
    np.testing.assert_array_equal(check.errors, grad.check_errors(check.analytic, check.numeric))
    assert check.evaluations == 2 * 9
    assert check.worst == float(check.errors.max())
    assert check.analytic_seconds >= 0
    assert check.numeric_seconds > 0
    assert grad.verdict(check.worst) == ("fine" if bug == "none" else "wrong")
    wrong = {n for n in range(9) if grad.verdict(check.errors[n]) == "wrong"}
    assert (
        wrong
        == {
            "none": set(),
            "demo_reg": set(range(6)),
            "no_reg": set(range(6)),
            "no_bias": {n for n in range(6, 9) if o.db[n - 6] != 0},
        }[bug]
    )


# ---- 9. the strategies and the optimizers on the classifier ------------------------------------------------


def test_compare_strategies_runs_the_three_strategies_from_the_current_parameters():
    data = CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y
    runs = search.compare_strategies(*data, 50, seed=4, **DEMO_OPTS)
    assert tuple(runs) == search.STRATEGIES
    start = demo_start()
    expected = {
        "random": search.random_search(demo_loss, start.shape, 50, seed=4, scale=float(np.abs(start).max())),
        "local": search.random_local_search(demo_loss, start, 50, seed=4, step=0.2),
        "descent": search.gradient_descent(demo_loss_and_grad, start, 50, lr=0.1),
    }
    for name, trace in runs.items():
        np.testing.assert_array_equal(trace.best_loss, expected[name].best_loss)
        np.testing.assert_array_equal(trace.best_params, expected[name].best_params)
    assert runs["descent"].best_loss[-1] < runs["random"].best_loss[-1]


def test_named_surface_is_the_classifier_slice_or_a_named_surface():
    data = CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y
    surf = descent.named_surface("classifier", *data, **DEMO_OPTS)
    np.testing.assert_array_equal(surf.start, [CS231N_DEMO_W[0, 0], CS231N_DEMO_W[0, 1]])
    assert float(surf.f(surf.start)) == pytest.approx(demo_loss(demo_start()))
    assert descent.named_surface("rosenbrock", *data).f(np.array([1.0, 1.0])) == 0.0


def test_minibatch_losses_train_with_each_batch_size_smaller_than_the_data():
    X, y = CS231N_DEMO_X, CS231N_DEMO_Y  # 9 points: the full batch, 8 and 1
    curves = descent.minibatch_losses(X, y, CS231N_DEMO_W, CS231N_DEMO_B, lr=0.1, steps=20, **DEMO_OPTS)
    assert list(curves) == [None, 8, 1]
    for size, losses in curves.items():
        expected = train(
            X, y, lr=0.1, steps=20, batch_size=size, W0=CS231N_DEMO_W, b0=CS231N_DEMO_B, **DEMO_OPTS
        )
        np.testing.assert_array_equal(losses, expected.loss)
        assert losses[0] == pytest.approx(demo_loss(demo_start()))

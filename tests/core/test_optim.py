"""Tests for core.optim: the five optimizers and the training loop of the optimization chapter.

Each optimizer is compared, over 20 steps of a changing gradient, with a plain reference
written below from torch.optim's documented update rules (SGD, SGD with momentum and
Nesterov, RMSprop, Adam at momentum=0.9, alpha=0.99, betas=(0.9, 0.999), eps=1e-8), and its
first steps are worked out by hand. The training loop is replayed step by step with
core.linear.objective and make_optimizer, checked on the CS231n demo and on blobs, and
pushed into divergence, which must end the run cleanly with nothing non-finite recorded.
"""

from __future__ import annotations

import copy
import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core.data import CS231N_DEMO_B, CS231N_DEMO_W, make_dataset
from core.linear import LossSpec, accuracy, objective
from core.optim import EXPLODE_FACTOR, OPTIMIZERS, History, has_diverged, make_optimizer, train

NAMES = ["sgd", "momentum", "nesterov", "rmsprop", "adam"]
DEFAULTS = {"momentum": 0.9, "alpha": 0.99, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
DEMO_X, DEMO_Y = make_dataset("cs231n_demo")
W0, B0 = CS231N_DEMO_W, CS231N_DEMO_B


# --------------------------------------------------------------------------------------
# Reference optimizers: torch.optim's update rules, one parameter at a time.
# --------------------------------------------------------------------------------------


class RefOptimizer:
    """torch.optim's SGD / SGD(momentum) / SGD(nesterov) / RMSprop / Adam, written from the formulas."""

    def __init__(self, name, lr, momentum=0.9, alpha=0.99, beta1=0.9, beta2=0.999, eps=1e-8):
        self.name, self.lr, self.mu, self.alpha = name, lr, momentum, alpha
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.state = {}

    def step(self, params, grads):
        return {
            k: self._one(k, np.array(params[k], dtype=float), np.array(grads[k], dtype=float)) for k in params
        }

    def _one(self, key, p, g):
        lr, s = self.lr, self.state.setdefault(key, {"t": 0})
        s["t"] += 1
        if self.name == "sgd":
            return p - lr * g
        if self.name in ("momentum", "nesterov"):
            # torch: buf = g at the first step, then buf = mu * buf + g
            s["buf"] = g.copy() if s["t"] == 1 else self.mu * s["buf"] + g
            if self.name == "momentum":
                return p - lr * s["buf"]
            return p - lr * (g + self.mu * s["buf"])
        if self.name == "rmsprop":
            s["sq"] = self.alpha * s.get("sq", 0.0) + (1 - self.alpha) * g**2
            return p - lr * g / (np.sqrt(s["sq"]) + self.eps)
        if self.name == "adam":
            t = s["t"]
            s["m"] = self.beta1 * s.get("m", 0.0) + (1 - self.beta1) * g
            s["v"] = self.beta2 * s.get("v", 0.0) + (1 - self.beta2) * g**2
            m_hat = s["m"] / (1 - self.beta1**t)
            v_hat = s["v"] / (1 - self.beta2**t)
            return p - lr * m_hat / (np.sqrt(v_hat) + self.eps)
        raise AssertionError(self.name)  # pragma: no cover


# A quadratic bowl with a different curvature per entry, plus a slowly turning push,
# so the gradient changes at every step (in size, direction and sign).
CURV = {"W": np.array([[3.0, 0.5], [1.0, 0.05], [0.2, 8.0]]), "b": np.array([1.0, 0.3, 2.0])}
TARGET = {"W": np.array([[1.0, -2.0], [0.5, 0.0], [-1.0, 0.25]]), "b": np.array([0.3, -0.7, 0.0])}


def quad_grad(params, t):
    return {k: CURV[k] * (params[k] - TARGET[k]) + 0.05 * math.sin(0.7 * t) for k in params}


def start_params():
    return {"W": W0.copy(), "b": B0.copy()}


HPARAM_SETS = [
    pytest.param({}, id="defaults"),
    pytest.param({"momentum": 0.5, "alpha": 0.9, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}, id="custom"),
]


# --------------------------------------------------------------------------------------
# 1. Optimizers: exact update rules
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("hp", HPARAM_SETS)
@pytest.mark.parametrize(
    ("name", "lr"), [("sgd", 0.1), ("momentum", 0.05), ("nesterov", 0.05), ("rmsprop", 0.01), ("adam", 0.1)]
)
def test_optimizer_matches_reference_over_20_steps(name, lr, hp):
    opt, ref = make_optimizer(name, lr, **hp), RefOptimizer(name, lr, **hp)
    p, q = start_params(), start_params()
    moved = 0.0
    for t in range(20):
        g = quad_grad(p, t)  # the gradient at the optimizer's own trajectory
        p_new = opt.step(p, g)
        q = ref.step(q, g)
        for k in p:
            np.testing.assert_allclose(p_new[k], q[k], rtol=1e-12, atol=1e-14, err_msg=f"step {t + 1}, {k}")
        moved = max(moved, np.abs(p_new["W"] - p["W"]).max())
        p = p_new
    assert moved > 1e-3  # the parameters really moved


@pytest.mark.parametrize("name", NAMES)
def test_explicit_defaults_change_nothing(name):
    a, b = make_optimizer(name, 0.05), make_optimizer(name, 0.05, **DEFAULTS)
    p = q = start_params()
    for t in range(10):
        p, q = a.step(p, quad_grad(p, t)), b.step(q, quad_grad(q, t))
    for k in p:
        np.testing.assert_array_equal(p[k], q[k])


def test_sgd_by_hand():
    opt = make_optimizer("sgd", 0.5)
    out = opt.step({"w": np.array([1.0, -2.0])}, {"w": np.array([0.2, 4.0])})
    np.testing.assert_allclose(out["w"], [0.9, -4.0], rtol=1e-15)
    out = opt.step(out, {"w": np.array([0.2, 4.0])})  # no state: the same step again
    np.testing.assert_allclose(out["w"], [0.8, -6.0], rtol=1e-15)


def test_momentum_by_hand():
    # buf1 = g1 = 1; buf2 = 0.9 * 1 + 2 = 2.9; p = 0 - 0.1 * 1 - 0.1 * 2.9 = -0.39
    opt = make_optimizer("momentum", 0.1)
    p = opt.step({"w": np.array([0.0])}, {"w": np.array([1.0])})
    assert p["w"][0] == pytest.approx(-0.1, rel=1e-15)
    p = opt.step(p, {"w": np.array([2.0])})
    assert p["w"][0] == pytest.approx(-0.39, rel=1e-14)
    p = opt.step(p, {"w": np.array([0.0])})  # zero gradient, the velocity still carries it: buf = 2.61
    assert p["w"][0] == pytest.approx(-0.39 - 0.261, rel=1e-14)


def test_nesterov_by_hand():
    # step 1: buf = 1, p -= 0.1 * (1 + 0.9 * 1) = 0.19; step 2: buf = 2.9, p -= 0.1 * (2 + 0.9 * 2.9) = 0.461
    opt = make_optimizer("nesterov", 0.1)
    p = opt.step({"w": np.array([0.0])}, {"w": np.array([1.0])})
    assert p["w"][0] == pytest.approx(-0.19, rel=1e-14)
    p = opt.step(p, {"w": np.array([2.0])})
    assert p["w"][0] == pytest.approx(-0.19 - 0.461, rel=1e-14)


def test_rmsprop_by_hand():
    # step 1: sq = 0.01 g^2, so p -= lr * g / (0.1 |g| + eps): ten times lr in the sign of g
    opt = make_optimizer("rmsprop", 0.01)
    g = np.array([3.0, -0.5])
    p = opt.step({"w": np.zeros(2)}, {"w": g})
    np.testing.assert_allclose(p["w"], -0.01 * g / (0.1 * np.abs(g) + 1e-8), rtol=1e-14)
    np.testing.assert_allclose(p["w"], [-0.1, 0.1], rtol=1e-6)  # eps shifts the 7th digit for |g| = 0.5
    # step 2 with the same g: sq = (1 - 0.99^2) g^2 = 0.0199 g^2
    p2 = opt.step(p, {"w": g})
    step2 = -0.01 * g / (math.sqrt(0.0199) * np.abs(g) + 1e-8)
    np.testing.assert_allclose(p2["w"] - p["w"], step2, rtol=1e-13)


def test_adam_by_hand():
    # With a constant gradient the bias corrections make m_hat = g and v_hat = g^2 at every
    # step, so each step is lr * g / (|g| + eps), about lr in the sign of g.
    opt = make_optimizer("adam", 0.2)
    g = np.array([5.0, -1e-3, 0.0])
    p = {"w": np.zeros(3)}
    for _ in range(5):
        new = opt.step(p, {"w": g})
        np.testing.assert_allclose(new["w"] - p["w"], -0.2 * g / (np.abs(g) + 1e-8), rtol=1e-10, atol=1e-16)
        p = new
    np.testing.assert_allclose(p["w"], [-1.0, 1.0, 0.0], rtol=1e-4)


def test_adam_without_bias_correction_would_differ():
    # The first step without correction would be lr * 0.1 g / (sqrt(0.001) |g|) = 3.16 lr: this guards it.
    p = make_optimizer("adam", 0.1).step({"w": np.array([0.0])}, {"w": np.array([2.0])})
    assert p["w"][0] == pytest.approx(-0.1, rel=1e-7)


@pytest.mark.parametrize("name", ["momentum", "nesterov", "rmsprop", "adam"])
def test_optimizer_keeps_its_state(name):
    opt = make_optimizer(name, 0.1)
    p1 = opt.step({"w": np.array([0.0])}, {"w": np.array([1.0])})
    p2 = opt.step(p1, {"w": np.array([2.0])})
    # A fresh optimizer would take a first step; this one remembers the first gradient.
    fresh = make_optimizer(name, 0.1).step(p1, {"w": np.array([2.0])})
    assert p2["w"][0] != pytest.approx(fresh["w"][0], rel=1e-9, abs=1e-12)


def test_state_is_per_key_and_per_instance():
    a, b = make_optimizer("momentum", 0.1), make_optimizer("momentum", 0.1)
    pa = a.step({"W": np.zeros(2), "b": np.zeros(1)}, {"W": np.ones(2), "b": np.full(1, 5.0)})
    np.testing.assert_allclose(pa["W"], [-0.1, -0.1])
    np.testing.assert_allclose(pa["b"], [-0.5])
    pb = b.step({"W": np.zeros(2), "b": np.zeros(1)}, {"W": np.ones(2), "b": np.full(1, 5.0)})
    np.testing.assert_array_equal(pa["W"], pb["W"])  # b's buffer is not a's


@pytest.mark.parametrize("name", NAMES)
def test_step_does_not_mutate_or_alias(name):
    opt = make_optimizer(name, 0.1)
    params = {"W": W0.copy(), "b": B0.copy()}
    grads = {"W": np.ones_like(W0), "b": np.full(3, -2.0)}
    keep_p, keep_g = copy.deepcopy(params), copy.deepcopy(grads)
    out = opt.step(params, grads)
    for k in params:
        np.testing.assert_array_equal(params[k], keep_p[k])
        np.testing.assert_array_equal(grads[k], keep_g[k])
        assert not np.shares_memory(out[k], params[k])
        assert not np.shares_memory(out[k], grads[k])
    assert set(out) == {"W", "b"}
    assert out["W"].shape == (3, 2)
    assert out["b"].shape == (3,)


@pytest.mark.parametrize("name", NAMES)
def test_state_does_not_alias_callers_arrays(name):
    # Scribbling over the gradient and parameter arrays after a step must not change later steps.
    clean, dirty = make_optimizer(name, 0.05), make_optimizer(name, 0.05)
    p = q = start_params()
    for t in range(6):
        g_clean, g_dirty = quad_grad(p, t), quad_grad(q, t)
        p = clean.step(p, g_clean)
        q_new = dirty.step(q, g_dirty)
        for k in g_dirty:
            g_dirty[k][...] = 1e6
            q[k][...] = -1e6
        q = {k: v.copy() for k, v in q_new.items()}
        q_new["W"][...] = np.nan  # and over the returned arrays
    for k in p:
        np.testing.assert_array_equal(p[k], q[k])


def test_step_accepts_lists_and_ints():
    out = make_optimizer("sgd", 1).step({"w": [1, 2]}, {"w": [1, 1]})
    assert out["w"].dtype == np.float64
    np.testing.assert_array_equal(out["w"], [0.0, 1.0])


def test_registry_names():
    assert list(OPTIMIZERS) == NAMES


@pytest.mark.parametrize("name", ["adagrad", "SGD", "Adam", "", "momentum "])
def test_unknown_optimizer_raises(name):
    with pytest.raises(ValueError, match="optimizer must be one of"):
        make_optimizer(name, 0.1)


@pytest.mark.parametrize(
    "hp",
    [
        {"beta3": 0.5},
        {"weight_decay": 0.1},
        {"nesterov": True},
        {"betas": (0.9, 0.999)},
        {"learning_rate": 0.1},
    ],
)
@pytest.mark.parametrize("name", NAMES)
def test_unknown_hyperparameter_raises(name, hp):
    with pytest.raises(ValueError, match="unknown hyperparameters"):
        make_optimizer(name, 0.1, **hp)


@pytest.mark.parametrize("lr", [0, 0.0, -0.1, -1e-12, float("nan"), float("inf"), "fast"])
@pytest.mark.parametrize("name", NAMES)
def test_bad_learning_rate_raises(name, lr):
    with pytest.raises(ValueError, match="lr"):
        make_optimizer(name, lr)


def test_tiny_learning_rate_is_allowed():
    out = make_optimizer("sgd", 1e-300).step({"w": np.array([1.0])}, {"w": np.array([1.0])})
    assert out["w"][0] == 1.0


def test_mismatched_keys_raise():
    opt = make_optimizer("adam", 0.1)
    with pytest.raises(ValueError, match="same keys"):
        opt.step({"W": np.zeros(2), "b": np.zeros(1)}, {"W": np.zeros(2)})
    with pytest.raises(ValueError, match="same keys"):
        opt.step({"W": np.zeros(2)}, {"W": np.zeros(2), "b": np.zeros(1)})


# --------------------------------------------------------------------------------------
# 2. Training loop
# --------------------------------------------------------------------------------------

SOFTMAX_L2 = {"loss": "softmax", "reg": 0.1, "penalty": "l2"}
LOSS_SETTINGS = [
    pytest.param(SOFTMAX_L2, id="softmax-l2"),
    pytest.param(
        {"loss": "svm", "variant": "ww", "margin": 1.0, "reg": 0.05, "penalty": "l2"}, id="svm-ww-l2"
    ),
    pytest.param(
        {"loss": "svm", "variant": "ova", "margin": 2.0, "reg": 0.1, "penalty": "l1"}, id="svm-ova-l1"
    ),
    pytest.param(
        {
            "loss": "svm",
            "variant": "structured",
            "margin": 0.5,
            "reg": 0.2,
            "penalty": "elastic_net",
            "beta": 0.5,
        },
        id="svm-cs-enet",
    ),
    pytest.param({"loss": "softmax", "reg": 0.0, "penalty": "none"}, id="softmax-noreg"),
]
LRS = {"sgd": 0.1, "momentum": 0.05, "nesterov": 0.05, "rmsprop": 0.01, "adam": 0.05}


def _objective_opts(opts):
    return {k: v for k, v in opts.items() if k in ("loss", "variant", "margin", "reg", "penalty", "beta")}


def _assert_history_consistent(h: History, steps: int):
    n = h.diverged_at if h.diverged else steps + 1
    assert len(h.loss) == len(h.accuracy) == len(h.W) == len(h.b) == n
    assert h.steps == n - 1
    if h.diverged:
        assert isinstance(h.diverged_at, int)
        assert 1 <= h.diverged_at <= steps
    else:
        assert h.diverged_at is None
    for values in (h.loss, h.accuracy, h.test_loss, h.test_accuracy):
        assert np.all(np.isfinite(values))
    for arr in h.W + h.b:
        assert np.all(np.isfinite(arr))


def test_history_shape_and_first_entry():
    h = train(DEMO_X, DEMO_Y, lr=0.1, steps=25, W0=W0, b0=B0, **SOFTMAX_L2)
    _assert_history_consistent(h, 25)
    assert not h.diverged
    first = objective(W0, B0, DEMO_X, DEMO_Y, **SOFTMAX_L2)
    assert h.loss[0] == pytest.approx(first.total, rel=1e-12)
    np.testing.assert_array_equal(h.W[0], W0)
    np.testing.assert_array_equal(h.b[0], B0)
    assert h.test_loss == []
    assert h.test_accuracy == []
    assert all(isinstance(v, float) for v in h.loss + h.accuracy)


def test_zero_steps_records_the_start_only():
    h = train(DEMO_X, DEMO_Y, lr=0.1, steps=0, W0=W0, b0=B0, loss="svm")
    assert len(h.loss) == 1
    assert h.steps == 0
    assert h.loss[0] == pytest.approx(24.9 / 9, rel=1e-12)  # the demo's 2.77


@pytest.mark.parametrize("opts", LOSS_SETTINGS)
def test_every_loss_is_the_full_objective_of_its_params(opts):
    h = train(DEMO_X, DEMO_Y, optimizer="momentum", lr=0.05, steps=15, W0=W0, b0=B0, **opts)
    _assert_history_consistent(h, 15)
    for k in range(16):
        res = objective(h.W[k], h.b[k], DEMO_X, DEMO_Y, **_objective_opts(opts))
        assert h.loss[k] == pytest.approx(res.total, rel=1e-12), k
        assert h.accuracy[k] == accuracy(h.W[k], h.b[k], DEMO_X, DEMO_Y), k


@pytest.mark.parametrize("opts", LOSS_SETTINGS)
@pytest.mark.parametrize("name", NAMES)
def test_each_step_is_the_optimizer_step_on_the_objective_gradient(name, opts):
    steps = 12
    h = train(DEMO_X, DEMO_Y, optimizer=name, lr=LRS[name], steps=steps, W0=W0, b0=B0, **opts)
    assert not h.diverged
    replay = make_optimizer(name, LRS[name])
    for k in range(steps):
        g = objective(h.W[k], h.b[k], DEMO_X, DEMO_Y, **_objective_opts(opts))
        new = replay.step({"W": h.W[k], "b": h.b[k]}, {"W": g.dW, "b": g.db})
        np.testing.assert_allclose(h.W[k + 1], new["W"], rtol=1e-12, atol=1e-14, err_msg=f"step {k + 1}")
        np.testing.assert_allclose(h.b[k + 1], new["b"], rtol=1e-12, atol=1e-14, err_msg=f"step {k + 1}")
    assert not np.allclose(h.W[-1], W0)


def test_sgd_step_is_w_minus_lr_dw():
    lr = 0.3
    h = train(DEMO_X, DEMO_Y, optimizer="sgd", lr=lr, steps=10, W0=W0, b0=B0, **SOFTMAX_L2)
    for k in range(10):
        g = objective(h.W[k], h.b[k], DEMO_X, DEMO_Y, **SOFTMAX_L2)
        np.testing.assert_allclose(h.W[k + 1], h.W[k] - lr * g.dW, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(h.b[k + 1], h.b[k] - lr * g.db, rtol=1e-13, atol=1e-15)


def test_hyperparameters_reach_the_optimizer():
    hp = {"momentum": 0.3}
    h = train(DEMO_X, DEMO_Y, optimizer="nesterov", lr=0.1, steps=5, W0=W0, b0=B0, **hp)
    replay = make_optimizer("nesterov", 0.1, **hp)
    W, b = W0, B0
    for _ in range(5):
        g = objective(W, b, DEMO_X, DEMO_Y)
        new = replay.step({"W": W, "b": b}, {"W": g.dW, "b": g.db})
        W, b = new["W"], new["b"]
    np.testing.assert_allclose(h.W[-1], W, rtol=1e-12)
    default = train(DEMO_X, DEMO_Y, optimizer="nesterov", lr=0.1, steps=5, W0=W0, b0=B0)
    assert not np.allclose(default.W[-1], W)


@pytest.mark.parametrize(("loss", "lr"), [("softmax", 0.1), ("svm", 0.01)])
def test_gradient_descent_lowers_the_loss_monotonically_on_the_demo(loss, lr):
    # Softmax + L2 has a Lipschitz gradient (L < 1.1 here), so any lr < 2/L descends; for the
    # piecewise-linear SVM a small step does on this data.
    h = train(DEMO_X, DEMO_Y, optimizer="sgd", lr=lr, steps=200, W0=W0, b0=B0, loss=loss, reg=0.1)
    assert np.all(np.diff(h.loss) < 0)
    assert h.loss[-1] < 0.5 * h.loss[0]


@pytest.mark.parametrize("loss", ["softmax", "svm"])
@pytest.mark.parametrize(
    ("name", "lr"), [("sgd", 0.5), ("momentum", 0.1), ("nesterov", 0.1), ("rmsprop", 0.01), ("adam", 0.05)]
)
def test_200_steps_on_blobs_lower_the_loss(name, lr, loss):
    X, y = make_dataset("blobs", n_per_class=30, noise=0.1, seed=0)
    h = train(X, y, optimizer=name, lr=lr, steps=200, loss=loss)
    assert not h.diverged
    assert h.loss[-1] < 0.25 * h.loss[0]
    assert h.accuracy[-1] >= 0.95


def test_default_start_is_small_random_w_and_zero_b():
    h = train(DEMO_X, DEMO_Y, lr=0.1, steps=1, seed=3)
    assert h.W[0].shape == (3, 2)
    assert h.b[0].shape == (3,)
    assert 0 < np.abs(h.W[0]).max() < 0.05
    np.testing.assert_array_equal(h.b[0], np.zeros(3))
    # The lecture's sanity check: near-zero scores give a softmax loss of about ln C.
    assert h.loss[0] == pytest.approx(math.log(3), abs=0.01)
    other = train(DEMO_X, DEMO_Y, lr=0.1, steps=1, seed=4)
    assert not np.array_equal(h.W[0], other.W[0])


def test_classes_come_from_the_largest_label():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    h = train(X, [0, 4, 4], lr=0.1, steps=2)
    assert h.W[0].shape == (5, 2)


def test_test_set_is_tracked():
    X, y = make_dataset("blobs", n_per_class=20, seed=1)
    Xt, yt = make_dataset("blobs", n_per_class=10, seed=2)
    h = train(X, y, optimizer="adam", lr=0.05, steps=30, X_test=Xt, y_test=yt, **SOFTMAX_L2)
    assert len(h.test_loss) == len(h.test_accuracy) == 31
    for k in (0, 7, 30):
        expected = objective(h.W[k], h.b[k], Xt, yt, **SOFTMAX_L2).total
        assert h.test_loss[k] == pytest.approx(expected, rel=1e-12)
        assert h.test_accuracy[k] == accuracy(h.W[k], h.b[k], Xt, yt)
    assert h.test_loss[-1] < h.test_loss[0]


def test_empty_test_set_is_ignored():
    h = train(DEMO_X, DEMO_Y, lr=0.1, steps=3, X_test=np.zeros((0, 2)), y_test=np.zeros(0, int))
    assert h.test_loss == []
    assert h.test_accuracy == []


def test_full_batch_ignores_the_seed_given_w0():
    a = train(DEMO_X, DEMO_Y, lr=0.1, steps=20, W0=W0, b0=B0, seed=0)
    b = train(DEMO_X, DEMO_Y, lr=0.1, steps=20, W0=W0, b0=B0, seed=99)
    assert a.loss == b.loss


def test_batch_of_everything_is_full_batch():
    # A minibatch holding every example (in shuffled order) has the full gradient, up to rounding.
    kw = dict(optimizer="momentum", lr=0.1, steps=30, W0=W0, b0=B0, **SOFTMAX_L2)
    a = train(DEMO_X, DEMO_Y, **kw)
    b = train(DEMO_X, DEMO_Y, batch_size=9, **kw)
    np.testing.assert_allclose(a.loss, b.loss, rtol=1e-10)
    np.testing.assert_allclose(a.W[-1], b.W[-1], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_minibatch_runs_are_reproducible(name):
    X, y = make_dataset("spiral", n_per_class=20, seed=0)
    W_start, b_start = np.ones((3, 2)), np.zeros(3)
    kw = dict(optimizer=name, lr=0.05, steps=40, batch_size=7, W0=W_start, b0=b_start, **SOFTMAX_L2)
    a = train(X, y, seed=5, **kw)
    b = train(X, y, seed=5, **kw)
    c = train(X, y, seed=6, **kw)
    assert a.loss == b.loss
    for u, v in zip(a.W, b.W, strict=True):
        np.testing.assert_array_equal(u, v)
    assert a.loss[0] == c.loss[0]  # same start ...
    assert a.loss[1:] != c.loss[1:]  # ... other minibatches
    assert not np.array_equal(a.W[-1], c.W[-1])


def test_minibatches_go_through_the_data_once_per_pass():
    # With batch_size 3 on 9 points, every 3 steps use each point exactly once. Each SGD step
    # (reg 0) is W - lr * dW of one 3-point batch: find which one.
    lr, bs = 0.2, 3
    h = train(DEMO_X, DEMO_Y, optimizer="sgd", lr=lr, steps=9, batch_size=bs, W0=W0, b0=B0, reg=0.0, seed=1)
    used = []
    for k in range(9):
        matches = []
        for idx in itertools.combinations(range(9), bs):
            g = objective(h.W[k], h.b[k], DEMO_X[list(idx)], DEMO_Y[list(idx)])
            if np.allclose(h.W[k] - lr * g.dW, h.W[k + 1], rtol=1e-12, atol=1e-14) and np.allclose(
                h.b[k] - lr * g.db, h.b[k + 1], rtol=1e-12, atol=1e-14
            ):
                matches.append(idx)
        assert len(matches) == 1, (k, matches)
        used.append(matches[0])
    for start in (0, 3, 6):
        assert sorted(itertools.chain(*used[start : start + 3])) == list(range(9))
    assert used[0:3] != used[3:6]  # reshuffled each pass


def test_first_minibatch_depends_on_the_seed():
    # Already the first pass is shuffled: the first step differs between seeds.
    kw = dict(optimizer="sgd", lr=0.2, steps=1, batch_size=3, W0=W0, b0=B0)
    firsts = {tuple(train(DEMO_X, DEMO_Y, seed=s, **kw).W[1].ravel().tolist()) for s in range(6)}
    assert len(firsts) > 1


def test_train_does_not_modify_its_input():
    X, y, W, b = DEMO_X.copy(), DEMO_Y.copy(), W0.copy(), B0.copy()
    train(X, y, optimizer="adam", lr=0.5, steps=10, W0=W, b0=b, batch_size=4)
    np.testing.assert_array_equal(X, DEMO_X)
    np.testing.assert_array_equal(y, DEMO_Y)
    np.testing.assert_array_equal(W, W0)
    np.testing.assert_array_equal(b, B0)


def test_record_params_false_keeps_losses_only():
    h = train(DEMO_X, DEMO_Y, lr=0.1, steps=5, W0=W0, b0=B0, record_params=False)
    assert len(h.loss) == 6
    assert h.W == []
    assert h.b == []


# ---- divergence ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov"])
def test_huge_lr_with_l2_diverges_cleanly(name):
    # W <- W - lr (dW_data + 2 reg W) = (1 - 2000) W - ...: |W| grows ~2000x a step.
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings leak out either
        h = train(
            DEMO_X,
            DEMO_Y,
            optimizer=name,
            lr=1e3,
            steps=50,
            W0=W0,
            b0=B0,
            reg=1.0,
            penalty="l2",
            X_test=DEMO_X[:4],
            y_test=DEMO_Y[:4],
        )
    assert h.diverged is True
    assert 1 <= h.diverged_at <= 5
    _assert_history_consistent(h, 50)
    assert len(h.test_loss) == len(h.test_accuracy) == h.diverged_at
    assert max(h.loss) <= 1e8


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lr", [1e3, 1e150, 1e308])
def test_any_optimizer_at_absurd_lr_leaves_a_finite_history(name, lr):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = train(DEMO_X, DEMO_Y, optimizer=name, lr=lr, steps=30, W0=W0, b0=B0, reg=1.0, loss="svm")
    _assert_history_consistent(h, 30)
    if lr >= 1e150:
        assert h.diverged
        assert h.diverged_at <= 2


def test_no_divergence_at_a_sane_lr():
    h = train(DEMO_X, DEMO_Y, lr=0.1, steps=100, W0=W0, b0=B0, reg=1.0)
    assert h.diverged is False
    assert h.diverged_at is None


def test_start_above_the_explosion_threshold_keeps_the_history_aligned():
    W_big = 1e5 * np.ones((3, 2))
    h = train(DEMO_X, DEMO_Y, optimizer="sgd", lr=0.49, steps=5, W0=W_big, b0=np.zeros(3), reg=1.0)
    expected_len = h.diverged_at if h.diverged else 6
    assert len(h.loss) == expected_len
    if h.loss:
        np.testing.assert_array_equal(h.W[0], W_big)


# ---- the divergence rule -------------------------------------------------------------------------

# /optimization's default loss settings
PAGE_SVM = {"loss": "svm", "variant": "ww", "margin": 1.0, "reg": 0.1, "penalty": "l2"}


def test_the_divergence_rule_boundary():
    assert EXPLODE_FACTOR == 100
    assert not has_diverged(627.0, 6.27)
    assert has_diverged(627.01, 6.27)
    assert not has_diverged(100.0, 0.001)
    assert has_diverged(100.01, 0.001)
    for bad in (np.nan, np.inf, -np.inf):
        assert has_diverged(bad, 6.27)
    assert not has_diverged(0.0, 6.27)


def test_step_size_10_on_the_demo_diverges_at_the_first_step_past_100_times_the_start():
    """The issue's case: log10 step size = 1 on /optimization's defaults took the loss from 6.27 to
    645,298 in 500 steps with no warning. Now training stops at the first step whose loss passes
    100 x 6.27, and every recorded loss is below that."""
    h = train(DEMO_X, DEMO_Y, lr=10.0, steps=500, W0=W0, b0=B0, **PAGE_SVM)
    assert h.diverged
    assert h.diverged_at == 15
    _assert_history_consistent(h, 500)
    assert h.loss[0] == pytest.approx(6.27, abs=0.005)
    assert max(h.loss) <= EXPLODE_FACTOR * h.loss[0]
    # The step that was refused, taken by hand from the last recorded state: its loss exploded.
    last = objective(h.W[-1], h.b[-1], DEMO_X, DEMO_Y, **PAGE_SVM)
    W, b = h.W[-1] - 10.0 * last.dW, h.b[-1] - 10.0 * last.db
    assert objective(W, b, DEMO_X, DEMO_Y, **PAGE_SVM).total > EXPLODE_FACTOR * h.loss[0]
    # A run that stops short of that step has not diverged, and agrees with the long one.
    short = train(DEMO_X, DEMO_Y, lr=10.0, steps=14, W0=W0, b0=B0, **PAGE_SVM)
    assert not short.diverged
    assert short.loss == h.loss


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lr", [0.01, 0.1, 1.0])
def test_converging_runs_on_the_demo_never_count_as_diverged(name, lr):
    h = train(DEMO_X, DEMO_Y, optimizer=name, lr=lr, steps=500, W0=W0, b0=B0, **PAGE_SVM)
    assert not h.diverged
    assert h.steps == 500


def test_rmsprop_first_step_spike_at_step_size_10_counts_as_divergence():
    """RMSProp's first step divides by sqrt(1 - alpha) |g|: ten times the step size, a jump of the loss
    to about 5,900 (940 x the start). That is an explosion by the rule, reported at step 1."""
    h = train(DEMO_X, DEMO_Y, optimizer="rmsprop", lr=10.0, steps=500, W0=W0, b0=B0, **PAGE_SVM)
    assert h.diverged
    assert h.diverged_at == 1
    assert h.steps == 0


# ---- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"steps": -1}, "steps"),
        ({"steps": 100_001}, "steps"),
        ({"steps": "many"}, ""),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": -2}, "batch_size"),
        ({"batch_size": 10}, r"batch_size must be in 1\.\.9"),
        ({"optimizer": "adagrad"}, "optimizer must be one of"),
        ({"lr": 0.0}, "lr"),
        ({"lr": -1.0}, "lr"),
        ({"beta3": 0.1}, "unknown hyperparameters"),
        ({"loss": "hinge"}, "loss must be one of"),
        ({"reg": -1.0}, "reg"),
        ({"penalty": "l0"}, "penalty must be one of"),
        ({"loss": "svm", "variant": "wv"}, "variant"),
        ({"W0": np.ones((3, 3))}, "shapes do not fit"),
        ({"b0": np.zeros(2)}, "shapes do not fit"),
        ({"X_test": np.zeros((2, 3)), "y_test": [0, 1]}, "shapes do not fit"),
        ({"X_test": np.zeros((2, 2)), "y_test": [0, 3]}, "class indices"),
    ],
    ids=lambda v: repr(v) if not isinstance(v, dict) else ",".join(v),
)
def test_bad_training_input_raises(kwargs, match):
    args = {"lr": 0.1, "steps": 5, **kwargs}
    with pytest.raises(ValueError, match=match or None):
        train(DEMO_X, DEMO_Y, **args)


def test_bounds_are_inclusive():
    assert len(train(DEMO_X, DEMO_Y, lr=0.1, steps=3, batch_size=1).loss) == 4
    assert len(train(DEMO_X, DEMO_Y, lr=0.1, steps=3, batch_size=9).loss) == 4


@pytest.mark.parametrize("batch_size", [2.0, 2.5])
def test_float_batch_size_is_run_or_refused(batch_size):
    try:
        h = train(DEMO_X, DEMO_Y, lr=0.1, steps=3, batch_size=batch_size)
    except ValueError:
        return
    assert len(h.loss) == 4


# --------------------------------------------------------------------------------------
# 3. Hypothesis properties
# --------------------------------------------------------------------------------------

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


@st.composite
def param_dicts(draw):
    shapes = {"W": (draw(st.integers(1, 4)), draw(st.integers(1, 3))), "b": (draw(st.integers(1, 4)),)}
    params = {k: draw(arrays(np.float64, s, elements=finite)) for k, s in shapes.items()}
    grads = [{k: draw(arrays(np.float64, s, elements=finite)) for k, s in shapes.items()} for _ in range(3)]
    return params, grads


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(NAMES), lr=st.floats(1e-4, 10.0), data=param_dicts())
def test_prop_step_never_mutates_its_inputs(name, lr, data):
    params, grads = data
    opt = make_optimizer(name, lr)
    for g in grads:
        keep_p, keep_g = copy.deepcopy(params), copy.deepcopy(g)
        new = opt.step(params, g)
        for k in params:
            np.testing.assert_array_equal(params[k], keep_p[k])
            np.testing.assert_array_equal(g[k], keep_g[k])
            assert new[k].shape == params[k].shape
            assert np.all(np.isfinite(new[k]))
        params = new


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(NAMES),
    log_lr=st.floats(-3.0, 6.0),
    reg=st.floats(0.0, 5.0),
    loss=st.sampled_from(["softmax", "svm"]),
    batch=st.sampled_from([None, 1, 4]),
    seed=st.integers(0, 50),
)
def test_prop_history_is_aligned_and_finite(name, log_lr, reg, loss, batch, seed):
    h = train(
        DEMO_X,
        DEMO_Y,
        optimizer=name,
        lr=10.0**log_lr,
        steps=20,
        W0=W0,
        b0=B0,
        reg=reg,
        loss=loss,
        batch_size=batch,
        seed=seed,
    )
    _assert_history_consistent(h, 20)
    assert h.loss[0] == pytest.approx(objective(W0, B0, DEMO_X, DEMO_Y, reg=reg, loss=loss).total, rel=1e-12)
    assert max(h.loss) <= 1e8


def test_train_takes_a_spec_or_its_fields_as_keywords():
    spec = LossSpec(loss="svm", variant="ova", margin=0.5, reg=0.01, penalty="l1")
    by_spec = train(DEMO_X, DEMO_Y, optimizer="momentum", lr=0.1, steps=20, spec=spec, momentum=0.5)
    by_options = train(
        DEMO_X,
        DEMO_Y,
        optimizer="momentum",
        lr=0.1,
        steps=20,
        momentum=0.5,
        loss="svm",
        variant="ova",
        margin=0.5,
        reg=0.01,
        penalty="l1",
    )
    assert by_spec.loss == by_options.loss
    assert by_spec.loss != train(DEMO_X, DEMO_Y, optimizer="momentum", lr=0.1, steps=20, momentum=0.5).loss
    with pytest.raises(ValueError, match="not both"):
        train(DEMO_X, DEMO_Y, lr=0.1, steps=2, spec=spec, reg=0.1)

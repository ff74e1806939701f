"""core.classifier: the optimization chapter's training split, starting point and nudge."""

from __future__ import annotations

import numpy as np
import pytest

from core.classifier import (
    fits,
    fresh_start,
    nudge,
    parameter_names,
    random_start,
    training_split,
    view_extent,
)
from core.data import CS231N_DEMO_B, CS231N_DEMO_W, make_dataset, train_test_split


@pytest.mark.parametrize("fraction", [0.0, 0.2, 0.5])
def test_a_split_that_keeps_two_classes_is_the_random_split(fraction):
    X, y = make_dataset("blobs", n_per_class=10, n_classes=3, seed=1)
    got = training_split(X, y, test_fraction=fraction, seed=4)
    want = train_test_split(X, y, test_fraction=fraction, seed=4)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)
    assert len(got[1]) + len(got[3]) == len(y)


def test_a_split_that_leaves_one_class_trains_on_every_point():
    X, y = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), np.array([0, 0, 1])
    seeds = [s for s in range(50) if len(np.unique(train_test_split(X, y, test_fraction=0.5, seed=s)[1])) < 2]
    assert seeds  # some seed does send the one point of class 1 to the test part
    X_train, y_train, X_test, y_test = training_split(X, y, test_fraction=0.5, seed=seeds[0])
    np.testing.assert_array_equal(X_train, X)
    np.testing.assert_array_equal(y_train, y)
    assert X_test.shape == (0, 2)
    assert y_test.shape == (0,)


def test_a_random_start_is_seeded_rounded_to_2_decimals_with_zero_bias():
    W, b = random_start(4, seed=7)
    np.testing.assert_array_equal(W, np.round(np.random.default_rng(7).standard_normal((4, 2)), 2))
    np.testing.assert_array_equal(b, np.zeros(4))
    assert not np.array_equal(random_start(4, seed=8)[0], W)
    with pytest.raises(ValueError, match="n_classes"):
        random_start(0, seed=0)


def test_the_demo_starts_from_the_demo_parameters_and_other_data_at_random():
    W, b = fresh_start(3, dataset="cs231n_demo", seed=5)
    np.testing.assert_array_equal(W, CS231N_DEMO_W)
    np.testing.assert_array_equal(b, CS231N_DEMO_B)
    W[0, 0] = 99.0  # a copy: the demo's constants stay
    assert CS231N_DEMO_W[0, 0] == 1.0
    for dataset in ("blobs", "custom"):
        got, want = fresh_start(3, dataset=dataset, seed=5), random_start(3, seed=5)
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[1], want[1])


def test_fits_checks_both_shapes():
    assert fits(CS231N_DEMO_W, CS231N_DEMO_B, 3)
    assert not fits(CS231N_DEMO_W, CS231N_DEMO_B, 2)
    assert not fits(CS231N_DEMO_W, [0.0, 0.0], 3)
    assert not fits(np.ones((3, 3)), CS231N_DEMO_B, 3)


def test_nudge_moves_exactly_one_parameter():
    W, b = np.array([[0.2, 1.0 / 3.0], [2.0, -4.0]]), np.array([1e-7, 0.5])
    for which in parameter_names(2):
        W2, b2 = nudge(W, b, which, 0.1)
        changed = np.concatenate([(W2 != W).ravel(), b2 != b])
        assert changed.sum() == 1, which
        kind, c, j = which.split(".")
        old, new = (W[int(c), int(j)], W2[int(c), int(j)]) if kind == "W" else (b[int(c)], b2[int(c)])
        assert new == round(old + 0.1, 6)
    assert nudge(W, b, "W.0.0", 0.1)[0][0, 0] == 0.3  # not 0.30000000000000004
    np.testing.assert_array_equal(W, [[0.2, 1.0 / 3.0], [2.0, -4.0]])  # the inputs are not changed


@pytest.mark.parametrize("which", ["W.2.0", "W.0.2", "b.0.1", "x.0.0", "W.0"])
def test_nudge_refuses_a_parameter_the_classifier_does_not_have(which):
    with pytest.raises(ValueError, match="which"):
        nudge(np.zeros((2, 2)), np.zeros(2), which, 0.1)


def test_the_view_shows_every_point_with_a_margin():
    X, _ = make_dataset("spiral", n_per_class=20, seed=3)
    e = view_extent(X)
    assert (np.all(np.abs(X) < e) and e == pytest.approx(1.15 * np.abs(X).max())) or e == 1.0
    assert view_extent([[30.0, -80.0]]) == pytest.approx(92.0)
    assert view_extent(np.zeros((2, 2))) == 1.0

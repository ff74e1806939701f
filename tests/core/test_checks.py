"""core.checks: the shared entry checks. Each accepts what it should (converted) and refuses the
rest with a message that names the argument, what is allowed and what it got."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.checks import choice, class_labels, finite_array, grid_cell, integer, number


def test_choice_returns_an_allowed_value_and_names_the_choices_otherwise():
    assert choice("loss", "svm", ("svm", "softmax")) == "svm"
    with pytest.raises(ValueError, match=r"loss must be one of \['svm', 'softmax'\], got 'hinge'"):
        choice("loss", "hinge", ("svm", "softmax"))


@pytest.mark.parametrize("value", [True, False])
def test_choice_does_not_take_a_bool_for_a_number(value):
    with pytest.raises(ValueError, match="log_base"):
        choice("log_base", value, ("e", 2, 10, 1, 0))


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (0, {"low": 0}, 0.0),
        ("2.5", {}, 2.5),
        (np.float32(1), {"low": 0, "high": 1}, 1.0),
        (1e-9, {"low": 0, "low_open": True}, 1e-9),
    ],
)
def test_number_accepts_finite_numbers_in_range(value, kwargs, expected):
    got = number("x", value, **kwargs)
    assert got == expected
    assert type(got) is float


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        (-1, {"low": 0}, "x must be a finite number >= 0, got -1"),
        (0.0, {"low": 0, "low_open": True}, "x must be a finite number > 0, got 0.0"),
        (1.5, {"low": 0, "high": 1}, r"x must be a finite number in \[0, 1\], got 1.5"),
        (1, {"low": 0, "high": 1, "high_open": True}, r"x must be a finite number in \[0, 1\), got 1"),
        (math.nan, {}, "x must be a finite number, got nan"),
        (math.inf, {"low": 0}, "got inf"),
        ("lots", {}, "got 'lots'"),
        (None, {}, "got None"),
        (True, {}, "got True"),
    ],
)
def test_number_refuses_and_says_what_is_allowed(value, kwargs, message):
    with pytest.raises(ValueError, match=message):
        number("x", value, **kwargs)


@pytest.mark.parametrize(("value", "expected"), [(3, 3), (np.int64(64), 64), (16.0, 16), (np.float64(2), 2)])
def test_integer_accepts_whole_numbers(value, expected):
    got = integer("k", value, 2, 64)
    assert got == expected
    assert type(got) is int


@pytest.mark.parametrize("value", [1, 65, 2.5, "3", None, True, math.nan])
def test_integer_refuses_fractions_and_out_of_range(value):
    with pytest.raises(ValueError, match=r"k must be in 2\.\.64 \(a whole number\), got"):
        integer("k", value, 2, 64)


def test_integer_without_an_upper_bound():
    assert integer("num_classes", 1000, 2) == 1000
    with pytest.raises(ValueError, match=r"num_classes must be >= 2 \(a whole number\), got 1"):
        integer("num_classes", 1, 2)


def test_finite_array_converts_and_points_at_the_first_bad_entry():
    arr = finite_array("W", [[1, 2], [3, 4]], ndim=2)
    assert arr.dtype == np.float64
    assert arr.shape == (2, 2)
    with pytest.raises(ValueError, match=r"W must be finite numbers; W\[1, 0\] is inf"):
        finite_array("W", [[1, 2], [np.inf, np.nan]])
    with pytest.raises(ValueError, match=r"W must be 2-D, got shape \(3,\)"):
        finite_array("W", [1, 2, 3], ndim=2)
    with pytest.raises(ValueError, match="W must be numbers"):
        finite_array("W", [["a", "b"]])


@pytest.mark.parametrize(
    ("row", "col", "expected"), [(0, 0, (0, 0)), (2, 3, (2, 3)), (np.int64(1), 2.0, (1, 2))]
)
def test_grid_cell_accepts_a_cell_of_the_grid(row, col, expected):
    got = grid_cell(row, col, 3, 4)
    assert got == expected
    assert all(type(v) is int for v in got)


@pytest.mark.parametrize(
    ("row", "col"), [(3, 0), (0, 4), (-1, 0), (0, -1), (1.5, 0), (True, 0), (None, 0), (0, "1")]
)
def test_grid_cell_refuses_a_cell_outside_the_grid(row, col):
    with pytest.raises(ValueError, match=r"cell \(.*\) is outside the image's 3 x 4 cells"):
        grid_cell(row, col, 3, 4)


def test_class_labels_are_whole_numbers_below_the_class_count():
    got = class_labels("y", [0, 2.0, np.int64(1)], 3)
    assert got.dtype == np.intp
    assert got.tolist() == [0, 2, 1]
    assert class_labels("y", np.zeros(0), 3).shape == (0,)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([0, 3], r"; y\[1\] is 3"),
        ([-1], r"; y\[0\] is -1"),
        ([1.5], r"; y\[0\] is 1\.5"),
        ([0, np.nan], r"; y\[1\] is nan"),
        ([np.inf], r"; y\[0\] is inf"),
        ([True], r", got \[True\] \(dtype bool\)"),
        (["1"], r", got \['1'\] \(dtype <U1\)"),
    ],
)
def test_class_labels_point_at_the_first_bad_label(value, message):
    with pytest.raises(ValueError, match=r"y must be class indices in 0\.\.2 \(whole numbers\)" + message):
        class_labels("y", value, 3)

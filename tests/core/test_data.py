"""Tests for core.data: the optimization chapter's toy datasets and the user's own points.

The CS231n demo points are typed in from the web demo. Each generator is checked against
the geometry it promises (blob centres, spiral radii, circle radii, the xor quadrant rule),
which can be worked out by hand with noise = 0. The CSV parser is fed the files a student
might upload: with and without a header, a byte-order mark, semicolons, CRLF line ends,
too many points, NaN, bad labels, a single class.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.data import (
    CS231N_DEMO_B,
    CS231N_DEMO_W,
    CS231N_DEMO_X,
    CS231N_DEMO_Y,
    DATASETS,
    MAX_POINTS,
    check_points,
    make_dataset,
    parse_points_csv,
    train_test_split,
)

GENERATED = [name for name in DATASETS if name != "cs231n_demo"]
TWO_CLASS = ("circles", "xor")  # two classes by construction

# The web demo's 9 points, three per class, as the issue lists them.
DEMO_POINTS = {
    0: [(0.5, 0.4), (0.8, 0.3), (0.3, 0.8)],
    1: [(-0.4, 0.3), (-0.3, 0.7), (-0.7, 0.2)],
    2: [(0.7, -0.4), (0.5, -0.6), (-0.4, -0.5)],
}


# ---- the CS231n demo -----------------------------------------------------------------------------


def test_cs231n_demo_is_the_web_demos_nine_points():
    X, y = make_dataset("cs231n_demo")
    assert X.shape == (9, 2)
    assert y.shape == (9,)
    assert X.dtype == np.float64
    assert np.issubdtype(y.dtype, np.integer)
    got = {c: sorted(map(tuple, X[y == c].tolist())) for c in range(3)}
    assert got == {c: sorted(points) for c, points in DEMO_POINTS.items()}


def test_cs231n_demo_starting_parameters():
    np.testing.assert_array_equal(CS231N_DEMO_W, [[1, 2], [2, -4], [3, -1]])
    np.testing.assert_array_equal(CS231N_DEMO_B, [0, 0.5, -0.5])


def test_cs231n_demo_ignores_size_noise_and_seed():
    X0, y0 = make_dataset("cs231n_demo")
    X1, y1 = make_dataset("cs231n_demo", n_per_class=100, n_classes=5, noise=0.9, seed=7)
    np.testing.assert_array_equal(X0, X1)
    np.testing.assert_array_equal(y0, y1)


def test_cs231n_demo_returns_copies():
    X, y = make_dataset("cs231n_demo")
    X[:] = 99.0
    y[:] = 4
    X2, y2 = make_dataset("cs231n_demo")
    np.testing.assert_array_equal(X2, CS231N_DEMO_X)
    np.testing.assert_array_equal(y2, CS231N_DEMO_Y)
    assert X2[0].tolist() == [0.5, 0.4]


# ---- generated datasets: shapes, labels, seeds ----------------------------------------------------


@pytest.mark.parametrize("name", GENERATED)
@pytest.mark.parametrize(("n", "k"), [(1, 2), (7, 3), (20, 5)])
def test_generated_shapes_and_labels(name, n, k):
    X, y = make_dataset(name, n_per_class=n, n_classes=k, noise=0.1, seed=3)
    n_classes = 2 if name in TWO_CLASS else k
    assert X.shape == (n * n_classes, 2)
    assert y.shape == (n * n_classes,)
    assert X.dtype == np.float64
    assert y.dtype == np.intp
    assert np.all(np.isfinite(X))
    assert set(y.tolist()) <= set(range(n_classes))


@pytest.mark.parametrize("name", ["blobs", "spiral", "circles"])
@pytest.mark.parametrize(("n", "k"), [(1, 2), (4, 3), (25, 5)])
def test_every_class_gets_n_per_class_points(name, n, k):
    _, y = make_dataset(name, n_per_class=n, n_classes=k, noise=0.2, seed=1)
    n_classes = 2 if name in TWO_CLASS else k
    np.testing.assert_array_equal(np.bincount(y, minlength=n_classes), [n] * n_classes)


@pytest.mark.parametrize(("n", "seed"), [(30, 0), (1, 3)])
def test_xor_every_class_gets_n_per_class_points(n, seed):
    _, y = make_dataset("xor", n_per_class=n, seed=seed)
    np.testing.assert_array_equal(np.bincount(y, minlength=2), [n, n])


@pytest.mark.parametrize("name", GENERATED)
def test_same_seed_same_data(name):
    X0, y0 = make_dataset(name, n_per_class=15, noise=0.2, seed=42)
    X1, y1 = make_dataset(name, n_per_class=15, noise=0.2, seed=42)
    np.testing.assert_array_equal(X0, X1)
    np.testing.assert_array_equal(y0, y1)


@pytest.mark.parametrize("name", GENERATED)
def test_other_seed_other_data(name):
    X0, _ = make_dataset(name, n_per_class=15, noise=0.2, seed=0)
    X1, _ = make_dataset(name, n_per_class=15, noise=0.2, seed=1)
    assert X0.shape == X1.shape
    assert np.mean(np.abs(X0 - X1)) > 0.01


def test_default_seed_is_zero():
    np.testing.assert_array_equal(make_dataset("blobs")[0], make_dataset("blobs", seed=0)[0])


@pytest.mark.parametrize("name", ["blobs", "circles", "xor"])
def test_more_noise_spreads_points_more(name):
    # Same seed, same underlying draws: the noise only scales the jitter.
    X_lo, _ = make_dataset(name, n_per_class=200, noise=0.0, seed=5)
    X_hi, _ = make_dataset(name, n_per_class=200, noise=0.5, seed=5)
    assert not np.allclose(X_lo, X_hi)
    if name == "blobs":  # jitter std 0.15 + noise around each centre
        assert np.std(X_hi - X_hi.mean(0)) > np.std(X_lo - X_lo.mean(0))


# ---- generated datasets: the geometry each one promises --------------------------------------------


@pytest.mark.parametrize("k", [2, 3, 5])
def test_blobs_sit_around_evenly_spaced_centres(k):
    X, y = make_dataset("blobs", n_per_class=500, n_classes=k, noise=0.0, seed=0)
    angles = 2 * np.pi * np.arange(k) / k + np.pi / 2  # class 0 straight up
    centres = 0.6 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    for c in range(k):
        pts = X[y == c]
        # mean of 500 points with std 0.15: standard error ~0.007
        np.testing.assert_allclose(pts.mean(axis=0), centres[c], atol=0.035)
        np.testing.assert_allclose(pts.std(axis=0), [0.15, 0.15], rtol=0.15)


def test_spiral_radii_grow_from_the_centre_outwards():
    n, k = 12, 3
    X, y = make_dataset("spiral", n_per_class=n, n_classes=k, noise=0.3, seed=2)
    radius = np.linalg.norm(X, axis=1)
    # The noise only turns the angle: each arm's radii are exactly linspace(0.05, 1, n).
    for c in range(k):
        np.testing.assert_allclose(radius[y == c], np.linspace(0.05, 1.0, n), atol=1e-12)


def test_spiral_without_noise_is_deterministic():
    X0, _ = make_dataset("spiral", n_per_class=10, noise=0.0, seed=0)
    X1, _ = make_dataset("spiral", n_per_class=10, noise=0.0, seed=9)
    np.testing.assert_allclose(X0, X1)


def test_circles_radii_without_noise():
    X, y = make_dataset("circles", n_per_class=50, noise=0.0, seed=0)
    radius = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(radius[y == 0], 0.35, atol=1e-12)
    np.testing.assert_allclose(radius[y == 1], 0.85, atol=1e-12)


def test_xor_quadrant_rule_without_noise():
    X, y = make_dataset("xor", n_per_class=100, noise=0.0, seed=0)
    # Class 1 in the 2nd and 4th quadrants, class 0 in the 1st and 3rd, and a gap of 0.05 at the axes.
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))
    assert np.all(np.abs(X) >= 0.05)
    assert np.all(np.abs(X) <= 1.05)
    assert set(y.tolist()) == {0, 1}


@pytest.mark.parametrize("name", TWO_CLASS)
def test_two_class_datasets_ignore_n_classes(name):
    X3, y3 = make_dataset(name, n_per_class=10, n_classes=3, seed=4)
    X5, y5 = make_dataset(name, n_per_class=10, n_classes=5, seed=4)
    np.testing.assert_array_equal(X3, X5)
    np.testing.assert_array_equal(y3, y5)
    assert set(y5.tolist()) <= {0, 1}


# ---- make_dataset: bad input ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["moons", "", "Blobs", "cs231n", None])
def test_unknown_dataset_raises(name):
    with pytest.raises(ValueError, match="name must be one of"):
        make_dataset(name)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_per_class": 0}, "n_per_class"),
        ({"n_per_class": 501}, "n_per_class"),
        ({"n_per_class": -3}, "n_per_class"),
        ({"n_per_class": 2.5}, r"n_per_class must be in 1\.\.500 \(a whole number\), got 2\.5"),
        ({"n_classes": 1}, "n_classes"),
        ({"n_classes": 6}, "n_classes"),
        ({"noise": -0.1}, "noise"),
        ({"noise": 1.5}, "noise"),
        ({"noise": float("nan")}, "noise"),
        ({"noise": float("inf")}, "noise"),
    ],
)
@pytest.mark.parametrize("name", GENERATED)
def test_bad_sizes_raise(name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_dataset(name, **kwargs)


def test_size_bounds_are_inclusive():
    assert make_dataset("blobs", n_per_class=500, n_classes=5)[0].shape == (2500, 2)
    assert make_dataset("blobs", n_per_class=1, n_classes=2, noise=1.0)[0].shape == (2, 2)


# ---- train_test_split ---------------------------------------------------------------------------


def _indexed(n):
    """Rows whose first coordinate is their index, so a split can be traced back."""
    X = np.stack([np.arange(n, dtype=float), np.zeros(n)], axis=1)
    return X, np.arange(n) % 3


@pytest.mark.parametrize(
    ("n", "fraction", "n_test"), [(10, 0.3, 3), (9, 0.5, 4), (7, 0.0, 0), (100, 0.25, 25)]
)
def test_split_partitions_the_rows(n, fraction, n_test):
    X, y = _indexed(n)
    X_tr, y_tr, X_te, y_te = train_test_split(X, y, test_fraction=fraction, seed=1)
    assert len(y_te) == len(X_te) == n_test
    assert len(y_tr) == len(X_tr) == n - n_test
    ids = np.concatenate([X_tr[:, 0], X_te[:, 0]]).astype(int)
    assert sorted(ids.tolist()) == list(range(n))  # disjoint and complete
    # rows keep their own labels
    np.testing.assert_array_equal(y_tr, X_tr[:, 0].astype(int) % 3)
    np.testing.assert_array_equal(y_te, X_te[:, 0].astype(int) % 3)
    assert X_te.shape == (n_test, 2)


def test_split_is_seeded():
    X, y = _indexed(50)
    a = train_test_split(X, y, seed=3)
    b = train_test_split(X, y, seed=3)
    c = train_test_split(X, y, seed=4)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[2], c[2])


def test_split_is_random_not_the_tail():
    X, y = _indexed(50)
    _, _, X_te, _ = train_test_split(X, y, test_fraction=0.2, seed=0)
    assert sorted(X_te[:, 0].astype(int).tolist()) != list(range(40, 50))


def test_split_does_not_modify_its_input():
    X, y = _indexed(20)
    X0, y0 = X.copy(), y.copy()
    train_test_split(X, y, seed=0)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize("fraction", [1.0, -0.1, 1.5, float("nan")])
def test_split_bad_fraction_raises(fraction):
    X, y = _indexed(10)
    with pytest.raises(ValueError, match="test_fraction"):
        train_test_split(X, y, test_fraction=fraction)


# ---- check_points -------------------------------------------------------------------------------


def test_check_points_accepts_and_converts():
    X, y = check_points([[0, 1], [2.5, -3]], [0.0, 4.0])
    assert X.dtype == np.float64
    assert y.dtype == np.intp
    assert y.tolist() == [0, 4]
    np.testing.assert_array_equal(X, [[0.0, 1.0], [2.5, -3.0]])


def test_check_points_bounds_are_inclusive():
    n = MAX_POINTS
    X = np.full((n, 2), 100.0)
    X[::2] = -100.0
    y = np.arange(n) % 5
    X2, y2 = check_points(X, y)
    assert X2.shape == (n, 2)
    assert y2.max() == 4


@pytest.mark.parametrize(
    ("X", "y", "match"),
    [
        ([[0, 0]], [0], "need 2 to 2000 points"),
        (np.zeros((MAX_POINTS + 1, 2)), np.arange(MAX_POINTS + 1) % 2, "need 2 to 2000 points"),
        ([[0, 0, 0], [1, 1, 1]], [0, 1], "two coordinates and a label"),
        ([0, 1], [0, 1], "two coordinates and a label"),
        ([[0, 0], [1, 1]], [0, 1, 1], "two coordinates and a label"),
        ([[0, 0], [1, 1]], [[0, 1]], "two coordinates and a label"),
        ([[0, float("nan")], [1, 1]], [0, 1], "finite"),
        ([[0, float("inf")], [1, 1]], [0, 1], "finite"),
        ([[0, 100.5], [1, 1]], [0, 1], "between -100 and 100"),
        ([[-1e9, 0], [1, 1]], [0, 1], "between -100 and 100"),
        ([[0, 0], [1, 1]], [0, 1.5], "whole numbers"),
        ([[0, 0], [1, 1]], [0, float("nan")], "whole numbers"),
        ([[0, 0], [1, 1]], [0, 5], r"in 0\.\.4 \(whole numbers\); labels\[1\] is 5"),
        ([[0, 0], [1, 1]], [-1, 1], r"in 0\.\.4 \(whole numbers\); labels\[0\] is -1"),
        ([[0, 0], [1, 1]], [2, 2], "at least two classes"),
    ],
    ids=[
        "one-point",
        "2001-points",
        "three-columns",
        "1-D",
        "label-count",
        "y-2d",
        "nan",
        "inf",
        "too-far",
        "far-far",
        "label-1.5",
        "label-nan",
        "label-5",
        "label-neg",
        "one-class",
    ],
)
def test_check_points_rejects(X, y, match):
    with pytest.raises(ValueError, match=match):
        check_points(X, y)


# ---- parse_points_csv ---------------------------------------------------------------------------

GOOD_ROWS = [[0.5, 0.4, 0], [-0.4, 0.3, 1], [0.7, -0.4, 2]]
GOOD_BODY = "0.5,0.4,0\n-0.4,0.3,1\n0.7,-0.4,2\n"


def _assert_good(parsed):
    X, y = parsed
    np.testing.assert_array_equal(X, [r[:2] for r in GOOD_ROWS])
    assert y.tolist() == [0, 1, 2]
    assert y.dtype == np.intp


@pytest.mark.parametrize(
    "text",
    [
        GOOD_BODY,
        "x1,x2,label\n" + GOOD_BODY,
        "X1, X2, Label\n" + GOOD_BODY,
        "x,y,class\n" + GOOD_BODY,
        "x_1;x_2;y\n" + GOOD_BODY,
        "\ufeffx1,x2,label\n" + GOOD_BODY,  # Excel's UTF-8 byte-order mark
        "\ufeff" + GOOD_BODY,
        GOOD_BODY.replace(",", ";"),
        "x1;x2;label\r\n" + GOOD_BODY.replace(",", ";").replace("\n", "\r\n"),
        "  0.5 , 0.4 , 0 \n\n-0.4,0.3,1.0\n   \n0.7,-0.4,2e0",  # spaces, blank lines, 1.0 and 2e0
    ],
    ids=[
        "plain",
        "header",
        "header-caps",
        "header-xy",
        "semicolon-header",
        "bom-header",
        "bom-no-header",
        "semicolons",
        "crlf-semicolons",
        "spaces-blank-lines",
    ],
)
def test_parse_csv_accepts(text):
    _assert_good(parse_points_csv(text))


def test_parse_csv_round_trips_a_dataset():
    X, y = make_dataset("blobs", n_per_class=20, seed=0)
    rows = zip(X.tolist(), y.tolist(), strict=True)
    text = "x1,x2,label\n" + "\n".join(f"{a!r},{b!r},{c}" for (a, b), c in rows)
    X2, y2 = parse_points_csv(text)
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("0.5,0.4,0\n0.1,0.2\n1,1,1", r"line 2: expected 3 values"),
        ("0.5,0.4,0\n1,1,1,1\n", r"line 2: expected 3 values"),
        ("0.5,0.4,0\n\n\n1,1,1,\n", r"line 4: expected 3 values"),  # blank lines still count
        ("0.5,0.4,0\n1,one,1\n", r"line 2: not numbers"),
        ("0.5,0.4,0\n1,,1\n", r"line 2: not numbers"),
        ("x1,x2,label\n0,0,0\nx1,x2,label\n", r"line 3: not numbers"),  # a header only on line 1
        ("a,b,c\n0,0,0\n1,1,1", r"line 1: not numbers"),
        ("0,5;0,4;0\n", r"line 1: expected 3 values"),  # decimal commas and semicolons
        ("0.5\t0.4\t0\n", r"line 1: expected 3 values"),
    ],
    ids=[
        "short",
        "long",
        "trailing-comma",
        "word",
        "empty-field",
        "second-header",
        "bad-header",
        "decimal-comma",
        "tabs",
    ],
)
def test_parse_csv_names_the_bad_line(text, match):
    with pytest.raises(ValueError, match=match):
        parse_points_csv(text)


@pytest.mark.parametrize("text", ["", "\n\n  \n", "x1,x2,label\n", "\ufeff"])
def test_parse_csv_without_points_raises(text):
    with pytest.raises(ValueError, match="no points"):
        parse_points_csv(text)


def test_parse_csv_point_limit():
    rows = [f"{i % 7 / 10},{i % 11 / 10},{i % 2}" for i in range(MAX_POINTS + 1)]
    X, _y = parse_points_csv("\n".join(rows[:MAX_POINTS]))
    assert X.shape == (MAX_POINTS, 2)
    with pytest.raises(ValueError, match="more than 2000 points"):
        parse_points_csv("\n".join(rows))
    with pytest.raises(ValueError, match="more than 2000 points"):
        parse_points_csv("x1,x2,label\n" + "\n".join(rows * 50))  # stops early, does not parse 100k rows


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ("nan,0.2,1", "finite"),
        ("0.1,NaN,1", "finite"),
        ("inf,0.2,1", "finite"),
        ("0.1,-Infinity,1", "finite"),
        ("101,0.2,1", "between -100 and 100"),
        ("0.1,0.2,nan", "whole numbers"),
        ("0.1,0.2,1.5", "whole numbers"),
        ("0.1,0.2,5", r"labels must be class indices in 0\.\.4"),
        ("0.1,0.2,-1", r"labels must be class indices in 0\.\.4"),
    ],
)
def test_parse_csv_rejects_bad_values(line, match):
    with pytest.raises(ValueError, match=match):
        parse_points_csv("x1,x2,label\n0,0,0\n" + line + "\n")


def test_parse_csv_labels_up_to_four():
    _X, y = parse_points_csv("\n".join(f"{c / 10},{-c / 10},{c}" for c in range(5)))
    assert y.tolist() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("text", ["0,0,1\n1,1,1\n", "0.5,0.5,3\n"])
def test_parse_csv_needs_two_classes_and_two_points(text):
    with pytest.raises(ValueError, match=r"at least two classes|need 2 to 2000 points"):
        parse_points_csv(text)


def test_parse_csv_header_after_leading_blank_line():
    _X, y = parse_points_csv("\nx1,x2,label\n0,0,0\n1,1,1\n")
    assert y.tolist() == [0, 1]

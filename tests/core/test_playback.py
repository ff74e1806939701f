"""core.playback: the per-step shapes the player paints, checked against the classifier itself."""

from __future__ import annotations

import numpy as np
import pytest

from core.data import CS231N_DEMO_B, CS231N_DEMO_W, make_dataset
from core.optim import train
from core.playback import classifier_frames, clip_halfplane, region_polygons, zero_score_segment


def area(poly) -> float:
    p = np.asarray(poly, dtype=float).reshape(-1, 2)
    if len(p) < 3:
        return 0.0
    x, y = p[:, 0], p[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def test_clip_keeps_the_half_where_the_line_is_positive():
    square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]
    assert area(clip_halfplane(square, (-1.0, 0.0), 1.0)) == pytest.approx(2.0)  # x <= 1
    assert area(clip_halfplane(square, (1.0, 1.0), -2.0)) == pytest.approx(2.0)  # above the diagonal
    assert clip_halfplane(square, (1.0, 0.0), -5.0) == []  # nowhere
    assert clip_halfplane(square, (1.0, 0.0), 5.0) == square  # everywhere


@pytest.mark.parametrize("seed", range(5))
def test_regions_tile_the_box_and_hold_exactly_their_class(seed):
    rng = np.random.default_rng(seed)
    C = int(rng.integers(2, 6))
    W, b = rng.standard_normal((C, 2)), rng.standard_normal(C)
    regions = region_polygons(W, b, 2.0)
    assert sum(area(p) for p in regions) == pytest.approx(16.0)  # they tile the box, no overlap
    pts = rng.uniform(-2, 2, (2000, 2))
    winner = np.argmax(pts @ W.T + b, axis=1)
    for c, poly in enumerate(regions):
        share = np.mean(winner == c) * 16.0
        assert area(poly) == pytest.approx(share, abs=0.5)  # Monte Carlo area of class c


def test_zero_score_line_is_the_chord_of_the_box():
    assert zero_score_segment((0.0, 1.0), -1.0, 2.0) == ((-2.0, 1.0), (2.0, 1.0))
    (x1, y1), (x2, y2) = zero_score_segment((1.0, 2.0), 0.5, 3.0)
    for x, y in ((x1, y1), (x2, y2)):
        assert x + 2 * y + 0.5 == pytest.approx(0.0)
        assert max(abs(x), abs(y)) == pytest.approx(3.0)
    assert zero_score_segment((1.0, 0.0), 10.0, 3.0) is None  # x = -10 misses the box
    assert zero_score_segment((0.0, 0.0), 1.0, 3.0) is None  # w = 0: no line


def test_frames_follow_the_history_step_by_step():
    X, y = make_dataset("cs231n_demo")
    opts = {"loss": "svm", "variant": "ww", "margin": 1.0, "reg": 0.1, "penalty": "l2"}
    h = train(X, y, lr=0.1, steps=40, W0=CS231N_DEMO_W, b0=CS231N_DEMO_B, **opts)
    f = classifier_frames(h, X, y, extent=1.0)
    assert len(f.regions) == len(f.lines) == len(f.wrong) == len(f.total) == 41
    np.testing.assert_allclose(f.data_loss + f.reg_loss, f.total)
    assert f.data_loss[0] == pytest.approx(2.77, abs=0.005)
    assert f.reg_loss[0] == pytest.approx(3.5)
    for t in (0, 20, 40):
        predicted = np.argmax(X @ h.W[t].T + h.b[t], axis=1)
        np.testing.assert_array_equal(f.wrong[t], predicted != y)
        assert np.mean(~f.wrong[t]) == pytest.approx(f.accuracy[t])

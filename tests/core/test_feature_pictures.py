"""Tests for core.feature_pictures: HoG's grid, the HoG picture, a cell up close, the codebook mosaic.

Oracles: core.features.hog_length (the same count, done once), the lecture's 240 x 320 image
(30 x 40 cells, 10,800 numbers), tiny arrays worked by hand, and each tile of the mosaic read
back and shrunk to its word.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from core import feature_pictures as pic
from core import features as feat

RNG = np.random.default_rng(0)


# ---- HoG's grid --------------------------------------------------------------------------------------


def test_the_lecture_image_is_30_by_40_cells_and_10800_numbers():
    grid = pic.hog_grid(240, 320)
    assert (grid.cells, grid.blocks, grid.length) == ((30, 40), (30, 40), 10_800)


@pytest.mark.parametrize(("h", "w"), [(300, 451), (48, 64), (33, 47), (16, 16)])
@pytest.mark.parametrize(("ppc", "cpb", "orient"), [(8, 1, 9), (4, 2, 12), (16, 2, 4), (5, 3, 18)])
def test_cells_and_blocks_multiply_to_hog_length(h, w, ppc, cpb, orient):
    try:
        length = feat.hog_length(h, w, orientations=orient, pixels_per_cell=ppc, cells_per_block=cpb)
    except ValueError as refused:  # the grid refuses what hog_length refuses, with its words
        with pytest.raises(ValueError, match=re.escape(str(refused))):
            pic.hog_grid(h, w, orientations=orient, pixels_per_cell=ppc, cells_per_block=cpb)
        return
    grid = pic.hog_grid(h, w, orientations=orient, pixels_per_cell=ppc, cells_per_block=cpb)
    assert grid.cells == (h // ppc, w // ppc)
    assert grid.blocks == (h // ppc - cpb + 1, w // ppc - cpb + 1)
    assert grid.length == length == grid.blocks[0] * grid.blocks[1] * cpb * cpb * orient


def test_an_image_smaller_than_a_block_is_refused():
    with pytest.raises(ValueError, match="smaller than one block"):
        pic.hog_grid(7, 100)
    with pytest.raises(ValueError, match="pixels_per_cell"):
        pic.hog_grid(100, 100, pixels_per_cell=0)


# ---- the HoG picture and one cell --------------------------------------------------------------------


def test_the_hog_picture_is_scaled_so_its_brightest_line_is_white():
    vis = RNG.random((12, 20)) * 7.0
    out = pic.hog_picture(np.zeros((12, 20)), vis)
    np.testing.assert_allclose(out, vis / vis.max())
    assert out.max() == 1.0
    np.testing.assert_array_equal(pic.hog_picture(np.zeros((3, 3)), np.zeros((3, 3))), 0.0)  # flat: no divide


def test_the_overlay_adds_the_picture_to_the_dimmed_luminance_and_clips():
    image = RNG.integers(0, 256, (12, 20, 3), dtype=np.uint8)
    vis = RNG.random((12, 20))
    out = pic.hog_picture(image, vis, overlay=True)
    expected = np.clip(0.45 * feat.to_gray(image) + vis / vis.max(), 0.0, 1.0)
    np.testing.assert_allclose(out, expected)
    assert out.min() >= 0.0
    assert out.max() == 1.0
    with pytest.raises(ValueError, match="differ in size"):
        pic.hog_picture(image, vis[:, :10], overlay=True)


def test_the_zoomed_cell_shrinks_back_to_the_cells_pixels():
    image = RNG.integers(0, 256, (40, 56, 3), dtype=np.uint8)
    zoom = pic.cell_zoom(image, 2, 3, pixels_per_cell=8)
    assert zoom.shape == (160, 160)  # 20 screen pixels per image pixel
    np.testing.assert_allclose(zoom[::20, ::20], feat.to_gray(image)[16:24, 24:32])
    assert pic.cell_zoom(image, 0, 0, pixels_per_cell=32, size=20).shape == (32, 32)  # never below 1:1


@pytest.mark.parametrize(("row", "col"), [(5, 0), (0, 7), (-1, 0)])
def test_a_cell_outside_the_image_is_refused(row, col):
    with pytest.raises(ValueError, match="outside"):
        pic.cell_zoom(np.zeros((40, 56)), row, col, pixels_per_cell=8)


# ---- the codebook mosaic -----------------------------------------------------------------------------


def tile(mosaic: pic.Mosaic, k: int) -> np.ndarray:
    y, x = mosaic.corners[k]
    return mosaic.picture[y : y + mosaic.tile, x : x + mosaic.tile]


@pytest.mark.parametrize(("k", "cols", "rows"), [(1, 1, 1), (5, 3, 2), (16, 4, 4), (17, 5, 4), (32, 6, 6)])
def test_the_words_sit_row_by_row_in_a_near_square_grid(k, cols, rows):
    centers = RNG.normal(size=(k, 16))  # 4 x 4 words
    mosaic = pic.codebook_mosaic(centers, scale=3, gap=2, strip=5)
    assert mosaic.tile == 12
    assert mosaic.picture.shape == (rows * (12 + 5 + 2) + 2, cols * (12 + 2) + 2)
    for i, (y, x) in enumerate(mosaic.corners):
        r, q = divmod(i, cols)
        assert (y, x) == (2 + r * 19, 2 + q * 14)


def test_each_tile_is_its_word_contrast_stretched_and_the_rest_is_white():
    centers = RNG.normal(size=(5, 36))
    centers[3] = 0.25  # a flat word
    mosaic = pic.codebook_mosaic(centers, scale=4, gap=3, strip=6)
    covered = np.zeros(mosaic.picture.shape, dtype=bool)
    for k, word in enumerate(centers):
        shown = tile(mosaic, k)
        np.testing.assert_array_equal(shown, np.kron(shown[::4, ::4], np.ones((4, 4))))  # blocks of 4 x 4
        small = shown[::4, ::4].ravel()
        if k == 3:
            np.testing.assert_array_equal(small, 0.5)
        else:
            np.testing.assert_allclose(small, (word - word.min()) / (word.max() - word.min()))
            assert (small.min(), small.max()) == (0.0, 1.0)
        y, x = mosaic.corners[k]
        covered[y : y + mosaic.tile, x : x + mosaic.tile] = True
    assert np.all(mosaic.picture[~covered] == 1.0)  # gaps, number strips and the empty 6th cell


def test_the_mosaic_of_a_bag_of_words_shows_its_codebook():
    images = [RNG.integers(0, 256, (40, 48), dtype=np.uint8) for _ in range(2)]
    bow = feat.bag_of_words(images, patch=6, k=8, seed=0)
    mosaic = pic.codebook_mosaic(bow.centers, scale=2, gap=1)
    for k, word in enumerate(bow.centers):
        span = np.ptp(word)
        np.testing.assert_allclose(tile(mosaic, k)[::2, ::2].ravel(), (word - word.min()) / span)


@pytest.mark.parametrize(
    ("centers", "kwargs", "message"),
    [
        (np.zeros((3, 15)), {}, "square patch"),
        (np.zeros((0, 16)), {}, "non-empty"),
        (np.zeros(16), {}, r"centers must be 2-D, got shape \(16,\)"),
        (np.full((2, 4), np.nan), {}, "centers must be finite"),
        (np.zeros((2, 4)), {"scale": 0}, "scale"),
        (np.zeros((2, 4)), {"gap": -1}, "gap"),
        (np.zeros((2, 4)), {"strip": 1000}, "strip"),
    ],
)
def test_bad_centers_or_sizes_are_refused(centers, kwargs, message):
    with pytest.raises(ValueError, match=message):
        pic.codebook_mosaic(centers, **kwargs)


def test_example_rows_put_pictures_side_by_side_row_under_row():
    faces = RNG.random((4, 5, 5))
    out = pic.example_rows(faces[:2], faces[2:])
    assert out.shape == (10, 10)
    np.testing.assert_array_equal(out[5:, :5], faces[2])
    np.testing.assert_array_equal(out[:5, 5:], faces[1])

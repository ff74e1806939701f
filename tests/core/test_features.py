"""Tests for core.features: HoG, colour histograms, bags of visual words, features vs pixels.

Oracles: the lecture's 320 x 240 example (40 x 30 cells x 9 bins = 10,800), scikit-image's own
``feature.hog`` called directly, tiny images whose answers can be worked out by hand (an edge,
pure red / green / blue), and the invariants of a histogram (its counts add up to the pixels).
"""

from __future__ import annotations

import numpy as np
import pytest
import skimage.data
from skimage import color
from skimage import feature as skfeature

from core import features as feat

RNG = np.random.default_rng(0)
GRAY_U8 = RNG.integers(0, 256, (40, 56), dtype=np.uint8)
RGB_U8 = RNG.integers(0, 256, (40, 56, 3), dtype=np.uint8)
RGB_F = RNG.random((33, 47, 3))


def edge_image(vertical: bool = True) -> np.ndarray:
    """16 x 32: black left half, white right half (transposed for a horizontal edge)."""
    img = np.zeros((16, 32))
    img[:, 16:] = 1.0
    return img if vertical else img.T.copy()


def solid(rgb, shape=(6, 9)) -> np.ndarray:
    img = np.zeros((*shape, 3), dtype=np.uint8)
    img[...] = rgb
    return img


# ---- 1. HoG length ----------------------------------------------------------------------------------


def test_the_lecture_example_has_10800_numbers():
    assert feat.hog_length(240, 320) == 40 * 30 * 9 == 10_800
    assert feat.hog_length(300, 451) == 56 * 37 * 9 == 18_648  # chelsea, the page's default image


@pytest.mark.parametrize(
    ("h", "w", "orientations", "ppc", "cpb"),
    [
        (240, 320, 9, 8, 1),
        (64, 64, 9, 8, 2),
        (37, 53, 9, 8, 2),  # partial cells at the edges are dropped
        (50, 70, 6, 5, 3),
        (25, 25, 9, 5, 1),  # an lfw face as features_vs_pixels sees it
        (100, 40, 12, 16, 2),
        (31, 31, 18, 4, 4),
        (16, 16, 4, 8, 2),  # exactly one block
    ],
)
def test_hog_length_matches_what_skimage_returns(h, w, orientations, ppc, cpb):
    img = np.random.default_rng(h * w).random((h, w))
    expected = skfeature.hog(
        img,
        orientations=orientations,
        pixels_per_cell=(ppc, ppc),
        cells_per_block=(cpb, cpb),
        block_norm="L2-Hys",
        feature_vector=True,
    ).shape
    n = feat.hog_length(h, w, orientations=orientations, pixels_per_cell=ppc, cells_per_block=cpb)
    assert (n,) == expected
    cells_y, cells_x = h // ppc, w // ppc
    assert n == (cells_y - cpb + 1) * (cells_x - cpb + 1) * cpb**2 * orientations
    features, vis = feat.hog(img, orientations=orientations, pixels_per_cell=ppc, cells_per_block=cpb)
    assert features.shape == (n,)
    assert vis.shape == (h, w)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"height": 7, "width": 100}, "smaller than one block"),
        ({"height": 15, "width": 64, "cells_per_block": 2}, "smaller than one block"),
        ({"height": 64, "width": 64, "orientations": 0}, "orientations must be in 1..36"),
        ({"height": 64, "width": 64, "orientations": 37}, "orientations must be in 1..36"),
        ({"height": 64, "width": 64, "pixels_per_cell": 1}, "pixels_per_cell must be in 2..128"),
        ({"height": 64, "width": 64, "cells_per_block": 0}, "cells_per_block must be in 1..8"),
    ],
)
def test_hog_length_refuses_impossible_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        feat.hog_length(**kwargs)


# ---- 2. HoG features ---------------------------------------------------------------------------------


def test_hog_equals_skimage_on_the_grayscale_image():
    features, vis = feat.hog(RGB_U8, pixels_per_cell=8, cells_per_block=2)
    gray = color.rgb2gray(RGB_U8.astype(float) / 255)
    ref, ref_vis = skfeature.hog(
        gray,
        orientations=9,
        pixels_per_cell=(8, 8),
        cells_per_block=(2, 2),
        block_norm="L2-Hys",
        visualize=True,
        feature_vector=True,
    )
    np.testing.assert_allclose(features, ref)
    np.testing.assert_allclose(vis, ref_vis)
    assert features.ndim == 1
    assert np.all(np.isfinite(features))
    assert np.all(features >= 0)


def test_hog_sees_the_same_picture_in_every_image_type():
    as_float = feat.hog(GRAY_U8.astype(float) / 255)[0]
    np.testing.assert_allclose(feat.hog(GRAY_U8)[0], as_float)  # uint8 0..255 and float 0..1 agree
    rgb = np.repeat(GRAY_U8[..., None], 3, axis=2)
    np.testing.assert_allclose(feat.hog(rgb)[0], as_float, atol=1e-6)
    rgba = np.concatenate([RGB_U8, np.full((40, 56, 1), 255, np.uint8)], axis=2)
    np.testing.assert_allclose(feat.hog(rgba)[0], feat.hog(RGB_U8)[0])  # opaque RGBA is its RGB
    np.testing.assert_allclose(feat.hog(RGB_U8.astype(float) / 255)[0], feat.hog(RGB_U8)[0])
    wide = GRAY_U8.astype(np.uint16) * 257  # other integer types are scaled by their range
    np.testing.assert_allclose(feat.hog(wide)[0], as_float, atol=1e-9)


def test_a_vertical_edge_votes_for_0_degrees_and_a_horizontal_edge_for_90():
    cells = feat.hog(edge_image(vertical=True))[0].reshape(2, 4, 9)  # 2 x 4 cells
    np.testing.assert_allclose(cells[:, 1:3, 0], 1.0)  # the two columns of cells along the edge
    assert np.count_nonzero(cells) == 4
    cells = feat.hog(edge_image(vertical=False))[0].reshape(4, 2, 9)
    np.testing.assert_allclose(cells[1:3, :, 4], 1.0)  # bin 4 of 9 covers 80..100 degrees
    assert np.count_nonzero(cells) == 4
    assert not np.any(feat.hog(np.full((16, 16), 0.5))[0])  # no edges, no votes


def test_cell_histogram_of_the_edge_worked_by_hand():
    # np.gradient of the step 0 | 1 is 0.5 on each side of it: 8 rows x 0.5 in the cell's last column.
    angles, mags, hist = feat.cell_histogram(edge_image(), 0, 1)
    assert angles.shape == mags.shape == (64,)
    np.testing.assert_allclose(hist, [4.0, 0, 0, 0, 0, 0, 0, 0, 0])
    assert np.all(angles[mags > 0] == 0.0)
    _, _, hist = feat.cell_histogram(edge_image(vertical=False), 1, 0, orientations=6)
    np.testing.assert_allclose(hist, [0, 0, 0, 4.0, 0, 0])  # 90 degrees, bin 3 of 6
    assert np.all((angles >= 0) & (angles < 180))
    with pytest.raises(ValueError, match="outside the image"):
        feat.cell_histogram(edge_image(), 2, 0)


# ---- 3. bad images -------------------------------------------------------------------------------------

NAN_IMAGE = np.full((16, 16), 0.5)
NAN_IMAGE[3, 4] = np.nan
INF_IMAGE = np.full((16, 16, 3), 0.5)
INF_IMAGE[0, 0, 1] = np.inf
BAD_IMAGES = {  # id -> (image, what the message must say)
    "empty": (np.zeros((0, 0)), "non-empty"),
    "empty-rgb": (np.zeros((0, 12, 3), np.uint8), "non-empty"),
    "one-dimensional": (np.zeros(64), "non-empty"),
    "two-channels": (np.zeros((16, 16, 2)), "3 \\(RGB\\) or 4 \\(RGBA\\) channels"),
    "nan": (NAN_IMAGE, r"image must be finite numbers; image\[3, 4\] is nan"),
    "inf": (INF_IMAGE, r"image must be finite numbers; image\[0, 0, 1\] is inf"),
    "bool": (np.ones((16, 16), bool), "uint8 or float"),
    "strings": (np.full((16, 16), "a"), "uint8 or float"),
}


@pytest.mark.parametrize("case", BAD_IMAGES)
def test_every_feature_refuses_a_bad_image_and_says_why(case):
    image, match = BAD_IMAGES[case]
    with pytest.raises(ValueError, match=match):
        feat.hog(image)
    with pytest.raises(ValueError, match=match):
        feat.color_histogram(image)
    with pytest.raises(ValueError, match=match):
        feat.bag_of_words([np.zeros((16, 16)), image], k=2, patches_per_image=4)


@pytest.mark.parametrize("shape", [(5, 5), (7, 64), (64, 7, 3), (1, 1)])
def test_an_image_smaller_than_a_cell_is_refused(shape):
    with pytest.raises(ValueError, match=r"smaller than one block of 1 x 1 cells of 8 x 8 pixels"):
        feat.hog(np.zeros(shape))
    side = min(shape[:2])
    if side >= 2:  # a cell as small as the image fits
        assert feat.hog(np.zeros(shape), pixels_per_cell=side)[0].size > 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"pixels_per_cell": 0}, "pixels_per_cell must be in 2..128"),
        ({"orientations": 0}, "orientations must be in 1..36"),
    ],
)
def test_cell_histogram_refuses_impossible_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        feat.cell_histogram(GRAY_U8, 0, 0, **kwargs)


def test_hog_refuses_out_of_range_settings():
    with pytest.raises(ValueError, match=r"orientations must be in 1\.\.36"):
        feat.hog(GRAY_U8, orientations=40)
    with pytest.raises(ValueError, match=r"cells_per_block must be in 1\.\.8"):
        feat.hog(GRAY_U8, cells_per_block=9)


# ---- 4. colour histograms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "image", [GRAY_U8, RGB_U8, RGB_F, skimage.data.chelsea()], ids=["gray", "rgb", "float", "chelsea"]
)
@pytest.mark.parametrize("bins", [1, 4, 10, 64, 256])
def test_counts_add_up_to_the_number_of_pixels(image, bins):
    h, w = image.shape[:2]
    hue = feat.color_histogram(image, bins=bins)
    assert hue.shape == (bins,)
    assert hue.sum() == h * w
    assert np.all(hue >= 0)
    rgb = feat.color_histogram(image, bins=bins, space="rgb")
    assert rgb.shape == (3, bins)
    np.testing.assert_array_equal(rgb.sum(axis=1), [h * w] * 3)
    gray = feat.color_histogram(image, bins=bins, space="gray")
    assert gray.shape == (bins,)
    assert gray.sum() == h * w


@pytest.mark.parametrize(
    ("bins", "red", "green", "blue"), [(6, 0, 2, 4), (10, 0, 3, 6), (12, 0, 4, 8), (3, 0, 1, 2)]
)
def test_pure_red_green_and_blue_land_in_their_hue_bins(bins, red, green, blue):
    # hue: red 0, green 1/3, blue 2/3 of the circle
    for rgb, expected in (((255, 0, 0), red), ((0, 255, 0), green), ((0, 0, 255), blue)):
        hist = feat.color_histogram(solid(rgb), bins=bins)
        assert hist[expected] == 54, (rgb, hist)
        assert hist.sum() == 54, (rgb, hist)
    hist = feat.color_histogram(solid((0, 255, 255)), bins=bins)  # cyan: hue 1/2
    assert hist[bins // 2] == 54


def test_rgb_and_gray_histograms_worked_by_hand():
    img = np.zeros((2, 2, 3), np.uint8)
    img[0, 0] = (255, 0, 0)
    img[0, 1] = (255, 255, 255)
    img[1, 0] = (128, 128, 128)  # gray: no hue, lands in the first bin
    rgb = feat.color_histogram(img, bins=2, space="rgb")
    np.testing.assert_array_equal(rgb, [[1, 3], [2, 2], [2, 2]])  # 128/255 is in the upper half
    gray = feat.color_histogram(img, bins=4, space="gray")
    # luminance: black 0 and red 0.2125 in [0, 0.25), mid gray 0.502 in the third bin, white in the last
    np.testing.assert_array_equal(gray, [2, 0, 1, 1])
    np.testing.assert_array_equal(feat.color_histogram(img, bins=4), [4, 0, 0, 0])
    # a grayscale image has no hue anywhere
    np.testing.assert_array_equal(feat.color_histogram(GRAY_U8, bins=5), [GRAY_U8.size, 0, 0, 0, 0])


def test_rgba_is_composited_over_white_and_float_agrees_with_uint8():
    transparent = np.zeros((4, 5, 4), np.uint8)  # black, fully transparent: white on screen
    np.testing.assert_array_equal(feat.color_histogram(transparent, bins=4, space="gray"), [0, 0, 0, 20])
    opaque = np.concatenate([RGB_U8, np.full((40, 56, 1), 255, np.uint8)], axis=2)
    np.testing.assert_array_equal(
        feat.color_histogram(opaque, space="rgb"), feat.color_histogram(RGB_U8, space="rgb")
    )
    as_float = solid((255, 0, 0)).astype(float) / 255
    np.testing.assert_array_equal(
        feat.color_histogram(as_float, bins=6), feat.color_histogram(solid((255, 0, 0)), bins=6)
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"space": "lab"}, "space must be one of"),
        ({"bins": 0}, "bins must be in 1..256"),
        ({"bins": 257}, "bins must be in 1..256"),
    ],
)
def test_color_histogram_refuses_bad_options(kwargs, match):
    with pytest.raises(ValueError, match=match):
        feat.color_histogram(RGB_U8, **kwargs)


# ---- 5. bag of visual words ----------------------------------------------------------------------------

BOW_IMAGES = [GRAY_U8, RGB_U8, RGB_F, np.concatenate([RGB_U8, np.full((40, 56, 1), 200, np.uint8)], axis=2)]


@pytest.mark.parametrize(("patch", "k", "per_image"), [(8, 16, 200), (4, 5, 30), (16, 2, 50)])
def test_bag_of_words_shapes_and_counts(patch, k, per_image):
    bow = feat.bag_of_words(BOW_IMAGES, patch=patch, k=k, seed=0, patches_per_image=per_image)
    assert bow.centers.shape == (k, patch * patch)
    assert bow.histograms.shape == (len(BOW_IMAGES), k)
    np.testing.assert_array_equal(bow.histograms.sum(axis=1), [per_image] * len(BOW_IMAGES))
    assert bow.patch == patch
    assert np.all(np.isfinite(bow.centers))
    np.testing.assert_allclose(bow.centers.mean(axis=1), 0.0, atol=1e-12)  # patches are brightness-free


def test_bag_of_words_default_is_16_words_of_8_by_8_and_200_patches():
    bow = feat.bag_of_words(BOW_IMAGES[:2])
    assert bow.centers.shape == (16, 64)
    assert bow.histograms.shape == (2, 16)
    np.testing.assert_array_equal(bow.histograms.sum(axis=1), [200, 200])


def test_bag_of_words_is_deterministic_per_seed():
    a = feat.bag_of_words(BOW_IMAGES, patch=6, k=8, seed=7, patches_per_image=60)
    b = feat.bag_of_words(BOW_IMAGES, patch=6, k=8, seed=7, patches_per_image=60)
    np.testing.assert_array_equal(a.centers, b.centers)
    np.testing.assert_array_equal(a.histograms, b.histograms)
    c = feat.bag_of_words(BOW_IMAGES, patch=6, k=8, seed=8, patches_per_image=60)
    assert not np.array_equal(a.centers, c.centers)


def test_random_patches_are_centred_crops():
    rng = np.random.default_rng(0)
    patches = feat.random_patches(GRAY_U8, 5, 12, rng)
    assert patches.shape == (12, 25)
    np.testing.assert_allclose(patches.mean(axis=1), 0.0, atol=1e-12)
    gray = GRAY_U8 / 255.0
    crops = {
        tuple(np.round(gray[y : y + 5, x : x + 5].ravel() - gray[y : y + 5, x : x + 5].mean(), 12))
        for y in range(36)
        for x in range(52)
    }
    assert all(tuple(np.round(p, 12)) in crops for p in patches)


@pytest.mark.parametrize(
    ("images", "kwargs", "match"),
    [
        ([], {}, "at least one image"),
        ([GRAY_U8], {"patch": 1}, "patch must be in 2..32"),
        ([GRAY_U8], {"patch": 33}, "patch must be in 2..32"),
        ([GRAY_U8], {"k": 1}, "k must be in 2..64"),
        ([GRAY_U8], {"k": 65}, "k must be in 2..64"),
        ([GRAY_U8, np.zeros((6, 40))], {"patch": 8}, "smaller than one 8 x 8 patch"),
        ([GRAY_U8], {"k": 20, "patches_per_image": 10}, "only 10 patches for k = 20"),
    ],
)
def test_bag_of_words_refuses_bad_input(images, kwargs, match):
    with pytest.raises(ValueError, match=match):
        feat.bag_of_words(images, **kwargs)


# ---- 6. features vs pixels on scikit-image's faces -----------------------------------------------------


@pytest.fixture(scope="module")
def faces():
    images = skimage.data.lfw_subset()
    return images, np.array([1] * 100 + [0] * 100)  # 100 faces, then 100 non-faces


def test_featurize_gives_one_row_per_image(faces):
    images, _ = faces
    few = images[:3]
    assert feat.featurize(few, "pixels").shape == (3, 625)
    assert feat.featurize(few, "hog").shape == (3, feat.hog_length(25, 25, pixels_per_cell=5))
    hist = feat.featurize(few, "histogram")
    assert hist.shape == (3, 16)
    np.testing.assert_allclose(hist.sum(axis=1), 1.0)  # shares of the pixels
    with pytest.raises(ValueError, match="kind must be one of"):
        feat.featurize(few, "sift")


def test_features_vs_pixels_beats_chance_and_is_deterministic(faces):
    images, labels = faces
    first = feat.features_vs_pixels(images, labels, seed=0)
    assert set(first.accuracy) == set(first.train_accuracy) == set(feat.FEATURE_KINDS)
    for kind in feat.FEATURE_KINDS:
        assert 0.0 <= first.accuracy[kind] <= 1.0
        assert 0.0 <= first.train_accuracy[kind] <= 1.0
    assert first.accuracy["pixels"] > 0.6
    assert first.accuracy["hog"] > 0.6
    assert first.dims == {"pixels": 625, "hog": 225, "histogram": 16}
    assert (first.n_train, first.n_test) == (140, 60)
    # the test split has 60 images: every accuracy is a whole number of them
    for kind in feat.FEATURE_KINDS:
        assert abs(first.accuracy[kind] * 60 - round(first.accuracy[kind] * 60)) < 1e-9
    again = feat.features_vs_pixels(images, labels, seed=0)
    assert again == first

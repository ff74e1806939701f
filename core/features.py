"""Hand-designed image features: colour histograms, HoG, bags of visual words.

Before ConvNets, an image was turned into a feature vector by fixed rules and a
linear classifier was trained on that vector. This module computes those
features with scikit-image (HoG, colour conversion) and SciPy (k-means), and
runs the lecture's comparison on scikit-image's labelled faces.

Reference: CS231n Lecture 3, "Image features"; Dalal & Triggs (2005) for HoG.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.cluster.vq import kmeans2, vq
from skimage import color
from skimage import feature as skfeature

from core.checks import choice, finite_array, grid_cell, integer
from core.linear import accuracy
from core.optim import train

SPACES = ("hsv", "rgb", "gray")


def as_float_image(image) -> np.ndarray:
    """An image as float64 in [0, 1]: (H, W) grayscale or (H, W, 3) RGB.

    Accepts grayscale, RGB or RGBA, uint8 (0..255) or float (0..1). RGBA is
    composited over white. Raises ValueError for empty, non-finite, or
    wrongly shaped input.
    """
    arr = np.asarray(image)
    if arr.size == 0 or arr.ndim not in (2, 3) or min(arr.shape[:2]) == 0:
        raise ValueError(
            f"image must be a non-empty (H, W), (H, W, 3) or (H, W, 4) array, got shape {arr.shape}"
        )
    if arr.ndim == 3 and arr.shape[2] not in (3, 4):
        raise ValueError(f"a colour image must have 3 (RGB) or 4 (RGBA) channels, got {arr.shape[2]}")
    if arr.dtype == np.uint8:
        img = arr.astype(np.float64) / 255.0
    elif arr.dtype.kind in "fiu" and arr.dtype != np.bool_:
        img = finite_array("image", arr)
        if arr.dtype.kind in "iu":  # other integer types: scale by their range
            img = img / float(np.iinfo(arr.dtype).max)
        img = np.clip(img, 0.0, 1.0)
    else:
        raise ValueError(f"image must be uint8 or float, got dtype {arr.dtype}")
    if img.ndim == 3 and img.shape[2] == 4:  # composite over white
        alpha = img[..., 3:4]
        img = img[..., :3] * alpha + (1.0 - alpha)
    return img


def to_gray(image) -> np.ndarray:
    """Luminance in [0, 1], shape (H, W)."""
    img = as_float_image(image)
    return color.rgb2gray(img) if img.ndim == 3 else img


def hog_length(
    height: int, width: int, *, orientations: int = 9, pixels_per_cell: int = 8, cells_per_block: int = 1
) -> int:
    """Length of the HoG feature vector of a height x width image.

    Cells are pixels_per_cell square (partial cells at the edges are dropped);
    blocks of cells_per_block x cells_per_block cells slide one cell at a time,
    and each block contributes cells_per_block^2 * orientations numbers. With the
    defaults a 320 x 240 image gives 40 x 30 cells x 9 bins = 10 800.
    """
    orientations, pixels_per_cell, cells_per_block = _check_hog_args(
        orientations, pixels_per_cell, cells_per_block
    )
    cells_y, cells_x = int(height) // pixels_per_cell, int(width) // pixels_per_cell
    if cells_y < cells_per_block or cells_x < cells_per_block:
        raise ValueError(
            f"a {height} x {width} image is smaller than one block of {cells_per_block} x "
            f"{cells_per_block} cells of {pixels_per_cell} x {pixels_per_cell} pixels"
        )
    blocks_y, blocks_x = cells_y - cells_per_block + 1, cells_x - cells_per_block + 1
    return blocks_y * blocks_x * cells_per_block**2 * orientations


def _check_hog_args(orientations, pixels_per_cell, cells_per_block) -> tuple[int, int, int]:
    return (
        integer("orientations", orientations, 1, 36),
        integer("pixels_per_cell", pixels_per_cell, 2, 128),
        integer("cells_per_block", cells_per_block, 1, 8),
    )


def hog(
    image, *, orientations: int = 9, pixels_per_cell: int = 8, cells_per_block: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Histogram of oriented gradients (skimage.feature.hog on the grayscale image).

    Returns
    -------
    features : ndarray, shape (hog_length(H, W, ...),)
    visualization : ndarray, shape (H, W)
        The HoG picture: in each cell, a star of lines whose brightness is the
        strength of each orientation.
    """
    gray = to_gray(image)
    o, p, c = _check_hog_args(orientations, pixels_per_cell, cells_per_block)
    n = hog_length(*gray.shape, orientations=o, pixels_per_cell=p, cells_per_block=c)
    features, vis = skfeature.hog(
        gray,
        orientations=o,
        pixels_per_cell=(p, p),
        cells_per_block=(c, c),
        block_norm="L2-Hys",
        visualize=True,
        feature_vector=True,
    )
    assert features.shape == (n,)
    return features, vis


def cell_histogram(image, row: int, col: int, *, orientations: int = 9, pixels_per_cell: int = 8):
    """One cell's gradient orientations and its (unnormalized) orientation histogram.

    Returns (angles (P,), magnitudes (P,), histogram (orientations,)), angles in
    degrees in [0, 180) (unsigned gradients, as HoG uses), the histogram the
    magnitude-weighted count per orientation bin.
    """
    gray = to_gray(image)
    orientations, p, _ = _check_hog_args(orientations, pixels_per_cell, 1)
    row, col = grid_cell(row, col, gray.shape[0] // p, gray.shape[1] // p)
    gy, gx = np.gradient(gray)
    sl = (slice(row * p, (row + 1) * p), slice(col * p, (col + 1) * p))
    mag = np.hypot(gx[sl], gy[sl]).ravel()
    ang = (np.degrees(np.arctan2(gy[sl], gx[sl])) % 180.0).ravel()
    hist, _ = np.histogram(ang, bins=orientations, range=(0.0, 180.0), weights=mag)
    return ang, mag, hist


def color_histogram(image, *, bins: int = 10, space: str = "hsv") -> np.ndarray:
    """Pixel counts per colour bin.

    ``"hsv"``: counts of hue in ``bins`` equal bins over [0, 1) (the counts sum
    to the number of pixels). ``"rgb"``: shape (3, bins), one row per channel.
    ``"gray"``: counts of intensity.
    """
    choice("space", space, SPACES)
    bins = integer("bins", bins, 1, 256)
    img = as_float_image(image)
    if space == "gray":
        values = img if img.ndim == 2 else color.rgb2gray(img)
        return np.histogram(values, bins=bins, range=(0.0, 1.0))[0]
    rgb = img if img.ndim == 3 else np.repeat(img[..., None], 3, axis=2)
    if space == "hsv":
        hue = color.rgb2hsv(rgb)[..., 0]
        return np.histogram(hue, bins=bins, range=(0.0, 1.0))[0]
    return np.stack([np.histogram(rgb[..., c], bins=bins, range=(0.0, 1.0))[0] for c in range(3)])


# ---- bag of visual words -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BagOfWords:
    centers: np.ndarray  # (k, patch * patch) the codebook of visual words
    histograms: np.ndarray  # (n_images, k) word counts per image
    patch: int


def random_patches(image, patch: int, count: int, rng) -> np.ndarray:
    """``count`` random patch x patch grayscale patches, each flattened and centred: (count, patch^2)."""
    gray = to_gray(image)
    h, w = gray.shape
    if h < patch or w < patch:
        raise ValueError(f"a {h} x {w} image is smaller than one {patch} x {patch} patch")
    ys = rng.integers(0, h - patch + 1, count)
    xs = rng.integers(0, w - patch + 1, count)
    out = np.stack([gray[y : y + patch, x : x + patch].ravel() for y, x in zip(ys, xs, strict=True)])
    return out - out.mean(axis=1, keepdims=True)  # brightness removed: words describe texture


def bag_of_words(
    images, *, patch: int = 8, k: int = 16, seed: int = 0, patches_per_image: int = 200
) -> BagOfWords:
    """A k-means codebook of random patches, and each image's histogram of visual words.

    Parameters
    ----------
    images : sequence of images (any sizes, each at least patch x patch)
    patch : int, 2..32
    k : int, 2..64, number of visual words
    seed : int, seeds patch sampling and k-means
    """
    patch, k = integer("patch", patch, 2, 32), integer("k", k, 2, 64)
    if len(images) == 0:
        raise ValueError("bag_of_words needs at least one image")
    rng = np.random.default_rng(seed)
    per_image = [random_patches(img, patch, int(patches_per_image), rng) for img in images]
    data = np.concatenate(per_image)  # (n_images * patches_per_image, patch^2)
    if data.shape[0] < k:
        raise ValueError(f"only {data.shape[0]} patches for k = {k} words")
    centers, _ = kmeans2(data, k, seed=rng, minit="++")
    hists = np.stack([np.bincount(vq(p, centers)[0], minlength=k) for p in per_image])
    return BagOfWords(centers, hists, patch)


# ---- features vs raw pixels on labelled faces ----------------------------------------------------------

FEATURE_KINDS = ("pixels", "hog", "histogram")


def featurize(images, kind: str, *, pixels_per_cell: int = 5, bins: int = 16) -> np.ndarray:
    """A (n, d) feature matrix: raw pixels, HoG, or an intensity histogram of each image."""
    choice("kind", kind, FEATURE_KINDS)
    if kind == "pixels":
        return np.stack([to_gray(im).ravel() for im in images])
    if kind == "hog":
        return np.stack([hog(im, pixels_per_cell=pixels_per_cell)[0] for im in images])
    return np.stack([color_histogram(im, bins=bins, space="gray") / to_gray(im).size for im in images])


@dataclass(frozen=True)
class Comparison:
    accuracy: dict  # kind -> test accuracy
    train_accuracy: dict
    dims: dict  # kind -> feature length
    n_train: int
    n_test: int


def features_vs_pixels(
    images,
    labels,
    *,
    seed: int = 0,
    test_fraction: float = 0.3,
    steps: int = 300,
    lr: float = 0.01,
    reg: float = 1e-3,
) -> Comparison:
    """Train core's softmax classifier on each feature kind; report test accuracy.

    Features are standardized with the training split's mean and std; the same
    seeded split, optimizer and budget are used for every kind.
    """
    labels = np.asarray(labels)
    n = len(labels)
    order = np.random.default_rng(seed).permutation(n)
    n_test = round(test_fraction * n)
    test, tr = order[:n_test], order[n_test:]
    acc, train_acc, dims = {}, {}, {}
    for kind in FEATURE_KINDS:
        F = featurize(images, kind)
        mu, sd = F[tr].mean(axis=0), F[tr].std(axis=0) + 1e-8
        F = (F - mu) / sd
        hist = train(
            F[tr],
            labels[tr],
            optimizer="adam",
            lr=lr,
            steps=steps,
            loss="softmax",
            reg=reg,
            seed=seed,
            record_params=True,
        )
        W, b = hist.W[-1], hist.b[-1]
        acc[kind] = accuracy(W, b, F[test], labels[test])
        train_acc[kind] = accuracy(W, b, F[tr], labels[tr])
        dims[kind] = F.shape[1]
    return Comparison(acc, train_acc, dims, len(tr), len(test))

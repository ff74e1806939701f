"""What the image-features chapter shows beside its numbers, computed: HoG's grid of cells and
blocks, the HoG picture, one cell up close, and the codebook of visual words as one picture.

Every picture is a float array in [0, 1] (gray (H, W) unless said otherwise); drawing it, and
writing text on it, is the ui's job.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.checks import finite_array, grid_cell, integer
from core.features import hog_length, to_gray


@dataclass(frozen=True)
class HogGrid:
    """How HoG cuts an image: ``cells`` and ``blocks`` as (rows, columns), and the feature length."""

    cells: tuple[int, int]
    blocks: tuple[int, int]
    length: int


def hog_grid(
    height: int, width: int, *, orientations: int = 9, pixels_per_cell: int = 8, cells_per_block: int = 1
) -> HogGrid:
    """The cells and blocks of a ``height`` x ``width`` image, and its HoG length.

    Partial cells at the right and bottom edges are dropped; blocks of ``cells_per_block`` squared
    cells slide one cell at a time. Raises ValueError (from ``hog_length``) for bad settings or an
    image smaller than one block.

    Examples
    --------
    The lecture's 320 x 240 image (H x W = 240 x 320):

    >>> hog_grid(240, 320)
    HogGrid(cells=(30, 40), blocks=(30, 40), length=10800)

    Blocks of 2 x 2 cells on a 300 x 451 picture: 17 x 27 blocks x 2^2 cells x 9 bins.

    >>> hog_grid(300, 451, pixels_per_cell=16, cells_per_block=2)
    HogGrid(cells=(18, 28), blocks=(17, 27), length=16524)
    """
    length = hog_length(
        height,
        width,
        orientations=orientations,
        pixels_per_cell=pixels_per_cell,
        cells_per_block=cells_per_block,
    )
    cells = (int(height) // int(pixels_per_cell), int(width) // int(pixels_per_cell))
    blocks = (cells[0] - int(cells_per_block) + 1, cells[1] - int(cells_per_block) + 1)
    return HogGrid(cells, blocks, length)


def hog_picture(image, visualization, *, overlay: bool = False) -> np.ndarray:
    """HoG's picture (``hog``'s second result) scaled to [0, 1]; with ``overlay``, drawn over the
    image's luminance dimmed to 45 % (clipped to [0, 1]) so the stars show where the edges are.

    >>> vis = np.array([[0.0, 2.0], [1.0, 0.5]])
    >>> hog_picture(np.zeros((2, 2)), vis)
    array([[0.  , 1.  ],
           [0.5 , 0.25]])
    >>> hog_picture(np.ones((2, 2)), vis, overlay=True)
    array([[0.45, 1.  ],
           [0.95, 0.7 ]])
    """
    vis = np.asarray(visualization, dtype=float)
    top = vis.max()
    vis = vis / top if top > 0 else vis
    if not overlay:
        return vis
    gray = to_gray(image)
    if gray.shape != vis.shape:
        raise ValueError(f"the image ({gray.shape}) and its HoG picture ({vis.shape}) differ in size")
    return np.clip(0.45 * gray + vis, 0.0, 1.0)


def cell_zoom(image, row: int, col: int, *, pixels_per_cell: int = 8, size: int = 160) -> np.ndarray:
    """The luminance of cell (``row``, ``col``), each pixel a square block, about ``size`` pixels
    across (at least the cell itself).

    >>> cell_zoom(np.arange(16.0).reshape(4, 4) / 15, 1, 0, pixels_per_cell=2, size=4).round(2)
    array([[0.53, 0.53, 0.6 , 0.6 ],
           [0.53, 0.53, 0.6 , 0.6 ],
           [0.8 , 0.8 , 0.87, 0.87],
           [0.8 , 0.8 , 0.87, 0.87]])
    """
    gray, p = to_gray(image), integer("pixels_per_cell", pixels_per_cell, 1)
    row, col = grid_cell(row, col, gray.shape[0] // p, gray.shape[1] // p)
    crop = gray[row * p : (row + 1) * p, col * p : (col + 1) * p]
    scale = max(1, int(size) // p)
    return np.kron(crop, np.ones((scale, scale)))


@dataclass(frozen=True)
class Mosaic:
    """The codebook as one picture: ``picture`` (H, W) in [0, 1] on white, and ``corners`` (k, 2),
    the top-left (y, x) of word k's tile; the ``strip`` pixels under each tile are left white
    for its number."""

    picture: np.ndarray
    corners: np.ndarray
    tile: int
    strip: int


def codebook_mosaic(centers, *, scale: int = 6, gap: int = 4, strip: int = 0) -> Mosaic:
    """The k visual words of a codebook as tiles in one picture, word 0 first, row by row.

    Each word (a row of ``centers``, a flattened P x P patch with its brightness removed) is
    contrast-stretched to [0, 1] (a flat word is mid-gray), enlarged ``scale`` times, and placed
    in a grid of ceil(sqrt(k)) columns, ``gap`` white pixels apart, with a white strip of
    ``strip`` pixels under each tile.

    Parameters
    ----------
    centers : array, shape (k, P * P), finite; ``BagOfWords.centers``
    scale : int, 1..64
    gap, strip : int, 0..256

    Examples
    --------
    Two 2 x 2 words side by side, one pixel apart: a ramp and a flat word.

    >>> mosaic = codebook_mosaic([[0.0, 1.0, 2.0, 3.0], [5.0, 5.0, 5.0, 5.0]], scale=1, gap=1)
    >>> mosaic.picture.round(2)
    array([[1.  , 1.  , 1.  , 1.  , 1.  , 1.  , 1.  ],
           [1.  , 0.  , 0.33, 1.  , 0.5 , 0.5 , 1.  ],
           [1.  , 0.67, 1.  , 1.  , 0.5 , 0.5 , 1.  ],
           [1.  , 1.  , 1.  , 1.  , 1.  , 1.  , 1.  ]])
    >>> mosaic.corners.tolist()
    [[1, 1], [1, 4]]
    """
    words = finite_array("centers", centers, ndim=2)
    if words.shape[0] == 0:
        raise ValueError(f"centers must be a non-empty (k, P * P) array, got shape {words.shape}")
    patch = round(np.sqrt(words.shape[1]))
    if patch * patch != words.shape[1] or patch == 0:
        raise ValueError(f"each word must be a flattened square patch, got {words.shape[1]} numbers")
    scale = integer("scale", scale, 1, 64)
    gap, strip = integer("gap", gap, 0, 256), integer("strip", strip, 0, 256)
    k, tile = words.shape[0], patch * scale
    cols = int(np.ceil(np.sqrt(k)))
    rows = int(np.ceil(k / cols))
    low, span = words.min(axis=1, keepdims=True), np.ptp(words, axis=1, keepdims=True)
    stretched = np.where(span > 0, (words - low) / np.where(span > 0, span, 1.0), 0.5)
    picture = np.ones((rows * (tile + strip + gap) + gap, cols * (tile + gap) + gap))
    r, q = np.divmod(np.arange(k), cols)
    corners = np.stack([gap + r * (tile + strip + gap), gap + q * (tile + gap)], axis=1)
    for (y, x), word in zip(corners, stretched, strict=True):
        picture[y : y + tile, x : x + tile] = np.kron(word.reshape(patch, patch), np.ones((scale, scale)))
    return Mosaic(picture, corners, tile, strip)


def example_rows(*rows) -> np.ndarray:
    """Same-sized pictures side by side, one row of them under another (every row as long).

    >>> example_rows([np.zeros((1, 2)), np.ones((1, 2))], [np.ones((1, 2)), np.zeros((1, 2))])
    array([[0., 0., 1., 1.],
           [1., 1., 0., 0.]])
    """
    return np.concatenate([np.concatenate([np.asarray(p, dtype=float) for p in row], axis=1) for row in rows])

"""The image-features page's questions: how long a HoG vector is (the lecture's 640 × 480 image,
with blocks, and the image on screen) and how long the colour histogram is.

Inputs (what /features has on screen; its settings, ``ui.settings.features``, plus the image):

- ``image``: the image the page shows (the sample or upload picked), uint8 (H, W) or (H, W, 3).
- ``orient``, ``ppc``, ``cpb``: the HoG tab's orientation bins, pixels per cell and cells per
  block (settings of those names; 9, 8 and 1 by default).
- ``bins``: the colour tab's bins per channel (setting ``bins``).

Lengths are computed as core's HoG sizes its descriptor (``core.feature_pictures.hog_grid``, whose
length is ``core.features.hog_length``, the length ``core.features.hog`` asserts its
scikit-image descriptor has): running HoG itself on 640 × 480 takes about a second.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import skimage.data

from core.checks import integer
from core.feature_pictures import hog_grid
from core.features import color_histogram
from core.quiz.question import Answer, Question

LECTURE_SIZE = (480, 640)  # the lecture's question: a 640 × 480 image (H × W)
BLOCK = 2  # Dalal & Triggs' blocks of 2 × 2 cells


def _settings(inputs: Mapping) -> dict:
    """The HoG tab's settings as whole numbers (3.0 counts as 3; 3.5 is refused, never rounded)."""
    return {name: integer(name, inputs[name], 1) for name in ("orient", "ppc", "cpb")}


def _size(inputs: Mapping) -> dict:
    height, width = np.shape(inputs["image"])[:2]
    return {"height": int(height), "width": int(width)}


def _hog(
    height: int, width: int, orient: int, ppc: int, cpb: int, *, blocks_why: str = "why_blocks"
) -> Answer:
    """The HoG length of a height × width image, its cells and blocks, and the usual slips."""
    grid = hog_grid(height, width, orientations=orient, pixels_per_cell=ppc, cells_per_block=cpb)
    (cy, cx), (by, bx) = grid.cells, grid.blocks
    facts = {
        "height": height,
        "width": width,
        "orient": orient,
        "ppc": ppc,
        "cpb": cpb,
        "cells_y": cy,
        "cells_x": cx,
        "cells": cy * cx,
        "blocks_y": by,
        "blocks_x": bx,
        "blocks": by * bx,
        "per_block": cpb * cpb * orient,
        "length": grid.length,
    }
    rounded_up = math.ceil(height / ppc) * math.ceil(width / ppc)  # partial cells kept
    slips = (
        cy * cx,  # the cells, without their bins
        cy * cx * orient,  # blocks forgotten (the answer itself with 1 cell per block)
        rounded_up * orient,  # partial cells at the edges kept
        height * width // ppc * orient,  # divided by the cell's side, not its area
        height * width * orient,  # a histogram per pixel
    )
    return Answer(float(grid.length), facts, "why" if cpb == 1 else blocks_why, tuple(map(float, slips)))


def hog_640(inputs: Mapping) -> Answer:
    """The HoG length of the lecture's 640 × 480 image with the HoG tab's cells, bins and blocks."""
    return _hog(*LECTURE_SIZE, **_settings(inputs))


def hog_640_blocks(inputs: Mapping) -> Answer:
    """The same with blocks of 2 × 2 cells sliding one cell at a time (Dalal & Triggs)."""
    return _hog(*LECTURE_SIZE, **dict(_settings(inputs), cpb=BLOCK), blocks_why="why")


def hog_image(inputs: Mapping) -> Answer:
    """The HoG length of the image on screen with the HoG tab's settings."""
    size = _size(inputs)
    return _hog(size["height"], size["width"], **_settings(inputs))


def rgb_length(inputs: Mapping) -> Answer:
    """How many numbers the RGB histogram has: 3 channels × bins (one histogram per channel).

    The length does not depend on the pixels, so core's histogram runs on one pixel of the image.
    """
    bins = integer("bins", inputs["bins"], 1, 256)
    rgb = color_histogram(np.asarray(inputs["image"])[:1, :1], bins=bins, space="rgb")
    facts = {"bins": bins, "channels": rgb.shape[0], "length": int(rgb.size), "joint": bins**3}
    return Answer(float(rgb.size), facts, mistakes=(float(bins), float(bins**3), 3.0))


def _given_hog(inputs: Mapping) -> dict:
    return _settings(inputs)


def _given_image(inputs: Mapping) -> dict:
    return {**_settings(inputs), **_size(inputs)}


def _given_bins(inputs: Mapping) -> dict:
    return {"bins": integer("bins", inputs["bins"], 1, 256)}


QUESTIONS = (
    Question("features.hog_640", "number", hog_640, relative=0.001, close=50.0, given=_given_hog),
    Question(
        "features.hog_640_blocks", "number", hog_640_blocks, relative=0.001, close=50.0, given=_given_hog
    ),
    Question("features.hog_image", "number", hog_image, relative=0.001, close=50.0, given=_given_image),
    Question("features.rgb_length", "number", rgb_length, relative=0.001, close=50.0, given=_given_bins),
)


def lecture_inputs() -> dict:
    """The page's defaults: scikit-image's chelsea (300 × 451), 9 bins, 8 × 8 cells, 1 cell per block,
    10 colour bins.

    >>> inputs = lecture_inputs()
    >>> [int(q.solve(inputs).value) for q in QUESTIONS]
    [43200, 167796, 18648, 30]
    """
    return {"image": skimage.data.chelsea(), "orient": 9, "ppc": 8, "cpb": 1, "bins": 10}

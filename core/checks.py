"""Checks at the entry of core's public functions, shared so every refusal reads the same.

Each helper returns the value converted (a float, an int, an array) or raises ``ValueError``
with a message that names the argument, says what is allowed and shows what it got:

>>> number("margin", -1, low=0)
Traceback (most recent call last):
...
ValueError: margin must be a finite number >= 0, got -1
"""

from __future__ import annotations

import math
import operator

import numpy as np


def choice(name: str, value, allowed):
    """``value`` if it is one of ``allowed``, else ValueError.

    >>> choice("loss", "svm", ("svm", "softmax"))
    'svm'
    """
    if isinstance(value, bool) or value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")
    return value


def number(
    name: str,
    value,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``value`` as a finite float in the given range (closed ends unless ``*_open``).

    >>> number("noise", 0.5, low=0, high=1)
    0.5
    """
    lo = "" if low is None else f"{'>' if low_open else '>='} {low:g}"
    hi = "" if high is None else f"{'<' if high_open else '<='} {high:g}"
    if low is not None and high is not None:
        lo, hi = f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}", ""
    allowed = f"a finite number {lo}{hi}".rstrip()
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    too_low = low is not None and (x <= low if low_open else x < low)
    too_high = high is not None and (x >= high if high_open else x > high)
    if isinstance(value, bool) or not math.isfinite(x) or too_low or too_high:
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return x


def integer(name: str, value, low: int, high: int | None = None) -> int:
    """``value`` as an int in ``low..high`` (or >= low); a float counts only if whole (3.0, not 3.5).

    >>> integer("k", 16.0, 2, 64)
    16
    """
    k = _whole(value)
    if k is None or k < low or (high is not None and k > high):
        allowed = f"in {low}..{high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be {allowed} (a whole number), got {value!r}")
    return k


def _whole(value) -> int | None:
    """``value`` as an int if it is a whole number (not a bool), else None."""
    if isinstance(value, bool):
        return None
    try:
        return int(operator.index(value))
    except TypeError:
        return int(value) if isinstance(value, float | np.floating) and float(value).is_integer() else None


def class_labels(name: str, value, n_classes: int) -> np.ndarray:
    """``value`` as an intp array of class indices, every entry a whole number in 0..n_classes - 1
    (2.0 counts as 2; NaN, bools and text do not).

    >>> class_labels("y", [0, 2.0, 1], 3)
    array([0, 2, 1])
    >>> class_labels("labels", [0.0, 1.5], 3)
    Traceback (most recent call last):
    ...
    ValueError: labels must be class indices in 0..2 (whole numbers); labels[1] is 1.5
    """
    y = np.asarray(value)
    allowed = f"{name} must be class indices in 0..{n_classes - 1} (whole numbers)"
    if y.dtype.kind not in "iuf":
        raise ValueError(f"{allowed}, got {y.tolist()} (dtype {y.dtype})")
    with np.errstate(invalid="ignore"):
        bad = (y < 0) | (y >= n_classes)
        if y.dtype.kind == "f":
            bad |= ~np.isfinite(y) | (y != np.round(y))
    if np.any(bad):
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{allowed}; {name}{list(first)} is {y[first]}")
    return y.astype(np.intp)


def grid_cell(row, col, rows: int, cols: int) -> tuple[int, int]:
    """(``row``, ``col``) as ints if they name one of an image's ``rows`` x ``cols`` cells
    (counted from 0), else ValueError.

    >>> grid_cell(1, 2.0, 3, 4)
    (1, 2)
    >>> grid_cell(3, 0, 3, 4)
    Traceback (most recent call last):
    ...
    ValueError: cell (3, 0) is outside the image's 3 x 4 cells
    """
    r, c = _whole(row), _whole(col)
    if r is None or c is None or not (0 <= r < rows and 0 <= c < cols):
        raise ValueError(f"cell ({row!r}, {col!r}) is outside the image's {rows} x {cols} cells")
    return r, c


def finite_array(name: str, value, *, ndim: int | None = None) -> np.ndarray:
    """``value`` as a float64 array of finite numbers (of ``ndim`` dimensions when given).

    >>> finite_array("x", [1.0, float("nan")])
    Traceback (most recent call last):
    ...
    ValueError: x must be finite numbers; x[1] is nan
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers, got {exc}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(f"{name} must be finite numbers; {name}{list(bad)} is {arr[bad]}")
    return arr

"""How every number on screen is written: one format for tables, captions and derivations.

Two rules hold everywhere:

- a nonzero value never prints as 0 (``0.00092`` is ``9.2 × 10⁻⁴``, not ``0.00``), and small
  values keep two significant digits (``0.055``, not ``0.06``);
- a power of ten is written as one: ``2.1 × 10⁻³`` in text, ``2.1 \\times 10^{-3}`` in LaTeX,
  never ``2.1e-03`` (which LaTeX renders as a subtraction).

``fmt`` gives fixed decimals (tables and metrics: columns line up), ``short`` the slide's style
(no trailing zeros, for sums written out), and ``latex`` the same as ``short`` for ``st.latex``.
Pure Python: no Streamlit, so the figures and the tests can use it too.
"""

from __future__ import annotations

import math

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
SIGNIFICANT = 2  # digits kept for values too small for the fixed decimals
LARGE = 1e7  # from here on, scientific notation (a 645 298 loss still prints in full)


def _split(value: float, sig: int) -> tuple[str, int]:
    """Mantissa text and exponent of ``value`` with ``sig`` significant digits (9.2, -4)."""
    mantissa, exponent = f"{value:.{sig - 1}e}".split("e")
    return mantissa, int(exponent)


def _scientific(value: float, sig: int, *, tex: bool) -> str:
    mantissa, exponent = _split(value, sig)
    if tex:
        return rf"{mantissa} \times 10^{{{exponent}}}"
    return f"{mantissa} × 10{str(exponent).translate(_SUPERSCRIPT)}"


def _special(value: float) -> str | None:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return None


def _decimals(value: float, digits: int) -> int | None:
    """Decimals that show ``value`` with at least SIGNIFICANT digits; None: use scientific."""
    size = abs(value)
    if size >= LARGE or size < 10.0**-digits:
        return None
    if size >= 10.0 ** (SIGNIFICANT - 1 - digits):
        return digits
    return SIGNIFICANT - 1 - math.floor(math.log10(size))


def _fixed(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def fmt(value: float, digits: int = 2, *, tex: bool = False) -> str:
    """A number with ``digits`` decimals, as a table shows it; small values keep 2 digits.

    >>> [fmt(v) for v in (2.04035, 0, 0.055, 0.00092, -1.7, 1e-48)]
    ['2.04', '0.00', '0.055', '9.2 × 10⁻⁴', '-1.70', '1.0 × 10⁻⁴⁸']
    """
    value = float(value)
    special = _special(value)
    if special is not None:
        return special
    if value == 0:
        return _fixed(0.0, digits)
    decimals = _decimals(value, digits)
    if decimals is None:
        return _scientific(value, SIGNIFICANT, tex=tex)
    return _fixed(value, decimals)


def short(value: float, digits: int = 2, *, tex: bool = False) -> str:
    """A number as the slides print it: like ``fmt`` but without trailing zeros (2.9, 2, 0.13).

    >>> [short(v) for v in (2.9, 2.0, -0.0, 0.0021, 12.9)]
    ['2.9', '2', '0', '2.1 × 10⁻³', '12.9']
    """
    text = fmt(value, digits, tex=tex)
    if "." not in text or ("10" in text and "×" in text) or r"\times" in text:
        return text  # a whole number, or scientific (its mantissa keeps its digits)
    text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def latex(value: float, digits: int = 2) -> str:
    """``short`` for LaTeX: ``2.1 \\times 10^{-3}``."""
    return short(value, digits, tex=True)


def exp_value(value: float, *, tex: bool = False) -> str:
    """An exponential as the softmax slide prints it: 24.5, 164.0, 0.18 (one decimal from 1 up,
    two significant digits below; scientific from 10⁷ up or under 10⁻²).

    >>> [exp_value(v) for v in (24.5325, 164.0219, 0.18268, 188.7371)]
    ['24.5', '164.0', '0.18', '188.7']
    """
    value = float(value)
    if value == 0:
        return "0"  # exactly 0 in float64: e^s underflowed
    if 1 <= abs(value) < LARGE:
        return f"{value:.1f}"
    return fmt(value, tex=tex)


def percent(fraction: float, decimals: int = 0) -> str:
    """An accuracy or other fraction as a percentage, one style for every page: ``83 %``."""
    return f"{100 * float(fraction):.{decimals}f} %"


def nudged(value: float, h: float) -> str:
    """``value`` after adding a step ``h``, with enough decimals to see the step: at h = 10⁻¹⁰,
    W + h = 1.0000000001, never "1" (up to the 17 significant digits a float64 holds).

    >>> nudged(1.0 + 1e-10, 1e-10), nudged(-0.5 + 1e-3, 1e-3)
    ('1.0000000001', '-0.499')
    """
    value, h = float(value), abs(float(h))
    if not math.isfinite(value) or not math.isfinite(h) or h == 0:
        return fmt(value, 4)
    decimals = max(4, -math.floor(math.log10(h)))
    whole = max(1, math.floor(math.log10(abs(value))) + 1) if value != 0 else 1
    decimals = min(decimals, max(4, 17 - whole))
    text = f"{value:.{decimals}f}".rstrip("0")
    return text + "0" if text.endswith(".") else text

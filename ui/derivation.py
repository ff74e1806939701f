"""The slide's derivations as text, built from core's numbers.

``svm_latex`` writes L_i the way the slide does, e.g.
``max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9 + 0 = 2.9``. Only numbers
go into the LaTeX (never class names), so user text cannot reach the renderer.
"""

from __future__ import annotations

import numpy as np

from ui.numbers import exp_value, latex


def num(value: float) -> str:
    """A number as the slides print it, for LaTeX: up to 2 decimals, no trailing zeros, small
    values as ``2.1 \\times 10^{-3}`` (ui.numbers.latex)."""
    return latex(value)


def _sub(a: str, b: float) -> str:
    """``a - b`` with a negative b written as ``a - (-b)``."""
    return f"{a} - ({num(b)})" if b < 0 else f"{a} - {num(b)}"


def svm_latex(
    scores_row,
    y: int,
    terms_row,
    loss: float,
    *,
    margin: float,
    squared: bool,
    include_correct: bool,
    class_reduction: str,
    variant: str,
) -> str:
    """L_i for one example in the slide's own numbers, as LaTeX."""
    s = np.asarray(scores_row, dtype=float)
    c = s.size
    hinge = []  # the hinge expressions that enter the sum, in class order
    values = []
    power = "^2" if squared else ""
    if variant == "ova":
        for j in range(c):
            inner = _sub(num(margin), s[j]) if j == y else f"{num(margin)} + {num(s[j])}"
            if j != y and s[j] < 0:
                inner = f"{num(margin)} + ({num(s[j])})"
            hinge.append(rf"\max(0,\ {inner}){power}")
            values.append(terms_row[j])
    else:
        if variant == "structured":
            wrong = [j for j in range(c) if j != y]
            top = max(wrong, key=lambda j: (s[j], -j))
            classes = [top]
        else:
            classes = [j for j in range(c) if j != y]
        if include_correct:
            classes = sorted([*classes, y])
        for j in classes:
            inner = f"{_sub(num(s[j]), s[y])} + {num(margin)}"
            hinge.append(rf"\max(0,\ {inner}){power}")
            values.append(terms_row[j])
    sums = " + ".join(num(v) for v in values)
    # Three hinge terms per line so ten classes still fit a projector.
    lines = [" + ".join(hinge[k : k + 3]) for k in range(0, len(hinge), 3)]
    if class_reduction == "mean":
        lines[0] = rf"\frac{{1}}{{{c}}}\Big(" + lines[0]
        lines[-1] += r"\Big)"
        sums = rf"\frac{{1}}{{{c}}}\big({sums}\big)"
    rows = ["L_i &= " + lines[0]] + [r"&\quad + " + line for line in lines[1:]]
    if sums != num(loss):
        rows.append("&= " + sums)
    rows.append("&= " + num(loss))
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def softmax_latex(prob_correct: float, loss: float, log_base) -> str:
    """``L_i = -log(p) = loss`` with the log base written out."""
    log = {"e": r"\ln", "2": r"\log_2", "10": r"\log_{10}"}[str(log_base)]
    return rf"L_i = -{log}({num(prob_correct)}) = {num(loss)}"


def softmax_normalize_latex(exp, sum_exp: float, prob_correct: float, y: int, shift: float = 0.0) -> str:
    """The normalize step in the slide's numbers: the sum of the exponentials, then the correct
    class's share, e.g. ``24.5 + 164.0 + 0.18 = 188.7`` and ``24.5 / 188.7 = 0.13``.

    ``exp`` (C,) are e^{s_j - m} with m = ``shift`` (0 unless e^s would overflow); the numbers
    come from core.one_example.softmax_working.
    """
    power = "s_j" if shift == 0 else rf"s_j - {num(shift)}"
    terms = [exp_value(e, tex=True) for e in exp]
    lines = [" + ".join(terms[k : k + 5]) for k in range(0, len(terms), 5)]  # 10 classes fit
    total = exp_value(sum_exp, tex=True)
    rows = [rf"\textstyle\sum_j e^{{{power}}} &= " + lines[0]]
    rows += [r"&\quad + " + line for line in lines[1:]]
    rows[-1] += f" = {total}"
    rows.append(
        rf"p_{{y_i}} = \frac{{e^{{{power.replace('s_j', 's_{y_i}')}}}}}{{\sum_j e^{{{power}}}}} "
        rf"&= \frac{{{terms[y]}}}{{{total}}} = {num(prob_correct)}"
    )
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"

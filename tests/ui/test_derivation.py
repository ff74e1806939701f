"""Tests for ui.derivation (the slide's working as LaTeX) and the text helpers of ui.widgets."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.lecture import LECTURE_LABELS, LECTURE_SCORES
from core.losses import SVM_VARIANTS, softmax_loss, svm_loss
from core.one_example import softmax_working
from ui.derivation import num, softmax_latex, softmax_normalize_latex, svm_latex
from ui.numbers import exp_value, percent, short
from ui.widgets import fmt, md_escape

PROPS = settings(max_examples=60, deadline=None)
DEFAULTS = {
    "margin": 1.0,
    "squared": False,
    "include_correct": False,
    "class_reduction": "sum",
    "variant": "ww",
}
CAT = LECTURE_SCORES[0]  # [3.2, 5.1, -1.7], correct class 0


def latex(row, y, **changes):
    """svm_latex for one score row, fed with core's numbers exactly as the page does."""
    opts = {**DEFAULTS, **changes}
    result = svm_loss(np.asarray([row], dtype=float), [y], **opts)
    return svm_latex(row, y, result.terms[0], result.per_example[0], **opts)


def rows_of(text: str) -> list[str]:
    assert text.startswith(r"\begin{aligned}")
    assert text.endswith(r"\end{aligned}")
    body = text[len(r"\begin{aligned}") : -len(r"\end{aligned}")]
    return body.split(r" \\ ")


# ---- svm_latex -----------------------------------------------------------------------------------------


def test_cat_row_is_the_slide():
    text = latex(CAT, 0)
    assert text == (
        r"\begin{aligned}"
        r"L_i &= \max(0,\ 5.1 - 3.2 + 1) + \max(0,\ -1.7 - 3.2 + 1) \\ "
        r"&= 2.9 + 0 \\ "
        r"&= 2.9"
        r"\end{aligned}"
    )
    assert rows_of(text) == [
        r"L_i &= \max(0,\ 5.1 - 3.2 + 1) + \max(0,\ -1.7 - 3.2 + 1)",
        "&= 2.9 + 0",
        "&= 2.9",
    ]


def test_car_and_frog_rows():
    assert rows_of(latex(LECTURE_SCORES[1], 1)) == [
        r"L_i &= \max(0,\ 1.3 - 4.9 + 1) + \max(0,\ 2 - 4.9 + 1)",
        "&= 0 + 0",
        "&= 0",
    ]
    assert rows_of(latex(LECTURE_SCORES[2], 2)) == [
        r"L_i &= \max(0,\ 2.2 - (-3.1) + 1) + \max(0,\ 2.5 - (-3.1) + 1)",
        "&= 6.3 + 6.6",
        "&= 12.9",
    ]


def test_negative_correct_score_is_parenthesised():
    text = latex([-3.2, 1.0, 0.5], 0)
    assert r"1 - (-3.2) + 1" in text
    assert r"0.5 - (-3.2) + 1" in text
    assert "- -" not in text
    assert "+ -3.2" not in text


def test_margin_is_printed():
    text = latex(CAT, 0, margin=0.5)
    assert r"\max(0,\ 5.1 - 3.2 + 0.5)" in text
    assert rows_of(text)[-1] == "&= 2.4"


def test_mean_reduction_shows_one_over_c():
    rows = rows_of(latex(CAT, 0, class_reduction="mean"))
    assert rows[0] == r"L_i &= \frac{1}{3}\Big(\max(0,\ 5.1 - 3.2 + 1) + \max(0,\ -1.7 - 3.2 + 1)\Big)"
    assert rows[1] == r"&= \frac{1}{3}\big(2.9 + 0\big)"
    assert rows[2] == "&= 0.97"


def test_squared_shows_the_power():
    rows = rows_of(latex(CAT, 0, squared=True))
    assert rows[0] == r"L_i &= \max(0,\ 5.1 - 3.2 + 1)^2 + \max(0,\ -1.7 - 3.2 + 1)^2"
    assert rows[1:] == ["&= 8.41 + 0", "&= 8.41"]


def test_structured_shows_only_the_top_wrong_class():
    rows = rows_of(latex(CAT, 0, variant="structured"))
    assert rows == [r"L_i &= \max(0,\ 5.1 - 3.2 + 1)", "&= 2.9"]
    rows = rows_of(latex(LECTURE_SCORES[2], 2, variant="structured"))
    assert rows == [r"L_i &= \max(0,\ 2.5 - (-3.1) + 1)", "&= 6.6"]


def test_structured_tie_picks_the_class_core_picks():
    row = [1.0, 2.0, 2.0, 0.0]
    result = svm_loss([row], [0], variant="structured")
    assert result.terms[0].tolist() == [0.0, 2.0, 0.0, 0.0]  # core: the first of the tied classes
    text = latex(row, 0, variant="structured")
    assert text.count(r"\max") == 1
    assert rows_of(text)[0] == r"L_i &= \max(0,\ 2 - 1 + 1)"


def test_include_correct_adds_the_j_equals_y_term():
    rows = rows_of(latex(CAT, 0, include_correct=True))
    assert rows[0] == (
        r"L_i &= \max(0,\ 3.2 - 3.2 + 1) + \max(0,\ 5.1 - 3.2 + 1)"
        r" + \max(0,\ -1.7 - 3.2 + 1)"
    )
    assert rows[1:] == ["&= 1 + 2.9 + 0", "&= 3.9"]
    rows = rows_of(latex(LECTURE_SCORES[1], 1, include_correct=True))
    assert rows[0] == (
        r"L_i &= \max(0,\ 1.3 - 4.9 + 1) + \max(0,\ 4.9 - 4.9 + 1)"
        r" + \max(0,\ 2 - 4.9 + 1)"
    )  # the j = y term sits in class order
    assert rows[1:] == ["&= 0 + 1 + 0", "&= 1"]


def test_structured_with_include_correct():
    rows = rows_of(latex(CAT, 0, variant="structured", include_correct=True))
    assert rows == [r"L_i &= \max(0,\ 3.2 - 3.2 + 1) + \max(0,\ 5.1 - 3.2 + 1)", "&= 1 + 2.9", "&= 3.9"]


def test_ova_form():
    assert rows_of(latex(CAT, 0, variant="ova")) == [
        r"L_i &= \max(0,\ 1 - 3.2) + \max(0,\ 1 + 5.1) + \max(0,\ 1 + (-1.7))",
        "&= 0 + 6.1 + 0",
        "&= 6.1",
    ]
    assert rows_of(latex(LECTURE_SCORES[2], 2, variant="ova")) == [
        r"L_i &= \max(0,\ 1 + 2.2) + \max(0,\ 1 + 2.5) + \max(0,\ 1 - (-3.1))",
        "&= 3.2 + 3.5 + 4.1",
        "&= 10.8",
    ]


def test_ova_ignores_include_correct_like_core():
    assert latex(CAT, 0, variant="ova", include_correct=True) == latex(CAT, 0, variant="ova")


def test_one_term_equal_to_the_loss_is_not_repeated():
    assert rows_of(latex([0.0, 1.0], 0)) == [r"L_i &= \max(0,\ 1 - 0 + 1)", "&= 2"]


def test_ten_classes_wrap_three_hinge_terms_per_line():
    row = np.arange(10, dtype=float)  # correct class 0 loses to all nine others
    rows = rows_of(latex(row, 0))
    hinge_rows = [r for r in rows if r"\max" in r]
    assert [r.count(r"\max") for r in hinge_rows] == [3, 3, 3]
    assert hinge_rows[0].startswith(r"L_i &= \max(0,\ 1 - 0 + 1)")
    assert all(r.startswith(r"&\quad + \max") for r in hinge_rows[1:])
    assert rows[-2] == "&= " + " + ".join(num(v) for v in range(2, 11))
    assert rows[-1] == "&= 54"


def test_ten_classes_mean_wraps_inside_the_bracket():
    rows = rows_of(latex(np.arange(10, dtype=float), 0, class_reduction="mean", include_correct=True))
    hinge_rows = [r for r in rows if r"\max" in r]
    assert [r.count(r"\max") for r in hinge_rows] == [3, 3, 3, 1]
    assert hinge_rows[0].startswith(r"L_i &= \frac{1}{10}\Big(\max")
    assert hinge_rows[-1].endswith(r"\Big)")
    assert sum(r.count(r"\Big(") for r in rows) == sum(r.count(r"\Big)") for r in rows) == 1
    assert rows[-1] == "&= 5.5"


@st.composite
def svm_cases(draw):
    c = draw(st.integers(2, 10))
    row = draw(st.lists(st.integers(-500, 500).map(lambda k: k / 10), min_size=c, max_size=c))
    y = draw(st.integers(0, c - 1))
    opts = {
        "margin": draw(st.sampled_from([0.0, 0.5, 1.0, 2.0])),
        "squared": draw(st.booleans()),
        "include_correct": draw(st.booleans()),
        "class_reduction": draw(st.sampled_from(["sum", "mean"])),
        "variant": draw(st.sampled_from(SVM_VARIANTS)),
    }
    return row, y, opts


@PROPS
@given(svm_cases())
def test_svm_latex_structure_for_any_row(case):
    row, y, opts = case
    c = len(row)
    result = svm_loss([row], [y], **opts)
    text = svm_latex(row, y, result.terms[0], result.per_example[0], **opts)
    rows = rows_of(text)
    if opts["variant"] == "ova":
        expected_terms = c
    elif opts["variant"] == "structured":
        expected_terms = 1 + opts["include_correct"]
    else:
        expected_terms = c - 1 + opts["include_correct"]
    hinge_rows = [r for r in rows if r"\max" in r]
    assert sum(r.count(r"\max") for r in hinge_rows) == expected_terms
    assert all(r.count(r"\max") <= 3 for r in hinge_rows)
    assert len(hinge_rows) == -(-expected_terms // 3)
    assert rows[0].startswith("L_i &= ")
    assert rows[-1] == "&= " + num(result.per_example[0])
    assert (r"\frac{1}{" + str(c) + "}" in text) == (opts["class_reduction"] == "mean")
    assert ("^2" in text) == opts["squared"]
    assert text.count("{") == text.count("}")
    assert text.count("(") == text.count(")")
    assert "- -" not in text
    assert "+ -" not in text
    assert "nan" not in text


# ---- softmax_latex ----------------------------------------------------------------------------------------


def test_softmax_latex_cat_row():
    soft = softmax_loss(LECTURE_SCORES, LECTURE_LABELS)
    assert softmax_latex(soft.probs[0, 0], soft.per_example[0], "e") == r"L_i = -\ln(0.13) = 2.04"


@pytest.mark.parametrize(
    ("base", "log", "value"),
    [
        ("e", r"\ln", "2.04"),
        ("2", r"\log_2", "2.94"),
        (2, r"\log_2", "2.94"),
        ("10", r"\log_{10}", "0.89"),
        (10, r"\log_{10}", "0.89"),
    ],
)
def test_softmax_latex_log_bases(base, log, value):
    soft = softmax_loss(LECTURE_SCORES, LECTURE_LABELS, log_base=base)
    assert softmax_latex(soft.probs[0, 0], soft.per_example[0], base) == rf"L_i = -{log}(0.13) = {value}"


def test_softmax_latex_refuses_an_unknown_base():
    with pytest.raises(KeyError):
        softmax_latex(0.5, 1.0, "3")


# ---- num ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3.2, "3.2"),
        (2.9, "2.9"),
        (2.0, "2"),
        (0, "0"),
        (0.0, "0"),
        (-0.0, "0"),
        (-1.7, "-1.7"),
        (2.04035515280017, "2.04"),
        (0.97, "0.97"),
        (0.5, "0.5"),
        (12.9, "12.9"),
        (1e6, "1000000"),
        (0.055, "0.055"),
        (0.0999, "0.1"),
        (np.float64(6.6), "6.6"),
        # Never "2.1e-03", which LaTeX renders as the subtraction 2.1e − 03 (issue 12).
        (0.0021, r"2.1 \times 10^{-3}"),
        (0.005, r"5.0 \times 10^{-3}"),
        (-0.001, r"-1.0 \times 10^{-3}"),
        (1e-10, r"1.0 \times 10^{-10}"),
        (-2.5e-7, r"-2.5 \times 10^{-7}"),
        (3e9, r"3.0 \times 10^{9}"),
    ],
)
def test_num(value, text):
    assert num(value) == text


@PROPS
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_num_is_clean_and_close(value):
    text = num(value)
    assert text != "-0"
    assert not text.endswith(".")
    assert text != ""
    assert "e" not in text.replace(r"\times", "")  # never Python's 2.1e-03
    if r"\times" not in text:
        assert not re.search(r"\.\d*0$", text)  # no trailing zeros after the point
        assert abs(float(text) - value) <= 0.005 + 1e-9 * abs(value)
        if value != 0:
            assert float(text) != 0  # a nonzero value never prints as 0
    else:
        mantissa, exponent = re.fullmatch(r"(-?\d\.\d) \\times 10\^\{(-?\d+)\}", text).groups()
        assert float(mantissa) * 10.0 ** int(exponent) == pytest.approx(value, rel=0.06)


# ---- ui.numbers: fmt (tables), short (captions), exp_value (the softmax slide) ---------------------------


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (-0.0, 2, "0.00"),
        (0, 2, "0.00"),
        (2.04035515280017, 2, "2.04"),
        (0.89, 2, "0.89"),
        (1.5, 3, "1.500"),
        (-1.7, 1, "-1.7"),
        (1e6, 2, "1000000.00"),
        (645298.123, 2, "645298.12"),
        # Small values keep two significant digits, never 0.00 (issue 12: Q7's 0.00 / 0.55 / 0.00).
        (0.055, 2, "0.055"),
        (-0.006, 2, "-6.0 × 10⁻³"),
        (-0.0001, 2, "-1.0 × 10⁻⁴"),
        (-0.0004, 3, "-4.0 × 10⁻⁴"),
        (0.0004, 4, "0.00040"),
        (9.1e-4, 2, "9.1 × 10⁻⁴"),
        (2e-48, 2, "2.0 × 10⁻⁴⁸"),
        (1e12, 2, "1.0 × 10¹²"),
        (float("inf"), 2, "∞"),
        (float("nan"), 2, "NaN"),
    ],
)
def test_fmt(value, digits, text):
    assert fmt(value, digits) == text


@PROPS
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9), st.integers(1, 4))
def test_fmt_never_shows_a_nonzero_value_as_zero(value, digits):
    text = fmt(value, digits)
    if "×" in text:
        mantissa, exponent = text.split(" × 10")
        exponent = int(exponent.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))
        assert float(mantissa) * 10.0**exponent == pytest.approx(value, rel=0.06)
    else:
        assert (float(text) == 0) == (value == 0)
        assert abs(float(text) - value) <= 0.5 * 10.0**-digits * (1 + 1e-9) + 1e-9 * abs(value)


def test_short_and_exp_value_write_the_slide():
    assert [short(v) for v in (2.9, 2.0, -0.0, 0.0021, 12.9)] == ["2.9", "2", "0", "2.1 × 10⁻³", "12.9"]
    assert [exp_value(v) for v in (24.5325, 164.0219, 0.18268, 188.7371, 0.0)] == [
        "24.5",
        "164.0",
        "0.18",
        "188.7",
        "0",
    ]
    assert percent(0.8333) == "83 %"
    assert percent(0.8333, 1) == "83.3 %"


# ---- softmax_normalize_latex --------------------------------------------------------------------------


def test_softmax_normalize_is_the_slide():
    work = softmax_working(CAT, 0)
    text = softmax_normalize_latex(work.exp, work.sum_exp, work.probs[0], 0, work.shift)
    assert r"\textstyle\sum_j e^{s_j} &= 24.5 + 164.0 + 0.18 = 188.7" in text
    assert r"&= \frac{24.5}{188.7} = 0.13" in text


def test_softmax_normalize_shows_the_shift_and_breaks_long_sums():
    work = softmax_working([1000.0, 999.0, *range(8)], 1)
    text = softmax_normalize_latex(work.exp, work.sum_exp, work.probs[1], 1, work.shift)
    assert r"e^{s_j - 1000}" in text
    assert r"\frac{0.37}{1.4}" in text
    assert text.count(r"&\quad + ") == 1  # ten terms: two lines of five
    assert "e-" not in text.replace(r"e^{", "")


SPECIAL = set("\\`*_{}[]()#+-.!|<>~$&:")
HOSTILE_MARKDOWN = [
    "[x](javascript:alert(1))",
    "![img](http://evil.example/x.png)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "**bold** _it_ ~~gone~~",
    "$\\frac{1}{0}$",
    ":red[alarm] :material/warning:",
    "# heading\n- item\n1. item",
    "`code` | table | &amp; \\[",
    "[link]: http://x 'title'",
    "\\\\[x](y)",
]


def assert_all_escaped(out: str) -> None:
    """Each special character is preceded by a backslash that is not itself escaped."""
    k = 0
    while k < len(out):
        if out[k] == "\\":
            assert k + 1 < len(out), (out, k)
            assert out[k + 1] in SPECIAL, (out, k)
            k += 2
        else:
            assert out[k] not in SPECIAL, (out, k)
            k += 1


def unescape(out: str) -> str:
    return re.sub(r"\\(.)", r"\1", out)


@pytest.mark.parametrize("text", HOSTILE_MARKDOWN)
def test_md_escape_hostile_strings(text):
    out = md_escape(text)
    assert_all_escaped(out)
    flat = re.sub(r"[\r\n\t\v\f\x85\u2028\u2029]", " ", text)
    # Other invisible control and format characters (NUL, bidi overrides) are shown as U+FFFD.
    visible = "".join("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch for ch in flat)
    assert unescape(out) == visible
    assert "](" not in out
    assert "![" not in out
    assert "<" not in out.replace("\\<", "")
    assert "\n" not in out


def test_md_escape_examples():
    assert md_escape("cat") == "cat"
    assert md_escape("a.b") == r"a\.b"
    assert md_escape("[x](y)") == r"\[x\]\(y\)"
    assert md_escape("<b>") == r"\<b\>"
    assert md_escape("고양이 🐱") == "고양이 🐱"
    assert md_escape(3.5) == r"3\.5"


@PROPS
@given(st.text(max_size=60))
def test_md_escape_escapes_everything(text):
    out = md_escape(text)
    assert_all_escaped(out)
    flat = re.sub(r"[\r\n\t\v\f\x85\u2028\u2029]", " ", text)
    visible = "".join("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch for ch in flat)
    assert unescape(out) == visible


@pytest.mark.parametrize("text", ["x\r\r    code block", "x\r\n# heading"])
def test_md_escape_keeps_text_on_one_line(text):
    out = md_escape(text)
    assert "\n" not in out
    assert "\r" not in out


def test_markdown_table_keeps_a_power_of_ten_on_one_line():
    from ui.widgets import markdown_table

    table = markdown_table(["", "image 3"], [["p", fmt(0.0021)]])
    assert "2\\.1\u00a0×\u00a010⁻³" in table
    assert "2\\.1 × 10" not in table

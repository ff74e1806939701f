"""Tests for ui.settings.base: the declarative page fields and their query-string form.

The field set below mirrors the loss page's settings (a float with a range, an
int with a range, a bool, a choice); the page module itself runs Streamlit when
imported, so it is not imported here.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ui.i18n import LANGUAGES, catalog, translate
from ui.settings.base import (
    MAX_PARAM_LENGTH,
    Problem,
    StateError,
    bool_field,
    choice_field,
    decode,
    encode,
    float_field,
    format_number,
    int_field,
    shorten,
)

FIELDS = (
    float_field("margin", 1.0, 0.0, 10.0),
    int_field("ex", 0, 0, 9),
    bool_field("squared", False),
    choice_field("red", "sum", ("sum", "mean")),
)
NAMES = tuple(f.name for f in FIELDS)
DEFAULTS = {"margin": 1.0, "ex": 0, "squared": False, "red": "sum"}
PROPS = settings(max_examples=80, deadline=None)


def assert_reason_in_catalogs(reason: str) -> None:
    for lang in LANGUAGES:
        assert f"state.reason.{reason}" in catalog(lang), (lang, reason)


def assert_problem_renders(problem: Problem) -> None:
    """The page shows a problem as t('state.reason.<reason>', **details) inside t('state.refused')."""
    for lang in LANGUAGES:
        reason = translate(lang, f"state.reason.{problem.reason}", **dict(problem.details))
        assert "⟦" not in reason
        text = translate(lang, "state.refused", name=problem.name, value=problem.value, reason=reason)
        assert problem.name in text


# ---- defaults and good values ---------------------------------------------------------------------


def test_field_defaults_have_the_declared_types():
    assert [type(f.default) for f in FIELDS] == [float, int, bool, str]
    assert float_field("x", 2, 0, 5).default == 2.0
    assert isinstance(float_field("x", 2, 0, 5).default, float)


def test_decode_of_empty_params_gives_defaults_and_no_problems():
    values, problems = decode(FIELDS, {})
    assert values == DEFAULTS
    assert problems == []


def test_decode_ignores_unknown_params():
    values, problems = decode(FIELDS, {"lang": "ko", "scores": "1,2", "zzz": "nan"})
    assert values == DEFAULTS
    assert problems == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"margin": "2.5"}, {"margin": 2.5}),
        ({"margin": "0"}, {"margin": 0.0}),
        ({"margin": "10"}, {"margin": 10.0}),
        ({"margin": "1e-05"}, {"margin": 1e-05}),
        ({"margin": " 3.2 "}, {"margin": 3.2}),
        ({"ex": "7"}, {"ex": 7}),
        ({"ex": "2.0"}, {"ex": 2}),
        ({"ex": "9"}, {"ex": 9}),
        ({"squared": "1"}, {"squared": True}),
        ({"squared": "true"}, {"squared": True}),
        ({"squared": "ON"}, {"squared": True}),
        ({"squared": "yes"}, {"squared": True}),
        ({"squared": "0"}, {"squared": False}),
        ({"squared": "False"}, {"squared": False}),
        ({"squared": "off"}, {"squared": False}),
        ({"squared": "no"}, {"squared": False}),
        ({"red": "mean"}, {"red": "mean"}),
        (
            {"margin": "0.5", "ex": "3", "squared": "1", "red": "mean"},
            {"margin": 0.5, "ex": 3, "squared": True, "red": "mean"},
        ),
    ],
)
def test_decode_parses_good_values(params, expected):
    values, problems = decode(FIELDS, params)
    assert problems == []
    assert values == {**DEFAULTS, **expected}
    assert type(values["ex"]) is int
    assert type(values["margin"]) is float
    assert type(values["squared"]) is bool


# ---- bad values: default plus a Problem -----------------------------------------------------------


BAD = [
    ("margin", "abc", "not_number"),
    ("margin", "", "not_number"),
    ("margin", "1,5", "not_number"),
    ("margin", "0x10", "not_number"),
    ("margin", "nan", "not_finite"),
    ("margin", "NaN", "not_finite"),
    ("margin", "inf", "not_finite"),
    ("margin", "-Infinity", "not_finite"),
    ("margin", "1e309", "not_finite"),
    ("margin", "-1e309", "not_finite"),
    ("margin", "10.000001", "out_of_range"),
    ("margin", "-0.5", "out_of_range"),
    ("margin", "1e300", "out_of_range"),
    ("ex", "1.5", "not_integer"),
    ("ex", "seven", "not_number"),
    ("ex", "nan", "not_finite"),
    ("ex", "1e309", "not_finite"),
    ("ex", "10", "out_of_range"),
    ("ex", "-1", "out_of_range"),
    ("ex", "1e300", "out_of_range"),
    ("squared", "maybe", "not_bool"),
    ("squared", "", "not_bool"),
    ("squared", "2", "not_bool"),
    ("red", "median", "not_choice"),
    ("red", "SUM", "not_choice"),
    ("red", "", "not_choice"),
    ("margin", "1" * 5000, "too_long"),
    ("ex", "1" * 5000, "too_long"),
    ("squared", "1" * 5000, "too_long"),
    ("red", "x" * 5000, "too_long"),
]


@pytest.mark.parametrize(("name", "raw", "reason"), BAD)
def test_bad_value_falls_back_to_default_with_a_problem(name, raw, reason):
    values, problems = decode(FIELDS, {name: raw})
    assert values == DEFAULTS
    assert len(problems) == 1
    problem = problems[0]
    assert problem.name == name
    assert problem.reason == reason
    assert problem.value == shorten(raw)
    assert len(problem.value) <= 60
    assert_reason_in_catalogs(problem.reason)
    assert_problem_renders(problem)


def test_bad_value_keeps_the_other_good_values():
    values, problems = decode(FIELDS, {"margin": "nan", "ex": "4", "squared": "maybe", "red": "mean"})
    assert values == {"margin": 1.0, "ex": 4, "squared": False, "red": "mean"}
    assert [(p.name, p.reason) for p in problems] == [("margin", "not_finite"), ("squared", "not_bool")]


def test_problem_details_carry_the_format_fields():
    (range_problem,) = decode(FIELDS, {"margin": "11"})[1]
    assert dict(range_problem.details) == {"lo": 0.0, "hi": 10.0}
    (choice_problem,) = decode(FIELDS, {"red": "median"})[1]
    assert dict(choice_problem.details) == {"choices": "sum, mean"}
    (long_problem,) = decode(FIELDS, {"margin": "1" * 5000})[1]
    assert dict(long_problem.details) == {"limit": MAX_PARAM_LENGTH}
    assert long_problem.value.endswith("…")
    assert len(long_problem.value) == 60
    assert "10" in translate("en", "state.reason.out_of_range", **dict(range_problem.details))


def test_length_limit_boundary():
    at_limit = "0" * MAX_PARAM_LENGTH
    assert decode(FIELDS, {"margin": at_limit}) == ({**DEFAULTS, "margin": 0.0}, [])
    values, problems = decode(FIELDS, {"margin": at_limit + "0"})
    assert values == DEFAULTS
    assert [p.reason for p in problems] == ["too_long"]


def test_choice_field_refuses_a_default_outside_its_choices():
    with pytest.raises(ValueError, match="not among"):
        choice_field("red", "median", ("sum", "mean"))


def test_state_error_carries_reason_and_details():
    err = StateError("out_of_range", lo=0, hi=1)
    assert isinstance(err, ValueError)
    assert err.reason == "out_of_range"
    assert err.details == {"lo": 0, "hi": 1}


# ---- decode never raises --------------------------------------------------------------------------


@PROPS
@given(
    st.fixed_dictionaries(
        {name: st.text() for name in NAMES}, optional={"lang": st.text(), "other": st.text()}
    )
)
@example({"margin": "1e309", "ex": "1.5", "squared": "maybe", "red": "<b>"})
@example({"margin": "\x00", "ex": "١٢", "squared": "\u00a0", "red": "sum\n"})
def test_decode_never_raises_and_always_gives_usable_values(params):
    values, problems = decode(FIELDS, params)
    assert set(values) == set(NAMES)
    assert isinstance(values["margin"], float)
    assert 0.0 <= values["margin"] <= 10.0
    assert math.isfinite(values["margin"])
    assert type(values["ex"]) is int
    assert 0 <= values["ex"] <= 9
    assert type(values["squared"]) is bool
    assert values["red"] in ("sum", "mean")
    assert len(problems) <= len(NAMES)
    for problem in problems:
        assert problem.name in NAMES
        assert params[problem.name] is not None
        assert values[problem.name] == DEFAULTS[problem.name]
        assert_reason_in_catalogs(problem.reason)
        assert_problem_renders(problem)


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(NAMES), st.text(min_size=MAX_PARAM_LENGTH + 1, max_size=MAX_PARAM_LENGTH + 50))
def test_decode_refuses_any_over_long_value(name, raw):
    values, problems = decode(FIELDS, {name: raw})
    assert values == DEFAULTS
    assert [(p.name, p.reason) for p in problems] == [(name, "too_long")]


# ---- encode ---------------------------------------------------------------------------------------


def test_encode_omits_defaults():
    assert encode(FIELDS, DEFAULTS) == {}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"margin": 2.5}, {"margin": "2.5"}),
        ({"margin": 0.0}, {"margin": "0"}),
        ({"ex": 3}, {"ex": "3"}),
        ({"squared": True}, {"squared": "1"}),
        ({"red": "mean"}, {"red": "mean"}),
        ({"margin": 3.2, "squared": True}, {"margin": "3.2", "squared": "1"}),
    ],
)
def test_encode_prints_only_what_differs(change, expected):
    assert encode(FIELDS, {**DEFAULTS, **change}) == expected


def test_encode_treats_an_equal_value_of_another_type_as_the_default():
    assert encode(FIELDS, {**DEFAULTS, "margin": 1, "ex": 0.0, "squared": 0}) == {}


# Values a slider or number box produces: decimals, not 17-significant-digit doubles
# (see test_format_number_is_faithful_for_every_double for those).
typical_margin = st.one_of(
    st.integers(0, 10**6).map(lambda k: k / 10**5),
    st.sampled_from([0.0, 1.0, 10.0, 1e-05, 0.1, 0.25, 9.99]),
)
valid_values = st.fixed_dictionaries(
    {
        "margin": typical_margin,
        "ex": st.integers(0, 9),
        "squared": st.booleans(),
        "red": st.sampled_from(("sum", "mean")),
    }
)


@PROPS
@given(valid_values)
def test_decode_of_encode_round_trips(values):
    params = encode(FIELDS, values)
    assert all(isinstance(v, str) for v in params.values())
    decoded, problems = decode(FIELDS, params)
    assert problems == []
    assert decoded == values
    assert encode(FIELDS, decoded) == params


# ---- format_number --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3.2, "3.2"),
        (2.0, "2"),
        (2, "2"),
        (0.0, "0"),
        (-1.7, "-1.7"),
        (0.5, "0.5"),
        (-1e-05, "-1e-05"),
        (123.456, "123.456"),
        (1e6, "1000000"),
        (-1e6, "-1000000"),
        (0.1, "0.1"),
    ],
)
def test_format_number_is_short(value, text):
    assert format_number(value) == text
    assert float(format_number(value)) == value


@PROPS
@given(st.integers(-(10**12), 10**12), st.sampled_from([1, 10, 100, 10**3, 10**6]))
def test_format_number_is_faithful_for_typical_values(numerator, denominator):
    value = numerator / denominator  # at most 12 significant digits, like anything typed in
    text = format_number(value)
    assert float(text) == value
    assert len(text) <= len(repr(value))
    assert not text.endswith(".0")


def test_format_number_is_faithful_for_every_double():
    values = [0.1 + 0.2, 1 / 3, math.pi, 1.0000000000001, 0.0012345678901234]
    unfaithful = {v: format_number(v) for v in values if float(format_number(v)) != v}
    assert unfaithful == {}

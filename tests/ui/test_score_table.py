"""Tests for ui.score_table: the loss page's editable table, its URL form and its editor form."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.lecture import LECTURE_CLASSES, LECTURE_LABELS, LECTURE_SCORES, near_zero_scores
from ui import score_table as tables
from ui.i18n import LANGUAGES, catalog, translate
from ui.score_table import (
    MAX_CLASSES,
    MAX_EXAMPLES,
    MAX_NAME_LENGTH,
    MIN_CLASSES,
    MIN_EXAMPLES,
    ScoreTable,
    add_class,
    add_example,
    check,
    decode,
    encode,
    from_frame,
    lecture_table,
    remove_class,
    remove_example,
    to_frame,
    with_label,
)
from ui.settings.base import MAX_PARAM_LENGTH, StateError

PROPS = settings(max_examples=60, deadline=None)
HOSTILE = "<img src=x onerror=alert(1)>"


def assert_valid(table: ScoreTable) -> None:
    """The table passes the page's own checks unchanged."""
    assert check(table.classes, table.scores, table.labels) == table
    assert table.scores.shape == (table.num_examples, table.num_classes)
    assert all(0 <= v < table.num_classes for v in table.labels)


def assert_reason_renders(reason: str, details) -> None:
    for lang in LANGUAGES:
        assert f"state.reason.{reason}" in catalog(lang), (lang, reason)
        assert "⟦" not in translate(lang, f"state.reason.{reason}", **dict(details))


def headers(table: ScoreTable) -> list[str]:
    return [f"image {k + 1} ({table.classes[table.labels[k]]})" for k in range(table.num_examples)]


def edited() -> ScoreTable:
    """The lecture's table with names no CSV or HTML should survive, and one score changed."""
    scores = LECTURE_SCORES.copy()
    scores[0, 0] = -2.5
    return check(("a, b", 'say "hi"', "고양이 🐱"), scores, [2, 0, 1])


# ---- the lecture's table ----------------------------------------------------------------------------


def test_lecture_table_is_the_slide():
    table = lecture_table()
    assert table.classes == ("cat", "car", "frog") == LECTURE_CLASSES
    assert table.labels == (0, 1, 2)
    np.testing.assert_array_equal(table.scores, LECTURE_SCORES)
    assert table.num_classes == 3
    assert table.num_examples == 3
    assert_valid(table)


def test_lecture_table_is_a_copy():
    table = lecture_table()
    table.scores[0, 0] = 99.0
    assert LECTURE_SCORES[0, 0] == 3.2
    assert lecture_table().scores[0, 0] == 3.2


def test_lecture_table_encodes_to_nothing():
    assert encode(lecture_table()) == {}


def test_decode_without_table_params_gives_the_lecture_table():
    assert decode({}) == (lecture_table(), [])
    assert decode({"margin": "2", "lang": "ko"}) == (lecture_table(), [])


def test_table_equality():
    assert lecture_table() == lecture_table()
    assert lecture_table() != edited()
    assert lecture_table() != "cat"
    assert check(("a", "b"), [[1, 2]], [0]) != check(("a", "b"), [[1, 2]], [1])
    assert check(("a", "b"), [[1, 2]], [0]) != check(("a", "b"), [[1, 2], [1, 2]], [0, 0])


# ---- URL round trip ---------------------------------------------------------------------------------


def test_encode_format():
    table = check(("cat", "dog"), [[1.5, -2.0], [0.0, 3.25]], [1, 0])
    assert encode(table) == {"scores": "1.5,0;-2,3.25", "classes": '["cat", "dog"]', "labels": "1,0"}


@pytest.mark.parametrize(
    "classes",
    [
        ("a, b", 'say "hi"', "고양이 🐱"),
        ("cat", "car", HOSTILE),
        ("x;y", "[1, 2]", "\\n"),
        ('"', "'", "}{"),
        ("a b", "line break", "se\u2028p"),
        ("%26labels%3D0", "&scores=1", "#frag"),
        ("x" * MAX_NAME_LENGTH, "null", "true"),
    ],
)
def test_edited_table_round_trips(classes):
    scores = LECTURE_SCORES.copy()
    scores[2, 1] = 1e6
    scores[1, 2] = -1e-05
    table = check(classes, scores, [1, 1, 0])
    params = encode(table)
    assert set(params) == {"scores", "classes", "labels"}
    assert all(len(v) <= MAX_PARAM_LENGTH for v in params.values())
    assert json.loads(params["classes"]) == list(classes)
    assert decode(params) == (table, [])


def test_edited_lecture_table_round_trips():
    table = edited()
    assert decode(encode(table)) == (table, [])


names = st.text(
    min_size=1, max_size=MAX_NAME_LENGTH, alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf"))
).filter(lambda s: s.strip())
typical_scores = st.one_of(
    st.integers(-(10**8), 10**8).map(lambda k: k / 100),  # what people type: two decimals
    st.integers(-(10**12), 10**12).map(lambda k: k / 10**6),
    st.sampled_from([0.0, -0.0, 1e6, -1e6, 1e-05]),
)


@st.composite
def valid_tables(draw, scores=typical_scores):
    c = draw(st.integers(MIN_CLASSES, MAX_CLASSES))
    n = draw(st.integers(MIN_EXAMPLES, MAX_EXAMPLES))
    classes = draw(st.lists(names, min_size=c, max_size=c, unique_by=str.strip))
    values = draw(st.lists(st.lists(scores, min_size=c, max_size=c), min_size=n, max_size=n))
    labels = draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n))
    return check(classes, values, labels)


@PROPS
@given(valid_tables())
def test_valid_tables_round_trip(table):
    assert_valid(table)
    params = encode(table)
    if table == lecture_table():
        assert params == {}
    assert all(len(v) <= MAX_PARAM_LENGTH for v in params.values())
    assert decode(params) == (table, [])


def test_q3_preset_table_round_trips():
    table = check(LECTURE_CLASSES, near_zero_scores(3, 3, seed=0), LECTURE_LABELS.tolist())
    assert decode(encode(table)) == (table, [])


def test_control_character_names_are_refused():
    # JSON would write each control character as \u00XX, six characters, so a table of such names
    # could outgrow the URL limit; such names are refused where a table is checked.
    classes = ["\x01" * (MAX_NAME_LENGTH - 1) + chr(ord("A") + k) for k in range(MAX_CLASSES)]
    with pytest.raises(StateError) as err:
        check(classes, np.zeros((1, MAX_CLASSES)), [0])
    assert err.value.reason == "control_name"


# ---- refused URL tables ------------------------------------------------------------------------------

GOOD = {"scores": "3.2,1.3,2.2;5.1,4.9,2.5;-1.7,2,-3.1", "classes": '["a","b","c"]', "labels": "0,1,2"}
ELEVEN = json.dumps([f"c{k}" for k in range(11)])


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"scores": "nan,1.3,2.2;5.1,4.9,2.5;-1.7,2,-3.1"}, "not_finite"),
        ({"scores": "inf,1.3,2.2;5.1,4.9,2.5;-1.7,2,-3.1"}, "not_finite"),
        ({"scores": "1e309,1.3,2.2;5.1,4.9,2.5;-1.7,2,-3.1"}, "not_finite"),
        ({"scores": "1e7,1.3,2.2;5.1,4.9,2.5;-1.7,2,-3.1"}, "score_range"),
        ({"scores": "-1000000.5,1.3,2.2;5.1,4.9,2.5;-1.7,2,-3.1"}, "score_range"),
        ({"scores": "cat,1.3,2.2;5.1,4.9,2.5;-1.7,2,-3.1"}, "not_number"),
        ({"scores": ""}, "not_number"),
        ({"scores": "3.2,1.3,2.2;5.1,4.9;-1.7,2,-3.1"}, "shape_mismatch"),
        ({"scores": "3.2,1.3,2.2;5.1,4.9,2.5"}, "shape_mismatch"),
        ({"labels": "0,1"}, "shape_mismatch"),
        ({"labels": "0,1,2,0"}, "shape_mismatch"),
        ({"labels": "0,1,3"}, "bad_label"),
        ({"labels": "0,-1,2"}, "bad_label"),
        ({"labels": "0,1.0,2"}, "not_number"),
        ({"labels": "0,x,2"}, "not_number"),
        ({"classes": "a,b,c"}, "bad_list"),
        ({"classes": "[1, 2, 3]"}, "bad_list"),
        ({"classes": '["a", 2, "c"]'}, "bad_list"),
        ({"classes": '{"a": 1}'}, "bad_list"),
        ({"classes": '"abc"'}, "bad_list"),
        ({"classes": "null"}, "bad_list"),
        ({"classes": '["a", "b", "c"'}, "bad_list"),
        ({"classes": '["a", "", "c"]'}, "empty_name"),
        ({"classes": '["a", "   ", "c"]'}, "empty_name"),
        ({"classes": json.dumps(["a", "b" * 41, "c"])}, "long_name"),
        ({"classes": '["a", "b"]'}, "shape_mismatch"),
        ({"classes": '["a"]', "scores": "1,2,3", "labels": "0,0,0"}, "class_count"),
        ({"classes": ELEVEN, "scores": ";".join(["1"] * 11), "labels": "0"}, "class_count"),
        ({"scores": ";".join([",".join(["1"] * 11)] * 3), "labels": ",".join(["0"] * 11)}, "example_count"),
        ({"scores": ";;"}, "not_number"),
        ({"scores": "1" * (MAX_PARAM_LENGTH + 1)}, "too_long"),
        ({"classes": json.dumps(["a" * 1000, "b" * 1000, "c"])}, "too_long"),
    ],
)
def test_bad_table_gives_the_lecture_table_and_one_problem(change, reason):
    table, problems = decode({**GOOD, **change})
    assert table == lecture_table()
    assert len(problems) == 1
    (problem,) = problems
    assert problem.reason == reason
    assert problem.name == "scores/classes/labels"
    assert len(problem.value) <= 60
    assert_reason_renders(problem.reason, problem.details)


def test_good_base_params_are_good():
    table, problems = decode(GOOD)
    assert problems == []
    assert table.classes == ("a", "b", "c")
    np.testing.assert_array_equal(table.scores, LECTURE_SCORES)


@pytest.mark.parametrize(
    "params",
    [
        {"scores": GOOD["scores"]},
        {"classes": GOOD["classes"]},
        {"labels": GOOD["labels"]},
        {"scores": GOOD["scores"], "classes": GOOD["classes"]},
        {"scores": GOOD["scores"], "labels": GOOD["labels"]},
        {"classes": GOOD["classes"], "labels": GOOD["labels"]},
    ],
)
def test_only_some_table_params_is_incomplete(params):
    table, problems = decode(params)
    assert table == lecture_table()
    assert [p.reason for p in problems] == ["incomplete_table"]
    assert problems[0].name == "/".join(p for p in ("scores", "classes", "labels") if p in params)
    assert_reason_renders("incomplete_table", problems[0].details)


def test_problem_details_fill_the_catalog_fields():
    cases = {
        "class_count": {**GOOD, "classes": ELEVEN, "scores": ";".join(["1"] * 11), "labels": "0"},
        "bad_label": {**GOOD, "labels": "0,1,5"},
        "score_range": {**GOOD, "scores": "1e7,1,1;1,1,1;1,1,1"},
        "long_name": {**GOOD, "classes": json.dumps(["a", "b" * 41, "c"])},
        "too_long": {**GOOD, "scores": "1" * 3000},
    }
    for reason, params in cases.items():
        (problem,) = decode(params)[1]
        assert problem.reason == reason
        text = translate("en", f"state.reason.{reason}", **dict(problem.details))
        assert "{" not in text
    (problem,) = decode(cases["bad_label"])[1]
    assert dict(problem.details) == {"hi": 2}


def test_deeply_nested_classes_is_a_problem_not_a_crash():
    params = {**GOOD, "classes": "[" * MAX_PARAM_LENGTH}
    table, problems = decode(params)
    assert table == lecture_table()
    assert [p.reason for p in problems] == ["bad_list"]


@PROPS
@given(
    st.dictionaries(
        st.sampled_from(("scores", "classes", "labels", "margin")),
        st.one_of(st.text(alphabet='0123456789.,;-[]"aen ', max_size=40), st.text()),
    )
)
def test_decode_never_raises_on_text_made_of_table_syntax(params):
    table, problems = decode(params)
    assert_valid(table)
    assert len(problems) <= 1
    if problems:
        assert table == lecture_table()
        assert_reason_renders(problems[0].reason, problems[0].details)


# ---- editor form ---------------------------------------------------------------------------------------


def test_to_frame_layout():
    table = lecture_table()
    frame = to_frame(table, headers(table))
    assert list(frame.columns) == ["class", "image 1 (cat)", "image 2 (car)", "image 3 (frog)"]
    assert frame["class"].tolist() == ["cat", "car", "frog"]
    assert frame["image 1 (cat)"].tolist() == [3.2, 5.1, -1.7]  # the slide's cat column
    assert frame["image 3 (frog)"].tolist() == [2.2, 2.5, -3.1]


def test_frame_round_trip_lecture():
    table = lecture_table()
    h = headers(table)
    assert from_frame(to_frame(table, h), h, table.labels) == table


@settings(max_examples=40, deadline=None)
@given(valid_tables())
def test_frame_round_trip(table):
    h = headers(table)
    back = from_frame(to_frame(table, h), h, table.labels)
    assert back == table


def test_frame_from_the_editor_with_object_columns():
    table = edited()
    h = headers(table)
    frame = to_frame(table, h).astype(object)
    assert from_frame(frame, h, table.labels) == table


@pytest.mark.parametrize("empty", [None, np.nan, float("nan")])
def test_from_frame_refuses_an_empty_score_cell(empty):
    table = lecture_table()
    h = headers(table)
    frame = to_frame(table, h).astype({h[1]: object})
    frame.loc[2, h[1]] = empty
    with pytest.raises(StateError) as err:
        from_frame(frame, h, table.labels)
    assert err.value.reason == "empty_score"


@pytest.mark.parametrize("text", ["abc", "1,5", "", "3.2.1"])
def test_from_frame_refuses_text_in_a_score_cell(text):
    table = lecture_table()
    h = headers(table)
    frame = to_frame(table, h).astype({h[0]: object})
    frame.loc[0, h[0]] = text
    with pytest.raises(StateError) as err:
        from_frame(frame, h, table.labels)
    assert err.value.reason == "empty_score"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (None, "empty_name"),
        (np.nan, "empty_name"),
        ("", "empty_name"),
        ("   ", "empty_name"),
        ("x" * (MAX_NAME_LENGTH + 1), "long_name"),
    ],
)
def test_from_frame_refuses_a_bad_class_name(name, reason):
    table = lecture_table()
    h = headers(table)
    frame = to_frame(table, h).astype({"class": object})
    frame.loc[1, "class"] = name
    with pytest.raises(StateError) as err:
        from_frame(frame, h, table.labels)
    assert err.value.reason == reason


@pytest.mark.parametrize(
    ("score", "reason"),
    [(1e7, "score_range"), (-1e7, "score_range"), (np.inf, "not_finite"), (-np.inf, "not_finite")],
)
def test_from_frame_refuses_a_bad_score(score, reason):
    table = lecture_table()
    h = headers(table)
    frame = to_frame(table, h)
    frame.loc[0, h[2]] = score
    with pytest.raises(StateError) as err:
        from_frame(frame, h, table.labels)
    assert err.value.reason == reason


def test_from_frame_accepts_an_edit_and_strips_names():
    table = lecture_table()
    h = headers(table)
    frame = to_frame(table, h)
    frame.loc[0, h[0]] = 1e6
    frame.loc[2, "class"] = "  toad  "
    new = from_frame(frame, h, table.labels)
    assert new.classes == ("cat", "car", "toad")
    assert new.scores[0, 0] == 1e6
    assert new.scores[0, 1] == 5.1
    assert new.labels == table.labels


def test_from_frame_reads_numeric_text():
    table = lecture_table()
    h = headers(table)
    frame = to_frame(table, h).astype({h[0]: object})
    frame.loc[1, h[0]] = "4.5"
    assert from_frame(frame, h, table.labels).scores[0, 1] == 4.5


def test_from_frame_returns_a_dataframe_independent_table():
    table = lecture_table()
    h = headers(table)
    frame = to_frame(table, h)
    new = from_frame(frame, h, table.labels)
    frame.loc[0, h[0]] = 42.0
    assert new.scores[0, 0] == 3.2
    assert isinstance(frame, pd.DataFrame)


# ---- structural edits ------------------------------------------------------------------------------------


def test_add_class_until_the_maximum():
    table = lecture_table()
    for k in range(MAX_CLASSES - 3):
        table = add_class(table)
        assert table.classes[-1] == f"class {4 + k}"
        assert_valid(table)
    assert table.num_classes == MAX_CLASSES
    np.testing.assert_array_equal(table.scores[:, :3], LECTURE_SCORES)
    np.testing.assert_array_equal(table.scores[:, 3:], 0.0)
    assert table.labels == (0, 1, 2)
    assert add_class(table) == table


def test_add_class_avoids_a_taken_name():
    table = check(("a", "class 3"), [[1.0, 2.0]], [1])
    new = add_class(table)
    assert new.classes == ("a", "class 3", "class 4")
    assert_valid(new)


def test_remove_class_until_the_minimum():
    table = lecture_table()
    table = remove_class(table)
    assert table.classes == ("cat", "car")
    assert table.labels == (0, 1, 0)  # the frog image moves to class 0
    np.testing.assert_array_equal(table.scores, LECTURE_SCORES[:, :2])
    assert_valid(table)
    assert remove_class(table) == table


def test_remove_class_does_not_touch_the_original():
    table = lecture_table()
    new = remove_class(table)
    new.scores[0, 0] = 42.0
    assert table.scores[0, 0] == 3.2


def test_add_example_until_the_maximum():
    table = lecture_table()
    for _ in range(MAX_EXAMPLES - 3):
        table = add_example(table)
        assert table.labels[-1] == 0
        np.testing.assert_array_equal(table.scores[-1], 0.0)
        assert_valid(table)
    assert table.num_examples == MAX_EXAMPLES
    assert add_example(table) == table


def test_remove_example_until_the_minimum():
    table = lecture_table()
    table = remove_example(table)
    assert table.labels == (0, 1)
    np.testing.assert_array_equal(table.scores, LECTURE_SCORES[:2])
    table = remove_example(table)
    assert table.num_examples == MIN_EXAMPLES
    assert remove_example(table) == table
    assert_valid(table)


EDITS = {
    "add_class": add_class,
    "remove_class": remove_class,
    "add_example": add_example,
    "remove_example": remove_example,
}


@PROPS
@given(valid_tables(), st.lists(st.sampled_from(sorted(EDITS)), max_size=25))
def test_any_sequence_of_edits_keeps_the_table_valid(table, edits):
    for name in edits:
        before = table
        table = EDITS[name](table)
        assert_valid(table)
        assert MIN_CLASSES <= table.num_classes <= MAX_CLASSES
        assert MIN_EXAMPLES <= table.num_examples <= MAX_EXAMPLES
        if name == "remove_class" and before.num_classes > MIN_CLASSES:
            last = before.num_classes - 1
            assert table.labels == tuple(0 if v == last else v for v in before.labels)
        assert decode(encode(table)) == (table, [])


# ---- with_label -------------------------------------------------------------------------------------------


def test_with_label_changes_one_label():
    table = lecture_table()
    new = with_label(table, 2, 0)
    assert new.labels == (0, 1, 0)
    assert table.labels == (0, 1, 2)
    np.testing.assert_array_equal(new.scores, table.scores)
    assert new.classes == table.classes


def test_with_label_accepts_numpy_ints():
    assert with_label(lecture_table(), 0, np.int64(2)).labels == (2, 1, 2)


@pytest.mark.parametrize("label", [3, -1, 10])
def test_with_label_refuses_a_label_out_of_range(label):
    with pytest.raises(StateError) as err:
        with_label(lecture_table(), 1, label)
    assert err.value.reason == "bad_label"


def test_module_limits_match_the_docstring():
    assert (tables.MIN_CLASSES, tables.MAX_CLASSES) == (2, 10)
    assert (tables.MIN_EXAMPLES, tables.MAX_EXAMPLES) == (1, 10)
    assert tables.MAX_ABS_SCORE == 1e6
    assert tables.MAX_NAME_LENGTH == 40

"""The editable score table of the loss page: its model, URL form and editor form.

Core works on scores shaped (N, C), one row per example. The slides (and the
editor) show the transpose: one row per class, one column per training image.
This module converts between the two and enforces what the page accepts:
2-10 classes, 1-10 images, finite scores with |s| <= 1e6, class names of
1-40 characters.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.lecture import LECTURE_CLASSES, LECTURE_LABELS, LECTURE_SCORES
from ui.settings.base import MAX_PARAM_LENGTH, Problem, StateError, format_number, shorten

MIN_CLASSES, MAX_CLASSES = 2, 10
MIN_EXAMPLES, MAX_EXAMPLES = 1, 10
MAX_ABS_SCORE = 1e6
MAX_NAME_LENGTH = 40
CLASS_COLUMN = "class"
TABLE_PARAMS = ("scores", "classes", "labels")


@dataclass(frozen=True)
class ScoreTable:
    """Class names, scores (N, C) and the correct class of each of the N images."""

    classes: tuple[str, ...]
    scores: np.ndarray  # (N, C)
    labels: tuple[int, ...]  # (N,)

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    @property
    def num_examples(self) -> int:
        return len(self.labels)

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, ScoreTable)
            and self.classes == other.classes
            and self.labels == other.labels
            and self.scores.shape == other.scores.shape
            and bool(np.array_equal(self.scores, other.scores))
        )

    __hash__ = None


def lecture_table() -> ScoreTable:
    return ScoreTable(LECTURE_CLASSES, LECTURE_SCORES.copy(), tuple(int(v) for v in LECTURE_LABELS))


def with_names(table: ScoreTable, names: tuple[str, ...], defaults) -> ScoreTable:
    """The table with the lecture's class names written in the reader's language.

    ``names`` are the lecture's names (cat, car, frog) in the language to show; ``defaults``
    the same names in every language. The first classes are renamed only while they are
    exactly the lecture's names in some language (the table as the lecture or a preset made
    it, whatever its scores), so a name the user typed is never renamed: one renamed class and
    the table keeps its names as they are, in every language. Core only ever sees the names;
    the URL keeps the English ones (``with_names(table, LECTURE_CLASSES, ...)``).
    """
    k = min(len(names), table.num_classes)
    head = table.classes[:k]
    if head == tuple(names[:k]) or not any(head == tuple(d[:k]) for d in defaults):
        return table
    classes = (*names[:k], *table.classes[k:])
    if len(set(classes)) != len(classes):  # a later class already uses one of the names
        return table
    return ScoreTable(classes, table.scores, table.labels)


def check_name(name) -> str:
    """A class name as the table keeps it (stripped), or StateError saying why it cannot be one."""
    name = "" if name is None or (isinstance(name, float) and np.isnan(name)) else str(name).strip()
    if not name:
        raise StateError("empty_name")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):  # controls, bidi overrides
        raise StateError("control_name")
    if len(name) > MAX_NAME_LENGTH:
        raise StateError("long_name", limit=MAX_NAME_LENGTH)
    return name


def duplicate_rows(names) -> list[int]:
    """Rows whose class name an earlier row already has."""
    seen: set[str] = set()
    dup = []
    for r, name in enumerate(names):
        if name in seen:
            dup.append(r)
        seen.add(name)
    return dup


def check(classes, scores, labels) -> ScoreTable:
    """A ScoreTable from parts, or StateError naming the first thing that is wrong."""
    classes = tuple(check_name(c) for c in classes)
    if not MIN_CLASSES <= len(classes) <= MAX_CLASSES:
        raise StateError("class_count", lo=MIN_CLASSES, hi=MAX_CLASSES)
    if len(set(classes)) != len(classes):
        raise StateError("duplicate_name", name=next(c for c in classes if classes.count(c) > 1))
    try:
        scores = np.array(scores, dtype=np.float64)
    except (TypeError, ValueError):
        raise StateError("not_number") from None
    if scores.ndim != 2 or scores.shape[1] != len(classes):
        raise StateError("shape_mismatch")
    if not MIN_EXAMPLES <= scores.shape[0] <= MAX_EXAMPLES:
        raise StateError("example_count", lo=MIN_EXAMPLES, hi=MAX_EXAMPLES)
    if not np.all(np.isfinite(scores)):
        raise StateError("not_finite")
    if np.any(np.abs(scores) > MAX_ABS_SCORE):
        raise StateError("score_range", limit=format_number(MAX_ABS_SCORE))
    labels = tuple(labels)
    if len(labels) != scores.shape[0]:
        raise StateError("shape_mismatch")
    if not all(isinstance(v, int | np.integer) and 0 <= v < len(classes) for v in labels):
        raise StateError("bad_label", hi=len(classes) - 1)
    return ScoreTable(classes, scores, tuple(int(v) for v in labels))


# ---- URL form: scores=3.2,1.3,2.2;5.1,4.9,2.5;... (one group per class), classes=JSON, labels=0,1,2


def encode(table: ScoreTable) -> dict[str, str]:
    if table == lecture_table():
        return {}
    rows = [",".join(format_number(v) for v in row) for row in table.scores.T]  # one per class
    return {
        "scores": ";".join(rows),
        "classes": json.dumps(list(table.classes), ensure_ascii=False),
        "labels": ",".join(str(v) for v in table.labels),
    }


def decode(params) -> tuple[ScoreTable, list[Problem]]:
    """The table from a query string; the lecture's table (and a problem) if it is unusable."""
    present = [p for p in TABLE_PARAMS if p in params]
    if not present:
        return lecture_table(), []
    raw = {p: str(params.get(p, "")) for p in TABLE_PARAMS}
    try:
        if any(len(v) > MAX_PARAM_LENGTH for v in raw.values()):
            raise StateError("too_long", limit=MAX_PARAM_LENGTH)
        if len(present) != len(TABLE_PARAMS):
            raise StateError("incomplete_table")
        try:
            classes = json.loads(raw["classes"])
        except (ValueError, RecursionError):  # deeply nested JSON exhausts the parser's stack
            raise StateError("bad_list") from None
        if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
            raise StateError("bad_list")
        try:
            by_class = [[float(v) for v in row.split(",")] for row in raw["scores"].split(";")]
            labels = [int(v) for v in raw["labels"].split(",")]
        except ValueError:
            raise StateError("not_number") from None
        if len({len(r) for r in by_class}) != 1:
            raise StateError("shape_mismatch")
        return check(classes, np.array(by_class).T, labels), []
    except StateError as err:
        value = shorten(raw.get(present[0], ""))
        name = "/".join(present)
        return lecture_table(), [Problem(name, value, err.reason, tuple(sorted(err.details.items())))]


# ---- editor form: a DataFrame with a "class" column and one column per image


def to_frame(table: ScoreTable, headers: list[str]) -> pd.DataFrame:
    """Rows are classes, the first column their names, then one column per image."""
    data = {CLASS_COLUMN: list(table.classes)}
    for k, header in enumerate(headers):
        data[header] = table.scores[k, :]
    return pd.DataFrame(data)


def to_text_frame(table: ScoreTable, headers: list[str]) -> pd.DataFrame:
    """The editor's form: like ``to_frame`` with each score as the text that reads back exactly."""
    data = {CLASS_COLUMN: list(table.classes)}
    for k, header in enumerate(headers):
        data[header] = [format_number(v) for v in table.scores[k, :]]
    return pd.DataFrame(data)


def from_frame(frame: pd.DataFrame, headers: list[str], labels) -> ScoreTable:
    """The table the editor now shows, or StateError saying why it cannot be used."""
    names = frame[CLASS_COLUMN].tolist()
    if any(n is None or (isinstance(n, float) and np.isnan(n)) for n in names):
        raise StateError("empty_name")
    cols = []
    for header in headers:
        col = pd.to_numeric(frame[header], errors="coerce").to_numpy(dtype=np.float64)
        if np.any(np.isnan(col)):
            raise StateError("empty_score")
        cols.append(col)
    return check(names, np.array(cols), labels)


# ---- structural edits (the add / remove buttons)


def add_class(table: ScoreTable) -> ScoreTable:
    if table.num_classes >= MAX_CLASSES:
        return table
    taken = set(table.classes)
    k = table.num_classes + 1
    while f"class {k}" in taken:
        k += 1
    scores = np.hstack([table.scores, np.zeros((table.num_examples, 1))])
    return ScoreTable((*table.classes, f"class {k}"), scores, table.labels)


def remove_class(table: ScoreTable) -> ScoreTable:
    """Drop the last class; images labelled with it move to the first class."""
    if table.num_classes <= MIN_CLASSES:
        return table
    last = table.num_classes - 1
    labels = tuple(0 if v == last else v for v in table.labels)
    return ScoreTable(table.classes[:-1], table.scores[:, :-1].copy(), labels)


def add_example(table: ScoreTable) -> ScoreTable:
    if table.num_examples >= MAX_EXAMPLES:
        return table
    scores = np.vstack([table.scores, np.zeros((1, table.num_classes))])
    return ScoreTable(table.classes, scores, (*table.labels, 0))


def remove_example(table: ScoreTable) -> ScoreTable:
    if table.num_examples <= MIN_EXAMPLES:
        return table
    return ScoreTable(table.classes, table.scores[:-1].copy(), table.labels[:-1])


def with_label(table: ScoreTable, k: int, label: int) -> ScoreTable:
    labels = list(table.labels)
    labels[k] = int(label)
    return check(table.classes, table.scores, labels)

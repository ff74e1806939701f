"""Settings declared once: each has a URL name, a default, a codec and (optionally) a widget.

A ``Field`` says how a setting reads from and prints into the query string (``decode`` turns a
query string into values plus the problems it refused: a bad value falls back to the default and
is reported, never raised; ``encode`` prints only what differs from the defaults) and which
widget draws it, with which catalog label. ``ui.settings.page.PageSettings`` draws the widgets
and keeps the URL in step; this module has no Streamlit in it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core import quiz

MAX_PARAM_LENGTH = 2000  # longer query values are refused outright


class StateError(ValueError):
    """A value that cannot be used; ``reason`` is a catalog key under ``state.reason``."""

    def __init__(self, reason: str, **details):
        super().__init__(reason)
        self.reason = reason
        self.details = details


@dataclass(frozen=True)
class Field:
    """One setting of a page: its URL name, default and codec, and the widget that shows it.

    ``widget`` is ``"slider"``, ``"select"``, ``"radio"``, ``"toggle"``, ``"whole"`` (a number
    box for a whole number, used exactly or refused) or None (no widget of its own: a table
    cell, the open tab, a seed a button changes). ``label`` and ``help`` are catalog keys;
    ``option_label`` is a catalog key with ``{}`` for the option, or a function of the option.
    """

    name: str
    default: Any
    parse: Callable[[str], Any]
    dump: Callable[[Any], str] = str
    widget: str | None = None
    max_length: int = MAX_PARAM_LENGTH
    label: str = ""
    help: str | None = None
    options: tuple = ()
    option_label: str | Callable[[Any], str] | None = None
    bounds: tuple = ()
    step: float | None = None
    format: str | None = None
    horizontal: bool = False

    def option_text(self, option) -> str | None:
        """The catalog key for ``option`` (None when the option shows as itself)."""
        if isinstance(self.option_label, str):
            return self.option_label.format(option)
        return None


@dataclass(frozen=True)
class Problem:
    """A query-string value that was refused, and why."""

    name: str
    value: str  # the raw value, shortened for display
    reason: str  # catalog key under state.reason
    details: tuple = ()


def _number(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise StateError("not_number") from None
    if not math.isfinite(value):
        raise StateError("not_finite")
    return value


def format_number(value: float) -> str:
    """Shortest faithful text for a number in a URL (``3.2``, ``-1e-05``, ``2``)."""
    text = repr(float(value))  # the shortest string that reads back as the same double
    return text[:-2] if text.endswith(".0") else text


def float_field(
    name: str, default: float, lo: float, hi: float, *, widget: str | None = "slider", **spec
) -> Field:
    """A number between ``lo`` and ``hi``; ``spec`` holds the widget's label, help, step, format."""

    def parse(raw: str) -> float:
        value = _number(raw)
        if not lo <= value <= hi:
            raise StateError("out_of_range", lo=lo, hi=hi)
        return value

    return Field(name, float(default), parse, format_number, widget, bounds=(float(lo), float(hi)), **spec)


def int_field(name: str, default: int, lo: int, hi: int, *, widget: str | None = "slider", **spec) -> Field:
    """A whole number between ``lo`` and ``hi`` (a slider, a whole-number box, or a select over
    ``options``)."""

    def parse(raw: str) -> int:
        value = _number(raw)
        if value != int(value):
            raise StateError("not_integer")
        if not lo <= value <= hi:
            raise StateError("out_of_range", lo=lo, hi=hi)
        return int(value)

    return Field(name, int(default), parse, lambda v: str(int(v)), widget, bounds=(int(lo), int(hi)), **spec)


def bool_field(name: str, default: bool, *, widget: str | None = "toggle", **spec) -> Field:
    def parse(raw: str) -> bool:
        if raw.lower() in ("1", "true", "on", "yes"):
            return True
        if raw.lower() in ("0", "false", "off", "no"):
            return False
        raise StateError("not_bool")

    return Field(name, bool(default), parse, lambda v: "1" if v else "0", widget, **spec)


def choice_field(
    name: str, default: str, choices: Sequence[str], *, widget: str | None = "select", **spec
) -> Field:
    """One of ``choices`` (a select box or radio buttons over them)."""
    allowed = tuple(str(c) for c in choices)
    if str(default) not in allowed:
        raise ValueError(f"default {default!r} of field {name!r} is not among {allowed}")

    def parse(raw: str) -> str:
        if raw not in allowed:
            raise StateError("not_choice", choices=", ".join(allowed))
        return raw

    return Field(name, str(default), parse, str, widget, options=allowed, **spec)


def vector_field(
    name: str,
    default,
    lo: float,
    hi: float,
    *,
    min_len: int = 1,
    max_len: int = 10,
    widget: str | None = None,
) -> Field:
    """A short vector of numbers written ``1,0,0.25`` in the URL."""
    default = tuple(float(v) for v in default)

    def parse(raw: str) -> tuple[float, ...]:
        values = tuple(_number(part) for part in raw.split(","))
        if not min_len <= len(values) <= max_len:
            raise StateError("vector_length", lo=min_len, hi=max_len)
        if any(not lo <= v <= hi for v in values):
            raise StateError("out_of_range", lo=lo, hi=hi)
        return values

    return Field(name, default, parse, lambda v: ",".join(format_number(x) for x in v), widget)


def matrix_field(
    name: str,
    default,
    lo: float,
    hi: float,
    *,
    cols: int | None = None,
    max_rows: int = 10,
    max_length: int = MAX_PARAM_LENGTH,
    widget: str | None = None,
) -> Field:
    """A small matrix written ``1,2;2,-4;3,-1`` (rows separated by ``;``) in the URL.

    An empty value is an empty matrix (no rows).
    """
    default = tuple(tuple(float(v) for v in row) for row in default)

    def parse(raw: str) -> tuple[tuple[float, ...], ...]:
        if raw == "":
            return ()
        rows = tuple(tuple(_number(v) for v in row.split(",")) for row in raw.split(";"))
        if len(rows) > max_rows:
            raise StateError("too_many_rows", hi=max_rows)
        if len({len(r) for r in rows}) != 1 or (cols is not None and len(rows[0]) != cols):
            raise StateError("ragged")
        if any(not lo <= v <= hi for row in rows for v in row):
            raise StateError("out_of_range", lo=lo, hi=hi)
        return rows

    def dump(value) -> str:
        return ";".join(",".join(format_number(v) for v in row) for row in value)

    return Field(name, default, parse, dump, widget, max_length)


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decode(fields: Sequence[Field], params: Mapping[str, str]) -> tuple[dict, list[Problem]]:
    """Values for ``fields`` from a query-string mapping, plus what was refused.

    Missing names take their defaults silently; a value that does not parse
    takes the default and is reported as a ``Problem``. Never raises.
    """
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for f in fields:
        raw = params.get(f.name)
        if raw is None:
            values[f.name] = f.default
            continue
        raw = str(raw)
        try:
            if len(raw) > f.max_length:
                raise StateError("too_long", limit=f.max_length)
            values[f.name] = f.parse(raw)
        except StateError as err:
            values[f.name] = f.default
            problems.append(Problem(f.name, shorten(raw), err.reason, tuple(sorted(err.details.items()))))
    return values, problems


def encode(fields: Sequence[Field], values: Mapping[str, Any]) -> dict[str, str]:
    """The query-string form of ``values``: only what differs from the defaults."""
    out: dict[str, str] = {}
    for f in fields:
        text = f.dump(values[f.name])
        if text != f.dump(f.default):
            out[f.name] = text
    return out


def is_valid(f: Field, value) -> bool:
    """Whether ``value`` is one the field could have produced (it survives dump -> parse)."""
    try:
        return f.parse(f.dump(value)) == value
    except (StateError, TypeError, ValueError):
        return False


def code_field(name: str, *, max_length: int = 20) -> Field:
    """A short code of letters, digits and dashes (a class's join code), "" when there is none."""

    def parse(raw: str) -> str:
        if raw and not all(ch.isascii() and (ch.isalnum() or ch == "-") for ch in raw):
            raise StateError("not_code")
        return raw.upper()

    return Field(name, "", parse, str, None, max_length=max_length)


PROGRESS_MARKS = {"r": "right", "c": "close", "o": "off", "s": "shown"}  # URL letter -> outcome


def progress_field(name: str, questions: Sequence[str]) -> Field:
    """A student's place in a chapter's questions: ``(("q1", "right"), ("q3", "shown"), ...)``,
    written ``q1:r,q3:s`` in the URL (right, close, off, or shown without a guess)."""
    allowed = tuple(questions)
    letters = {outcome: letter for letter, outcome in PROGRESS_MARKS.items()}

    def parse(raw: str) -> tuple[tuple[str, str], ...]:
        if raw == "":
            return ()
        seen: dict[str, str] = {}
        for item in raw.split(","):
            question, _, mark = item.partition(":")
            if question not in allowed or mark not in PROGRESS_MARKS:
                raise StateError("not_progress", choices=", ".join(allowed))
            seen[question] = PROGRESS_MARKS[mark]
        return tuple((q, seen[q]) for q in allowed if q in seen)

    def dump(value) -> str:
        return ",".join(f"{q}:{letters[outcome]}" for q, outcome in value)

    return Field(name, (), parse, dump, None, max_length=40 * max(len(allowed), 1))


def quiz_fields(chapter_name: str) -> tuple[Field, Field]:
    """A chapter's "Predict" tab: the question open (``q``, a radio over the chapter's questions)
    and the student's progress through them (``quiz``)."""
    names = tuple(q.id.split(".", 1)[1] for q in quiz.chapter(chapter_name))
    picker = choice_field("q", names[0], names, widget="radio", horizontal=True, label="predict.picker")
    return picker, progress_field("quiz", names)

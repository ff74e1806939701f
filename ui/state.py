"""Declarative page state and its URL form.

Each page declares its settings once as ``Field`` objects (name, default, how to
parse and print the value). ``decode`` turns a query string into values plus a
list of problems (bad values fall back to the default and are reported, never
raised); ``encode`` prints the values that differ from their defaults. The
Streamlit glue below keeps one canonical copy of each page's values in session
state, seeds the widgets from it (so a widget's state survives a visit to
another page), and mirrors it into ``st.query_params`` so a copied URL
reproduces the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui.i18n import DEFAULT_LANGUAGE, current_language

MAX_PARAM_LENGTH = 2000  # longer query values are refused outright
GLOBAL_PARAMS = ("lang", "present")  # owned by app.py, kept on every page


class StateError(ValueError):
    """A value that cannot be used; ``reason`` is a catalog key under ``state.reason``."""

    def __init__(self, reason: str, **details):
        super().__init__(reason)
        self.reason = reason
        self.details = details


@dataclass(frozen=True)
class Field:
    """One setting of a page: its URL name, default and codec.

    ``widget`` says whether a Streamlit widget with key ``"{page}.{name}"``
    shows it (such keys are seeded from the canonical value).
    """

    name: str
    default: Any
    parse: Callable[[str], Any]
    dump: Callable[[Any], str] = str
    widget: bool = True
    max_length: int = MAX_PARAM_LENGTH


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


def float_field(name: str, default: float, lo: float, hi: float, *, widget: bool = True) -> Field:
    def parse(raw: str) -> float:
        value = _number(raw)
        if not lo <= value <= hi:
            raise StateError("out_of_range", lo=lo, hi=hi)
        return value

    return Field(name, float(default), parse, format_number, widget)


def int_field(name: str, default: int, lo: int, hi: int, *, widget: bool = True) -> Field:
    def parse(raw: str) -> int:
        value = _number(raw)
        if value != int(value):
            raise StateError("not_integer")
        if not lo <= value <= hi:
            raise StateError("out_of_range", lo=lo, hi=hi)
        return int(value)

    return Field(name, int(default), parse, lambda v: str(int(v)), widget)


def bool_field(name: str, default: bool, *, widget: bool = True) -> Field:
    def parse(raw: str) -> bool:
        if raw.lower() in ("1", "true", "on", "yes"):
            return True
        if raw.lower() in ("0", "false", "off", "no"):
            return False
        raise StateError("not_bool")

    return Field(name, bool(default), parse, lambda v: "1" if v else "0", widget)


def choice_field(name: str, default: str, choices: Sequence[str], *, widget: bool = True) -> Field:
    allowed = tuple(str(c) for c in choices)
    if str(default) not in allowed:
        raise ValueError(f"default {default!r} of field {name!r} is not among {allowed}")

    def parse(raw: str) -> str:
        if raw not in allowed:
            raise StateError("not_choice", choices=", ".join(allowed))
        return raw

    return Field(name, str(default), parse, str, widget)


def vector_field(name: str, default, lo: float, hi: float, *, min_len: int = 1, max_len: int = 10,
                 widget: bool = False) -> Field:
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


def matrix_field(name: str, default, lo: float, hi: float, *, cols: int | None = None, max_rows: int = 10,
                 max_length: int = MAX_PARAM_LENGTH, widget: bool = False) -> Field:
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


# ---- Streamlit glue: the only place that touches st.query_params -------------------------------


def widget_key(page: str, name: str) -> str:
    return f"{page}.{name}"


def load_page(page: str, fields: Sequence[Field]) -> dict:
    """This page's canonical values at the start of a run.

    On the page's first run in a session they are decoded from the URL (the
    problems are kept for ``page_problems``). Widgets whose state Streamlit has
    dropped (first visit, or after another page ran) are seeded from them.
    """
    canon = f"_state.{page}"
    if canon not in st.session_state:
        values, problems = decode(fields, st.query_params.to_dict())
        st.session_state[canon] = values
        st.session_state[f"_problems.{page}"] = problems
    values = dict(st.session_state[canon])
    shown_last_run = st.session_state.get(f"_rendered.{page}", set())
    for f in fields:
        key = widget_key(page, f.name)
        if not f.widget:
            continue
        # Seed the widget from the canonical value when its state cannot be trusted:
        # - missing (first visit, or dropped after another page ran);
        # - not shown last run (a hidden tab): Streamlit may hand back the widget's first seed;
        # - a value the field cannot hold: a selectbox returns its label as a raw string when
        #   the labels changed under it (a language switch, a renamed class).
        if key not in st.session_state or key not in shown_last_run or not is_valid(f, st.session_state[key]):
            st.session_state[key] = values[f.name]
    return values


def _rendered_keys(keys) -> set[str]:
    """Which of ``keys`` belong to widgets created in the current run."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return set()
    return {k for k in keys if k in ctx.shared.widget_user_keys_this_run}


def is_valid(f: Field, value) -> bool:
    """Whether ``value`` is one the field could have produced (it survives dump -> parse)."""
    try:
        return f.parse(f.dump(value)) == value
    except (StateError, TypeError, ValueError):
        return False


def read_widgets(page: str, fields: Sequence[Field], values: dict) -> dict:
    """``values`` updated from the widgets' current state."""
    out = dict(values)
    for f in fields:
        key = widget_key(page, f.name)
        if f.widget and key in st.session_state:
            out[f.name] = st.session_state[key]
    return out


def set_values(page: str, fields: Sequence[Field], updates: Mapping[str, Any]) -> None:
    """Change canonical values and their widgets (for callbacks such as presets)."""
    canon = f"_state.{page}"
    values = dict(st.session_state.get(canon, {f.name: f.default for f in fields}))
    by_name = {f.name: f for f in fields}
    for name, value in updates.items():
        values[name] = value
        if by_name[name].widget:
            st.session_state[widget_key(page, name)] = value
    st.session_state[canon] = values


def page_problems(page: str) -> list[Problem]:
    return list(st.session_state.get(f"_problems.{page}", []))


def dismiss_problems(page: str) -> None:
    st.session_state[f"_problems.{page}"] = []


def save_page(page: str, fields: Sequence[Field], values: Mapping[str, Any], extra=None, *,
              full_run: bool = True) -> None:
    """Store the canonical values and mirror them (plus ``extra`` params) into the URL.

    ``full_run=False`` (from inside a fragment) leaves the record of which widgets were shown
    alone: a fragment run shows only its own widgets.
    """
    st.session_state[f"_state.{page}"] = dict(values)
    if full_run:
        st.session_state[f"_rendered.{page}"] = _rendered_keys(widget_key(page, f.name) for f in fields)
    params = encode(fields, values)
    params.update(extra or {})
    sync_url(params)


def sync_url(params: Mapping[str, str]) -> None:
    """Make the query string exactly ``params`` plus the global ones (language, presenter mode)."""
    target = dict(params)
    lang = current_language()
    if lang != DEFAULT_LANGUAGE:
        target["lang"] = lang
    if st.session_state.get("present"):
        target["present"] = "1"
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)

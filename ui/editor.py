"""The one ``st.data_editor`` helper: numbers typed as text, used exactly or refused by name.

The grid's own number editor strips the characters it does not expect as the user types
("1e-3" arrives as -13, "1,5" as 15) and silently reverts NaN, inf or an empty cell. So every
editable number here sits in a text column: the text the user typed reaches Python unchanged
and is read with Python's ``float`` (scientific notation included), then checked against the
page's bounds. A cell that cannot be used is refused with a notice naming it (row, column and
the text typed); the grid goes back to the last good table, which the page keeps computing with.

Usage, in a page::

    base = editor.base(KEY, table, signature)          # fixed while the user edits
    frame, refusals = editor.grid(KEY, to_frame(base), {"col": editor.number(-100, 100)}, ...)
    if refusals:
        editor.refuse(KEY, refusals)                   # notice + grid back to the last good table
    elif changed:
        editor.accept(KEY)                             # clears the notice
    editor.show_refusals(KEY)

The editor keeps its edits as a delta against the data it was given, so that data (the base)
must stay fixed while the user edits; a new base, under a new widget key, is taken when the
page asks (``restart``) or the shape or headers change (``signature``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from ui.i18n import t
from ui.settings.base import StateError, format_number, shorten
from ui.widgets import md_escape

MAX_CELL_CHARS = 40  # a number needs far fewer; longer text is refused by the grid itself


@dataclass(frozen=True)
class Refusal:
    """One cell that was not used: where it is, what was typed, why (a ``state.reason`` key)."""

    row: str
    column: str
    text: str
    reason: str
    details: tuple = ()


def number_text(value: float) -> str:
    """How a number sits in a text cell: the shortest text that reads back as the same double."""
    return format_number(value)


def parse_number(text, lo: float, hi: float, *, integer: bool = False) -> float:
    """The number ``text`` spells by Python's ``float`` rules, or StateError saying why not.

    >>> parse_number("1e-3", -1e6, 1e6), parse_number(" 2.5E1 ", -1e6, 1e6)
    (0.001, 25.0)
    """
    if text is None or (isinstance(text, float) and math.isnan(text)) or str(text).strip() == "":
        raise StateError("empty_cell")
    try:
        value = float(str(text).strip())
    except ValueError:
        raise StateError("cell_not_number") from None
    if not math.isfinite(value):
        raise StateError("not_finite")
    if not lo <= value <= hi:
        raise StateError("out_of_range", lo=number_text(lo), hi=number_text(hi))
    if integer and value != int(value):
        raise StateError("not_integer")
    return int(value) if integer else value


def number(lo: float, hi: float, *, integer: bool = False) -> Callable[[Any], float]:
    """A cell parser for numbers in [lo, hi] (whole numbers if ``integer``)."""
    return lambda text: parse_number(text, lo, hi, integer=integer)


def text_column(label: str, *, help: str | None = None, default: str | None = None, **kwargs):
    """A text column for numbers: right-aligned like numbers, what is typed kept verbatim."""
    return st.column_config.TextColumn(
        label, help=help, default=default, alignment="right", max_chars=MAX_CELL_CHARS, **kwargs
    )


def _key(key: str, what: str) -> str:
    return f"_editor.{key}.{what}"


def widget_key(key: str) -> str:
    """The data_editor's current widget key (it changes with each new base)."""
    return f"{key}.{st.session_state.get(_key(key, 'version'), 0)}"


def base(key: str, current, signature=None):
    """The data the editor is seeded with: ``current`` when a new base is due, else the old one.

    A new base is taken on the first run, after ``restart`` (an accepted edit that changes the
    headers, a refused one, a preset), when ``signature`` changes, or when Streamlit has dropped
    the editor's state (after a visit to another page).
    """
    stored = st.session_state.get(_key(key, "base"))
    if (
        stored is None
        or st.session_state.get(_key(key, "signature")) != signature
        or widget_key(key) not in st.session_state
    ):
        st.session_state[_key(key, "base")] = stored = (current,)
        st.session_state[_key(key, "signature")] = signature
        st.session_state[_key(key, "version")] = st.session_state.get(_key(key, "version"), 0) + 1
    return stored[0]


def restart(key: str) -> None:
    """Seed the editor afresh on the next run (from whatever the page then passes to ``base``)."""
    st.session_state[_key(key, "base")] = None


def grid(
    key: str,
    frame: pd.DataFrame,
    parsers: dict[str, Callable[[Any], Any]],
    *,
    row_names: Sequence[str] | Callable[[int], str],
    column_names: dict[str, str] | None = None,
    values: pd.DataFrame | None = None,
    **editor_kwargs,
) -> tuple[pd.DataFrame | None, list[Refusal]]:
    """``st.data_editor`` over ``frame``; every edited cell of a column in ``parsers`` read back
    through its parser.

    ``values`` (same index and columns as ``frame``) holds what the untouched cells stand for;
    without it they are parsed too. A cell is untouched when its row is one of ``frame``'s and its
    text is unchanged: a value the page holds (say a weight far outside the typing bounds after
    training diverged) is never refused because the user edited another cell.
    ``row_names`` names the rows in refusal notices (a list, or a function of the row number for
    editors whose rows can be added). Returns the parsed frame (same index, parsed columns
    replaced, other columns as edited) and no refusals, or ``None`` and the refused cells.
    """
    edited = st.data_editor(frame, key=widget_key(key), **editor_kwargs)
    column_names = column_names or {}
    out = edited.copy()
    refusals: list[Refusal] = []
    for column, parse in parsers.items():
        parsed = []
        for r, (label, text) in enumerate(zip(edited.index, edited[column].tolist(), strict=True)):
            if values is not None and label in frame.index and frame.at[label, column] == text:
                parsed.append(values.at[label, column])
                continue
            try:
                parsed.append(parse(text))
            except StateError as err:
                row = row_names(r) if callable(row_names) else row_names[r]
                shown = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
                refusals.append(
                    Refusal(
                        row,
                        column_names.get(column, column),
                        shorten(shown, 30),
                        err.reason,
                        tuple(sorted(err.details.items())),
                    )
                )
                parsed.append(None)
        out[column] = pd.Series(parsed, index=edited.index, dtype=object)
    return (None, refusals) if refusals else (out, [])


def refuse(key: str, refusals: list[Refusal]) -> None:
    """Remember the refusals for the notice and put the grid back to the last good table (rerun)."""
    st.session_state[_key(key, "refused")] = list(refusals)
    restart(key)
    st.rerun()


def accept(key: str) -> None:
    """An edit was used: the previous refusal notice no longer applies."""
    st.session_state.pop(_key(key, "refused"), None)


def refusals(key: str) -> list[Refusal]:
    return list(st.session_state.get(_key(key, "refused"), []))


def refusal_text(refusal: Refusal) -> str:
    reason = t(f"state.reason.{refusal.reason}", **dict(refusal.details))
    return t(
        "state.cell_refused",
        row=md_escape(refusal.row),
        column=md_escape(refusal.column),
        text=md_escape(refusal.text),
        reason=reason,
    )


def show_refusals(key: str, where=st) -> None:
    """The notice for the last refused edit of this grid (until the next accepted one)."""
    found = refusals(key)
    if found:
        lines = "\n".join(f"- {refusal_text(r)}" for r in found)
        where.error(f"{t('state.cell_refused_intro')}\n\n{lines}", icon=":material/block:")

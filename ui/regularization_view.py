"""The regularization page's pair tab on screen: the x / w1 / w2 editor and its presets, and the
sentences and table that say which of w1 and w2 each penalty prefers.

The three vectors are page settings (``ui.settings.regularization``); the editor shows them as
one grid, uses each typed number exactly or refuses it by name (``ui.editor``), and keeps the
last good vectors. A preset replaces all three and starts the grid afresh.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import regularization as reg
from ui import editor
from ui.i18n import t
from ui.numbers import short
from ui.settings.base import Problem, shorten
from ui.settings.regularization import SETTINGS as S
from ui.settings.regularization import VECTORS
from ui.widgets import fmt, markdown_table

VERSION = "_regularization.editor.version"  # bumped by the pair presets: the editor starts afresh
EDITOR = "regularization.editor"  # the x / w1 / w2 grid (ui.editor)
NAMES = {"x": "x", "w1": "w₁", "w2": "w₂"}
PRESETS = ("lecture", "sparse", "random")


def check_lengths() -> None:
    """x, w1, w2 of different lengths cannot be compared: fall back to the lecture's vectors."""
    values = S.values()
    if len({len(values[v]) for v in VECTORS}) == 1:
        return
    shown = " · ".join(f"{v} = {S.fields[v].dump(values[v])}" for v in VECTORS)  # what the link held
    S.report(Problem("x/w1/w2", shorten(shown), "length_mismatch"))
    S.set(**{v: tuple(a) for v, a in zip(VECTORS, reg.PAIRS["lecture"], strict=True)})


def apply_pair(preset: str) -> None:
    """A preset's vectors, or a new random pair with the same scores (the next seed)."""
    if preset == "random":
        seed = (S["seed"] + 1) % 10_001
        S.set(seed=seed)
        pair = reg.random_pair(4, seed=seed)
    else:
        pair = reg.PAIRS[preset]
    S.set(**{v: tuple(float(n) for n in a) for v, a in zip(VECTORS, pair, strict=True)})
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1


def preset_buttons() -> None:
    for column, preset in zip(st.columns(len(PRESETS)), PRESETS, strict=True):
        label = t(f"regularization.pair.{preset}")
        column.button(label, on_click=apply_pair, args=(preset,), width="stretch")


def vector_editor() -> tuple[np.ndarray, ...]:
    """x, w1 and w2 as an editable table; each typed number is used exactly or refused by name
    (ui.editor), and the last good vectors kept."""
    current = tuple(S[v] for v in VECTORS)
    columns = [str(k + 1) for k in range(len(current[0]))]
    base = editor.base(EDITOR, current, (len(columns), st.session_state.get(VERSION, 0)))
    frame = pd.DataFrame(
        [[editor.number_text(n) for n in row] for row in base],
        index=[NAMES[v] for v in VECTORS],
        columns=columns,
    )
    frame_out, refused = editor.grid(
        EDITOR,
        frame,
        dict.fromkeys(columns, editor.number(-100.0, 100.0)),
        row_names=list(frame.index),
        column_config={c: editor.text_column(c, required=True) for c in columns},
        alt=t("regularization.pair.alt"),
        num_rows="fixed",
        width="stretch",
    )
    if refused:
        editor.refuse(EDITOR, refused)
    new = tuple(tuple(float(n) for n in frame_out.iloc[k]) for k in range(len(VECTORS)))
    if new != current:
        editor.accept(EDITOR)
        S.set(**dict(zip(VECTORS, new, strict=True)))
    editor.show_refusals(EDITOR)
    return tuple(np.array(v) for v in new)


def vector_text(v) -> str:
    return "[" + ", ".join(short(n) for n in v) + "]"


def pair_intro(x, w1, w2, comp: reg.PairComparison, which: str) -> str:
    """The intro describes the vectors on screen: the lecture's, the sparse preset's, or others."""
    same = fmt(comp.score1) == fmt(comp.score2)  # equal as shown: the same scores, the same data loss
    scores = (
        t("regularization.pair.same", s=fmt(comp.score1))
        if same
        else t("regularization.pair.different", s1=fmt(comp.score1), s2=fmt(comp.score2))
    )
    return t(
        "regularization.pair.intro",
        which=t(f"regularization.pair.which.{which}"),
        x=vector_text(x),
        w1=vector_text(w1),
        w2=vector_text(w2),
        scores=scores,
    )


def pair_note(comp: reg.PairComparison, which: str) -> str:
    """Smaller R wins: what L2 and L1 say about the pair on screen, in its numbers."""
    parts = [t("regularization.pair.note")]
    for kind, r1, r2, pref in zip(comp.kinds, comp.r1, comp.r2, comp.preferred, strict=True):
        if kind in ("l2", "l1"):
            parts.append(t(f"regularization.pair.verdict.{pref}", kind=kind.upper(), r1=fmt(r1), r2=fmt(r2)))
    if which == "lecture":
        parts.append(t("regularization.pair.note_lecture"))
    return " ".join(parts)


def verdicts(comp: reg.PairComparison, which: str) -> None:
    """The scores, R(w1) and R(w2) under each penalty with the preferred one highlighted, the note."""
    st.markdown(t("regularization.pair.scores", s1=fmt(comp.score1), s2=fmt(comp.score2)))
    header = ["", "R(w₁)", "R(w₂)", t("regularization.pair.prefers")]
    rows = [
        [t(f"regularization.kind.{kind}"), fmt(r1), fmt(r2), t(f"regularization.pair.{pref}")]
        for kind, r1, r2, pref in zip(comp.kinds, comp.r1, comp.r2, comp.preferred, strict=True)
    ]
    marks = [[False, pref == "w1", pref == "w2", False] for pref in comp.preferred]
    st.markdown(markdown_table(header, rows, highlight=marks))
    st.caption(pair_note(comp, which))

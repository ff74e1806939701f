"""The optimization page's grids and tables on screen: the custom points and W, b as editable
grids (ui.editor), and the training points with their scores and losses at the step shown.

Every number comes from core (core.data, core.linear); the grids hand back what was typed, read
exactly or refused, and the page decides what to do with it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import data as toy
from ui import editor
from ui.i18n import t
from ui.plots.theme import WRONG_HIGHLIGHT
from ui.widgets import fmt, markdown_table

PARAMS, POINTS = "optimization.params", "optimization.points"  # the W/b and custom-point grids (ui.editor)
MAX_TABLE_ROWS = 60


def points_grid(rows: np.ndarray, restarts: int) -> np.ndarray:
    """The custom points (K, 3) rows x1, x2, label as a grid that can grow and shrink, with the
    notice of its last refused cell; returns the rows as edited (the last good ones after a refusal).
    A new base is taken when training restarts (``restarts``) or the points change."""
    base = editor.base(POINTS, rows, (restarts, rows.tobytes()))
    frame = pd.DataFrame(
        {
            "x1": [editor.number_text(v) for v in base[:, 0]],
            "x2": [editor.number_text(v) for v in base[:, 1]],
            "label": [str(int(v)) for v in base[:, 2]],
        }
    )
    names = {"x1": "x₁", "x2": "x₂", "label": t("optimization.data.label")}
    config = {c: editor.text_column(name, required=True, default="0") for c, name in names.items()}
    coord = editor.number(-toy.MAX_ABS_COORD, toy.MAX_ABS_COORD)
    label = editor.number(0, toy.MAX_CLASSES - 1, integer=True)
    parsed, refused = editor.grid(
        POINTS,
        frame,
        {"x1": coord, "x2": coord, "label": label},
        row_names=lambda r: t("optimization.data.point", k=r + 1),
        column_names=names,
        alt=t("optimization.data.alt"),
        num_rows="dynamic",
        column_config=config,
        hide_index=True,
        width="stretch",
    )
    if refused:
        editor.refuse(POINTS, refused)
    editor.show_refusals(POINTS)
    return parsed.to_numpy(dtype=float).reshape(-1, 3)


def params_grid(W, b, obj, class_names: list[str], restarts: int) -> np.ndarray | None:
    """W (C, 2) and b (C,) as a grid with each parameter's gradient (from ``obj``, core.linear's
    objective) beside it. Returns [W | b] (C, 3) when the user changed a value and every cell
    reads as a number in [-100, 100] (the edit is accepted), else None; a refused edit is noted."""
    shown = np.column_stack([W, b, obj.dW, obj.db])  # w1 w2 b dw1 dw2 db, one row per class
    base = editor.base(PARAMS, shown, (restarts, shown.tobytes(), tuple(class_names)))
    frame = pd.DataFrame(
        {
            "w1": [editor.number_text(v) for v in base[:, 0]],
            "w2": [editor.number_text(v) for v in base[:, 1]],
            "b": [editor.number_text(v) for v in base[:, 2]],
            "dw1": base[:, 3],
            "dw2": base[:, 4],
            "db": base[:, 5],
        },
        index=class_names,
    )
    names = {"w1": "W[·, 1]", "w2": "W[·, 2]", "b": "b"}
    config = {c: editor.text_column(name, required=True) for c, name in names.items()}
    for column, name in (("dw1", "∂L/∂W[·, 1]"), ("dw2", "∂L/∂W[·, 2]"), ("db", "∂L/∂b")):
        config[column] = st.column_config.NumberColumn(name, format="%.4f", disabled=True)
    values = pd.DataFrame(base[:, :3], columns=list(names), index=class_names)
    parsed, refused = editor.grid(
        PARAMS,
        frame,
        dict.fromkeys(names, editor.number(-100.0, 100.0)),
        row_names=class_names,
        values=values,
        column_names=names,
        num_rows="fixed",
        column_config=config,
        width="stretch",
        alt=t("optimization.model.alt"),
    )
    if refused:
        editor.refuse(PARAMS, refused)
    new = parsed[["w1", "w2", "b"]].to_numpy(dtype=float)
    if np.array_equal(new, base[:, :3]):
        return None
    editor.accept(PARAMS)
    return new


def point_table(X, y, obj, class_names: list[str]) -> None:
    """The first MAX_TABLE_ROWS training points with their scores and loss Lᵢ (marked where > 0)."""
    n = min(len(y), MAX_TABLE_ROWS)
    header = ["x₁", "x₂", "y"] + [f"s[{c}]" for c in range(obj.scores.shape[1])] + ["Lᵢ"]
    rows = [
        [
            fmt(X[i, 0]),
            fmt(X[i, 1]),
            class_names[y[i]],
            *(fmt(s) for s in obj.scores[i]),
            fmt(obj.per_example[i]),
        ]
        for i in range(n)
    ]
    marks = [[False] * (len(header) - 1) + [bool(obj.per_example[i] > 0)] for i in range(n)]
    st.markdown(markdown_table(header, rows, highlight=marks, color=WRONG_HIGHLIGHT))
    if len(y) > n:
        st.caption(t("optimization.points.first", n=n, total=len(y)))

"""The loss page's score table on screen: the table kept in the session, the editable grid, the
correct-class selectors, the add/remove buttons, and the tables that show the losses.

The table's three query parameters (``ui.score_table.TABLE_PARAMS``) are not page settings: they
are read once, from the link the session first opened the page with (``PageSettings.link``),
decoded together by ``ui.score_table`` (what they cannot hold is reported through the page's
settings), and written back by the page's ``SETTINGS.sync(url())``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import lecture
from ui import editor
from ui import score_table as tables
from ui.i18n import LANGUAGES, current_language, t, translate
from ui.numbers import exp_value, short
from ui.settings.page import PageSettings
from ui.widgets import fmt, markdown_table, md_escape

TABLE, UNDO = "_table.losses", "_undo.losses"  # the last good table; the table and settings before a preset
EDITOR = "losses.editor"  # the score grid (ui.editor)
SHORT_NAME = 14  # longer class names are cut with "…" in headers, selectors and charts
LABELS_PER_ROW = 4  # more selectors side by side shrink to blank boxes


# ---- the table in the session ----------------------------------------------------------------------


def lecture_names(lang: str) -> tuple[str, ...]:
    return tuple(translate(lang, f"losses.classes.{name}") for name in lecture.LECTURE_CLASSES)


def localize(table: tables.ScoreTable, lang: str) -> tables.ScoreTable:
    """The lecture's cat / car / frog in ``lang`` (고양이 / 자동차 / 개구리); names typed by the
    user stay as typed (tables.with_names)."""
    return tables.with_names(table, lecture_names(lang), [lecture_names(code) for code in LANGUAGES])


def load(settings: PageSettings) -> tables.ScoreTable:
    """The table on screen, in the reader's language. On the session's first run of the page it is
    decoded from the link; what the link held that cannot be used is reported with the settings'."""
    if TABLE not in st.session_state:
        table, problems = tables.decode(settings.link())
        st.session_state[TABLE] = table
        for problem in problems:
            settings.report(problem)
    st.session_state[TABLE] = localize(st.session_state[TABLE], current_language())
    return st.session_state[TABLE]


def current() -> tables.ScoreTable:
    return st.session_state[TABLE]


def url() -> dict[str, str]:
    """The table's query parameters (with the lecture's English names: a link reads in any language)."""
    return tables.encode(localize(current(), "en"))


def replace(table: tables.ScoreTable) -> None:
    """Put a new table in place and make the grid and the correct-class selectors start from it."""
    st.session_state[TABLE] = table
    editor.restart(EDITOR)
    for k in range(tables.MAX_EXAMPLES):
        st.session_state.pop(label_key(k), None)


def remember(values: dict) -> None:
    """Keep the table and the settings so that ``undo`` can bring them back."""
    st.session_state[UNDO] = (current(), dict(values))


def can_undo() -> bool:
    return UNDO in st.session_state


def undo() -> dict:
    """Put the remembered table back; returns the remembered settings."""
    table, values = st.session_state.pop(UNDO)
    replace(table)
    return values


# ---- the grid ---------------------------------------------------------------------------------------


def short_name(name: str) -> str:
    """A class name cut visibly to SHORT_NAME characters (the full name is shown on hover)."""
    return name if len(name) <= SHORT_NAME else name[: SHORT_NAME - 1] + "…"


def image_name(table: tables.ScoreTable, k: int, *, cut: bool = True) -> str:
    """ "image 2 (car)": image k + 1 named by its correct class."""
    name = table.classes[table.labels[k]]
    return t("losses.table.image", k=k + 1, name=short_name(name) if cut else name)


def score_editor(table: tables.ScoreTable) -> tables.ScoreTable:
    """The editable table; returns the table to compute with (the last good one on a bad edit).

    Scores sit in text cells read with Python's float rules (ui.editor): what is typed is used
    exactly or refused by name, and the grid goes back to the last good table.
    """
    base = editor.base(EDITOR, table, (table.classes, table.labels, table.scores.shape, current_language()))
    headers = [image_name(base, k) for k in range(base.num_examples)]
    long_names = any(len(name) > SHORT_NAME for name in base.classes)
    class_label = t("losses.table.class")
    config = {
        tables.CLASS_COLUMN: st.column_config.TextColumn(  # a long name must not push the scores away
            class_label, max_chars=tables.MAX_NAME_LENGTH, required=True, width=130 if long_names else None
        )
    }
    parsers = {tables.CLASS_COLUMN: tables.check_name}
    for k, header in enumerate(headers):
        help_text = md_escape(base.classes[base.labels[k]])  # the full name, as text
        config[header] = editor.text_column(header, required=True, help=help_text)
        parsers[header] = editor.number(-tables.MAX_ABS_SCORE, tables.MAX_ABS_SCORE)
    frame, refused = editor.grid(
        EDITOR,
        tables.to_text_frame(base, headers),
        parsers,
        row_names=list(base.classes),
        column_names={tables.CLASS_COLUMN: class_label},
        num_rows="fixed",
        hide_index=True,
        column_config=config,
        width="stretch",
        alt=t("losses.table.alt"),
    )
    if not refused:
        names = frame[tables.CLASS_COLUMN].tolist()
        refused = [
            editor.Refusal(base.classes[r], class_label, names[r], "duplicate_name", (("name", names[r]),))
            for r in tables.duplicate_rows(names)
        ]
    if refused:
        editor.refuse(EDITOR, refused)  # reruns with the grid back at the last good table
    new = tables.from_frame(frame, headers, table.labels)
    if new != table:
        editor.accept(EDITOR)
        st.session_state[TABLE] = new
        if (new.classes, new.labels) != (base.classes, base.labels):
            # A renamed class changes the headers, so the editor needs a new base: rerun now,
            # before the user's next edit can land on the old editor and be dropped with it.
            st.rerun()
    editor.show_refusals(EDITOR)
    return new


# ---- correct classes and structure -------------------------------------------------------------------


def label_key(k: int) -> str:
    return f"losses.label.{k}"


def valid_index(value, size: int) -> bool:
    """A selectbox value that is really one of range(size), not a stale label string."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size


def set_label(k: int) -> None:
    label = st.session_state[label_key(k)]
    if valid_index(label, current().num_classes):  # a stale label string is ignored
        st.session_state[TABLE] = tables.with_label(current(), k, label)


def push_renamed(key: str, label: str) -> None:
    """Send a selectbox's value again when the label of its selected option changed (a class
    renamed): with new option labels alone, the browser keeps showing the old one."""
    shown = f"_shown.{key}"
    if st.session_state.get(shown, label) != label and key in st.session_state:
        st.session_state[key] = st.session_state[key]
    st.session_state[shown] = label


def label_boxes(table: tables.ScoreTable) -> None:
    """One correct-class selector per image, at most LABELS_PER_ROW to a row. They are part of the
    table (its ``labels`` parameter), not settings of their own."""
    n = table.num_examples
    per_row = min(n, LABELS_PER_ROW)
    cols = [c for _ in range(0, n, per_row) for c in st.columns(per_row)][:n]
    for k, col in enumerate(cols):
        key, name = label_key(k), table.classes[table.labels[k]]
        if not valid_index(st.session_state.get(key), table.num_classes):
            st.session_state[key] = table.labels[k]
        push_renamed(key, short_name(table.classes[st.session_state[key]]))
        col.selectbox(
            t("losses.table.correct", k=k + 1),
            range(table.num_classes),
            key=key,
            format_func=lambda j: short_name(table.classes[j]),
            on_change=set_label,
            args=(k,),
            help=md_escape(name) if len(name) > SHORT_NAME else None,
        )  # help is markdown


def edit_structure(change) -> None:
    replace(change(current()))


def structure_buttons(table: tables.ScoreTable) -> None:
    """+ class, − class, + image, − image, each disabled at its limit."""
    buttons = (
        ("add_class", tables.add_class, table.num_classes >= tables.MAX_CLASSES),
        ("remove_class", tables.remove_class, table.num_classes <= tables.MIN_CLASSES),
        ("add_example", tables.add_example, table.num_examples >= tables.MAX_EXAMPLES),
        ("remove_example", tables.remove_example, table.num_examples <= tables.MIN_EXAMPLES),
    )
    for column, (label, change, disabled) in zip(st.columns(4), buttons, strict=True):
        column.button(
            t(f"losses.table.{label}"),
            on_click=edit_structure,
            args=(change,),
            disabled=disabled,
            width="stretch",
        )


# ---- tables of numbers ---------------------------------------------------------------------------------


def results(table: tables.ScoreTable, svm, soft) -> None:
    """Both totals, each image's L_i and p(correct class), and the means written out."""
    m1, m2 = st.columns(2)
    m1.metric(t("losses.results.svm_total"), fmt(svm.total))
    m2.metric(t("losses.results.softmax_total"), fmt(soft.total))
    n = table.num_examples
    header = [""] + [t("losses.results.image", k=k + 1) for k in range(n)]
    prob_correct = soft.probs[np.arange(n), list(table.labels)]
    rows = [
        [t("losses.results.svm_row")] + [fmt(x) for x in svm.per_example],
        [t("losses.results.softmax_row")] + [fmt(x) for x in soft.per_example],
        [t("losses.results.prob_row")] + [fmt(x) for x in prob_correct],
    ]
    zero = [[False, *list(svm.per_example == 0)], [False, *list(soft.per_example == 0)], [False] * (n + 1)]
    if n > 5:  # many images: one row per image, so the table fits the column
        header = [""] + [r[0] for r in rows]
        rows = [
            [t("losses.results.image", k=k + 1).replace(" ", "\u00a0")] + [r[k + 1] for r in rows]
            for k in range(n)
        ]
        zero = [[False] + [z[k + 1] for z in zero] for k in range(n)]
    st.markdown(markdown_table(header, rows, highlight=zero))
    for name, result in (("mean_svm", svm), ("mean_softmax", soft)):
        terms = " + ".join(short(x) for x in result.per_example)
        st.caption(t(f"losses.results.{name}", n=n, terms=terms, total=fmt(result.total)))
    if np.any(svm.per_example == 0):
        st.caption(t("losses.results.zero_note"))


def probability_table(table: tables.ScoreTable, i: int, steps) -> None:
    """Image i's softmax pipeline as numbers (one format) and bars (a progress column: no chart
    library to load on the page's first view), the correct class marked."""
    y = table.labels[i]
    names = [short_name(c) for c in table.classes]
    if len(set(names)) < len(names):  # two long names cut alike would read as one class
        names = [f"{j + 1}. {name}" for j, name in enumerate(names)]
    pipeline = pd.DataFrame(
        {
            "class": names,
            "correct": ["✓" if j == y else "" for j in range(table.num_classes)],
            "score": [short(s) for s in table.scores[i]],
            "exp": [exp_value(e) for e in steps.exp],
            "prob": [fmt(p) for p in steps.probs],
            "bar": steps.probs,
        }
    )
    exp_label = t("losses.derivation.exp") if steps.shift == 0 else t("losses.derivation.exp_shifted")
    config = {
        "class": st.column_config.TextColumn(t("losses.table.class")),
        "correct": st.column_config.TextColumn(t("losses.derivation.correct")),
        "score": st.column_config.TextColumn(t("losses.derivation.score")),
        "exp": st.column_config.TextColumn(exp_label),
        "prob": st.column_config.TextColumn(t("losses.derivation.prob")),
        "bar": st.column_config.ProgressColumn(
            t("losses.derivation.prob_bar"), min_value=0.0, max_value=1.0, format=" ", width="medium"
        ),
    }
    st.dataframe(pipeline, hide_index=True, width="stretch", column_config=config)


def comparison_table(comp) -> str:
    """The rows of a what-if comparison as a markdown table."""
    rows = []
    for (key, params), a, b in zip(comp.rows, comp.svm, comp.softmax, strict=True):
        label = t(key, **{k: short(val) if isinstance(val, float) else val for k, val in params.items()})
        rows.append([label, fmt(a), fmt(b)])
    return markdown_table(["", t("whatif.svm"), t("whatif.softmax")], rows)

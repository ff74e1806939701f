"""Shared helpers for the AppTest page tests: open a page, read what it shows, check its text.

The app always starts at app.py, which routes to a page through ``st.navigation``;
``open_page`` sets the query string *before* the first run, as a browser opening a
shared link does (each page decodes its URL only on its first run in a session).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from ui.i18n import translate
from ui.widgets import fmt

APP = Path(__file__).resolve().parents[2] / "app.py"
LOSSES = "app_pages/losses.py"
HOME = "app_pages/home.py"
MISSING_MARK = "⟦"
# The most recently opened app; its session language is what the app's format_funcs see when
# AppTest calls them outside a script run (see conftest.py).
CURRENT: list[AppTest] = []


def open_page(page: str = LOSSES, **params: str) -> AppTest:
    """A fresh session whose first request is ``page?params``, run once and checked.

    The query params are set before the first run: a page decodes its URL only then.
    """
    at = AppTest.from_file(str(APP), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(page)
    CURRENT[:] = [at]
    at.run()
    check(at)
    return at


def check(at: AppTest) -> AppTest:
    """The run raised nothing and every text on screen was found in the catalogs."""
    assert not at.exception, [e.value for e in at.exception]
    missing = [text for text in texts(at) if MISSING_MARK in text]
    assert not missing, f"missing translations on screen: {missing}"
    return at


def rerun(at: AppTest) -> AppTest:
    return check(at.run())


# ---- reading the element tree ----------------------------------------------------------------------


def nodes(at: AppTest) -> Iterator:
    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    yield from walk(at.main)
    yield from walk(at.sidebar)


def _proto_strings(msg: Message) -> Iterator[tuple[str, str]]:
    for field, value in msg.ListFields():
        items = value if isinstance(value, list | tuple) or hasattr(value, "extend") else [value]
        if isinstance(value, Message):
            items = [value]
        for item in items:
            if isinstance(item, Message):
                yield from _proto_strings(item)
            elif isinstance(item, str):
                yield field.name, item


def proto_strings(at: AppTest) -> Iterator[tuple[str, str, str]]:
    """(element type, proto field name, text) for every string in every element's message."""
    for node in nodes(at):
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            for name, text in _proto_strings(proto):
                yield type(node).__name__, name, text


def texts(at: AppTest) -> list[str]:
    """Every text an element carries: bodies, labels, options, help, chart specs, table cells."""
    out = [text for _, _, text in proto_strings(at)]
    for frame in dataframes(at):
        out += [str(c) for c in frame.columns] + [str(i) for i in frame.index]
        out += [str(v) for v in frame.to_numpy().ravel() if isinstance(v, str)]
    return out


def dataframes(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def totals(at: AppTest) -> tuple[str, str]:
    """The (SVM, softmax) totals the metrics show."""
    lang = at.session_state["lang"]
    shown = metrics(at)
    return (
        shown[translate(lang, "losses.results.svm_total")],
        shown[translate(lang, "losses.results.softmax_total")],
    )


_ESCAPE = re.compile(r"\\(.)")
_HIGHLIGHT = re.compile(r"^:[a-z]+-background\[(.*)\]$")


def unescape(text: str) -> str:
    """Markdown cell text as the reader sees it: no backslash escapes, no bold, no highlight."""
    text = text.strip().replace("\u00a0", " ")
    match = _HIGHLIGHT.match(text)
    if match:
        text = match.group(1)
    text = text.strip()
    if text.startswith("**") and text.endswith("**") and len(text) >= 4:
        text = text[2:-2]
    return _ESCAPE.sub(r"\1", text)


def _markdown_rows(body: str) -> Iterator[list[str]]:
    for line in body.splitlines():
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")):
            continue
        cells = re.split(r"(?<!\\)\|", line[1:-1])
        if all(re.fullmatch(r"\s*:?-{3,}:?\s*", c) for c in cells):
            continue  # the header rule
        yield [unescape(c) for c in cells]


def table_rows(at: AppTest) -> list[list[str]]:
    """Every row of every table on screen (markdown tables and dataframes), as displayed text.

    A dataframe row starts with its index label; numbers are printed as the page prints them.
    """
    rows: list[list[str]] = []
    for markdown in at.markdown:
        rows += list(_markdown_rows(markdown.value))
    for frame in dataframes(at):
        for label, values in frame.iterrows():
            rows.append([str(label)] + [fmt(v) if isinstance(v, float) else str(v) for v in values])
    return rows


def row(at: AppTest, label: str) -> list[str]:
    """The cells after ``label`` in the first table row that starts with it."""
    found = [r[1:] for r in table_rows(at) if r and r[0] == label]
    assert found, f"no table row labelled {label!r}; rows: {table_rows(at)}"
    return found[0]


def result_rows(at: AppTest) -> tuple[list[str], list[str]]:
    """The per-example SVM and softmax L_i of the results table."""
    lang = at.session_state["lang"]
    return (
        row(at, translate(lang, "losses.results.svm_row")),
        row(at, translate(lang, "losses.results.softmax_row")),
    )


def button(at: AppTest, label: str):
    found = [b for b in at.button if b.label == label]
    assert len(found) == 1, (label, [b.label for b in at.button])
    return found[0]


def editor(at: AppTest):
    """The score table's data_editor (the only editable table on the loss page)."""
    found = [d for d in at.dataframe if d.editing_mode != "read_only"]
    assert len(found) == 1, [d.key for d in at.dataframe]
    return found[0]


def lang_of(at: AppTest) -> str:
    return at.session_state["lang"]


def open_tab(at: AppTest, name: str, page: str = "losses") -> AppTest:
    """Open one of a page's lazy tabs (the loss page's by default), as clicking its header does."""
    at.session_state[f"{page}.tabs"] = translate(lang_of(at), f"{page}.tabs.{name}")
    rerun(at)
    assert open_tab_label(at) == [translate(lang_of(at), f"{page}.tabs.{name}")], "only that tab is built"
    return at


def open_tab_label(at: AppTest) -> list[str]:
    """The labels of the tabs whose content was built (the open one)."""
    return [tab.label for tab in at.tabs if tab.children]


def fmt_all(values) -> list[str]:
    return [fmt(float(v)) for v in values]


def run_sending_labels(at: AppTest, labels: dict[str, str]) -> AppTest:
    """Run as a browser does that still shows (and sends back) the option labels it was sent before.

    When a selectbox's or radio's option labels change (a class renamed, the language switched)
    and the server does not push a new value, the browser keeps the label it displays and sends it
    with the next interaction. ``labels`` maps widget keys to the label text sent; everything else
    is sent as the element tree holds it (including values staged with ``set_value``). Uses
    AppTest's private ``_tree`` / ``_run``: the public API can only send labels that are options.
    """
    states = at._tree.get_widget_states()
    ids = {w.id: key for key in labels for w in (*at.selectbox, *at.radio) if w.key == key}
    assert len(ids) == len(labels), (labels, ids)
    for state in states.widgets:
        if state.id in ids:
            state.string_value = labels[ids[state.id]]
    return at._run(states)

"""Small composite widgets shared by the pages."""

from __future__ import annotations

import functools
import inspect
import re
import types
import unicodedata
from pathlib import Path

import streamlit as st

from ui.i18n import t
from ui.numbers import fmt  # noqa: F401  (the one number format; pages import it from here)
from ui.plots.theme import HIGHLIGHT, Style

_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])")


def md_escape(text: str) -> str:
    """User text made literal for st.markdown: no links, images, HTML, LaTeX or emphasis.

    Line breaks become spaces (no new markdown blocks); other invisible control and format
    characters (NUL, right-to-left overrides, ...) become a visible U+FFFD.
    """
    flat = _LINE_BREAKS.sub(" ", str(text))
    flat = "".join("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch for ch in flat)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


@functools.cache
def _source(*functions) -> str:
    return "\n\n".join(inspect.getsource(fn) for fn in functions)


def show_code(*functions, expander: bool = True) -> None:
    """The source of the functions that computed what the page shows (in an expander by default;
    tucked away in presenter mode unless asked for in its own tab)."""
    if expander and presenting():
        return
    with st.expander(t("common.show_code")) if expander else st.container():
        st.caption(t("common.show_code_caption"))
        st.code(_source(*functions), language="python")


def markdown_table(
    header: list[str],
    rows: list[list[str]],
    *,
    highlight=None,
    color: str = HIGHLIGHT,
    wrap_header: bool = False,
) -> str:
    """A GitHub-flavoured markdown table; cells where ``highlight[r][c]`` is true get a coloured background.
    Headers stay on one line unless ``wrap_header`` (for long headers over short numbers in a narrow column).

    Every cell is escaped, so the table is safe for any text. One markdown element renders far
    faster than a styled dataframe, and reads well on a projector.
    """

    nbsp = "\u00a0"

    def cell(text: str, on: bool) -> str:
        text = md_escape(text).replace(" × 10", nbsp + "×" + nbsp + "10")  # 2.1 × 10⁻³ on one line
        text = text.replace(" %", nbsp + "%")  # 93.3 % too
        return f":{color}-background[**{text}**]" if on else text

    def head(text: str) -> str:  # headers such as "image 1" must not wrap inside a narrow column
        return md_escape(text) if wrap_header else md_escape(text).replace(" ", nbsp)

    lines = [
        "| " + " | ".join(head(h) for h in header) + " |",
        "|" + "|".join([" --- "] + [" ---: "] * (len(header) - 1)) + "|",
    ]
    for r, row in enumerate(rows):
        marks = highlight[r] if highlight is not None else [False] * len(row)
        cells = (cell(text, bool(on)) for text, on in zip(row, marks, strict=True))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def lazy_tabs(page: str, names: tuple[str, ...], current: str) -> tuple[str, object]:
    """Tabs that report which one is open, so a page builds only that tab's content.

    ``names`` are the tab keys (labels come from ``{page}.tabs.{name}`` in the
    catalog); ``current`` is the page state's open tab. Returns the open tab's
    key and its container.
    """
    key = f"{page}.tabs"
    labels = {name: t(f"{page}.tabs.{name}") for name in names}
    if st.session_state.get(key) not in labels.values():
        st.session_state[key] = labels[current]
    tabs = dict(zip(names, st.tabs(list(labels.values()), key=key, on_change="rerun"), strict=True))
    open_tab = next((name for name, tab in tabs.items() if tab.open), current)
    return open_tab, tabs[open_tab]


def select_tab(page: str, name: str) -> None:
    """Open tab ``name`` on the next run (for callbacks such as presets)."""
    st.session_state[f"{page}.tabs"] = t(f"{page}.tabs.{name}")


def presenting() -> bool:
    """Presenter mode: bigger text, numbers and plots for a projector (sidebar toggle, ?present=1)."""
    return bool(st.session_state.get("present", False))


STYLES = Path(__file__).resolve().parent.parent / "assets" / "styles"


@functools.cache
def stylesheet(name: str) -> str:
    """One of our static stylesheets in assets/styles/, read once."""
    return (STYLES / f"{name}.css").read_text(encoding="utf-8")


def page_styles() -> None:
    """Every page's stylesheet (app.css), and the projector's (presenter.css) in presenter mode.
    Our own static files, never user text."""
    css = stylesheet("app") + (stylesheet("presenter") if presenting() else "")
    st.html(f"<style>{css}</style>")


def _builder_name(builder: types.FunctionType) -> str:
    return f"{builder.__module__}.{builder.__qualname__}"


# Streamlit cannot hash a function by itself: a builder is keyed on its module and name.
@st.cache_resource(max_entries=256, show_spinner=False, hash_funcs={types.FunctionType: _builder_name})
def _cached_figure(builder, *args, **kwargs):
    return builder(*args, **kwargs)


def style() -> Style:
    """The figures' style for this session: the browser's theme (light or dark) and presenter mode.

    ``st.context.theme.type`` is the theme the browser reported on this run (None before it has
    reported one: light then). Text and backgrounds of a chart follow the theme live anyway
    (Streamlit's plotly theme); the style picks the data colours and the sizes.
    """
    return Style(dark=st.context.theme.type == "dark", present=presenting())


def figure(builder, *args, **kwargs):
    """``builder(*args, **kwargs)`` (a figure builder from ui.plots) in this session's style, built
    once per distinct input.

    Building a plotly figure validates every property and costs several milliseconds, more than
    anything else in a rerun; a rerun whose inputs did not change reuses the figure. Figures
    from this cache are shared: never mutate one.
    """
    return _cached_figure(builder, *args, style=style(), **kwargs)


def chart(where, fig, *, width="stretch", config=None, key=None) -> None:
    """A plotly figure in ``where`` (st or a column), in Streamlit's theme (light or dark)."""
    where.plotly_chart(
        fig, width=width, theme="streamlit", config={"displaylogo": False, **(config or {})}, key=key
    )


def sidebar_group(title: str):
    """A group of secondary controls in the sidebar: a folded expander in presenter mode."""
    if presenting():
        return st.sidebar.expander(title, expanded=False)
    st.sidebar.subheader(title)
    return st.sidebar.container()

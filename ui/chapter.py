"""The skeleton every chapter page shares: settings from the URL, a header, the open tab.

A page declares its settings (ui/settings/<page>.py) and one function per tab, then calls
``chapter.page(settings, sections)``. Only the open tab is built, inside a fragment: a tab
switch or a change inside a tab reruns that tab alone. A tab function reads the values it needs
from the settings and draws its widgets with ``settings.draw``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from ui.i18n import t
from ui.settings.page import PageSettings
from ui.widgets import lazy_tabs


def header(settings: PageSettings, *, latex: str | None = None, intro: bool = True) -> None:
    """The page's title, its intro (and formula), and the one notice of refused URL values."""
    st.title(t(f"{settings.page}.title"))
    if intro:
        st.markdown(t(f"{settings.page}.intro"))
    if latex:
        st.latex(latex)
    settings.show_problems()


@st.fragment
def open_tab(settings: PageSettings, sections: Mapping[str, Callable], *args, url=None) -> None:
    """The tabs, with only the open one built (``sections[name](*args)``); ``url`` gives the
    extra query parameters a page keeps beside its settings (the score table)."""
    name, container = lazy_tabs(settings.page, tuple(sections), settings["tab"])
    settings.set(tab=name)
    with container:
        sections[name](*args)
    settings.sync(url() if url else None)


def page(
    settings: PageSettings, sections: Mapping[str, Callable], *args, latex: str | None = None, url=None
) -> None:
    """A whole tabbed chapter page: header, the open tab, the URL."""
    header(settings, latex=latex)
    open_tab(settings, sections, *args, url=url)
    settings.sync(url() if url else None)

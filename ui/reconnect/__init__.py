"""After a reconnect, run the whole page again (reconnect.js): what lets a student whose replica died
go on working on another one.

A browser that loses its replica reconnects, through the balancer, to another replica, where a fresh
session starts. Streamlit's page only sometimes asks that session for a run; until one happens the
new session knows none of the page's fragments, and drops a click in one (an edit, a vote, a Step).
The browser reports ``rejoined`` when its connection comes back, and that rerun of the whole page
carries every widget's value (``ui.settings.page`` keeps them over the URL's).

Drawn once per run, outside every fragment (a report from inside one would rerun only the fragment).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st

KEY = "app.reconnect"


@cache
def _component():
    js = (Path(__file__).resolve().parent / "reconnect.js").read_text(encoding="utf-8")
    return st.components.v2.component("losslab_reconnect", html="", js=js)


def keep() -> None:
    """The watcher: drawn in the sidebar, zero pixels high."""
    with st.sidebar:
        _component()(key=KEY, on_rejoined_change=_rejoined, height=0)


def _rejoined() -> None:
    """The connection came back: the rerun this report causes is all that is needed."""

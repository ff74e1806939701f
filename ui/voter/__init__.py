"""The anonymous student: a random per-browser id (no name, no account) that class mode votes with.

The id lives in the browser's localStorage (voter.js), so a reload or a second tab is the same
student and still has one vote. It reaches Python as the component's state ``id``; anything that is
not 32 hex digits is ignored.

In a class, the same component watches the class's version for the page (``watch``, ``drawn``:
see voter.js and ``ui.class_watch``) and reports a new one as its state ``seen``, which reruns the
fragment it is drawn in. While the session has no id, the browser reports it again every few
seconds: the rerun a report causes can be lost (one that reaches a fresh session, say).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import streamlit as st

from ui.settings.page import sent_by_browser

KEY = "class.voter"
_ID = re.compile(r"[0-9a-f]{32}")


@cache
def _component():
    js = (Path(__file__).resolve().parent / "voter.js").read_text(encoding="utf-8")
    return st.components.v2.component("losslab_voter", html="", js=js)


def voter_id(watch: str = "", drawn: str = "") -> str | None:
    """This browser's id, once the browser has reported it (None on the very first run). With a
    ``watch`` address the browser also watches the class and reruns the caller's fragment when the
    class's version is no longer ``drawn``."""
    # need_id: this session has no id from the browser, and this run's request brings none (a
    # fresh session's first run after a reconnect does), so the browser reports it again if the
    # rerun its first report caused never came (voter.js)
    data = {"watch": watch, "drawn": drawn, "need_id": _known() is None and KEY not in sent_by_browser()}
    _component()(key=KEY, data=data, on_id_change=_ignore, on_seen_change=_ignore, height=0)
    return _known()


def _known() -> str | None:
    state = getattr(st.session_state.get(KEY), "id", None)
    return state if isinstance(state, str) and _ID.fullmatch(state) else None


def _ignore() -> None:
    """The id, or a new version of the class, arrived: the rerun it causes is all that is needed."""

"""Keep every page behind app.py's router."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def require_router() -> None:
    """Hand a page run that bypassed app.py back to the router.

    When a fresh server's very first request is a deep link such as
    ``/losses``, Streamlit (1.67) runs ``pages/losses.py`` on its own, in its old
    folder-based multipage mode, because a ``pages/`` folder exists: no page
    config, no language selector, the wrong navigation. Switching that mode off
    and rerunning sends the run through app.py's ``st.navigation``, which then
    resolves the same URL to the same page.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()

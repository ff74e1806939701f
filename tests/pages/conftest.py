"""AppTest fixtures for the page tests.

AppTest serialises a selectbox's or radio's current value by calling the widget's
``format_func`` from the test thread, outside any script run, where
``st.session_state`` is empty. The app's format_funcs call ``t()``, which reads the
session's language at call time, so outside a run they always answer in English: a
session showing Korean options could never be interacted with ("'image 1 (cat)' is
not in list"). Here ``current_language`` answers outside a run with the language of
the session under test; inside a run (everything the app itself does) it is unchanged.
"""

from __future__ import annotations

import pytest
from apptest_tools import CURRENT
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import i18n


@pytest.fixture(autouse=True)
def format_funcs_see_the_session_language(monkeypatch):
    original = i18n.current_language

    def current_language() -> str:
        if get_script_run_ctx(suppress_warning=True) is None and CURRENT:
            lang = CURRENT[-1].session_state.get("lang")
            return lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
        return original()

    monkeypatch.setattr(i18n, "current_language", current_language)
    yield
    CURRENT.clear()

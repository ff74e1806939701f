"""UI text in English and Korean: ``t("losses.title")`` over the catalogs in assets/i18n/.

The catalogs are nested JSON objects with the same keys in every language; a
key is the dotted path to a string. Strings may hold ``{name}`` fields that
``t`` fills from its keyword arguments; literal braces are doubled (``{{``).
"""

from __future__ import annotations

import json
import threading
from functools import cache
from pathlib import Path

import streamlit as st

CATALOG_DIR = Path(__file__).resolve().parents[1] / "assets" / "i18n"
LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"
MISSING = "⟦{key}⟧"  # shown (and caught by the page tests) when a key is missing


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


@cache
def catalog(lang: str) -> dict[str, str]:
    """The flattened catalog of one language."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {list(LANGUAGES)}, got {lang!r}")
    return _flatten(json.loads((CATALOG_DIR / f"{lang}.json").read_text(encoding="utf-8")))


def translate(lang: str, key: str, **fields) -> str:
    """The string ``key`` in ``lang`` with its ``{fields}`` filled in."""
    text = catalog(lang).get(key)
    if text is None:
        return MISSING.format(key=key)
    return text.format(**fields)  # literal braces are written {{ }} in the catalogs


_run = threading.local()  # the language of the script run on this thread (set by app.py)


def start_run(lang: str | None) -> None:
    """Called by app.py at the top of every run: later ``t()`` calls in this run skip the
    session-state lookup (a locked read that, at ~250 strings a page, was 10% of a rerun).

    Streamlit runs each rerun on a fresh thread, so a value here never leaks into another run
    or session; callbacks, which run before app.py, fall back to session state.
    """
    _run.lang = None if lang is None else (lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def current_language() -> str:
    lang = getattr(_run, "lang", None)
    if lang is not None:
        return lang
    lang = st.session_state.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **fields) -> str:
    """The string ``key`` in the session's language."""
    return translate(current_language(), key, **fields)

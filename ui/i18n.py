"""UI text in English and Korean: ``t("losses.title")`` over the catalogs in assets/i18n/.

The catalogs are nested JSON objects with the same keys in every language; a
key is the dotted path to a string. A language's catalog is ``<lang>.json`` plus any
``<part>.<lang>.json`` beside it (the quiz and the classroom keep their strings apart); no key may
be in two files. Strings may hold ``{name}`` fields that
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
    flat: dict[str, str] = {}
    for path in sorted(CATALOG_DIR.glob(f"*{lang}.json")):
        if path.name != f"{lang}.json" and not path.name.endswith(f".{lang}.json"):
            continue
        part = _flatten(json.loads(path.read_text(encoding="utf-8")))
        clash = sorted(flat.keys() & part.keys())
        if clash:
            raise ValueError(f"{path.name} repeats keys of another {lang} catalog: {clash[:5]}")
        flat.update(part)
    return flat


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

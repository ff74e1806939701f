"""UI text in English and Korean: ``t("losses.title")`` over the catalogs in assets/i18n/.

The catalogs are nested JSON objects with the same keys in every language; a
key is the dotted path to a string. Strings may hold ``{name}`` fields that
``t`` fills from its keyword arguments; literal braces are doubled (``{{``).
"""

from __future__ import annotations

import json
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


def current_language() -> str:
    lang = st.session_state.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **fields) -> str:
    """The string ``key`` in the session's language."""
    return translate(current_language(), key, **fields)

"""The settings registry: every page's settings declared once, complete and drawable in both
languages, and the pages going through it (never around it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ui.i18n import LANGUAGES, catalog
from ui.settings import PAGES, registry
from ui.settings.base import is_valid

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = registry()
WIDGETS = {"slider", "select", "radio", "toggle", "whole", None}
SETTINGS = [(page, f) for page, s in REGISTRY.items() for f in s.fields.values()]
IDS = [f"{page}.{f.name}" for page, f in SETTINGS]


def test_every_page_and_the_app_have_settings():
    assert set(REGISTRY) == {"app", *PAGES}
    assert REGISTRY["app"].names == ("lang", "present", "join")
    assert REGISTRY["home"].names == ()
    for page in PAGES:
        assert REGISTRY[page].page == page


@pytest.mark.parametrize(("page", "f"), SETTINGS, ids=IDS)
def test_a_setting_is_complete(page, f):
    assert is_valid(f, f.default), "the default must survive its own URL form"
    assert f.widget in WIDGETS
    if f.widget is None:
        return
    for lang in LANGUAGES:
        assert f.label in catalog(lang), (lang, f.label)
        assert f.help is None or f.help in catalog(lang), (lang, f.help)
        if isinstance(f.option_label, str):
            missing = [o for o in f.options if f.option_text(o) not in catalog(lang)]
            assert not missing, (lang, missing)
    if f.widget in ("slider", "whole"):
        lo, hi = f.bounds
        assert lo <= f.default <= hi
    if f.widget in ("select", "radio") and f.options:  # else the page gives the options (one per image)
        assert f.default in f.options


def test_every_setting_key_is_unique_in_the_session():
    keys = [REGISTRY[page].key(f.name) for page, f in SETTINGS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("path", sorted((ROOT / "app_pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_go_through_the_registry(path):
    """No page reads or writes the URL or a private session key itself."""
    source = path.read_text(encoding="utf-8")
    assert "query_params" not in source
    assert not re.search(r"""["'](?:_state|_problems|_rendered|_good)\.""", source)
    assert "widget_key" not in source

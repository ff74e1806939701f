"""The Korean web font the app ships (static/fonts, made by assets/fonts/subset.py): present,
served by Streamlit's static serving, and holding every Hangul character the catalogs use."""

from __future__ import annotations

import importlib.util
import json
import mimetypes
import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FONTS = REPO / "static" / "fonts"


def config() -> dict:
    return tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def catalog_hangul() -> set[str]:
    """Every Hangul character the catalogs use, as assets/fonts/subset.py (which makes the font)
    collects them."""
    spec = importlib.util.spec_from_file_location("subset", REPO / "assets" / "fonts" / "subset.py")
    subset = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(subset)
    return subset.catalog_hangul()


def test_font_faces_point_at_shipped_woff2_files():
    cfg = config()
    assert cfg["server"]["enableStaticServing"] is True
    faces = cfg["theme"]["fontFaces"]
    assert {face["weight"] for face in faces} == {"100 500", "600 900"}
    for face in faces:
        url = face["url"]
        assert url.startswith("app/static/"), url
        path = REPO / "static" / url.removeprefix("app/static/")
        assert path.read_bytes()[:4] == b"wOF2", path  # a WOFF2 file
        assert 50_000 < path.stat().st_size < 400_000, path  # a subset, not the whole CJK font
        assert mimetypes.guess_type(path.name)[0] == "font/woff2"
        assert "U+AC00-D7A3" in face["unicodeRange"]
    for theme in ("light", "dark"):  # per theme, so the browser's light/dark preference still counts
        assert cfg["theme"][theme]["font"] == faces[0]["family"]
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "OFL.txt").read_text(encoding="utf-8")


def test_the_font_holds_every_hangul_character_of_the_catalogs():
    held = set((FONTS / "hangul-chars.txt").read_text(encoding="utf-8").strip())
    missing = "".join(sorted(catalog_hangul() - held))
    assert not missing, f"run assets/fonts/subset.py again: the font lacks {missing!r}"
    assert len(held) >= 2350  # KS X 1001's common syllables too, for class names users type


# Pictographs that only an emoji font draws: a machine without one (a bare Linux box, a container,
# the CI's Chromium) shows them as empty boxes. Icons come from Streamlit's own Material Symbols
# font instead (":material/name:"), which it ships and serves.
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u26ff\u2700-\u27bf\u2b00-\u2bff\ufe0f]")
DRAWN_BY_TEXT_FONTS = set("⚖⚠★✓✗❚")  # in the Latin fallback fonts (DejaVu, Segoe UI Symbol)


def catalog_strings(tree, path=""):
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from catalog_strings(value, f"{path}.{key}" if path else key)
    elif isinstance(tree, str):
        yield path, tree


def test_no_catalog_text_needs_an_emoji_font():
    for lang in ("en", "ko"):
        catalog = json.loads((REPO / "assets" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
        bad = {
            path: text
            for path, text in catalog_strings(catalog)
            if set(EMOJI.findall(text)) - DRAWN_BY_TEXT_FONTS
        }
        assert not bad, f"{lang}: {bad}"


def test_every_icon_the_app_draws_is_a_material_symbol():
    sources = [
        REPO / "app.py",
        *sorted((REPO / "app_pages").glob("*.py")),
        *sorted((REPO / "pages").glob("*.py")),
        *sorted((REPO / "ui").rglob("*.py")),
    ]
    # (Not page_icon: Streamlit fetches a Material favicon from fonts.gstatic.com, so the tab's
    # icon stays an emoji, drawn locally.)
    icons = [
        (path.name, icon)
        for path in sources
        for icon in re.findall(r"""\bicon=["']([^"']*)["']""", path.read_text(encoding="utf-8"))
    ]
    assert icons, "no icon found: the pattern no longer matches how pages pass icons"
    assert [i for i in icons if not i[1].startswith(":material/")] == []

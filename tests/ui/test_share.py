"""Tests for ui.share (the shared link, its QR code) and ui.shortcuts (the presenter's keys), and an
AppTest that every page's sidebar carries the share controls in English and Korean."""

from __future__ import annotations

import base64
import doctest
import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import segno
from streamlit.elements.lib.shortcut_utils import normalize_shortcut
from streamlit.testing.v1 import AppTest

from ui import share, shortcuts
from ui.i18n import LANGUAGES, translate
from ui.plots import theme

ROOT = Path(__file__).resolve().parents[2]
BASE = "http://lab.example:8501/losses"

# ---- the link ------------------------------------------------------------------------------------


def test_the_instructor_secret_is_private():
    assert "teach" in share.PRIVATE


def test_link_drops_private_params_and_keeps_the_others_in_order():
    link = share.shared_link(BASE, {"lang": "ko", "teach": "s3cret", "reg": "0.1", "present": "1"})
    assert link == f"{BASE}?lang=ko&reg=0.1&present=1"
    assert "teach" not in link
    assert "s3cret" not in link


def test_link_without_a_query_is_the_address():
    assert share.shared_link(BASE, {}) == BASE
    assert share.shared_link(BASE, {"teach": "x"}) == BASE
    assert share.shared_link("http://lab.example:8501", {"lang": "ko"}) == "http://lab.example:8501/?lang=ko"


def test_link_keeps_repeated_params_and_encodes_hostile_values():
    link = share.shared_link(
        BASE, {"w": ["1", "2"], "name": "a&teach=x#frag <b>", "teach": ["t1", "t2"], "cls": "고양이"}
    )
    query = link.split("?", 1)[1]
    pairs = [pair.split("=", 1)[0] for pair in query.split("&")]
    assert pairs == ["w", "w", "name", "cls"]  # the injected "&teach=" stayed inside a value
    assert not set("#< ") & set(link)
    assert parse_qs(query) == {"w": ["1", "2"], "name": ["a&teach=x#frag <b>"], "cls": ["고양이"]}


def test_link_drops_the_base_query_and_fragment():
    assert share.shared_link(f"{BASE}?teach=old#top", {"lang": "en"}) == f"{BASE}?lang=en"


# ---- the QR code ---------------------------------------------------------------------------------


def test_qr_encodes_exactly_the_shared_link():
    link = share.shared_link(BASE, {"lang": "ko", "teach": "s3cret", "reg": "0.1"})
    expected = f"{BASE}?lang=ko&reg=0.1"
    assert share.qr_code(link).matrix == segno.make_qr(expected).matrix
    with_secret = f"{BASE}?lang=ko&teach=s3cret&reg=0.1"
    assert share.qr_code(link).matrix != segno.make_qr(with_secret).matrix  # the test can tell


@pytest.mark.parametrize("big", [False, True])
def test_qr_image_is_an_svg_of_that_code_at_its_size(big):
    link = f"{BASE}?lang=ko"
    svg = share.qr_image(link, big=big)
    assert re.match(r"^\s?<svg\s", svg)  # what st.image takes as an SVG
    width = float(re.search(r'width="([\d.]+)"', svg).group(1))
    assert width == pytest.approx(share.QR_WIDTH[big])
    code = segno.make_qr(link)
    scale = share.QR_WIDTH[big] / code.symbol_size(scale=1, border=share.QR_BORDER)[0]
    expected = code.svg_inline(scale=scale, border=share.QR_BORDER, dark=theme.QR_DARK, light=theme.QR_LIGHT)
    assert svg == expected
    assert share.QR_WIDTH[True] > share.QR_WIDTH[False]


@pytest.mark.parametrize("bad", ["", None, 3])
def test_qr_refuses_a_missing_link(bad):
    with pytest.raises(ValueError, match="non-empty string"):
        share.qr_code(bad)


def test_qr_refuses_a_link_too_long_for_a_qr_code():
    with pytest.raises(ValueError, match="does not fit"):
        share.qr_image(BASE + "?t=" + "x" * 5000, big=True)


# ---- the shortcuts -------------------------------------------------------------------------------


def test_button_shortcuts_are_keys_streamlit_takes():
    for action, key in shortcuts.SHORTCUTS.items():
        normalized = normalize_shortcut(key)  # raises for C, R, punctuation, several keys
        assert "+" not in normalized, action  # a plain key: ignored while typing in a box
    assert {"next", "reveal"} <= set(shortcuts.SHORTCUTS)


def _player_js_keys() -> set[str]:
    js = (ROOT / "ui" / "player" / "player.js").read_text(encoding="utf-8")
    actions = re.search(r"const actions = \{(.*?)\};", js, re.S).group(1)
    return {quoted or bare for quoted, bare in re.findall(r'(?:"([^"]+)"|(\w+)):\s*\(\)\s*=>', actions)}


def test_player_keys_are_the_ones_player_js_handles():
    declared = {k for keys in shortcuts.PLAYER_KEYS.values() for k in keys}
    assert declared == _player_js_keys()


def test_no_key_does_two_things():
    buttons = {normalize_shortcut(k) for k in shortcuts.SHORTCUTS.values()}
    player = {k.lower() for keys in shortcuts.PLAYER_KEYS.values() for k in keys}
    assert len(buttons) == len(shortcuts.SHORTCUTS)
    assert buttons.isdisjoint(player | {"space", "left", "right", "pageup", "pagedown", "home", "end"})


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_help_lists_every_action_with_its_keys(lang, monkeypatch):
    monkeypatch.setattr(shortcuts, "t", lambda key, **f: translate(lang, key, **f))
    text = shortcuts.help_markdown()
    rows = text.splitlines()[2:]
    assert len(rows) == len(shortcuts.SHORTCUTS) + len(shortcuts.PLAYER_KEYS)
    for action, key in shortcuts.SHORTCUTS.items():
        assert f"| `{key}` | {translate(lang, f'share.action.{action}')} |" in rows
    assert f"| `Space` | {translate(lang, 'share.action.play')} |" in rows
    assert f"| `→` / `PageDown` | {translate(lang, 'share.action.step')} |" in rows
    assert "⟦" not in text


# ---- the sidebar, on every page (AppTest) --------------------------------------------------------

PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "app_pages").glob("*.py"))


def open_app(page: str, lang: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    # The address the browser reports, page path included. (AppTest starts each run with an empty
    # page registry, so st.context.url cannot add the path itself as it does on a server.)
    path = "" if page.endswith("home.py") else Path(page).stem
    at.context = {"url": f"http://lab.example:8501/{path}"}
    at.query_params["lang"] = lang
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def sidebar_popovers(at: AppTest) -> list:
    return [node for node in walk(at.sidebar) if getattr(node, "type", None) == "popover"]


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_share_controls(page, lang):
    at = open_app(page, lang)
    qr = at.sidebar.button(key="share.qr")
    assert qr.label == translate(lang, "share.qr")
    popovers = sidebar_popovers(at)
    assert [p.proto.popover.label for p in popovers] == [translate(lang, "share.keys_title")]
    inside = " ".join(m.value for m in popovers[0].markdown)
    for action in (*shortcuts.SHORTCUTS, *shortcuts.PLAYER_KEYS):
        assert translate(lang, f"share.action.{action}") in inside
    kinds = {getattr(node, "type", None) for node in walk(at.sidebar)}
    assert "bidi_component" in kinds, f"the copy link button is missing: {kinds}"


def test_the_qr_dialog_shows_this_pages_link():
    at = open_app("app_pages/losses.py", "en", present="1", teach="s3cret")
    at.sidebar.button(key="share.qr").click().run()
    assert not at.exception
    codes = [c.value for c in at.code]
    assert codes == ["http://lab.example:8501/losses?present=1"], codes  # no default, no secret
    urls = [url for image in at.image for url in image.value]
    assert len(urls) == 1, "no QR code drawn"
    assert urls[0].startswith("data:image/svg+xml;base64,")
    drawn = base64.b64decode(urls[0].split(",", 1)[1]).decode()
    assert re.sub(r' xmlns="[^"]*" ', "", drawn, count=1) == share.qr_image(
        codes[0], big=True
    )  # presenter: big


def test_the_docstring_examples_hold():
    result = doctest.testmod(share, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 3
    assert result.failed == 0


def _show(url, big):
    from ui import share

    share.show_qr(url, big=big)


@pytest.mark.parametrize("big", [False, True])
def test_a_link_too_long_for_a_qr_code_is_refused_with_a_message(big):
    url = "http://lab.example:8501/losses?scores=" + "9" * 4000
    at = AppTest.from_function(_show, args=(url, big)).run()
    assert not at.exception
    assert [w.value for w in at.warning] == [translate("en", "share.qr_too_long", chars=len(url))]
    assert len(at.image) == 0
    assert [c.value for c in at.code] == [url]  # the link itself is still there to copy


def test_an_unknown_address_gets_a_message_not_a_qr_code():
    at = AppTest.from_function(_show, args=(None, False)).run()
    assert not at.exception
    assert [i.value for i in at.info] == [translate("en", "share.qr_unknown")]
    assert len(at.image) == 0

"""Share this page in a real browser: copy link, the QR code's link, the keyboard shortcuts.

* After a score edit (a fragment rerun that rewrites the query string), one click on "Copy link"
  puts exactly the address bar's URL on the clipboard and the button says "Copied"; the QR dialog
  shows the same link, built on the server.
* A secret instructor parameter (?teach=) in the address bar never reaches the clipboard.
* The "Keyboard shortcuts" popover lists every action with its key, in English and in Korean.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    EXCEPTION,
    METRIC,
    StreamlitServer,
    edit_cell,
    editor_canvas,
    open_app,
    open_losses,
    wait_idle,
)
from ui import shortcuts
from ui.i18n import translate

pytestmark = pytest.mark.browser

COPY = ".st-key-share-copy button"
QR, KEYS = ".st-key-share-qr", ".st-key-share-keys"  # click get_by_role: Streamlit keeps a hidden twin
DIALOG = '[role="dialog"]'
CLIPBOARD = ("clipboard-read", "clipboard-write")


def clipboard(page) -> str:
    return page.evaluate("() => navigator.clipboard.readText()")


def copy(page, lang: str = "en") -> str:
    """Click "Copy link", wait for its "Copied", and return what is on the clipboard."""
    button = page.locator(COPY)
    expect(button).to_have_text(translate(lang, "share.copy"), timeout=30_000)  # drawn after the run
    button.click()
    expect(button).to_have_text(f"✓ {translate(lang, 'share.copied')}")
    return clipboard(page)


def test_copy_link_and_qr_give_the_page_as_it_is_now(watched, app_url):
    page = watched.page
    page.context.grant_permissions(list(CLIPBOARD), origin=app_url)
    open_losses(page, app_url)
    page.evaluate("() => navigator.clipboard.writeText('nothing yet')")

    # A score edit reruns only the table's fragment, which rewrites the query string.
    edit_cell(page, editor_canvas(page), 0, 1, "10", expect_old="3.2")
    expect(page.locator(METRIC).first).to_have_text("4.30")
    expect(page).to_have_url(re.compile(r"/losses\?.*scores="))
    wait_idle(page)
    assert copy(page) == page.url
    assert "10" in parse_qs(urlsplit(page.url).query)["scores"][0]

    # The QR code's link is built on the server from the same state.
    page.locator(QR).get_by_role("button").click()
    dialog = page.locator(DIALOG)
    expect(dialog).to_contain_text(translate("en", "share.qr_title"))
    expect(dialog.locator("img")).to_be_visible()
    expect(dialog.locator("code")).to_have_text(page.url, timeout=30_000)  # after a full rerun
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    # Another page reached through the sidebar: its own path, its own state.
    page.locator('[data-testid="stSidebarNavLink"]', has_text=translate("en", "nav.regularization")).click()
    expect(page).to_have_url(re.compile(r"/regularization"))
    wait_idle(page)
    page.locator(QR).get_by_role("button").click()
    expect(dialog.locator("code")).to_have_text(page.url, timeout=30_000)  # after a full rerun
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert copy(page) == page.url
    expect(page.locator(EXCEPTION)).to_have_count(0)
    watched.assert_clean()


def test_the_instructor_secret_never_reaches_the_clipboard(watched, app_url):
    page = watched.page
    page.context.grant_permissions(list(CLIPBOARD), origin=app_url)
    open_app(page, f"{app_url}/regularization?lang=ko")
    wait_idle(page)
    clean = page.url
    # Class mode keeps ?teach= in the instructor's address bar; put one there as it would.
    page.evaluate("() => history.replaceState(null, '', location.href + '&teach=s3cret')")
    assert "teach=s3cret" in page.url
    copied = copy(page, "ko")
    assert "s3cret" not in copied
    assert parse_qs(urlsplit(copied).query) == parse_qs(urlsplit(clean).query)
    assert urlsplit(copied).path == urlsplit(clean).path
    watched.assert_clean()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_shortcuts_popover_lists_every_key(watched, app_url, lang):
    page = watched.page
    open_app(page, f"{app_url}/?lang={lang}")
    wait_idle(page)
    page.locator(KEYS).get_by_role("button").click(timeout=30_000)
    table = page.locator('[data-testid="stPopoverBody"] table')
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(shortcuts.ROWS))
    for k, (action, keys) in enumerate(shortcuts.ROWS):
        row = rows.nth(k)
        expect(row).to_contain_text(translate(lang, f"share.action.{action}"))
        expect(row.locator("code")).to_have_text(list(keys))
    watched.assert_clean()


# A classroom server on plain http (not localhost) is no secure context: no navigator.clipboard.
NO_CLIPBOARD_API = """
window.realClipboard = navigator.clipboard;
Object.defineProperty(Navigator.prototype, "clipboard", {get: () => undefined});
"""


def test_copy_works_without_the_clipboard_api(watched, app_url):
    page = watched.page
    page.context.grant_permissions(list(CLIPBOARD), origin=app_url)
    page.add_init_script(NO_CLIPBOARD_API)
    open_app(page, f"{app_url}/features?lang=ko")
    wait_idle(page)
    assert page.evaluate("() => navigator.clipboard") is None
    button = page.locator(COPY)
    button.click(timeout=30_000)
    expect(button).to_have_text(f"✓ {translate('ko', 'share.copied')}")
    assert page.evaluate("() => window.realClipboard.readText()") == page.url
    watched.assert_clean()


def test_when_the_browser_refuses_to_copy_the_link_is_shown_selected(watched, app_url):
    page = watched.page
    page.add_init_script(NO_CLIPBOARD_API + "document.execCommand = () => false;")
    open_app(page, f"{app_url}/?lang=en")
    wait_idle(page)
    page.locator(COPY).click(timeout=30_000)
    expect(page.locator(".st-key-share-copy")).to_contain_text(translate("en", "share.copy_failed"))
    box = page.locator(".st-key-share-copy input")
    expect(box).to_be_visible()
    expect(box).to_have_value(page.url)
    selected = box.evaluate("e => e.value.slice(e.selectionStart, e.selectionEnd)")
    assert selected == page.url
    expect(page.locator(COPY)).to_have_text(translate("en", "share.copy"))  # no false "Copied"
    watched.assert_clean()


# A page with only the two buttons the lead wires to the declared keys, and a number box.
SHORTCUT_APP = """
import streamlit as st
from ui.shortcuts import SHORTCUTS

st.session_state.setdefault("pressed", [])
for action, key in SHORTCUTS.items():
    if st.button(action, key=action, shortcut=key):
        st.session_state.pressed.append(action)
st.number_input("box", key="box")
st.text(f"pressed: {' '.join(st.session_state.pressed)}.")
"""


@pytest.fixture(scope="module")
def shortcut_url(chromium_path, tmp_path_factory):
    script = tmp_path_factory.mktemp("shortcuts") / "shortcut_app.py"
    script.write_text(SHORTCUT_APP, encoding="utf-8")
    with StreamlitServer(str(script), plain=True) as server:
        yield server.url


def test_the_declared_keys_press_their_buttons_but_not_while_typing(watched, shortcut_url):
    page = watched.page
    page.goto(shortcut_url)
    pressed = page.get_by_text(re.compile(r"^pressed:"))
    expect(pressed).to_have_text("pressed: .", timeout=30_000)
    for action in shortcuts.SHORTCUTS:
        expect(page.locator(f".st-key-{action}").get_by_role("button")).to_be_visible(timeout=30_000)
    wait_idle(page)
    page.keyboard.press(shortcuts.SHORTCUTS["next"].lower())
    expect(pressed).to_have_text("pressed: next.")
    wait_idle(page)
    page.keyboard.press(shortcuts.SHORTCUTS["reveal"].lower())
    expect(pressed).to_have_text("pressed: next reveal.")
    wait_idle(page)
    # Korean input mode: the key says "ㅜ", the physical key is still N.
    page.evaluate(
        """() => document.body.dispatchEvent(new KeyboardEvent("keydown",
        {key: "ㅜ", code: "KeyN", keyCode: 229, bubbles: true}))"""
    )
    expect(pressed).to_have_text("pressed: next reveal next.")
    wait_idle(page)
    box = page.get_by_label("box")
    box.click()
    box.press_sequentially("na")  # typed into the box: no button pressed
    box.press("Tab")
    wait_idle(page)
    expect(pressed).to_have_text("pressed: next reveal next.")
    watched.assert_clean()

"""Presenter mode in a real browser: ?present=1 turns the sidebar toggle on, makes the numbers
bigger (the computed style, not just the stylesheet being there), and survives moving to another
page through the sidebar, together with the language.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from bench.streamlit_browser import METRIC, wait_idle
from ui.i18n import translate

pytestmark = pytest.mark.browser

EXCEPTION = '[data-testid="stException"]'
# Only app.py's router draws the language box: a page's first run on a fresh server happens without it
# and is rerun through the router (ui/router.py), which redraws everything.
ROUTED = ".st-key-lang"
TOGGLE = '.st-key-present input[type="checkbox"]'


def open_losses(page, url: str, query: str) -> None:
    page.goto(f"{url}/losses{query}")
    expect(page.locator(ROUTED)).to_be_visible(timeout=30_000)
    expect(page.locator(METRIC).first).to_have_text("5.27", timeout=30_000)  # the lecture's SVM loss
    wait_idle(page)


def font_px(locator) -> float:
    return float(locator.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_presenter_mode_enlarges_and_survives_navigation(watched, app_url):
    page = watched.page
    open_losses(page, app_url, "?lang=ko")
    expect(page.locator(TOGGLE)).not_to_be_checked()
    normal = font_px(page.locator(METRIC).first)
    normal_h1 = font_px(page.locator("h1").first)

    # A new tab is a new session: ?present=1 is read on its first run.
    presenting = page.context.new_page()
    open_losses(presenting, app_url, "?present=1&lang=ko")
    expect(presenting.locator(TOGGLE)).to_be_checked()
    expect(presenting.locator("h1").first).to_contain_text(translate("ko", "losses.title"))
    big = font_px(presenting.locator(METRIC).first)
    assert big > 1.3 * normal, (normal, big)  # 3.6rem on a projector
    assert font_px(presenting.locator("h1").first) > normal_h1

    # The sidebar link to the next chapter keeps both settings, in the URL and on the page.
    link = presenting.locator('[data-testid="stSidebarNavLink"]',
                              has_text=translate("ko", "nav.regularization"))
    link.click()
    expect(presenting).to_have_url(re.compile(r"/regularization\?"))
    expect(presenting.locator("h1").first).to_contain_text(translate("ko", "regularization.title"))
    wait_idle(presenting)
    params = query(presenting)
    assert params.get("present") == ["1"] and params.get("lang") == ["ko"], presenting.url
    expect(presenting.locator(TOGGLE)).to_be_checked()
    assert font_px(presenting.locator("h1").first) > normal_h1  # the presenter stylesheet still applies
    for p in (page, presenting):
        expect(p.locator(EXCEPTION)).to_have_count(0)
    watched.assert_clean()

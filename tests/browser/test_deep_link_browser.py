"""A deep link as a fresh server's very first request lands on its page, through app.py.

Streamlit runs a deep link such as /losses in its legacy folder-based multipage mode whenever a
``pages/`` folder sits beside app.py and no run has called ``st.navigation`` yet: on a fresh
server the page ran alone, without app.py's page config, language selector or navigation. The
page scripts live in app_pages/, so that mode never switches on. Each case starts a server of its
own (plain ``streamlit run``, and ``python -m ui.serve`` as ``make run`` does) whose first request
ever is /losses?lang=ko.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import LANG_BOX, METRIC, StreamlitServer, open_app, wait_idle
from ui.i18n import LANGUAGES, translate

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

NAV_LINK = '[data-testid="stSidebarNav"] a'
URLS = {
    "home": "/",
    "losses": "/losses",
    "regularization": "/regularization",
    "optimization": "/optimization",
    "gradients": "/gradients",
    "features": "/features",
}


@pytest.fixture(params=["streamlit", "ui.serve"])
def fresh_url(chromium_path, request):
    """A server started for this test alone: nothing has been requested from it but its health."""
    launcher = request.param
    server = StreamlitServer(
        "app.py", plain=launcher == "streamlit", log_path=ARTIFACTS / f"deep-link-{launcher}.log"
    )
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


def test_a_deep_link_as_the_first_request_gets_the_whole_app(watched, fresh_url):
    page = watched.page
    # app.py's sidebar: the language selector, showing the link's language ...
    open_app(page, f"{fresh_url}/losses?lang=ko")
    expect(page.locator(LANG_BOX).get_by_role("combobox")).to_have_value(LANGUAGES["ko"])
    # ... and st.navigation's links to every chapter, in Korean, with /losses the current one.
    links = page.locator(NAV_LINK)
    expect(links).to_have_count(len(URLS))
    expect(links).to_contain_text([translate("ko", f"nav.{name}") for name in URLS])
    hrefs = [links.nth(k).get_attribute("href") for k in range(links.count())]
    assert [href.removeprefix(fresh_url) for href in hrefs] == list(URLS.values()), hrefs
    expect(page.locator(f'{NAV_LINK}[aria-current="page"]')).to_contain_text(translate("ko", "nav.losses"))
    # The losses page itself, in Korean, with the lecture's numbers.
    expect(page.locator("h1").first).to_have_text(translate("ko", "losses.title"))
    expect(page.locator(METRIC).first).to_have_text("5.27", timeout=30_000)
    wait_idle(page)
    # app.py's page config: the title and the wide layout (a centred page is 736 px at most).
    assert page.title() == "LossLab", page.title()
    assert page.locator('[data-testid="stMainBlockContainer"]').bounding_box()["width"] > 1000
    # The address is still the deep link.
    assert page.url == f"{fresh_url}/losses?lang=ko"
    assert not page.locator('[data-testid="stException"]').count()
    watched.assert_clean()

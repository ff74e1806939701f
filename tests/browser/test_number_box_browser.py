"""A number typed into a number box is used exactly or refused with a visible message, in a real
browser (Streamlit's integer box would read "2.5" as 2 and "1e3" as 1 with JavaScript's parseInt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import wait_idle

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def test_a_fraction_is_refused_by_name_and_a_whole_number_in_any_form_is_used(watched, app_url):
    page = watched.page
    page.goto(f"{app_url}/gradients?tab=strategies")
    wait_idle(page)
    box = page.get_by_label("random seed", exact=False).first
    expect(box).to_have_value("0")
    box.fill("2.5")
    box.press("Enter")
    notice = page.locator('[data-testid="stAlert"]').filter(has_text="2.5")
    expect(notice).to_contain_text("not a whole number")
    wait_idle(page)
    expect(box).to_have_value("0")  # back to the last good value
    assert "seed" not in page.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "number-box-refused.png"))
    box.fill("1e3")
    box.press("Enter")
    page.wait_for_url("**seed=1000**")
    wait_idle(page)
    expect(box).to_have_value("1000")
    expect(notice).to_have_count(0)
    watched.assert_clean()

"""While an update runs, Streamlit marks the page's elements stale. Its own style fades each one
out with a 1 s opacity transition, animated at the display's frame rate for as long as the update
takes: with a class on one machine that animation work delays everyone's updates. LossLab's
app.css dims stale elements in one step after 1 s instead. In a real browser: nothing animates
during a slow update, the page still dims to say it is being recomputed, and comes back after.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import METRIC, StreamlitServer, wait_idle

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# (number of animations with a duration, opacities of the element containers)
_STATE_JS = """() => [
  document.getAnimations().filter(a => a.effect && a.effect.getTiming().duration > 0).length,
  Array.from(document.querySelectorAll('[data-testid="stMarkdown"]'),
             el => parseFloat(getComputedStyle(el.closest('[data-testid="stElementContainer"]')).opacity)),
]"""


# The update is running and its elements are marked stale.
RUNNING = """document.querySelector('[data-testid="stApp"]').dataset.testScriptState === 'running'"""
STALE_JS = f"""() => {RUNNING} && document.querySelector('[data-stale="true"]') !== null"""
# Still running, and every stale line has dimmed (app.css: after 1 s, in one step).
DIMMED_WHILE_RUNNING_JS = f"""() => {RUNNING}
  && [...document.querySelectorAll('[data-testid="stMarkdown"]')].every(
    (el) => parseFloat(getComputedStyle(el.closest('[data-testid="stElementContainer"]')).opacity) < 0.5)"""


@pytest.fixture(scope="module")
def slow_url(chromium_path):
    with StreamlitServer("tests/browser/slow_app.py", log_path=ARTIFACTS / "slow-app-server.log") as server:
        yield server.url


def test_a_slow_update_dims_the_page_in_one_step_without_animating(watched, slow_url):
    page = watched.page
    page.goto(slow_url)
    expect(page.locator(METRIC)).to_have_text("0", timeout=30_000)
    wait_idle(page)
    animating, opacities = page.evaluate(_STATE_JS)
    assert len(opacities) == 12
    assert all(o == 1 for o in opacities)

    page.get_by_role("button", name="Slow update").click()
    # The update runs and the page is marked stale: Streamlit's own fade would be running now (in
    # its 0.5 s delay: a transition waiting out its delay is an animation too).
    page.wait_for_function(STALE_JS)
    animating, opacities = page.evaluate(_STATE_JS)
    assert animating == 0, f"{animating} animations while the update runs"
    assert all(o == 1 for o in opacities)  # not dimmed yet: a quick update never flickers

    page.wait_for_function(DIMMED_WHILE_RUNNING_JS)  # fails on a timeout if the update ends first
    animating, opacities = page.evaluate(_STATE_JS)
    assert animating == 0, f"{animating} animations while the update runs"
    assert all(o < 0.5 for o in opacities), f"stale elements not dimmed: {opacities}"

    expect(page.locator(METRIC)).to_have_text("1", timeout=10_000)
    wait_idle(page)
    animating, opacities = page.evaluate(_STATE_JS)
    assert animating == 0
    assert all(o == 1 for o in opacities)
    watched.assert_clean()

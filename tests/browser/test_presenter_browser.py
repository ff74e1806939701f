"""Presenter mode in a real browser.

* ?present=1 turns the sidebar toggle on, makes the numbers bigger (the computed style, not just
  the stylesheet being there), and survives moving to another page through the sidebar, together
  with the language.
* On a projector at 1280x720, on every page and every tab: no number, label, button or tab text
  is cut ("…", or clipped by a box), nothing runs past the right edge, body text is >= 18 px and
  chart ticks and legends >= 14 px (titles larger), the sidebar starts folded away (and opens),
  the title sits at the top, and the page's main result is on screen without scrolling.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import EXCEPTION, METRIC, PAGES, every_tab, open_app, open_losses, wait_idle
from ui.i18n import translate

pytestmark = pytest.mark.browser

TOGGLE = '.st-key-present input[type="checkbox"]'
PROJECTOR = {"width": 1280, "height": 720}


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
    presenting.locator('[data-testid="stExpandSidebarButton"]').click()  # folded away in presenter mode
    expect(presenting.locator(TOGGLE)).to_be_checked()
    expect(presenting.locator("h1").first).to_contain_text(translate("ko", "losses.title"))
    big = font_px(presenting.locator(METRIC).first)
    assert big > 1.15 * normal, (normal, big)
    assert font_px(presenting.locator("h1").first) > normal_h1

    # The sidebar link to the next chapter keeps both settings, in the URL and on the page.
    link = presenting.locator(
        '[data-testid="stSidebarNavLink"]', has_text=translate("ko", "nav.regularization")
    )
    link.click()
    expect(presenting).to_have_url(re.compile(r"/regularization\?"))
    expect(presenting.locator("h1").first).to_contain_text(translate("ko", "regularization.title"))
    wait_idle(presenting)
    params = query(presenting)
    assert params.get("present") == ["1"], presenting.url
    assert params.get("lang") == ["ko"], presenting.url
    expect(presenting.locator(TOGGLE)).to_be_checked()
    assert font_px(presenting.locator("h1").first) > normal_h1  # the presenter stylesheet still applies
    for p in (page, presenting):
        expect(p.locator(EXCEPTION)).to_have_count(0)
    watched.assert_clean()


# Every problem the layout has, measured in the page: text cut by an ellipsis or by a box that
# hides its overflow, anything past the window's right edge, text below its minimum size, chart
# text below its minimum size.
LAYOUT_PROBLEMS = r"""() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const W = document.documentElement.clientWidth;
  const problems = [];
  const name = e => (e.innerText || e.textContent || '').trim().slice(0, 40);
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0
                         && getComputedStyle(e).visibility !== 'hidden'; };
  const scrollW = document.documentElement.scrollWidth;
  if (scrollW > W + 1) problems.push(`page scrolls sideways (${scrollW} > ${W})`);
  // Text-bearing elements: any element with its own non-empty text node.
  const texts = [...main.querySelectorAll('*')].filter(e => [...e.childNodes].some(
      n => n.nodeType === 3 && n.textContent.trim()) && visible(e) && !e.closest('svg')
      && !e.closest('.katex-mathml'));  // KaTeX's MathML copy for screen readers is hidden on purpose
  for (const e of texts) {
    const r = e.getBoundingClientRect(), cs = getComputedStyle(e);
    if (r.right > W + 1) problems.push(`past the right edge: "${name(e)}" (${Math.round(r.right)} > ${W})`);
    if (cs.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1)
      problems.push(`cut with an ellipsis: "${name(e)}"`);
    for (let a = e.parentElement; a && a !== main; a = a.parentElement) {
      if (a.closest('.katex')) continue;  // KaTeX's own layout boxes: the formula as a whole counts
      const acs = getComputedStyle(a);
      if (acs.overflowX === 'visible' && acs.overflowY === 'visible') continue;
      const ar = a.getBoundingClientRect();
      if (a.closest('[data-testid="stSidebar"]')) break;
      if (r.right > ar.right + 2 || r.left < ar.left - 2)
        problems.push(`clipped by its box: "${name(e)}" (${Math.round(r.left)}..${Math.round(r.right)}`
                      + ` in ${a.className} ${Math.round(ar.left)}..${Math.round(ar.right)})`);
      break;
    }
  }
  // Body text, labels, buttons, tabs, table cells and captions: at least 18 px.
  const readable = [
    '[data-testid="stMarkdown"] p', '[data-testid="stMarkdown"] li', '[data-testid="stMarkdown"] td',
    '[data-testid="stMarkdown"] th', '[data-testid="stWidgetLabel"] p', 'button p',
    '[data-baseweb="tab"] p', '[data-testid="stCaptionContainer"] p', '[data-testid="stMetricLabel"] p',
    '[data-testid="stMetricValue"]', '[data-testid="stAlertContainer"] p'];
  for (const e of main.querySelectorAll(readable.join(','))) {
    if (!visible(e) || e.closest('[data-testid="stSidebar"]') || !name(e)) continue;
    const px = parseFloat(getComputedStyle(e).fontSize);
    if (px < 17.9) problems.push(`small text (${px} px): "${name(e)}"`);
  }
  // Charts: ticks and legends >= 14 px, titles larger than ticks.
  for (const plot of main.querySelectorAll('.js-plotly-plot')) {
    if (!visible(plot)) continue;
    const size = sel => [...plot.querySelectorAll(sel)].map(
        t => parseFloat(t.style.fontSize || getComputedStyle(t).fontSize));
    const ticks = size('.xtick text, .ytick text'), titles = size('.gtitle'), legend = size('.legendtext');
    const title = name(plot.querySelector('.gtitle') || plot);
    if (ticks.some(px => px < 14)) problems.push(`chart "${title}": ticks of ${Math.min(...ticks)} px`);
    const tick = Math.min(...ticks);
    if (titles.some(px => px <= tick)) problems.push(`chart "${title}": title not larger than ticks`);
    if (legend.some(px => px < 14)) problems.push(`chart "${title}": legend of ${Math.min(...legend)} px`);
  }
  return problems;
}"""


def layout_problems(page) -> list[str]:
    return page.evaluate(LAYOUT_PROBLEMS)


def open_presenting(page, url: str, path: str, lang: str) -> None:
    open_app(page, f"{url}/{path}?present=1&lang={lang}", attached=True)
    expect(page.locator("h1").first).to_be_visible(timeout=30_000)
    page.wait_for_function("getComputedStyle(document.documentElement).fontSize === '18px'")  # presenter.css
    wait_idle(page)
    page.evaluate("document.fonts.ready")


def surface_problems(page) -> list[str]:
    """The /gradients player's loss surface: its shading (a canvas) lies exactly on the SVG's frame."""
    problems = []
    canvases, frames = page.locator(".ll-surface canvas"), page.locator(".ll-surface .ll-frame")
    for k in range(canvases.count()):
        shading, frame = canvases.nth(k).bounding_box(), frames.nth(k).bounding_box()
        if shading and frame and any(abs(shading[a] - frame[a]) > 2 for a in ("x", "y", "width", "height")):
            problems.append(f"the surface's shading {shading} is off its frame {frame}")
    return problems


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    view = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= view["height"] + 1
        and box["x"] + box["width"] <= view["width"] + 1
    )


@pytest.mark.parametrize(
    ("path", "lang"), [(p, "en") for p in PAGES] + [("losses", "ko"), ("optimization", "ko")]
)
def test_every_page_fits_a_projector(browser, app_url, path, lang):
    context = browser.new_context(viewport=PROJECTOR)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        open_presenting(page, app_url, path, lang)
        # The sidebar starts folded away, one click from coming back.
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert (sidebar.bounding_box() or {"x": -1, "width": 0})["x"] + sidebar.bounding_box()["width"] <= 0
        expect(page.locator('[data-testid="stExpandSidebarButton"]')).to_be_visible()
        # The title at the top: no band of empty space above it.
        assert page.locator("h1").first.bounding_box()["y"] < 80, page.locator("h1").first.bounding_box()
        if path == "losses":  # the two losses, without scrolling
            expect(page.locator(METRIC)).to_have_count(2)
            for k in range(2):
                assert in_view(page, page.locator(METRIC).nth(k)), page.locator(METRIC).nth(k).bounding_box()
        if path == "optimization":  # the player's picture of the classifier and its losses, without scrolling
            picture = page.locator(".ll-player .ll-frame").first  # (Playwright's CSS pierces the shadow root)
            expect(picture).to_be_attached(timeout=60_000)
            assert in_view(page, picture), picture.bounding_box()
            numbers = page.locator(".ll-player dd[data-metric]")
            for k in range(3):  # data loss, regularization, total
                assert in_view(page, numbers.nth(k)), numbers.nth(k).bounding_box()
        problems = {}
        for tab in every_tab(page):
            found = layout_problems(page) + surface_problems(page)
            if found:
                problems[tab] = found
        assert not problems, "\n".join(f"{tab}: {p}" for tab, found in problems.items() for p in found)
        expect(page.locator(EXCEPTION)).to_have_count(0)
    finally:
        context.close()


@pytest.mark.parametrize("path", ["losses", "optimization"])
def test_a_full_hd_projector_too(browser, app_url, path):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        open_presenting(page, app_url, path, "en")
        problems = layout_problems(page)
        assert not problems, "\n".join(problems)
    finally:
        context.close()

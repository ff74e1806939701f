"""Keyboard and screen-reader access on the loss page (issue 7.6), in a real browser.

Names are read from Chromium's own accessibility tree (over CDP), i.e. what a screen reader is
told, not re-derived from attributes. Every element a user can focus or operate is found in the
DOM first, so a control with no role, or one the tree leaves out, cannot slip through.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core import lecture
from tests.browser.helpers import EDITOR, EXCEPTION, open_losses, wait_idle
from ui.i18n import translate

pytestmark = pytest.mark.browser

# Everything a user can operate or focus.
OPERABLE = ", ".join(
    (
        "a[href]",
        "button",
        "input:not([type=hidden])",
        "select",
        "textarea",
        "[contenteditable=true]",
        *(
            f"[role={r}]"
            for r in (
                "button",
                "link",
                "slider",
                "combobox",
                "switch",
                "checkbox",
                "radio",
                "tab",
                "textbox",
                "searchbox",
                "spinbutton",
                "menuitem",
                "option",
            )
        ),
        '[tabindex]:not([tabindex="-1"])',
    )
)
# Not controls: the skip link's target, and the data grid's canvas (its name is checked on its own below).
NOT_CONTROLS = {"main", "Canvas"}
# Left out of the accessibility tree because nobody can see or reach them (Streamlit renders a hidden
# copy of every button that has a tooltip, to measure it).
UNRENDERED = {"notRendered", "notVisible"}


def open_whatif(page, url: str, lang: str) -> None:
    """The loss page with its "What if" tab open, so the preset buttons Q1..Q7 are on screen."""
    open_losses(page, url, f"?lang={lang}")
    page.get_by_role("tab", name=translate(lang, "losses.tabs.whatif"), exact=True).click()
    expect(page.locator(".st-key-losses-preset-q7 button").first).to_be_visible()
    wait_idle(page)


def accessible_controls(page) -> list[dict]:
    """Every operable element with its role and accessible name as Chromium exposes them."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]["nodeId"]
        found = []
        for node_id in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": OPERABLE})["nodeIds"]:
            dom = cdp.send("DOM.describeNode", {"nodeId": node_id})["node"]
            nodes = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False})
            ax = next((n for n in nodes["nodes"] if n.get("backendDOMNodeId") == dom["backendNodeId"]), {})
            attrs = dict(zip(dom.get("attributes", [])[::2], dom.get("attributes", [])[1::2], strict=True))
            found.append(
                {
                    "tag": dom["nodeName"].lower(),
                    "testid": attrs.get("data-testid", ""),
                    "role": ax.get("role", {}).get("value", ""),
                    "name": (ax.get("name", {}).get("value") or "").strip(),
                    "ignored": {r["name"] for r in ax.get("ignoredReasons", [])}
                    if ax.get("ignored")
                    else set(),
                }
            )
        return found
    finally:
        cdp.detach()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_control_has_an_accessible_name(watched, app_url, lang):
    page = watched.page
    open_whatif(page, app_url, lang)
    controls = accessible_controls(page)
    exposed = [c for c in controls if not c["ignored"] & UNRENDERED and c["role"] not in NOT_CONTROLS]

    unnamed = [c for c in exposed if not c["name"]]
    assert not unnamed, f"controls without an accessible name ({lang}): {unnamed}"
    hidden = [c for c in exposed if c["ignored"]]
    assert not hidden, f"operable elements hidden from screen readers ({lang}): {hidden}"

    # The check saw the page's controls: every kind, and the ones this page is about by name.
    names = {c["name"] for c in exposed}
    roles = {c["role"] for c in exposed}
    assert {"button", "combobox", "slider", "switch", "radio", "tab", "link"} <= roles, roles
    presets = [translate(lang, f"whatif.{q}.button") for q in lecture.QUESTIONS]
    tabs = [translate(lang, f"losses.tabs.{k}") for k in ("derivation", "whatif", "curve", "code")]
    wanted = [
        *presets,
        *tabs,
        translate(lang, "losses.table.add_class"),
        translate(lang, "app.present"),
        translate(lang, "losses.table.correct", k=1),
    ]
    assert not [n for n in wanted if n not in names], names
    assert any(n.startswith(translate(lang, "losses.options.margin")) for n in names)  # the margin slider
    expect(page.locator(EXCEPTION)).to_have_count(0)
    watched.assert_clean()


def test_the_score_editor_has_an_accessible_name(watched, app_url):
    page = watched.page
    open_whatif(page, app_url, "en")
    grid = [c for c in accessible_controls(page) if c["role"] == "Canvas"]
    assert len(grid) == 1, grid  # the check finds the grid's focusable canvas
    # Streamlit names the grid's region (role="region" around the canvas) from alt=.
    regions = 'xpath=ancestor-or-self::*[@role="region"] | .//*[@role="region"]'
    region = page.locator(EDITOR).first.locator(regions).first
    name = region.get_attribute("aria-label") or ""
    assert name == translate("en", "losses.table.alt"), "the score editor has no accessible name"
    watched.assert_clean()


def test_tab_walks_the_presets_in_order(watched, app_url):
    page = watched.page
    open_whatif(page, app_url, "en")
    first = page.get_by_role("button", name=re.compile(r"^Q1 "))
    first.focus()
    order = []
    for _ in lecture.QUESTIONS:
        order.append(page.evaluate("document.activeElement.innerText.trim()"))
        page.keyboard.press("Tab")
    assert all(o.startswith(("Q",)) for o in order), f"Tab left the presets: {order}"
    assert [o.split(" ")[0] for o in order] == [f"Q{k}" for k in range(1, len(lecture.QUESTIONS) + 1)], order
    watched.assert_clean()

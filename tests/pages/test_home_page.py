"""AppTest tests of the home page (app_pages/home.py): the chapter map and the lecture teaser."""

from __future__ import annotations

import re

import pytest
from apptest_tools import HOME, LOSSES, nodes, open_page, rerun, totals

from core.lecture import LECTURE_LABELS, LECTURE_SCORES
from core.losses import softmax_loss, svm_loss
from ui.i18n import translate
from ui.widgets import fmt

CHAPTERS = ("losses", "regularization", "optimization", "features")


def cards(at) -> list:
    """The bordered containers of the main area."""
    return [
        n
        for n in nodes(at)
        if type(n).__name__ == "Block"
        and getattr(n.proto, "flex_container", None)
        and n.proto.flex_container.border
    ]


def card_texts(card) -> list[str]:
    out = []

    def walk(node):
        value = getattr(node, "value", None)
        if isinstance(value, str):
            out.append(value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(card)
    return out


def card_title(card) -> tuple[str, str]:
    titles = [m.groups() for m in map(re.compile(r"^#### (\S+)\. (.+)$").match, card_texts(card)) if m]
    assert len(titles) == 1, card_texts(card)
    return titles[0]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_home_shows_the_four_chapter_cards_a_link_and_the_lecture_numbers(lang):
    at = open_page(HOME, lang=lang) if lang != "en" else open_page(HOME)
    assert at.title[0].value == translate(lang, "home.title")
    found = cards(at)
    titles = [card_title(card) for card in found]
    # The lecture's four chapters, numbered 1-4 and in order (extra cards such as a 3½ may sit between).
    chapters = [(str(n), translate(lang, f"home.{key}.title")) for n, key in enumerate(CHAPTERS, start=1)]
    assert [t for t in titles if t in chapters] == chapters
    for key in CHAPTERS:
        card = found[titles.index(chapters[CHAPTERS.index(key)])]
        assert translate(lang, f"home.{key}.body") in card_texts(card)
    # Every card either opens its chapter or says it comes later.
    for card in found:
        links = [n for n in card.children.values() if type(n).__name__ == "PageLink"]
        if links:
            assert [link.value for link in links] == [translate(lang, "home.open")]
            assert links[0].proto.page
        else:
            assert translate(lang, "home.later") in card_texts(card)
    losses_card = found[titles.index(chapters[0])]
    pages = [n.proto.page for n in losses_card.children.values() if type(n).__name__ == "PageLink"]
    assert pages == ["losses"]
    svm = fmt(svm_loss(LECTURE_SCORES, LECTURE_LABELS).total)
    soft = fmt(softmax_loss(LECTURE_SCORES, LECTURE_LABELS).total)
    assert (svm, soft) == ("5.27", "2.76")
    assert [i.value for i in at.info] == [translate(lang, "home.teaser", svm=svm, softmax=soft)]
    assert "5.27" in at.info[0].value
    assert "2.76" in at.info[0].value
    # The formula's labels are in the page's language ("data loss" was left in English in Korean).
    formula = at.latex[0].value
    for key in ("home.formula.data", "home.formula.reg"):
        assert rf"\text{{{translate(lang, key)}}}" in formula
    if lang == "ko":
        assert "data loss" not in formula
        assert "데이터 손실" in formula
    assert at.query_params == ({} if lang == "en" else {"lang": "ko"})


def test_the_home_link_leads_to_the_loss_page_with_the_same_numbers():
    at = open_page(HOME)
    at.switch_page(LOSSES)
    rerun(at)
    assert at.title[0].value == "Loss functions"
    assert totals(at) == ("5.27", "2.76")


def test_home_switches_language_and_reports_a_bad_language():
    at = open_page(HOME, lang="xx")
    assert at.title[0].value == "LossLab"
    assert len(at.warning) == 1
    assert "`lang`" in at.warning[0].value
    assert "“xx”" in at.warning[0].value
    assert at.query_params == {}
    at.button(key="home.dismiss_problems").click()
    rerun(at)
    assert not at.warning
    at.selectbox(key="lang").set_value("ko")
    rerun(at)
    assert at.markdown[0].value == translate("ko", "home.tagline")
    assert f"#### 1. {translate('ko', 'home.losses.title')}" in [m.value for m in at.markdown]
    assert at.query_params == {"lang": "ko"}

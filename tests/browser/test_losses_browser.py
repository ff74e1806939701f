"""The loss page in a real browser: edit the score table as a user does and watch the losses follow.

Expected numbers come from core (the same functions the page calls), so these tests check the
wiring browser -> data_editor -> page -> core -> metric, not the maths (tests/core does that).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from playwright.sync_api import expect

from core.lecture import LECTURE_LABELS, LECTURE_SCORES, near_zero_scores
from core.losses import softmax_loss, svm_loss
from tests.browser.helpers import (
    CELL_EDITOR,
    EXCEPTION,
    METRIC,
    edit_cell,
    editor_canvas,
    open_cell,
    open_losses,
    wait_idle,
)
from ui.i18n import translate
from ui.widgets import fmt

pytestmark = pytest.mark.browser

# In the editor, rows are classes and columns are "class", then one column per image.
CAT_ROW, CAT_IMAGE_COL = 0, 1  # the cat image's cat score: 3.2 on the slide


def shown(scores) -> list[str]:
    """The two metrics the page should show for these (N, C) scores with the lecture's labels."""
    return [fmt(svm_loss(scores, LECTURE_LABELS).total), fmt(softmax_loss(scores, LECTURE_LABELS).total)]


def with_cat_score(value: float) -> np.ndarray:
    scores = LECTURE_SCORES.copy()
    scores[0, 0] = value
    return scores


LECTURE = shown(LECTURE_SCORES)  # ["5.27", "2.76"]
EDITED = shown(with_cat_score(10.0))  # SVM (0 + 0 + 12.9) / 3 = 4.30


def read_cell(page, row: int, col: int) -> str:
    """What the cell holds, read from its overlay editor (opened, then closed with Escape)."""
    editor = open_cell(page, editor_canvas(page), row, col)
    value = editor.input_value()
    editor.press("Escape")
    page.locator(CELL_EDITOR).first.wait_for(state="detached")
    return value


def assert_no_crash(page) -> None:
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_edit_updates_both_losses_and_the_url_reopens_it(watched, app_url):
    page = watched.page
    open_losses(page, app_url)
    assert LECTURE == ["5.27", "2.76"]
    expect(page.locator(METRIC)).to_have_text(LECTURE)

    # a) the cat image's cat score 3.2 -> 10: L_1 = 0, so SVM L = (0 + 0 + 12.9) / 3 = 4.30
    edit_cell(page, editor_canvas(page), CAT_ROW, CAT_IMAGE_COL, "10", expect_old="3.2")
    assert EDITED[0] == "4.30"
    assert EDITED[1] != LECTURE[1]
    expect(page.locator(METRIC)).to_have_text(EDITED)
    assert_no_crash(page)

    # b) the page writes its table into the URL; a new tab is a new Streamlit session, so only
    # the URL can carry the edit there.
    expect(page).to_have_url(re.compile(r"[?&]scores="))
    tab = page.context.new_page()
    tab.goto(page.url)
    expect(tab.locator(METRIC)).to_have_text(EDITED, timeout=30_000)
    wait_idle(tab)
    assert read_cell(tab, CAT_ROW, CAT_IMAGE_COL) == "10"
    assert read_cell(tab, CAT_ROW + 1, CAT_IMAGE_COL) == "5.1"  # the rest of the table came along too
    assert_no_crash(tab)
    watched.assert_clean()


def test_korean(watched, app_url):
    page = watched.page
    open_losses(page, app_url, "?lang=ko")
    expect(page.locator("h1").first).to_contain_text("손실 함수")
    expect(page.locator(METRIC)).to_have_text(LECTURE)
    expect(page.get_by_text(translate("ko", "losses.results.svm_total"), exact=True)).to_be_visible()
    watched.assert_clean()


def test_q3_preset_asks_first_then_answers_ln_c(watched, app_url):
    page = watched.page
    open_losses(page, app_url)
    q3 = page.get_by_role("button", name=re.compile(r"^Q3"))
    if not q3.is_visible():  # the what-if questions may sit in a tab that is not open yet
        page.get_by_role("tab", name=translate("en", "losses.tabs.whatif")).click()
    q3.click()

    answer = page.locator('[data-testid="stAlertContentSuccess"]')
    box = page.get_by_label(translate("en", "predict.number_label"))
    expect(box).to_be_visible()
    expect(answer).to_have_count(0)  # the question alone, until the student predicts
    box.fill("2")
    page.get_by_role("button", name=translate("en", "predict.check")).click()
    expect(page.get_by_text("✓ " + translate("en", "predict.right"))).to_be_visible()
    expect(answer).to_contain_text(f"{math.log(3):.2f}")  # softmax ≈ ln C = 1.10
    expect(answer).to_contain_text("2.00")  # SVM ≈ (C - 1)·Δ
    expect(page.locator(METRIC)).to_have_text(shown(near_zero_scores(3, 3, seed=0)))
    assert_no_crash(page)
    watched.assert_clean()


def test_bad_edits_neither_crash_nor_corrupt_the_losses(watched, app_url):
    """Out-of-range and non-numeric text is refused (not clamped, not stripped to digits): no
    crash, the losses of exactly the table in the grid."""
    page = watched.page
    open_losses(page, app_url)
    canvas = editor_canvas(page)
    cases = ((CAT_ROW, "3.2", "1000000000"), (CAT_ROW, "3.2", "1e9"), (CAT_ROW + 1, "5.1", "abc"))
    for row, old, typed in cases:
        edit_cell(page, canvas, row, CAT_IMAGE_COL, typed, expect_old=old, keystrokes=True)
        expect(page.locator('[data-testid="stAlertContentError"]')).to_contain_text(f"“{typed}”")
        wait_idle(page)
        assert_no_crash(page)
        expect(page.locator(METRIC)).to_have_text(LECTURE)
        assert read_cell(page, row, CAT_IMAGE_COL) == old
    watched.assert_clean()


def test_undoing_an_edit_restores_the_lecture_numbers(watched, app_url):
    """3.2 -> 10 -> 3.2 -> 10, as a lecturer does when showing "what if" and going back.

    Regression: the page used to feed the edited table back to st.data_editor as its data; an edit
    back to the value the cell held before the previous edit then arrived as edited_rows={} and was
    lost (fixed in 937113f: the editor keeps a fixed base while the user edits)."""
    page = watched.page
    open_losses(page, app_url)
    canvas = editor_canvas(page)
    for old, new, metrics in (("3.2", "10", EDITED), ("10", "3.2", LECTURE), ("3.2", "10", EDITED)):
        edit_cell(page, canvas, CAT_ROW, CAT_IMAGE_COL, new, expect_old=old)
        expect(page.locator(METRIC)).to_have_text(metrics)
        wait_idle(page)
    assert read_cell(page, CAT_ROW, CAT_IMAGE_COL) == "10"
    assert_no_crash(page)
    watched.assert_clean()


TYPED_IN_BROWSER = (  # (typed key by key, the score used or None for a refusal, reason key)
    ("1e-3", 1e-3, None),
    ("2.5e1", 25.0, None),
    ("1,5", None, "state.reason.cell_not_number"),
    ("1e308", None, "state.reason.out_of_range"),
    ("NaN", None, "state.reason.not_finite"),
    ("inf", None, "state.reason.not_finite"),
    ("", None, "state.reason.empty_cell"),
)


def test_a_typed_score_is_used_exactly_or_refused_by_name(watched, app_url):
    """Issue 12 item 4, typed key by key into the real grid: "1e-3" is 0.001 (the grid's number
    editor used to store -13), "2.5e1" is 25 (not 2.51); "1,5", "1e308", NaN, inf and an empty
    cell are refused with a notice naming the cell and the text, and the last good table stays
    in the grid and in the losses."""
    page = watched.page
    open_losses(page, app_url)
    canvas = editor_canvas(page)
    in_cell, good = "3.2", 3.2
    notice = page.locator('[data-testid="stAlertContentError"]')
    for typed, used, reason in TYPED_IN_BROWSER:
        held = edit_cell(page, canvas, CAT_ROW, CAT_IMAGE_COL, typed, expect_old=in_cell, keystrokes=True)
        assert held == typed  # the text cell keeps every character typed
        if used is not None:
            expect(page.locator(METRIC)).to_have_text(shown(with_cat_score(used)))
            expect(notice).to_have_count(0)
            wait_idle(page)
            in_cell, good = read_cell(page, CAT_ROW, CAT_IMAGE_COL), used
            assert float(in_cell) == used, (typed, in_cell)
        else:
            expect(notice).to_contain_text(f"cat, image 1 (cat): “{typed}”")
            expect(notice).to_contain_text(translate("en", reason, lo="-1000000", hi="1000000"))
            wait_idle(page)
            expect(page.locator(METRIC)).to_have_text(shown(with_cat_score(good)))
            in_cell = read_cell(page, CAT_ROW, CAT_IMAGE_COL)
            assert float(in_cell) == good, (typed, in_cell)  # the grid went back to the last good table
        assert_no_crash(page)
    expect(page).to_have_url(re.compile(r"scores=25%2C"))  # the URL holds the last good table
    watched.assert_clean()


def test_every_rename_shows_the_new_name_in_the_correct_class_selector(watched, app_url):
    """Renaming a class used to leave "correct class of image 1" showing the old name every other time."""
    page = watched.page
    open_losses(page, app_url)
    selector = page.get_by_role("combobox", name="correct class of image 1", exact=True)
    expect(selector).to_have_value("cat")
    old = "cat"
    for name in ("dog", "cow", "ant"):
        edit_cell(page, editor_canvas(page), CAT_ROW, 0, name, expect_old=old)
        expect(page).to_have_url(re.compile(rf"classes=.*{name}"))
        wait_idle(page)
        expect(selector).to_have_value(name)
        old = name
    assert_no_crash(page)
    watched.assert_clean()

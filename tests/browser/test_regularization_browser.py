"""The regularization page in a real browser: move the log10 lambda slider with the keyboard and
watch the lambda R(W) column of the full-loss table follow.

Expected numbers come from core.regularization.full_loss (what the page calls) with the lambda the
slider displays, so this checks the wiring keyboard -> slider -> page -> core -> table.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from core import regularization as reg
from tests.browser.helpers import EXCEPTION, open_app, wait_idle
from ui.i18n import translate
from ui.widgets import fmt

pytestmark = pytest.mark.browser

SLIDER = ".st-key-regularization-loglam"
THUMB = f'{SLIDER} input[type="range"]'
THUMB_VALUE = f'{SLIDER} [data-testid="stSliderThumbValue"]'
COLUMNS = ["", translate("en", "regularization.full.data"), translate("en", "regularization.full.reg"), "L"]


def full_loss_rows(loglam: float) -> list[list[str]]:
    """The table the page should show on the lecture's pair (softmax, L2, x is class A)."""
    x, lam = np.array(reg.LECTURE_X), 10.0**loglam
    rows = []
    for name, w in (("w₁", reg.LECTURE_W1), ("w₂", reg.LECTURE_W2)):
        data, penalty = reg.full_loss(np.array(w), x, 0, loss="softmax", reg=lam, kind="l2")
        rows.append([name, fmt(data, 3), fmt(penalty, 3), fmt(data + penalty, 3)])
    return rows


def full_loss_table(page):
    """The markdown table whose header is ["", "data loss", "λ R(W)", "L"]."""
    return page.locator('[data-testid="stMarkdown"] table').filter(
        has=page.get_by_role("columnheader", name=COLUMNS[2], exact=True)
    )


def read_table(table) -> tuple[list[str], list[list[str]]]:
    """Header and rows as text (the page keeps headers on one line with no-break spaces)."""

    def clean(cells: list[str]) -> list[str]:
        return [c.replace("\u00a0", " ").strip() for c in cells]

    header = clean(table.locator("thead th").all_inner_texts())
    rows = [clean(row.locator("td, th").all_inner_texts()) for row in table.locator("tbody tr").all()]
    return header, rows


# The full-loss table's body rows as read_table reads them equal ``expected``.
ROWS_ARE_JS = """([header, expected]) => {
  const clean = (cells) => [...cells].map((c) => c.innerText.replace(/\u00a0/g, ' ').trim());
  return [...document.querySelectorAll('[data-testid="stMarkdown"] table')]
    .filter((t) => clean(t.querySelectorAll('thead th')).includes(header))
    .some((t) => JSON.stringify([...t.querySelectorAll('tbody tr')]
      .map((tr) => clean(tr.querySelectorAll('td, th')))) === JSON.stringify(expected));
}"""


def wait_for_rows(page, table, expected, timeout_ms: int = 10_000) -> list[list[str]]:
    """The table's rows once they equal ``expected``, or as they are when time runs out."""
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(ROWS_ARE_JS, arg=[COLUMNS[2], expected], timeout=timeout_ms)
    wait_idle(page)
    return read_table(table)[1]


def press_and_settle(page, key: str, times: int) -> None:
    """Press ``key`` on the slider ``times`` times; returns once its thumb shows the new value."""
    start = float(page.locator(THUMB_VALUE).inner_text())
    page.locator(THUMB).focus()
    for _ in range(times):
        page.keyboard.press(key)
    moved = start + (0.1 if key == "ArrowRight" else -0.1) * times
    expect(page.locator(THUMB_VALUE)).to_have_text(f"{moved:.1f}")


def test_lambda_slider_moves_the_penalty_column(watched, app_url):
    page = watched.page
    open_app(page, f"{app_url}/regularization")
    table = full_loss_table(page)
    expect(table).to_have_count(1, timeout=30_000)
    wait_idle(page)

    # The lecture's defaults: lambda = 10^-1, so lambda R = 0.100 for w1 (R = 1) and 0.025 for w2 (R = 0.25).
    expect(page.locator(THUMB_VALUE)).to_have_text("-1.0", timeout=15_000)
    header, rows = read_table(table)
    assert header == COLUMNS
    assert rows == full_loss_rows(-1.0)
    assert [r[2] for r in rows] == ["0.100", "0.025"]
    data_column = [r[1] for r in rows]

    for key, times in (("ArrowRight", 4), ("ArrowLeft", 7)):
        before = [r[2] for r in read_table(table)[1]]
        press_and_settle(page, key, times)
        shown = float(page.locator(THUMB_VALUE).inner_text())
        expect(page.locator(THUMB)).to_have_attribute("aria-valuetext", f"{shown:.1f}")
        expected = full_loss_rows(shown)
        rows = wait_for_rows(page, table, expected)
        assert rows == expected, (key, shown)
        assert [r[1] for r in rows] == data_column  # lambda moves only the penalty (and L)
        assert [r[2] for r in rows] != before
        assert float(rows[0][2]) == pytest.approx(4 * float(rows[1][2]), abs=2e-3)  # R(w1) = 4 R(w2)
    assert shown == pytest.approx(-1.3)  # -1.0 + 0.4 - 0.7: each key press is one 0.1 step
    expect(page.locator(EXCEPTION)).to_have_count(0)
    watched.assert_clean()

"""The optimization page in a real browser: the player's Step button and keys, and the server
hearing the step (the model editor, the URL, a nudge from the step shown).

Expected numbers come from core.optim.train with the page's defaults (the same call the page makes
through ui.classifier.trajectory). The player plays in the browser (ui/player); these tests check
the wiring player -> state "t" -> fragment rerun -> editor and URL. Playback itself (frames per
second, no blank frame, Pause exact, Space, divergence) is in test_playback_browser.py.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from playwright.sync_api import expect

from core import data as toy
from core.optim import train
from tests.browser.helpers import EXCEPTION, open_app, player_state, wait_idle
from ui.i18n import translate
from ui.widgets import fmt

pytestmark = pytest.mark.browser
expect.set_options(timeout=20_000)  # a loaded 2-core machine: reruns can take seconds

STEP = ".ll-player .ll-step"


def en(key: str, **fields) -> str:
    return translate("en", key, **fields)


def demo_history(W0=toy.CS231N_DEMO_W, b0=toy.CS231N_DEMO_B):
    """What the page trains by default: SGD, step size 0.1, the lecture's SVM, L2 with lambda 0.1."""
    X, y = toy.make_dataset("cs231n_demo")
    return train(
        X,
        y,
        optimizer="sgd",
        lr=0.1,
        steps=500,
        W0=W0,
        b0=b0,
        loss="svm",
        variant="ww",
        margin=1.0,
        reg=0.1,
        penalty="l2",
    )


HISTORY = demo_history()


def open_demo(page, url: str, query: str = "") -> None:
    open_app(page, f"{url}/optimization{query}", timeout=60_000)
    expect(page.locator(".ll-player .ll-counter")).to_be_visible(timeout=60_000)  # slow on a loaded machine
    wait_idle(page)


def expect_shown(page, step: int, hist=HISTORY) -> dict:
    """The player shows ``step`` and that step's numbers (core's, formatted as the page does)."""
    expect(page.locator(".ll-player")).to_have_attribute("data-step", str(step))
    state = player_state(page)
    assert state["scrub"] == step, state
    assert f"{step}" in state["counter"], state
    assert state["metrics"]["total"] == fmt(hist.loss[step]), (step, state)
    assert state["W"] == [[fmt(v) for v in row] for row in hist.W[step]], (step, state)
    assert state["b"] == [fmt(v) for v in hist.b[step]], (step, state)
    return state


def expect_server_at(page, step: int) -> None:
    """The server heard the step: the model editor says so and the URL carries it."""
    expect(page.get_by_text(en("optimization.model.at_step", step=step))).to_be_visible()
    page.wait_for_url(re.compile(rf"[?&]t={step}(&|$)") if step else re.compile(r"^[^?]*(\?(?!.*\bt=).*)?$"))
    wait_idle(page)


def test_step_button_and_arrow_keys_step_and_the_server_hears_the_step(watched, app_url):
    page = watched.page
    open_demo(page, app_url)
    expect_shown(page, 0)
    assert player_state(page)["metrics"]["total"] == "6.27"  # 2.77 + 3.50, the lecture's demo

    page.locator(STEP).click()
    expect_shown(page, 1)
    assert HISTORY.loss[1] < HISTORY.loss[0]
    expect_server_at(page, 1)

    # The keys a presentation clicker sends: one step each, focus kept in the player.
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect_shown(page, 4)
    page.keyboard.press("ArrowLeft")
    expect_shown(page, 3)
    page.keyboard.press("PageDown")
    expect_shown(page, 4)
    expect_server_at(page, 4)
    expect_shown(page, 4)  # the rerun that told the server did not move the player
    page.keyboard.press("Home")
    expect_shown(page, 0)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    watched.assert_clean()


def test_nudge_after_a_step_trains_from_the_nudged_start(watched, app_url):
    """The nudge buttons start training afresh from the parameters of the step shown: the player
    gets the new trajectory and starts at step 0."""
    page = watched.page
    open_demo(page, app_url)
    page.locator(STEP).click()
    expect_shown(page, 1)
    expect_server_at(page, 1)

    # W[0, 1] (the nudge box's first choice) of step 1 moved by +0.1; the page keeps 6 decimals.
    W0 = np.array(HISTORY.W[1], dtype=float)
    W0[0, 0] += 0.1
    nudged = demo_history(np.round(W0, 6), np.round(HISTORY.b[1], 6))
    assert fmt(nudged.loss[1]) != fmt(HISTORY.loss[1])  # or this test could not tell them apart
    page.locator(".st-key-optimization-nudge_plus button").click()
    expect(page.locator(".ll-player")).to_have_attribute("data-step", "0")
    wait_idle(page)
    expect_shown(page, 0, nudged)
    page.locator(STEP).click()
    expect_shown(page, 1, nudged)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    watched.assert_clean()

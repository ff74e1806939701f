"""The optimization page in a real browser: Step, Play and Pause on the CS231n demo data.

Expected losses come from core.optim.train with the page's defaults (the same call the page makes
through ui.classifier.trajectory), so these tests check the wiring button -> callback -> fragment
-> metric, and that the playback timer really runs in a browser (AppTest cannot run it).
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from bench.streamlit_browser import wait_idle
from core import data as toy
from core.optim import train
from ui.i18n import translate
from ui.widgets import fmt

pytestmark = pytest.mark.browser

EXCEPTION = '[data-testid="stException"]'
# Only app.py's router draws the language box: a page's first run on a fresh server happens without it
# and is rerun through the router (ui/router.py), which redraws everything.
ROUTED = ".st-key-lang"
STEP_BUTTON = ".st-key-optimization-step button"
PLAY_BUTTON = ".st-key-optimization-play button"


def en(key: str) -> str:
    return translate("en", key)


def demo_history():
    """What the page trains by default: SGD, step size 0.1, the lecture's SVM, L2 with lambda 0.1."""
    X, y = toy.make_dataset("cs231n_demo")
    X, y, X_test, y_test = toy.train_test_split(X, y, test_fraction=0.0, seed=0)
    return train(X, y, optimizer="sgd", lr=0.1, steps=500, W0=toy.CS231N_DEMO_W, b0=toy.CS231N_DEMO_B,
                 X_test=X_test, y_test=y_test, loss="svm", variant="ww", margin=1.0, reg=0.1, penalty="l2")


HISTORY = demo_history()

# Read the step and the total loss in one go: while playing, the fragment redraws them every frame.
READ_METRICS_JS = """() => {
  const out = {};
  for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
    const label = m.querySelector('[data-testid="stMetricLabel"]').innerText.trim();
    out[label] = m.querySelector('[data-testid="stMetricValue"]').innerText.trim();
  }
  return out;
}"""


def read(page) -> tuple[int, str]:
    shown = page.evaluate(READ_METRICS_JS)
    return int(shown[en("optimization.metrics.step")]), shown[en("optimization.metrics.total")]


def metric(page, key: str):
    label = page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^{re.escape(en(key))}$"))
    return page.locator('[data-testid="stMetric"]').filter(has=label).locator('[data-testid="stMetricValue"]')


def test_step_play_pause(watched, app_url):
    page = watched.page
    page.goto(f"{app_url}/optimization")
    expect(page.locator(ROUTED)).to_be_visible(timeout=30_000)
    step, total = metric(page, "optimization.metrics.step"), metric(page, "optimization.metrics.total")
    expect(total).to_have_text("6.27", timeout=30_000)  # the demo's 2.77 + 3.50
    assert fmt(HISTORY.loss[0]) == "6.27"
    expect(step).to_have_text("0")
    wait_idle(page)

    # Step: one step of gradient descent, and the total loss it gives.
    button = page.locator(STEP_BUTTON)
    expect(button).to_have_text(en("optimization.controls.step"))
    button.click()
    expect(step).to_have_text("1")
    expect(total).to_have_text(fmt(HISTORY.loss[1]))
    assert HISTORY.loss[1] < HISTORY.loss[0]
    wait_idle(page)

    # Play: the timer advances the step counter by itself and the loss keeps falling.
    play = page.locator(PLAY_BUTTON)
    expect(play).to_have_text(en("optimization.controls.play"))
    play.click()
    expect(play).to_have_text(en("optimization.controls.pause"))
    expect(page.locator(STEP_BUTTON)).to_be_disabled()
    seen = [read(page)]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and seen[-1][0] < 6:
        page.wait_for_timeout(250)
        seen.append(read(page))
    steps = [s for s, _ in seen]
    assert steps[-1] >= 6, f"playing for 10 s reached only step {steps[-1]}: {seen}"
    assert steps == sorted(steps), f"the step counter went backwards: {seen}"
    totals = [float(t) for _, t in seen]
    assert totals == sorted(totals, reverse=True) and totals[-1] < totals[0], f"the loss did not fall: {seen}"

    # Pause: the counter stops where it is, and the numbers shown are those of that step.
    play.click()
    expect(play).to_have_text(en("optimization.controls.play"))
    wait_idle(page)
    stopped = read(page)
    page.wait_for_timeout(2_000)
    assert read(page) == stopped, "the step counter moved after Pause"
    assert stopped[0] > steps[-1] - 1 and stopped[1] == fmt(HISTORY.loss[stopped[0]]), stopped
    expect(page.locator(STEP_BUTTON)).to_be_enabled()
    expect(page.locator(EXCEPTION)).to_have_count(0)
    watched.assert_clean()

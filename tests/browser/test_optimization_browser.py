"""The optimization page in a real browser: Step, Play and Pause on the CS231n demo data.

Expected losses come from core.optim.train with the page's defaults (the same call the page makes
through ui.classifier.trajectory), so these tests check the wiring button -> callback -> fragment
-> metric, and that the playback timer really runs in a browser (AppTest cannot run it).

While playing, the page's fragment is rerun by a browser timer (``st.fragment(run_every=0.35)``:
Streamlit 1.67's frontend calls ``setInterval``, and each tick sends the *current widget states*
with a fragment rerun). A click on a button only marks a trigger in those states and sends it on
the next task (``setTimeout(0)``), so a tick that falls in between carries the click too, and the
server runs the button's callback twice. The Play/Pause callback used to toggle, so a Pause
delivered twice was a Pause undone (fixed in 0c27d98: it sets the state its label names).
``TIMER_HOOK`` lets the tests see that timer and make the race happen on purpose.
"""

from __future__ import annotations

import re
import time

import numpy as np
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
FRAME_MS = 350  # pages/optimization.py: PLAY_INTERVAL = 0.35 s between animation frames

# Installed before the app loads: every setInterval is recorded, with its callback, and its ticks can
# be held (skipped) while window.__held is true. Nothing else changes.
TIMER_HOOK = """(() => {
  const set = window.setInterval, clear = window.clearInterval;
  window.__intervals = new Map();
  window.__held = false;
  window.setInterval = function (fn, ms, ...rest) {
    const gated = function (...args) { if (!window.__held) return fn.apply(this, args); };
    const id = set.call(window, gated, ms, ...rest);
    window.__intervals.set(id, {fn, ms});
    return id;
  };
  window.clearInterval = function (id) { window.__intervals.delete(id); return clear.call(window, id); };
})();"""

# Hold the frame timer and wait until no run is going on.
HOLD_FRAMES_JS = """async () => {
  window.__held = true;
  const app = document.querySelector('[data-testid="stApp"]');
  while (app.getAttribute('data-test-script-state') !== 'notRunning') {
    await new Promise((r) => setTimeout(r, 5));
  }
}"""

# The race, made to happen every time: with the page idle, click the button and let the frame timer
# tick at once, before the click's own message goes out; then keep the browser busy for 0.8 s, as a
# slow machine drawing three plots is, so the server handles the tick before the click's message.
CLICK_AS_A_FRAME_TICKS_JS = """async ([selector, frameMs]) => {
  const frames = [...window.__intervals.values()].filter((t) => Math.round(t.ms) === frameMs);
  if (frames.length !== 1) return frames.length;
  await (""" + HOLD_FRAMES_JS + """)();  // no other tick meanwhile, and the page idle
  await new Promise((r) => setTimeout(r, 50));
  document.querySelector(selector).click();
  frames[0].fn();
  const end = performance.now() + 800;
  while (performance.now() < end) {}
  setTimeout(() => { window.__held = false; }, 100);
  return 1;
}"""


def en(key: str) -> str:
    return translate("en", key)


def demo_history(W0=toy.CS231N_DEMO_W, b0=toy.CS231N_DEMO_B):
    """What the page trains by default: SGD, step size 0.1, the lecture's SVM, L2 with lambda 0.1."""
    X, y = toy.make_dataset("cs231n_demo")
    X, y, X_test, y_test = toy.train_test_split(X, y, test_fraction=0.0, seed=0)
    return train(X, y, optimizer="sgd", lr=0.1, steps=500, W0=W0, b0=b0,
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


def open_demo(page, url: str) -> None:
    page.add_init_script(TIMER_HOOK)
    page.goto(f"{url}/optimization")
    expect(page.locator(ROUTED)).to_be_visible(timeout=30_000)
    expect(metric(page, "optimization.metrics.total")).to_have_text("6.27", timeout=30_000)  # 2.77 + 3.50
    assert fmt(HISTORY.loss[0]) == "6.27"
    expect(metric(page, "optimization.metrics.step")).to_have_text("0")
    wait_idle(page)


def play_until(page, step: int, seconds: float = 10) -> list[tuple[int, str]]:
    """Press Play and watch (step, total loss) until the step reaches ``step``."""
    play = page.locator(PLAY_BUTTON)
    expect(play).to_have_text(en("optimization.controls.play"))
    play.click()
    expect(play).to_have_text(en("optimization.controls.pause"))
    expect(page.locator(STEP_BUTTON)).to_be_disabled()
    seen = [read(page)]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and seen[-1][0] < step:
        page.wait_for_timeout(250)
        seen.append(read(page))
    return seen


def assert_stopped(page) -> tuple[int, str]:
    """Paused: the button offers Play again, the counter stands still, the numbers are that step's."""
    expect(page.locator(PLAY_BUTTON)).to_have_text(en("optimization.controls.play"))
    wait_idle(page)
    stopped = read(page)
    page.wait_for_timeout(2_000)
    assert read(page) == stopped, "the step counter moved after Pause"
    assert stopped[1] == fmt(HISTORY.loss[stopped[0]]), stopped
    expect(page.locator(STEP_BUTTON)).to_be_enabled()
    return stopped


def test_step_play_pause(watched, app_url):
    page = watched.page
    open_demo(page, app_url)
    step, total = metric(page, "optimization.metrics.step"), metric(page, "optimization.metrics.total")

    # Step: one step of gradient descent, and the total loss it gives.
    button = page.locator(STEP_BUTTON)
    expect(button).to_have_text(en("optimization.controls.step"))
    button.click()
    expect(step).to_have_text("1")
    expect(total).to_have_text(fmt(HISTORY.loss[1]))
    assert HISTORY.loss[1] < HISTORY.loss[0]
    wait_idle(page)

    # Play: the timer advances the step counter by itself and the loss keeps falling.
    seen = play_until(page, 6)
    steps = [s for s, _ in seen]
    assert steps[-1] >= 6, f"playing for 10 s reached only step {steps[-1]}: {seen}"
    assert steps == sorted(steps), f"the step counter went backwards: {seen}"
    totals = [float(t) for _, t in seen]
    assert totals == sorted(totals, reverse=True) and totals[-1] < totals[0], f"the loss did not fall: {seen}"

    # Pause: the counter stops where it is.
    page.locator(PLAY_BUTTON).click()
    stopped = assert_stopped(page)
    assert stopped[0] >= steps[-1]
    expect(page.locator(EXCEPTION)).to_have_count(0)
    watched.assert_clean()


def test_pause_holds_when_a_frame_ticks_with_the_click(watched, app_url):
    """Regression: a frame tick between the click on Pause and the click's own message delivered the
    click twice, and the toggling callback undid the Pause (about 1 click in 10 on a loaded machine;
    every time here). Fixed in 0c27d98: the callback sets the state the button names."""
    page = watched.page
    open_demo(page, app_url)
    seen = play_until(page, 3)
    assert seen[-1][0] >= 3, seen
    found = page.evaluate(CLICK_AS_A_FRAME_TICKS_JS, [PLAY_BUTTON, FRAME_MS])
    if found != 1:  # the hook must see exactly one playback timer, or this test tests nothing
        pytest.fail(f"expected one {FRAME_MS} ms playback timer in the page, found {found}")
    assert_stopped(page)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    watched.assert_clean()


def test_nudge_after_a_step_trains_from_the_nudged_start(watched, app_url):
    """Step and the nudge buttons rerun only the training part of the page; a nudge changes the
    starting point, so the whole trajectory must be recomputed (a full run), not replayed."""
    page = watched.page
    open_demo(page, app_url)
    step, total = metric(page, "optimization.metrics.step"), metric(page, "optimization.metrics.total")
    page.locator(STEP_BUTTON).click()
    expect(step).to_have_text("1")
    expect(total).to_have_text(fmt(HISTORY.loss[1]))
    wait_idle(page)

    # The nudge starts training afresh from the parameters shown (step 1's), with W[0, 1] (the
    # nudge box's first choice) moved by +0.1; the page keeps 6 decimals of a new start.
    W0 = np.array(HISTORY.W[1], dtype=float)
    W0[0, 0] += 0.1
    nudged = demo_history(np.round(W0, 6), np.round(HISTORY.b[1], 6))
    assert fmt(nudged.loss[1]) != fmt(HISTORY.loss[1])  # or this test could not tell them apart
    page.locator(".st-key-optimization-nudge_plus button").click()
    expect(step).to_have_text("0")
    expect(total).to_have_text(fmt(nudged.loss[0]))
    wait_idle(page)
    page.locator(STEP_BUTTON).click()
    expect(step).to_have_text("1")
    expect(total).to_have_text(fmt(nudged.loss[1]))
    expect(page.locator(EXCEPTION)).to_have_count(0)
    watched.assert_clean()

"""Playback frames per second of the in-browser player (ui/player), measured in the page itself.

``measure_fps(page, seconds)`` samples the player on every animation frame of the browser for
``seconds`` while it plays: how many times the drawing really changed (a signature of the
decision regions or optimizer paths, the curves' reveal and the numbers differs from the previous
sample), how many
frames the player says it drew (its ``data-frame`` counter), and how many samples were blank (no
region, no number). The browser tests and ``python -m bench.playback`` use it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT_JS = """() => {
  for (const host of document.querySelectorAll('[data-testid^="stBidiComponent"]')) {
    const root = (host.shadowRoot || host).querySelector('.ll-player');
    if (root) return root;
  }
  return null;
}"""

# The player's state as the user sees it: step, scrubber, counter, numbers, W and b.
STATE_JS = """() => {
  const root = (""" + ROOT_JS + """)();
  if (!root) return null;
  const metrics = {};
  for (const dd of root.querySelectorAll('dd[data-metric]')) metrics[dd.dataset.metric] = dd.textContent;
  const rows = [...root.querySelectorAll('.ll-params tbody tr')];
  return {
    step: Number(root.dataset.step), frame: Number(root.dataset.frame),
    playing: root.dataset.playing === 'true', scrub: Number(root.querySelector('.ll-scrub').value),
    counter: root.querySelector('.ll-counter').textContent,
    metrics, W: rows.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)),
    b: rows.map((tr) => tr.querySelectorAll('td')[2]?.textContent),
  };
}"""

FPS_JS = """async (seconds) => {
  const root = (""" + ROOT_JS + """)();
  const signature = () => {
    const shapes = root.querySelectorAll('.ll-region, .ll-path');
    const regions = [...shapes].map((p) => p.getAttribute('points') || '');
    const clip = [...root.querySelectorAll('clipPath rect')].map((r) => r.getAttribute('width'));
    const numbers = [...root.querySelectorAll('[data-metric]')].map((d) => d.textContent);
    return {text: regions.join('|') + clip.join('|') + numbers.join('|'), regions, numbers};
  };
  const blank = (s) => !s.regions.some((p) => p.trim().length > 0) || s.numbers.some((n) => !n.trim())
    || root.getBoundingClientRect().height < 50;
  const start = performance.now(), frame0 = Number(root.dataset.frame);
  let previous = signature().text, changes = 0, samples = 0, blanks = 0, steps = new Set();
  while (performance.now() - start < seconds * 1000) {
    await new Promise((r) => requestAnimationFrame(r));
    const s = signature();
    samples += 1;
    if (blank(s)) blanks += 1;
    if (s.text !== previous) changes += 1;
    previous = s.text;
    steps.add(root.dataset.step);
  }
  const elapsed = (performance.now() - start) / 1000;
  return {fps: changes / elapsed, drawn_fps: (Number(root.dataset.frame) - frame0) / elapsed,
          changes, samples, blanks, steps: steps.size, elapsed};
}"""


def player_state(page) -> dict | None:
    return page.evaluate(STATE_JS)


def measure_fps(page, seconds: float = 2.0) -> dict:
    """While the player plays: {fps (visible changes a second), drawn_fps, changes, samples,
    blanks, steps (distinct steps seen), elapsed}."""
    return page.evaluate(FPS_JS, seconds)


def play_and_measure(seconds: float = 3.0) -> dict:
    """Open /optimization at 1280x720 in headless Chromium on a fresh server, press Play and
    measure ``seconds`` of playback."""
    from playwright.sync_api import sync_playwright

    from bench.streamlit_browser import StreamlitServer, find_chromium, launch, wait_idle

    chromium, how = find_chromium()
    if chromium is None:
        raise RuntimeError(how)
    with StreamlitServer("app.py") as server, sync_playwright() as p:
        browser = launch(p, chromium)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(f"{server.url}/optimization")
            page.locator(".ll-play").wait_for(timeout=60_000)
            wait_idle(page)
            page.locator(".ll-play").click()
            return measure_fps(page, seconds)
        finally:
            browser.close()


def run():
    """``make bench``'s playback section: one row, seconds per visible frame (target >= 15 fps)."""
    from bench.report import Row

    r = play_and_measure()
    note = (f"{r['fps']:.1f} visible frames/s ({r['drawn_fps']:.1f} drawn), {r['steps']} steps in "
            f"{r['elapsed']:.1f} s, {r['blanks']} blank samples")
    ok = r["fps"] >= 15 and r["blanks"] == 0
    value = 1 / r["fps"] if r["fps"] else None
    return [Row("playback", "playback on /optimization: seconds per visible frame", value, None, None,
                ">= 15 fps, 0 blank", ok, note)], r


def main() -> None:  # pragma: no cover - a manual benchmark
    """Print the playback section's figures."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    rows, _ = run()
    print(rows[0].note)


if __name__ == "__main__":
    main()

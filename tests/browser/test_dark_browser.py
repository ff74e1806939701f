"""Charts in a browser that prefers dark (and one that prefers light): every text of every chart on
every page and tab (titles, axis titles, ticks, legends, bar labels, notes) has a contrast of at
least 4.5:1 against what is actually painted behind it, measured in the page."""

from __future__ import annotations

import pytest

from tests.browser.helpers import PAGES, every_tab, open_app, wait_drawn, wait_idle
from ui.plots.theme import contrast

pytestmark = pytest.mark.browser


# For each visible chart: every text's fill colour and the colour behind it. Behind a chart's text
# lies the chart's own background (paper and plot rectangles) over the page's background.
CHART_TEXT = r"""() => {
  const rgba = s => { const m = s.match(/[\d.]+/g) || []; const v = m.map(Number);
                      return [v[0] || 0, v[1] || 0, v[2] || 0, v.length > 3 ? v[3] : (s ? 1 : 0)]; };
  const over = (top, bottom) => top.map((c, i) => i < 3 ? c * top[3] + bottom[i] * (1 - top[3]) : 1);
  const pageBackground = e => {
    const layers = [];
    for (let a = e; a; a = a.parentElement) {
      const c = rgba(getComputedStyle(a).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    return layers.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255, 1]);
  };
  const out = [];
  for (const plot of document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')) {
    const box = plot.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    let behind = pageBackground(plot);
    for (const rect of plot.querySelectorAll('.main-svg > rect.bg, .main-svg .bglayer rect.bg')) {
      const fill = rgba(getComputedStyle(rect).fill), alpha = parseFloat(getComputedStyle(rect).fillOpacity);
      behind = over([fill[0], fill[1], fill[2], fill[3] * (isNaN(alpha) ? 1 : alpha)], behind);
    }
    for (const t of plot.querySelectorAll('text')) {
      const text = t.textContent.trim();
      if (!text || !t.getBoundingClientRect().width) continue;
      const cs = getComputedStyle(t);
      const fill = rgba(cs.fill), alpha = parseFloat(cs.fillOpacity);
      const color = over([fill[0], fill[1], fill[2], fill[3] * (isNaN(alpha) ? 1 : alpha)], behind);
      out.push({text: text.slice(0, 30), cls: t.getAttribute('class') || '', color: color.slice(0, 3),
                behind: behind.slice(0, 3)});
    }
  }
  // The in-browser player (/optimization, /gradients): its SVG text and its HTML text (counter,
  // numbers, table, legend, buttons), inside the component's shadow root.
  const hostBackground = (e, host) => {
    const layers = [];
    for (let a = e; a; a = a.parentElement) {
      const c = rgba(getComputedStyle(a).backgroundColor);
      if (c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) return layers.reverse().reduce((acc, c) => over(c, acc), [0, 0, 0, 1]);
      }
    }
    const under = pageBackground(host);
    return layers.reverse().reduce((acc, c) => over(c, acc), under);
  };
  for (const host of document.querySelectorAll('[data-testid="stMain"] [data-testid^="stBidiComponent"]')) {
    const root = (host.shadowRoot || host).querySelector('.ll-player');
    if (!root) continue;
    const leaves = [...root.querySelectorAll('text, button, td, th, dd, dt, span, label, div')]
      .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
    for (const t of leaves) {
      if (!t.getBoundingClientRect().width) continue;
      const cs = getComputedStyle(t);
      const behind = hostBackground(t, host);
      const paint = t.namespaceURI === 'http://www.w3.org/2000/svg' ? cs.fill : cs.color;
      const fill = rgba(paint), alpha = parseFloat(cs.fillOpacity);
      const a = t.namespaceURI === 'http://www.w3.org/2000/svg' && !isNaN(alpha) ? alpha : 1;
      const color = over([fill[0], fill[1], fill[2], fill[3] * a], behind);
      out.push({text: t.textContent.trim().slice(0, 30),
                cls: 'player ' + (t.getAttribute('class') || t.tagName),
                color: color.slice(0, 3), behind: behind.slice(0, 3)});
    }
  }
  return out;
}"""


@pytest.mark.parametrize("scheme", ["dark", "light"])
@pytest.mark.parametrize("path", PAGES)
def test_chart_text_contrasts_with_what_is_behind_it(browser, app_url, path, scheme):
    # A tall window: Streamlit draws a chart only once it is scrolled into view.
    context = browser.new_context(viewport={"width": 1400, "height": 4000}, color_scheme=scheme)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        open_app(page, f"{app_url}/{path}", attached=True)
        wait_idle(page)
        app_bg = page.evaluate(
            "getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor"
        )
        rgb = tuple(float(v) for v in app_bg[app_bg.index("(") + 1 : -1].split(",")[:3])
        assert (sum(rgb) < 150) == (scheme == "dark"), app_bg  # the app follows the browser's preference
        texts, low = 0, []
        for tab in every_tab(page):
            wait_drawn(page)
            for item in page.evaluate(CHART_TEXT):
                texts += 1
                ratio = contrast(item["color"], item["behind"])
                if ratio < 4.5:
                    low.append(
                        f"{tab}: {item['text']!r} ({item['cls']}) {ratio:.2f}:1 "
                        f"{item['color']} on {item['behind']}"
                    )
        if path in ("losses", "regularization", "optimization", "gradients", "features"):
            assert texts > 10, texts  # charts were measured
        assert not low, "\n".join(low)
    finally:
        context.close()

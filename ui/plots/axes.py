"""What every figure shares: the layout (sizes and grid colours from the theme), log-axis ticks,
a dotted guide line, and the escaping of user text.

Plotly renders a small HTML subset inside text (``<b>``, ``<a href>``, ...), so every
user-provided label passes through ``plain`` first.
"""

from __future__ import annotations

import html

import numpy as np

from ui.plots.theme import TRANSPARENT, Style


def plain(text: str) -> str:
    """User text made inert for plotly's HTML-subset text rendering."""
    return html.escape(str(text), quote=True)


def base_layout(*, title: str, style: Style, height: int = 320, **extra) -> dict:
    """A layout dict with the style's colours and sizes.

    Backgrounds and text colours are left unset: Streamlit's plotly theme paints them for the
    theme the browser shows (light or dark), so chart text always contrasts with the page behind
    it. The y-axis title is written horizontally above the axis (rotated Korean reads poorly).
    Figures are built in one ``go.Figure(data, layout)`` call with no named template: copying a
    plotly template or calling ``update_*`` costs ~30 ms a figure, more than the rest of a
    page's rerun.
    """
    c, s = style.colors, style.sizes
    axis = {
        "gridcolor": c.grid,
        "zerolinecolor": c.zeroline,
        "linecolor": c.zeroline,
        "tickfont": {"size": s.tick},
        "exponentformat": "power",  # 10⁻⁵, never SI prefixes (10μ, 100p)
        "automargin": True,
    }
    y_title = (extra.get("yaxis") or {}).get("title", {}).get("text")
    top = s.title + 26 + (s.font + 8 if y_title else 0)
    layout = {
        "title": {
            "text": plain(title),
            "x": 0.0,
            "xanchor": "left",
            "font": {"size": s.title},
            "yref": "container",
            "y": 1.0,
            "yanchor": "top",
            "pad": {"t": 8},
        },
        "height": min(height, s.max_height),
        "margin": {"l": 50, "r": 20, "t": top, "b": 45},
        "plot_bgcolor": TRANSPARENT,
        "paper_bgcolor": TRANSPARENT,
        "font": {"size": s.font},
        "legend": {
            "orientation": "h",
            "yref": "container",
            "y": 0.0,
            "yanchor": "bottom",
            "x": 0.0,
            "font": {"size": s.legend},
        },
        "xaxis": {**axis, "title": {"font": {"size": s.font}}},
        "yaxis": dict(axis),
        "annotations": [],
    }
    for key, value in extra.items():
        if key in ("xaxis", "yaxis"):
            value = dict(value)
            if "title" in value:
                layout[key]["title"] = {**layout[key].get("title", {}), **value.pop("title")}
            layout[key].update(value)
        elif key == "annotations":
            layout["annotations"] += list(value)
        else:
            layout[key] = value
    if y_title:
        layout["yaxis"]["title"] = {"text": ""}
        layout["annotations"].append(
            {
                "text": y_title,
                "xref": "paper",
                "yref": "paper",
                "x": 0.0,
                "y": 1.0,
                "xanchor": "left",
                "yanchor": "bottom",
                "yshift": 6,
                "showarrow": False,
                "font": {"size": s.font},
            }
        )
    return layout


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def log_ticks(*arrays) -> dict:
    """Ticks for a log axis over the values in ``arrays`` (their positive finite ones), 3 to 8 of
    them: decades (or every few) over more than 3 decades, then 1-3-10, 1-2-5 or 1-2-3-5 steps as
    the span shrinks, round linear steps under a factor 4.

    Plotly's own log ticks write the digits between decades at 3/4 of the tick font (12.75 px for
    a 17 px font) and the decades at 5/4: these labels are explicit, so all are at the tick font.
    Decades read 10⁻³ (``exponentformat="power"``'s look) unless every value lies in
    [0.001, 10000], where they read as plain numbers. Values outside the shown range are hidden.
    """
    v = np.concatenate([np.ravel(np.asarray(a, dtype=float)) for a in arrays] or [np.zeros(0)])
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return {}
    lo, hi = float(np.log10(v.min())), float(np.log10(v.max()))
    first, last = int(np.floor(lo)) - 1, int(np.ceil(hi)) + 1
    span = hi - lo
    if span > 3:
        stride = -(-(last - first - 2) // 6)
        ticks = [(1, k) for k in range(first - first % stride, last + 1, stride)]
    elif span > 0.6:
        steps = (1, 3) if span > 1.6 else (1, 2, 5) if span > 1 else (1, 2, 3, 5)
        ticks = [(m, k) for k in range(first, last + 1) for m in steps]
    else:  # less than a factor 4: round linear steps (1, 2 or 5 times 10^k apart)
        raw = (v.max() - v.min()) / 4 or v.max() / 4
        k = int(np.floor(np.log10(raw)))
        step = next(m for m in (1, 2, 5, 10) if m * 10.0**k >= raw)
        n0, n1 = int(v.min() // (step * 10.0**k)), int(v.max() // (step * 10.0**k)) + 1
        ticks = [
            (n * step, k) if n * step < 10 else (round(n * step / 10, 6), k + 1)
            for n in range(max(n0, 1), n1 + 1)
        ]
    plain_numbers = v.min() >= 1e-3 and v.max() <= 1e4
    vals, text = [], []
    for m, k in ticks:
        value = float(f"{m}e{k}")  # exactly the decimal number (0.3, not 0.30000000000000004)
        vals.append(value)
        if plain_numbers or (m == 1 and k in (0, 1)):
            text.append(f"{value:g}")
        else:
            text.append(("" if m == 1 else f"{m:g}×") + "10" + str(k).translate(SUPERSCRIPT))
    return {"tickmode": "array", "tickvals": vals, "ticktext": text}


def vline(x: float, style: Style) -> dict:
    """A dotted vertical guide line across the plot at ``x`` (the current score, lambda, step)."""
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"dash": "dot", "color": style.colors.guide},
    }

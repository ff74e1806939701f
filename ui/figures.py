"""Plotly figures: arrays in, ``go.Figure`` out. Pure functions, tested without Streamlit.

Plotly renders a small HTML subset inside text (``<b>``, ``<a href>``, ...), so
every user-provided label passes through ``plain`` first.
"""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2",
           "#EECA3B", "#B279A2", "#FF9DA6", "#9D755D", "#BAB0AC")
CORRECT = "#2E7D32"
WRONG = "#9E9E9E"


def plain(text: str) -> str:
    """User text made inert for plotly's HTML-subset text rendering."""
    return html.escape(str(text), quote=True)


AXIS = {"gridcolor": "#E5E5E5", "zerolinecolor": "#BDBDBD", "linecolor": "#BDBDBD"}


def _layout(*, title: str, height: int = 320, **extra) -> dict:
    """A layout dict styled by hand.

    Figures are built in one ``go.Figure(data, layout)`` call with no named
    template: copying a plotly template or calling ``update_*`` costs ~30 ms a
    figure, more than the rest of a page's rerun.
    """
    layout = {
        "title": {"text": plain(title), "x": 0.0, "xanchor": "left"},
        "height": height,
        "margin": {"l": 50, "r": 20, "t": 50, "b": 45},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": {"size": 15},
        "legend": {"orientation": "h", "y": -0.25},
        "xaxis": dict(AXIS),
        "yaxis": dict(AXIS),
    }
    for key, value in extra.items():
        if key in ("xaxis", "yaxis"):
            layout[key].update(value)
        else:
            layout[key] = value
    return layout


def probability_bars(classes, probs, correct: int, *, title: str, y_label: str) -> go.Figure:
    """Softmax probabilities of one example, the correct class in green."""
    probs = np.asarray(probs, dtype=float)
    colors = [CORRECT if j == correct else WRONG for j in range(probs.size)]
    bar = go.Bar(x=[plain(c) for c in classes], y=probs, marker_color=colors,
                 text=[f"{p:.2f}" for p in probs], textposition="outside",
                 hovertemplate="%{x}: %{y:.4f}<extra></extra>")
    layout = _layout(title=title, yaxis={"range": [0, 1.15], "title": {"text": plain(y_label)}})
    return go.Figure(data=[bar], layout=layout)


def loss_curves(grid, curves: dict[str, np.ndarray], current_score: float,
                current_losses: dict[str, float], *, title: str, x_label: str,
                y_label: str, y_max: float | None = None) -> go.Figure:
    """L_i against the correct-class score, one line per loss, the current point marked.

    ``y_max`` clips the y-axis (a squared hinge would otherwise flatten the others).
    """
    traces = []
    for k, (name, values) in enumerate(curves.items()):
        color = PALETTE[k % len(PALETTE)]
        traces.append(go.Scatter(x=grid, y=values, mode="lines", name=plain(name),
                                 line={"color": color, "width": 3}))
        traces.append(go.Scatter(x=[current_score], y=[current_losses[name]], mode="markers",
                                 marker={"color": color, "size": 13, "line": {"color": "black", "width": 1}},
                                 showlegend=False, hovertemplate="%{x:.3g}, %{y:.3g}<extra></extra>"))
    yaxis = {"title": {"text": plain(y_label)}, "rangemode": "tozero"}
    if y_max is not None and np.isfinite(y_max) and y_max > 0:
        yaxis["range"] = [0, y_max]
    marker_line = {"type": "line", "xref": "x", "yref": "paper", "x0": current_score, "x1": current_score,
                   "y0": 0, "y1": 1, "line": {"dash": "dot", "color": "#555"}}
    layout = _layout(title=title, height=380, xaxis={"title": {"text": plain(x_label)}}, yaxis=yaxis,
                     shapes=[marker_line])
    return go.Figure(data=traces, layout=layout)

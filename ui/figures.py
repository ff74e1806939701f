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


def _layout(fig: go.Figure, *, title: str, height: int = 320) -> go.Figure:
    fig.update_layout(
        title={"text": plain(title), "x": 0.0, "xanchor": "left"},
        height=height,
        margin={"l": 50, "r": 20, "t": 50, "b": 45},
        template="plotly_white",
        font={"size": 15},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


def probability_bars(classes, probs, correct: int, *, title: str, y_label: str) -> go.Figure:
    """Softmax probabilities of one example, the correct class in green."""
    probs = np.asarray(probs, dtype=float)
    colors = [CORRECT if j == correct else WRONG for j in range(probs.size)]
    names = [plain(c) for c in classes]
    fig = go.Figure(go.Bar(x=names, y=probs, marker_color=colors,
                           text=[f"{p:.2f}" for p in probs], textposition="outside",
                           hovertemplate="%{x}: %{y:.4f}<extra></extra>"))
    fig.update_yaxes(range=[0, 1.15], title=plain(y_label))
    return _layout(fig, title=title)


def loss_curves(grid, curves: dict[str, np.ndarray], current_score: float,
                current_losses: dict[str, float], *, title: str, x_label: str,
                y_label: str, y_max: float | None = None) -> go.Figure:
    """L_i against the correct-class score, one line per loss, the current point marked.

    ``y_max`` clips the y-axis (a squared hinge would otherwise flatten the others).
    """
    fig = go.Figure()
    for k, (name, values) in enumerate(curves.items()):
        color = PALETTE[k % len(PALETTE)]
        fig.add_trace(go.Scatter(x=grid, y=values, mode="lines", name=plain(name),
                                 line={"color": color, "width": 3}))
        fig.add_trace(go.Scatter(x=[current_score], y=[current_losses[name]], mode="markers",
                                 marker={"color": color, "size": 13, "line": {"color": "black", "width": 1}},
                                 showlegend=False, hovertemplate="%{x:.3g}, %{y:.3g}<extra></extra>"))
    fig.add_vline(x=current_score, line_dash="dot", line_color="#555")
    fig.update_xaxes(title=plain(x_label))
    fig.update_yaxes(title=plain(y_label), rangemode="tozero")
    if y_max is not None and np.isfinite(y_max) and y_max > 0:
        fig.update_yaxes(range=[0, y_max])
    return _layout(fig, title=title, height=380)

"""The loss chapter's figure: each loss L_i against the correct class's score."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.plots.axes import base_layout, plain, vline
from ui.plots.theme import DEFAULT, Style


def loss_curves(
    grid,
    curves: dict[str, np.ndarray],
    current_score: float,
    current_losses: dict[str, float],
    *,
    title: str,
    x_label: str,
    y_label: str,
    y_max: float | None = None,
    style: Style = DEFAULT,
) -> go.Figure:
    """L_i against the correct-class score, one line per loss, the current point marked.

    ``y_max`` clips the y-axis (a squared hinge would otherwise flatten the others).
    """
    traces = []
    for k, (name, values) in enumerate(curves.items()):
        color = style.color(k)
        traces.append(
            go.Scatter(
                x=grid,
                y=values,
                mode="lines",
                name=plain(name),
                line={"color": color, "width": style.sizes.line},
            )
        )
        traces.append(
            go.Scatter(
                x=[current_score],
                y=[current_losses[name]],
                mode="markers",
                marker={
                    "color": color,
                    "size": style.sizes.marker + 2,
                    "line": {"color": style.colors.ink, "width": 1},
                },
                showlegend=False,
                hovertemplate="%{x:.3g}, %{y:.3g}<extra></extra>",
            )
        )
    yaxis = {"title": {"text": plain(y_label)}, "rangemode": "tozero"}
    if y_max is not None and np.isfinite(y_max) and y_max > 0:
        yaxis["range"] = [0, y_max]
    layout = base_layout(
        title=title,
        style=style,
        height=380,
        xaxis={"title": {"text": plain(x_label)}},
        yaxis=yaxis,
        shapes=[vline(current_score, style)],
    )
    return go.Figure(data=traces, layout=layout)

"""The gradients chapter's figures: line plots of named series (a difference quotient's error
against h, the best loss of each search strategy, the final loss against the learning rate,
mini-batch loss curves). The features chapter draws its colour histogram with them too."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.plots.axes import base_layout, log_ticks, plain, vline
from ui.plots.theme import DEFAULT, Style


def lines(
    series: dict,
    *,
    title: str,
    x_label: str,
    y_label: str,
    log_x: bool = False,
    log_y: bool = False,
    marker_x: float | None = None,
    height: int = 360,
    modes: dict | None = None,
    colors: dict | None = None,
    style: Style = DEFAULT,
) -> go.Figure:
    """Several named (x, y) lines on one plot; non-finite points are left out of each line.

    ``colors`` gives some series their own colour (by name); the others take the class colours.
    """
    traces = []
    for k, (name, (x, y)) in enumerate(series.items()):
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        keep = np.isfinite(x) & np.isfinite(y)
        if log_y:
            keep &= y > 0
        traces.append(
            go.Scatter(
                x=x[keep],
                y=y[keep],
                name=plain(name),
                mode=(modes or {}).get(name, "lines"),
                line={"color": (colors or {}).get(name, style.color(k)), "width": style.sizes.line},
            )
        )
    shapes = []
    if marker_x is not None and np.isfinite(marker_x):
        shapes.append(vline(marker_x, style))
    layout = base_layout(
        title=title,
        style=style,
        height=height,
        shapes=shapes,
        xaxis={
            "title": {"text": plain(x_label)},
            **(
                {"type": "log", **log_ticks(*(t.x for t in traces), np.nan if marker_x is None else marker_x)}
                if log_x
                else {}
            ),
        },
        yaxis={
            "title": {"text": plain(y_label)},
            **({"type": "log", **log_ticks(*(t.y for t in traces))} if log_y else {}),
        },
    )
    return go.Figure(data=traces, layout=layout)

"""The optimization chapter's figure: a linear classifier's decision regions, points and W."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.plots.axes import base_layout, plain
from ui.plots.theme import DEFAULT, REGION_ALPHA, Style, rgba


def decision_regions(
    axis,
    regions,
    X,
    y,
    predicted,
    W,
    b,
    *,
    title: str,
    class_names: list[str],
    misclassified_label: str,
    guide_labels: tuple[str, str] | None = None,
    style: Style = DEFAULT,
) -> go.Figure:
    """Decision regions (argmax class) as a heatmap, the points by class with misclassified ones
    ringed, each class's zero-score line w_c . x + b_c = 0 and its W row as an arrow.

    ``guide_labels`` (arrows, dashed lines) adds two legend entries that say what the arrows
    (the rows of W) and the dashed lines (the zero-score lines) are.
    """
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    n_classes = W.shape[0]
    extent = float(axis[-1])
    colorscale = []
    for k in range(n_classes):  # flat steps: one tint per class, the class colour over the background
        tint = rgba(style.color(k), REGION_ALPHA)
        colorscale += [[k / n_classes, tint], [(k + 1) / n_classes, tint]]
    traces = [
        go.Heatmap(
            x=axis,
            y=axis,
            z=regions,
            zmin=-0.5,
            zmax=n_classes - 0.5,
            colorscale=colorscale,
            showscale=False,
            hoverinfo="skip",
        )
    ]
    for c in range(n_classes):
        mask = np.asarray(y) == c
        traces.append(
            go.Scatter(
                x=X[mask, 0],
                y=X[mask, 1],
                mode="markers",
                name=plain(class_names[c]),
                marker={
                    "color": style.color(c),
                    "size": style.sizes.marker,
                    "line": {"color": style.colors.outline, "width": 1},
                },
            )
        )
    wrong = np.asarray(predicted) != np.asarray(y)
    if np.any(wrong):
        ring = {
            "symbol": "circle-open",
            "size": style.sizes.marker + 8,
            "color": style.colors.wrong,
            "line": {"width": 3},
        }
        traces.append(
            go.Scatter(
                x=X[wrong, 0],
                y=X[wrong, 1],
                mode="markers",
                marker=ring,
                name=plain(misclassified_label),
                hoverinfo="skip",
            )
        )
    xs = np.array([-extent, extent])
    annotations = []
    top = max(float(np.max(np.linalg.norm(W, axis=1))), 1e-12)
    for c in range(n_classes):
        color = style.color(c)
        w1, w2 = W[c]
        if abs(w2) > 1e-12:
            line_x, line_y = xs, -(w1 * xs + b[c]) / w2
        elif abs(w1) > 1e-12:
            line_x, line_y = np.full(2, -b[c] / w1), xs
        else:
            continue  # a zero row scores every point the same: no line
        traces.append(
            go.Scatter(
                x=line_x,
                y=line_y,
                mode="lines",
                showlegend=False,
                hoverinfo="skip",
                line={"color": color, "width": 2, "dash": "dash"},
            )
        )
        tip = W[c] / top * 0.6 * extent
        annotations.append(
            {
                "x": tip[0],
                "y": tip[1],
                "ax": 0,
                "ay": 0,
                "xref": "x",
                "yref": "y",
                "axref": "x",
                "ayref": "y",
                "showarrow": True,
                "arrowhead": 3,
                "arrowwidth": 3,
                "arrowcolor": color,
                "text": "",
            }
        )
    if guide_labels is not None:  # legend-only entries: nothing is drawn in the plot
        arrows, lines = (plain(label) for label in guide_labels)
        guide = style.colors.guide
        traces.append(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines+markers",
                name=arrows,
                hoverinfo="skip",
                line={"color": guide, "width": 3},
                marker={"symbol": "triangle-right", "size": 10, "color": guide},
            )
        )
        traces.append(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=lines,
                hoverinfo="skip",
                line={"color": guide, "width": 2, "dash": "dash"},
            )
        )
    square = {"range": [-extent, extent], "zeroline": False, "showgrid": False}
    layout = base_layout(
        title=title,
        style=style,
        height=520,
        annotations=annotations,
        xaxis={**square, "title": {"text": "x₁"}},
        yaxis={**square, "title": {"text": "x₂"}, "scaleanchor": "x"},
    )
    return go.Figure(data=traces, layout=layout)

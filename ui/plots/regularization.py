"""The regularization chapter's figures: data loss + lambda R(W), the penalties' level sets
and their solutions, over- and underfitting a polynomial, and error against lambda."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.plots.axes import base_layout, log_ticks, plain, vline
from ui.plots.theme import DEFAULT, Style

PENALTY_SERIES = {"l2": 0, "l1": 3, "elastic_net": 2}  # which class colour each penalty is drawn in


def stacked_loss_bars(
    names,
    data_loss,
    reg_loss,
    *,
    title: str,
    data_label: str,
    reg_label: str,
    y_label: str,
    style: Style = DEFAULT,
) -> go.Figure:
    """Full loss = data loss + lambda R(W) per weight vector, as stacked bars with totals on top."""
    data_loss, reg_loss = np.asarray(data_loss, dtype=float), np.asarray(reg_loss, dtype=float)
    labels = [plain(n) for n in names]
    totals = data_loss + reg_loss
    traces = [
        go.Bar(
            x=labels,
            y=data_loss,
            name=plain(data_label),
            marker_color=style.colors.neutral,
            hovertemplate="%{x}: %{y:.3f}<extra></extra>",
        ),
        go.Bar(
            x=labels,
            y=reg_loss,
            name=plain(reg_label),
            marker_color=style.color(1),
            text=[f"{v:.2f}" for v in totals],
            textposition="outside",
            textfont={"size": style.sizes.bar_text},
            cliponaxis=False,
            hovertemplate="%{x}: %{y:.3f}<extra></extra>",
        ),
    ]
    top = float(max(totals.max(), 1e-9))
    layout = base_layout(
        title=title,
        style=style,
        barmode="stack",
        yaxis={"title": {"text": plain(y_label)}, "range": [0, top * 1.25]},
    )
    return go.Figure(data=traces, layout=layout)


def _level_set(curve, color: str, name: str, *, dash: str = "solid") -> go.Scatter:
    """A level set drawn through its points (core.regularization.level_set)."""
    curve = np.asarray(curve, dtype=float)
    return go.Scatter(
        x=curve[:, 0],
        y=curve[:, 1],
        mode="lines",
        name=plain(name),
        showlegend=True,
        line={"color": color, "width": 3, "dash": dash},
        hoverinfo="skip",
    )


def level_sets(
    curves: dict,
    point,
    *,
    title: str,
    names: dict,
    point_label: str,
    extent: float = 2.0,
    style: Style = DEFAULT,
) -> go.Figure:
    """The level set {w : R(w) = R(point)} of each penalty, and the point itself.

    ``curves`` maps a penalty key to its level set's points, (k, 2), from core.regularization.level_set.
    """
    traces = [
        _level_set(curve, style.color(PENALTY_SERIES[kind]), names[kind]) for kind, curve in curves.items()
    ]
    traces.append(
        go.Scatter(
            x=[point[0]],
            y=[point[1]],
            mode="markers",
            name=plain(point_label),
            marker={"size": style.sizes.marker + 3, "color": style.colors.ink, "symbol": "x"},
        )
    )
    return _weight_plane(traces, {"range": [-extent, extent], "zeroline": True}, title, style)


def constrained_view(
    data_curves,
    w_star,
    solutions: dict,
    balls: dict,
    paths: dict,
    *,
    title: str,
    names: dict,
    data_label: str,
    star_label: str,
    view=(-0.6, 1.6),
    style: Style = DEFAULT,
) -> go.Figure:
    """Data-loss contours (``data_curves``: ellipses, (k, 2) each), each penalty's solution
    w*(lambda), the penalty's level set through it (``balls``: the ball the contours first touch)
    and its regularization path."""
    gap = np.full((1, 2), np.nan)  # all the data loss's ellipses in one line, with gaps between them
    joined = np.concatenate([part for curve in data_curves for part in (np.asarray(curve, dtype=float), gap)])
    traces = [
        go.Scatter(
            x=joined[:, 0],
            y=joined[:, 1],
            mode="lines",
            name=plain(data_label),
            opacity=0.45,
            line={"color": style.colors.neutral, "width": 1.5},
            hoverinfo="skip",
            showlegend=True,
        )
    ]
    for kind, ball in balls.items():
        color = style.color(PENALTY_SERIES[kind])
        traces.append(_level_set(ball, color, names[kind]))
        path = paths[kind]
        traces.append(
            go.Scatter(
                x=path[:, 0],
                y=path[:, 1],
                mode="lines",
                showlegend=False,
                line={"color": color, "width": 2, "dash": "dot"},
                hoverinfo="skip",
            )
        )
        w = solutions[kind]
        hover = f"{plain(names[kind])}: (%{{x:.3f}}, %{{y:.3f}})<extra></extra>"
        traces.append(
            go.Scatter(
                x=[w[0]],
                y=[w[1]],
                mode="markers",
                showlegend=False,
                hovertemplate=hover,
                marker={
                    "size": style.sizes.marker + 2,
                    "color": color,
                    "line": {"color": style.colors.ink, "width": 1},
                },
            )
        )
    traces.append(
        go.Scatter(
            x=[w_star[0]],
            y=[w_star[1]],
            mode="markers",
            name=plain(star_label),
            marker={"size": style.sizes.marker + 3, "color": style.colors.ink, "symbol": "star"},
        )
    )
    square = {"range": list(view), "zeroline": True, "zerolinecolor": style.colors.guide, "zerolinewidth": 2}
    return _weight_plane(traces, square, title, style)


def _weight_plane(traces, square: dict, title: str, style: Style) -> go.Figure:
    """The (w₁, w₂) plane both geometry figures draw on: square axes of one scale."""
    layout = base_layout(
        title=title,
        style=style,
        height=460,
        xaxis={**square, "title": {"text": "w₁"}},
        yaxis={**square, "title": {"text": "w₂"}, "scaleanchor": "x"},
    )
    return go.Figure(data=traces, layout=layout)


def polynomial_fit(
    x_train,
    y_train,
    x_test,
    y_test,
    grid,
    fitted,
    truth,
    *,
    title: str,
    labels: dict,
    style: Style = DEFAULT,
) -> go.Figure:
    """Training points (blue), held-out test points (green), the fitted curve and the true function."""
    traces = [
        go.Scatter(
            x=grid,
            y=truth,
            mode="lines",
            name=plain(labels["truth"]),
            line={"color": style.colors.neutral, "dash": "dash", "width": 2},
        ),
        go.Scatter(
            x=grid,
            y=fitted,
            mode="lines",
            name=plain(labels["fit"]),
            line={"color": style.color(1), "width": style.sizes.line},
        ),
        go.Scatter(
            x=x_train,
            y=y_train,
            mode="markers",
            name=plain(labels["train"]),
            marker={"color": style.color(0), "size": style.sizes.marker - 1},
        ),
        go.Scatter(
            x=x_test,
            y=y_test,
            mode="markers",
            name=plain(labels["test"]),
            marker={"color": style.color(2), "size": style.sizes.marker - 4, "opacity": 0.7},
        ),
    ]
    span = np.concatenate([np.asarray(y_train, dtype=float), np.asarray(y_test, dtype=float)])
    lo, hi = float(span.min()), float(span.max())
    pad = 0.3 * (hi - lo) + 0.1
    layout = base_layout(
        title=title,
        style=style,
        height=420,
        xaxis={"title": {"text": "x"}},
        yaxis={"title": {"text": "y"}, "range": [lo - pad, hi + pad]},
    )
    return go.Figure(data=traces, layout=layout)


def error_vs_lambda(
    lams, train, test, current: float, *, title: str, labels: dict, style: Style = DEFAULT
) -> go.Figure:
    """Training and test error against lambda on a log axis, the current lambda marked."""
    traces = [
        go.Scatter(
            x=lams,
            y=train,
            mode="lines+markers",
            name=plain(labels["train"]),
            line={"color": style.color(0), "width": style.sizes.line},
        ),
        go.Scatter(
            x=lams,
            y=test,
            mode="lines+markers",
            name=plain(labels["test"]),
            line={"color": style.color(2), "width": style.sizes.line},
        ),
    ]
    best = int(np.argmin(test))
    traces.append(
        go.Scatter(
            x=[lams[best]],
            y=[test[best]],
            mode="markers",
            name=plain(labels["best"]),
            marker={
                "size": style.sizes.marker + 4,
                "color": style.color(2),
                "symbol": "star",
                "line": {"color": style.colors.ink, "width": 1},
            },
        )
    )
    layout = base_layout(
        title=title,
        style=style,
        height=420,
        shapes=[vline(current, style)],
        xaxis={"type": "log", "title": {"text": "λ"}, **log_ticks(lams, current)},
        yaxis={"type": "log", "title": {"text": plain(labels["y"])}, **log_ticks(train, test)},
    )
    return go.Figure(data=traces, layout=layout)

"""Plotly figures: arrays in, ``go.Figure`` out. Pure functions, tested without Streamlit.

Plotly renders a small HTML subset inside text (``<b>``, ``<a href>``, ...), so
every user-provided label passes through ``plain`` first.
"""

from __future__ import annotations

import colorsys
import html

import numpy as np
import plotly.graph_objects as go

from ui.theme import CHANNEL_COLORS, DEFAULT, REGION_ALPHA, Style, rgba


def plain(text: str) -> str:
    """User text made inert for plotly's HTML-subset text rendering."""
    return html.escape(str(text), quote=True)


def _layout(*, title: str, style: Style, height: int = 320, **extra) -> dict:
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
        "title": {"text": plain(title), "x": 0.0, "xanchor": "left", "font": {"size": s.title},
                  "yref": "container", "y": 1.0, "yanchor": "top", "pad": {"t": 8}},
        "height": min(height, s.max_height),
        "margin": {"l": 50, "r": 20, "t": top, "b": 45},
        "plot_bgcolor": "rgba(0, 0, 0, 0)",
        "paper_bgcolor": "rgba(0, 0, 0, 0)",
        "font": {"size": s.font},
        "legend": {"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom", "x": 0.0,
                   "font": {"size": s.legend}},
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
        layout["annotations"].append({
            "text": y_title, "xref": "paper", "yref": "paper", "x": 0.0, "y": 1.0,
            "xanchor": "left", "yanchor": "bottom", "yshift": 6, "showarrow": False,
            "font": {"size": s.font},
        })
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
        ticks = [(n * step, k) if n * step < 10 else (round(n * step / 10, 6), k + 1)
                 for n in range(max(n0, 1), n1 + 1)]
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
            go.Scatter(x=grid, y=values, mode="lines", name=plain(name),
                       line={"color": color, "width": style.sizes.line})
        )
        traces.append(
            go.Scatter(
                x=[current_score],
                y=[current_losses[name]],
                mode="markers",
                marker={"color": color, "size": style.sizes.marker + 2,
                        "line": {"color": style.colors.ink, "width": 1}},
                showlegend=False,
                hovertemplate="%{x:.3g}, %{y:.3g}<extra></extra>",
            )
        )
    yaxis = {"title": {"text": plain(y_label)}, "rangemode": "tozero"}
    if y_max is not None and np.isfinite(y_max) and y_max > 0:
        yaxis["range"] = [0, y_max]
    marker_line = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": current_score,
        "x1": current_score,
        "y0": 0,
        "y1": 1,
        "line": {"dash": "dot", "color": style.colors.guide},
    }
    layout = _layout(
        title=title, style=style, height=380, xaxis={"title": {"text": plain(x_label)}}, yaxis=yaxis,
        shapes=[marker_line],
    )
    return go.Figure(data=traces, layout=layout)


# ---- regularization ------------------------------------------------------------------------------

PENALTY_SERIES = {"l2": 0, "l1": 3, "elastic_net": 2}  # which class colour each penalty is drawn in


def stacked_loss_bars(
    names, data_loss, reg_loss, *, title: str, data_label: str, reg_label: str, y_label: str,
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
    layout = _layout(
        title=title, style=style, barmode="stack",
        yaxis={"title": {"text": plain(y_label)}, "range": [0, top * 1.25]},
    )
    return go.Figure(data=traces, layout=layout)


def _level_set(curve, color: str, name: str, *, dash: str = "solid") -> go.Scatter:
    """A level set drawn through its points (core.regularization.level_set)."""
    curve = np.asarray(curve, dtype=float)
    return go.Scatter(x=curve[:, 0], y=curve[:, 1], mode="lines", name=plain(name), showlegend=True,
                      line={"color": color, "width": 3, "dash": dash}, hoverinfo="skip")


def level_sets(curves: dict, point, *, title: str, names: dict, point_label: str, extent: float = 2.0,
               style: Style = DEFAULT) -> go.Figure:
    """The level set {w : R(w) = R(point)} of each penalty, and the point itself.

    ``curves`` maps a penalty key to its level set's points, (k, 2), from core.regularization.level_set.
    """
    traces = [_level_set(curve, style.color(PENALTY_SERIES[kind]), names[kind])
              for kind, curve in curves.items()]
    traces.append(
        go.Scatter(
            x=[point[0]],
            y=[point[1]],
            mode="markers",
            name=plain(point_label),
            marker={"size": style.sizes.marker + 3, "color": style.colors.ink, "symbol": "x"},
        )
    )
    square = {"range": [-extent, extent], "zeroline": True}
    layout = _layout(
        title=title,
        style=style,
        height=460,
        xaxis={**square, "title": {"text": "w₁"}},
        yaxis={**square, "title": {"text": "w₂"}, "scaleanchor": "x"},
    )
    return go.Figure(data=traces, layout=layout)


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
        go.Scatter(x=joined[:, 0], y=joined[:, 1], mode="lines", name=plain(data_label), opacity=0.45,
                   line={"color": style.colors.neutral, "width": 1.5}, hoverinfo="skip", showlegend=True)
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
                marker={"size": style.sizes.marker + 2, "color": color,
                        "line": {"color": style.colors.ink, "width": 1}},
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
    layout = _layout(
        title=title,
        style=style,
        height=460,
        xaxis={**square, "title": {"text": "w₁"}},
        yaxis={**square, "title": {"text": "w₂"}, "scaleanchor": "x"},
    )
    return go.Figure(data=traces, layout=layout)


def polynomial_fit(
    x_train, y_train, x_test, y_test, grid, fitted, truth, *, title: str, labels: dict,
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
            x=grid, y=fitted, mode="lines", name=plain(labels["fit"]),
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
    layout = _layout(
        title=title,
        style=style,
        height=420,
        xaxis={"title": {"text": "x"}},
        yaxis={"title": {"text": "y"}, "range": [lo - pad, hi + pad]},
    )
    return go.Figure(data=traces, layout=layout)


def error_vs_lambda(lams, train, test, current: float, *, title: str, labels: dict,
                    style: Style = DEFAULT) -> go.Figure:
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
            marker={"size": style.sizes.marker + 4, "color": style.color(2), "symbol": "star",
                    "line": {"color": style.colors.ink, "width": 1}},
        )
    )
    marker_line = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": current,
        "x1": current,
        "y0": 0,
        "y1": 1,
        "line": {"dash": "dot", "color": style.colors.guide},
    }
    layout = _layout(
        title=title,
        style=style,
        height=420,
        shapes=[marker_line],
        xaxis={"type": "log", "title": {"text": "λ"}, **log_ticks(lams, current)},
        yaxis={"type": "log", "title": {"text": plain(labels["y"])}, **log_ticks(train, test)},
    )
    return go.Figure(data=traces, layout=layout)


# ---- optimization ------------------------------------------------------------------------------------

def decision_regions(
    axis, regions, X, y, predicted, W, b, *, title: str, class_names: list[str], misclassified_label: str,
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
        ring = {"symbol": "circle-open", "size": style.sizes.marker + 8, "color": style.colors.wrong,
                "line": {"width": 3}}
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
        traces.append(go.Scatter(x=[None], y=[None], mode="lines+markers", name=arrows, hoverinfo="skip",
                                 line={"color": guide, "width": 3},
                                 marker={"symbol": "triangle-right", "size": 10, "color": guide}))
        traces.append(go.Scatter(x=[None], y=[None], mode="lines", name=lines, hoverinfo="skip",
                                 line={"color": guide, "width": 2, "dash": "dash"}))
    square = {"range": [-extent, extent], "zeroline": False, "showgrid": False}
    layout = _layout(
        title=title,
        style=style,
        height=520,
        annotations=annotations,
        xaxis={**square, "title": {"text": "x₁"}},
        yaxis={**square, "title": {"text": "x₂"}, "scaleanchor": "x"},
    )
    return go.Figure(data=traces, layout=layout)


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
    channels: bool = False,
    style: Style = DEFAULT,
) -> go.Figure:
    """Several named (x, y) lines on one plot; non-finite points are left out of each line.

    ``channels``: the series are the R, G and B channels of an image, drawn red, green and blue.
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
                line={"color": CHANNEL_COLORS[name] if channels else style.color(k),
                      "width": style.sizes.line},
            )
        )
    shapes = []
    if marker_x is not None and np.isfinite(marker_x):
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": marker_x,
                "x1": marker_x,
                "y0": 0,
                "y1": 1,
                "line": {"dash": "dot", "color": style.colors.guide},
            }
        )
    layout = _layout(
        title=title,
        style=style,
        height=height,
        shapes=shapes,
        xaxis={"title": {"text": plain(x_label)}, **({"type": "log", **log_ticks(
            *(t.x for t in traces), np.nan if marker_x is None else marker_x)} if log_x else {})},
        yaxis={"title": {"text": plain(y_label)},
               **({"type": "log", **log_ticks(*(t.y for t in traces))} if log_y else {})},
    )
    return go.Figure(data=traces, layout=layout)


# ---- image features --------------------------------------------------------------------------------------


def bars(
    categories,
    series: dict,
    *,
    title: str,
    x_label: str,
    y_label: str,
    colors=None,
    height: int = 320,
    text: bool | str = False,
    style: Style = DEFAULT,
) -> go.Figure:
    """Grouped bars: one group per category, one bar per named series.

    ``text``: write each bar's value on it (``True``: two decimals; a string: its format, e.g.
    ``"{:.1f} %"``).

    ``colors`` colours the bars of a single series individually (e.g. by hue).
    """
    cats = [plain(c) for c in categories]
    traces = []
    for k, (name, values) in enumerate(series.items()):
        values = np.asarray(values, dtype=float)
        color = colors if (colors is not None and len(series) == 1) else style.color(k)
        traces.append(
            go.Bar(
                x=list(range(len(cats))),
                y=values,
                name=plain(name),
                marker_color=color,
                customdata=cats,
                hovertemplate="%{customdata}: %{y:.4g}<extra></extra>",
                text=[(text if isinstance(text, str) else "{:.2f}").format(v) for v in values]
                if text else None,
                textposition="outside" if text else None,
                textfont={"size": style.sizes.bar_text},
                cliponaxis=False,
            )
        )
    layout = _layout(
        title=title,
        style=style,
        height=height,
        barmode="group",
        xaxis={"title": {"text": plain(x_label)}, "tickvals": list(range(len(cats))), "ticktext": cats},
        yaxis={"title": {"text": plain(y_label)}},
    )
    return go.Figure(data=traces, layout=layout)


def hue_colors(bins: int) -> list[str]:
    """The colour of each hue bin's centre at full saturation and value, as hex."""
    out = []
    for k in range(bins):
        r, g, b = colorsys.hsv_to_rgb((k + 0.5) / bins, 1.0, 1.0)
        out.append(f"#{int(255 * r):02x}{int(255 * g):02x}{int(255 * b):02x}")
    return out

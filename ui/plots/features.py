"""The image-features chapter's figures: hue and RGB histograms, HoG orientation histograms,
bag-of-words histograms and accuracies as grouped bars."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.plots.axes import base_layout, plain
from ui.plots.gradients import lines
from ui.plots.theme import CHANNEL_COLORS, DEFAULT, Style, hue_colors


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
                if text
                else None,
                textposition="outside" if text else None,
                textfont={"size": style.sizes.bar_text},
                cliponaxis=False,
            )
        )
    layout = base_layout(
        title=title,
        style=style,
        height=height,
        barmode="group",
        xaxis={"title": {"text": plain(x_label)}, "tickvals": list(range(len(cats))), "ticktext": cats},
        yaxis={"title": {"text": plain(y_label)}},
    )
    return go.Figure(data=traces, layout=layout)


def hue_histogram(
    edges, counts, *, title: str, x_label: str, y_label: str, name: str, style: Style = DEFAULT
) -> go.Figure:
    """Pixels per hue bin (``edges``: each bin's left edge as text), each bar in its hue."""
    return bars(
        edges,
        {name: counts},
        colors=hue_colors(len(edges)),
        title=title,
        x_label=x_label,
        y_label=y_label,
        style=style,
    )


def channel_histogram(
    centers, counts, *, title: str, x_label: str, y_label: str, style: Style = DEFAULT
) -> go.Figure:
    """Pixels per intensity bin of the R, G and B channels (``counts``: (3, bins)), each line in its
    channel's colour."""
    series = {name: (centers, counts[c]) for c, name in enumerate(CHANNEL_COLORS)}
    return lines(series, colors=CHANNEL_COLORS, title=title, x_label=x_label, y_label=y_label, style=style)


PIPELINE_LABELS = (
    "classic",
    "image",
    "features",
    "classifier",
    "fixed",
    "trained",
    "convnet",
    "net",
    "learned",
)
PIPELINES = """digraph {
  bgcolor="%(background)s";
  rankdir=LR; node [shape=box, style="rounded,filled", fontname="sans-serif", fontcolor="%(text)s",
                    color="%(edge)s"];
  edge [color="%(edge)s", fontcolor="%(text)s"];
  subgraph cluster_a { label="%(classic)s"; color="%(frame)s"; fontcolor="%(text)s";
    a1 [label="%(image)s", fillcolor="%(image_fill)s"];
    a2 [label="%(features)s", fillcolor="%(features_fill)s"];
    a3 [label="%(classifier)s", fillcolor="%(classifier_fill)s"];
    a1 -> a2 [label="%(fixed)s"]; a2 -> a3 [label="%(trained)s"]; }
  subgraph cluster_b { label="%(convnet)s"; color="%(frame)s"; fontcolor="%(text)s";
    b1 [label="%(image)s", fillcolor="%(image_fill)s"];
    b2 [label="%(net)s", fillcolor="%(network_fill)s"];
    b3 [label="%(classifier)s", fillcolor="%(classifier_fill)s"];
    b1 -> b2; b2 -> b3 [label="%(learned)s"]; }
  a1 -> b1 [style=invis];
}"""


def pipelines(labels: dict, *, style: Style = DEFAULT) -> str:
    """Graphviz source of the two pipelines: image -> fixed features -> trained classifier, and
    image -> learned network -> classifier. ``labels`` are the boxes' and arrows' texts, one for
    each of ``PIPELINE_LABELS``; a double quote or backslash in one becomes ' or / (it would end or
    escape the DOT string)."""
    labels = {k: str(labels[k]).replace('"', "'").replace("\\", "/") for k in PIPELINE_LABELS}
    d = style.colors.diagram
    colors = {
        "background": d.background,
        "text": d.text,
        "edge": d.edge,
        "frame": d.frame,
        "image_fill": d.image,
        "features_fill": d.features,
        "classifier_fill": d.classifier,
        "network_fill": d.network,
    }
    return PIPELINES % {**labels, **colors}

"""The class's answers to one question: a bar per option, the right one in colour once revealed."""

from __future__ import annotations

import plotly.graph_objects as go

from ui.plots.axes import base_layout, plain
from ui.plots.theme import DEFAULT, Style


def votes(labels, counts, right: int | None, *, title: str, style: Style = DEFAULT) -> go.Figure:
    """Horizontal bars (long answers stay readable on a projector), the count written on each; the
    right answer's bar in the first class colour, the others neutral. ``labels`` and ``counts`` are
    in the options' order (shown top to bottom)."""
    names = [plain(label) for label in labels]
    colors = [style.color(0) if k == right else style.colors.neutral for k in range(len(names))]
    bar = go.Bar(
        x=list(counts),
        y=list(range(len(names))),
        orientation="h",
        marker_color=colors,
        text=[str(c) for c in counts],
        textposition="outside",
        textfont={"size": style.sizes.bar_text},
        cliponaxis=False,
        hoverinfo="skip",
    )
    top = max([*counts, 1])
    layout = base_layout(
        title=title,
        style=style,
        height=min(120 + 56 * len(names), style.sizes.max_height + 120),
        showlegend=False,
        xaxis={"range": [0, top * 1.2], "dtick": max(1, round(top / 5)), "title": {"text": ""}},
        yaxis={
            "tickvals": list(range(len(names))),
            "ticktext": names,
            "autorange": "reversed",
            "showgrid": False,  # a line through a bar's row would strike through its count
            "zeroline": False,
            "title": {"text": ""},
            "tickfont": {"size": style.sizes.legend},
        },
    )
    return go.Figure(data=[bar], layout=layout)

"""Tests for ui.figures: the loss page's plotly figures (values, colours, escaping, axis clipping)."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from ui.figures import loss_curves, plain

HOSTILE = ["<b>x</b>", '<a href="javascript:alert(1)">x</a>', "<img src=x onerror=alert(1)>", "a & b"]
APP_MARKUP = "<extra></extra>"  # the app's own hovertemplate suffix, not user text


def strings(obj):
    """Every string in a JSON tree."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from strings(value)


def y_title(fig: go.Figure) -> str:
    """The y-axis title, written horizontally above the axis (an annotation at the plot's top left)."""
    assert not fig.layout.yaxis.title.text  # never rotated along the axis
    (note,) = [a for a in fig.layout.annotations if (a.xref, a.yref, a.x, a.y) == ("paper", "paper", 0, 1)]
    assert note.textangle in (None, 0) and note.yanchor == "bottom"
    return note.text


def assert_no_markup(fig: go.Figure) -> None:
    raw = fig.to_json()
    assert "<a href" not in raw and "<b>" not in raw and "<img" not in raw
    for text in strings(json.loads(raw)):
        assert "<" not in text.replace(APP_MARKUP, ""), text


# ---- plain ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE + ["'", '"', "cat", "고양이", 3.5])
def test_plain_escapes_html(text):
    out = plain(text)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert html.unescape(out) == str(text)


# ---- issue 12: numbers that agree, the optimization picture's legend, step 0 -----------------------


def test_decision_regions_legend_explains_the_arrows_and_dashed_lines():
    from ui.figures import decision_regions

    axis = np.linspace(-2, 2, 5)
    regions = np.zeros((5, 5))
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    W, b = np.array([[1.0, 0.5], [-0.5, 1.0]]), np.array([0.0, 0.1])
    args = (axis, regions, X, np.array([0, 1]), np.array([0, 1]), W, b)
    kw = {"title": "t", "class_names": ["a", "b"], "misclassified_label": "wrong"}
    plain_fig = decision_regions(*args, **kw)
    fig = decision_regions(*args, **kw, guide_labels=("arrow: a row w_c of W", "dashed: score 0 <b>"))
    assert len(fig.data) == len(plain_fig.data) + 2
    arrows, lines = fig.data[-2:]
    assert arrows.name == "arrow: a row w_c of W" and lines.name == "dashed: score 0 &lt;b&gt;"
    assert lines.line.dash == "dash" and list(lines.x) == [None]  # legend only: nothing drawn
    scatters = [tr for tr in fig.data if tr.type == "scatter"]
    dashed = [tr for tr in scatters if tr.line.dash == "dash" and tr.showlegend is False]
    assert len(dashed) == 2  # one zero-score line per class, as the legend says


# ---- theme: one colour scheme, light and dark, presenter sizes -------------------------------------------

from ui import figures, theme  # noqa: E402

STYLES = [theme.Style(dark=d, present=p) for d in (False, True) for p in (False, True)]
AXIS = np.linspace(-1.0, 1.0, 5)
CIRCLE = np.stack([np.cos(np.linspace(0, 2 * np.pi, 9)), np.sin(np.linspace(0, 2 * np.pi, 9))], axis=1)
PATH = np.array([[0.5, 0.5], [0.1, 0.2]])


def every_figure(style: theme.Style) -> dict[str, go.Figure]:
    """One of each figure in ``style``, on small inputs."""
    s = {"style": style}
    return {
        "loss_curves": loss_curves(AXIS, {"svm": AXIS**2}, 0.0, {"svm": 0.0}, title="t", x_label="s",
                                   y_label="L", **s),
        "stacked_loss_bars": figures.stacked_loss_bars(["w1", "w2"], [1, 2], [0.5, 0.1], title="t",
                                                       data_label="d", reg_label="r", y_label="L", **s),
        "level_sets": figures.level_sets({"l2": CIRCLE}, (0.5, 0.5), title="t",
                                         names={"l2": "L2"}, point_label="w", **s),
        "constrained_view": figures.constrained_view(
            [CIRCLE, 2 * CIRCLE], (0.5, 0.5), {"l1": (0.2, 0.3)}, {"l1": CIRCLE}, {"l1": PATH}, title="t",
            names={"l1": "L1"}, data_label="d", star_label="w*", **s),
        "polynomial_fit": figures.polynomial_fit(
            AXIS, AXIS, AXIS, AXIS, AXIS, AXIS, AXIS, title="t",
            labels={"truth": "f", "fit": "g", "train": "tr", "test": "te"}, **s),
        "error_vs_lambda": figures.error_vs_lambda(
            [1e-5, 1e-3, 1e-1], [1, 2, 3], [3, 1, 2], 1e-3, title="t",
            labels={"train": "tr", "test": "te", "best": "b", "y": "e"}, **s),
        "decision_regions": figures.decision_regions(
            AXIS, np.zeros((5, 5), int), np.array([[0.1, 0.2], [0.3, -0.4]]), np.array([0, 1]),
            np.array([1, 1]), np.eye(2), np.zeros(2), title="t", class_names=["a", "b"],
            misclassified_label="x", **s),
        "lines": figures.lines({"e": ([1e-8, 1e-5, 1e-2], [1e-9, 1e-6, 1e-3])}, title="t", x_label="h",
                               y_label="err", log_x=True, log_y=True, **s),
        "bars": figures.bars(["a", "b"], {"x": [1, 2], "y": [2, 1]}, title="t", x_label="", y_label="n",
                             text=True, **s),
    }


def hex_rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


# What Streamlit paints behind a chart whose own background is transparent.
BACKGROUNDS = {False: (255, 255, 255), True: (14, 17, 23)}


@pytest.mark.parametrize("style", STYLES, ids=lambda s: f"dark={s.dark},present={s.present}")
def test_every_figure_leaves_text_and_background_colours_to_the_page_theme(style):
    for name, fig in every_figure(style).items():
        layout = fig.layout
        assert layout.paper_bgcolor == layout.plot_bgcolor == "rgba(0, 0, 0, 0)", name
        assert layout.font.color is None and layout.title.font.color is None, name
        for axis in (layout.xaxis, layout.yaxis):
            assert axis.exponentformat == "power", name  # 10⁻⁵, not 10μ
            assert axis.tickfont.size >= 14, name
        assert layout.title.font.size > layout.xaxis.tickfont.size, name
        assert layout.legend.font.size >= layout.xaxis.tickfont.size, name
        for trace in fig.data:
            if trace.type == "bar" and trace.text is not None:
                assert trace.textfont.color is None and trace.textfont.size >= 14, name


def test_presenter_figures_are_larger():
    normal, big = every_figure(theme.Style()), every_figure(theme.Style(present=True))
    for name in normal:
        assert big[name].layout.xaxis.tickfont.size > normal[name].layout.xaxis.tickfont.size, name
        assert big[name].layout.font.size > normal[name].layout.font.size, name
        assert big[name].layout.height <= 340, name  # fits a 720 px projector below the controls


@pytest.mark.parametrize("dark", [False, True])
def test_class_colours_stand_out_from_the_background_and_from_each_other(dark):
    colors = theme.CLASS_COLORS["dark" if dark else "light"]
    assert len(set(colors)) == len(colors) >= 9
    for color in colors[:6]:  # the classes a page shows by default and the series colours
        assert theme.contrast(hex_rgb(color), BACKGROUNDS[dark]) >= 2.9, color
    ink = theme.DARK.ink if dark else theme.LIGHT.ink
    assert theme.contrast(hex_rgb(ink), BACKGROUNDS[dark]) >= 7


def test_dark_style_draws_markers_in_light_ink():
    light = every_figure(theme.Style())["level_sets"].data[-1].marker.color
    dark = every_figure(theme.Style(dark=True))["level_sets"].data[-1].marker.color
    assert light == theme.LIGHT.ink and dark == theme.DARK.ink and light != dark


def test_decision_regions_tint_each_class_with_its_colour_over_the_background():
    fig = every_figure(theme.Style())["decision_regions"]
    scale = [c for _, c in fig.data[0].colorscale]
    assert scale[0] == theme.rgba(theme.CLASS_COLORS["light"][0], theme.REGION_ALPHA)
    assert scale[-1] == theme.rgba(theme.CLASS_COLORS["light"][1], theme.REGION_ALPHA)


def test_rgb_histogram_draws_each_channel_in_its_colour():
    x = np.arange(3.0)
    fig = figures.lines({"R": (x, x), "G": (x, x), "B": (x, x)}, title="t", x_label="i", y_label="n",
                        channels=True)
    assert [tr.line.color for tr in fig.data] == ["#D62728", "#2CA02C", "#1F77B4"]


# ---- log axes: every tick label at the tick font size -------------------------------------------

SUPERSCRIPT_DIGITS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def tick_value(label: str) -> float:
    """A log axis tick label read back as a number: "0.2", "10⁻³", "2×10⁻⁶"."""
    power = re.fullmatch(r"(?:([\d.]+)×)?10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)", label)
    if power is None:
        return float(label)
    return float(power[1] or 1) * 10.0 ** int(power[2].translate(SUPERSCRIPT_DIGITS))


@pytest.mark.parametrize("style", [theme.Style(), theme.Style(present=True)], ids=["normal", "presenter"])
def test_log_axes_label_their_ticks_themselves(style):
    """Plotly's own log ticks print the digits between decades at 3/4 of the tick font (12.75 px in
    presenter mode): the log axes say every label, so all are drawn at the tick font."""
    figs = every_figure(style)
    sweep = figures.lines({"a": ([1e-4, 1e-2, 1.0], [3.0, 1.0, 0.5])}, title="t", x_label="lr", y_label="L",
                          log_x=True, marker_x=1e-3, style=style)
    for axis in (figs["error_vs_lambda"].layout.xaxis, figs["error_vs_lambda"].layout.yaxis,
                 figs["lines"].layout.xaxis, figs["lines"].layout.yaxis, sweep.layout.xaxis):
        assert axis.type == "log" and axis.tickmode == "array", axis
        assert len(axis.ticktext) == len(axis.tickvals) > 0
        assert axis.tickfont.size >= 14
    assert sweep.layout.yaxis.type != "log" and sweep.layout.yaxis.tickmode is None


@pytest.mark.parametrize(("lo", "hi"), [(1e-8, 100.0), (1e-15, 1.0), (3.0, 7000.0), (0.012, 8.3), (1.1, 45.0),
                                        (0.6, 10.0), (1.0, 4.1), (0.12, 0.45), (1e-6, 3e-5), (6.1, 9.8),
                                        (6.1, 6.3), (2e4, 4e4)])
def test_log_ticks_are_a_few_readable_round_numbers(lo, hi):
    axis = figures.log_ticks([lo, hi], [np.nan, -1.0, 0.0])  # non-positive and non-finite values ignored
    shown = [(v, label) for v, label in zip(axis["tickvals"], axis["ticktext"], strict=True)
             if lo / 1.05 <= v <= hi * 1.05]
    assert 3 <= len(shown) <= 8, shown
    assert [v for v, _ in shown] == sorted({v for v, _ in shown})
    for v, label in shown:
        assert tick_value(label) == pytest.approx(v), (label, v)
        assert len(label) <= 8 and "e" not in label, label  # 10⁻⁶ or 0.2, never 1e-06


def test_log_ticks_of_nothing_positive_leave_the_axis_to_plotly():
    assert figures.log_ticks([0.0, -1.0, np.nan]) == {}

"""Tests for ui.plots: every chapter's figure builders (values, colours, escaping, axis clipping),
in light and dark, normal and presenter style."""

from __future__ import annotations

import html
import inspect
import json
import pkgutil
import re
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

import ui.plots
from ui.plots import axes, classroom, features, gradients, losses, optimization, regularization, theme
from ui.plots.axes import plain
from ui.plots.losses import loss_curves

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
    assert note.textangle in (None, 0)
    assert note.yanchor == "bottom"
    return note.text


def assert_no_markup(fig: go.Figure) -> None:
    raw = fig.to_json()
    assert "<a href" not in raw
    assert "<b>" not in raw
    assert "<img" not in raw
    for text in strings(json.loads(raw)):
        assert "<" not in text.replace(APP_MARKUP, ""), text


# ---- plain ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*HOSTILE, "'", '"', "cat", "고양이", 3.5])
def test_plain_escapes_html(text):
    out = plain(text)
    assert "<" not in out
    assert ">" not in out
    assert '"' not in out
    assert "'" not in out
    assert html.unescape(out) == str(text)


# ---- issue 12: numbers that agree, the optimization picture's legend, step 0 -----------------------


def test_decision_regions_legend_explains_the_arrows_and_dashed_lines():
    decision_regions = optimization.decision_regions
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
    assert arrows.name == "arrow: a row w_c of W"
    assert lines.name == "dashed: score 0 &lt;b&gt;"
    assert lines.line.dash == "dash"
    assert list(lines.x) == [None]
    scatters = [tr for tr in fig.data if tr.type == "scatter"]
    dashed = [tr for tr in scatters if tr.line.dash == "dash" and tr.showlegend is False]
    assert len(dashed) == 2  # one zero-score line per class, as the legend says


# ---- theme: one colour scheme, light and dark, presenter sizes -------------------------------------------

STYLES = [theme.Style(dark=d, present=p) for d in (False, True) for p in (False, True)]
AXIS = np.linspace(-1.0, 1.0, 5)
CIRCLE = np.stack([np.cos(np.linspace(0, 2 * np.pi, 9)), np.sin(np.linspace(0, 2 * np.pi, 9))], axis=1)
PATH = np.array([[0.5, 0.5], [0.1, 0.2]])


def every_figure(style: theme.Style) -> dict[str, go.Figure]:
    """One of each figure in ``style``, on small inputs."""
    s = {"style": style}
    return {
        "loss_curves": loss_curves(
            AXIS, {"svm": AXIS**2}, 0.0, {"svm": 0.0}, title="t", x_label="s", y_label="L", **s
        ),
        "stacked_loss_bars": regularization.stacked_loss_bars(
            ["w1", "w2"], [1, 2], [0.5, 0.1], title="t", data_label="d", reg_label="r", y_label="L", **s
        ),
        "level_sets": regularization.level_sets(
            {"l2": CIRCLE}, (0.5, 0.5), title="t", names={"l2": "L2"}, point_label="w", **s
        ),
        "constrained_view": regularization.constrained_view(
            [CIRCLE, 2 * CIRCLE],
            (0.5, 0.5),
            {"l1": (0.2, 0.3)},
            {"l1": CIRCLE},
            {"l1": PATH},
            title="t",
            names={"l1": "L1"},
            data_label="d",
            star_label="w*",
            **s,
        ),
        "polynomial_fit": regularization.polynomial_fit(
            AXIS,
            AXIS,
            AXIS,
            AXIS,
            AXIS,
            AXIS,
            AXIS,
            title="t",
            labels={"truth": "f", "fit": "g", "train": "tr", "test": "te"},
            **s,
        ),
        "error_vs_lambda": regularization.error_vs_lambda(
            [1e-5, 1e-3, 1e-1],
            [1, 2, 3],
            [3, 1, 2],
            1e-3,
            title="t",
            labels={"train": "tr", "test": "te", "best": "b", "y": "e"},
            **s,
        ),
        "decision_regions": optimization.decision_regions(
            AXIS,
            np.zeros((5, 5), int),
            np.array([[0.1, 0.2], [0.3, -0.4]]),
            np.array([0, 1]),
            np.array([1, 1]),
            np.eye(2),
            np.zeros(2),
            title="t",
            class_names=["a", "b"],
            misclassified_label="x",
            **s,
        ),
        "lines": gradients.lines(
            {"e": ([1e-8, 1e-5, 1e-2], [1e-9, 1e-6, 1e-3])},
            title="t",
            x_label="h",
            y_label="err",
            log_x=True,
            log_y=True,
            **s,
        ),
        "bars": features.bars(
            ["a", "b"], {"x": [1, 2], "y": [2, 1]}, title="t", x_label="", y_label="n", text=True, **s
        ),
        "hue_histogram": features.hue_histogram(
            ["0.00", "0.25", "0.50", "0.75"],
            [4, 3, 2, 1],
            title="t",
            x_label="hue",
            y_label="n",
            name="pixels",
            **s,
        ),
        "channel_histogram": features.channel_histogram(
            AXIS, np.stack([AXIS, 2 * AXIS, 3 * AXIS]), title="t", x_label="i", y_label="n", **s
        ),
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
        assert layout.font.color is None, name
        assert layout.title.font.color is None, name
        for axis in (layout.xaxis, layout.yaxis):
            assert axis.exponentformat == "power", name  # 10⁻⁵, not 10μ
            assert axis.tickfont.size >= 14, name
        assert layout.title.font.size > layout.xaxis.tickfont.size, name
        assert layout.legend.font.size >= layout.xaxis.tickfont.size, name
        for trace in fig.data:
            if trace.type == "bar" and trace.text is not None:
                assert trace.textfont.color is None, name
                assert trace.textfont.size >= 14, name


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
    assert light == theme.LIGHT.ink
    assert dark == theme.DARK.ink
    assert light != dark


def test_decision_regions_tint_each_class_with_its_colour_over_the_background():
    fig = every_figure(theme.Style())["decision_regions"]
    scale = [c for _, c in fig.data[0].colorscale]
    assert scale[0] == theme.rgba(theme.CLASS_COLORS["light"][0], theme.REGION_ALPHA)
    assert scale[-1] == theme.rgba(theme.CLASS_COLORS["light"][1], theme.REGION_ALPHA)


def test_rgb_histogram_draws_each_channel_in_its_colour():
    x = np.arange(3.0)
    fig = features.channel_histogram(x, np.stack([x, x, x]), title="t", x_label="i", y_label="n")
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
    sweep = gradients.lines(
        {"a": ([1e-4, 1e-2, 1.0], [3.0, 1.0, 0.5])},
        title="t",
        x_label="lr",
        y_label="L",
        log_x=True,
        marker_x=1e-3,
        style=style,
    )
    for axis in (
        figs["error_vs_lambda"].layout.xaxis,
        figs["error_vs_lambda"].layout.yaxis,
        figs["lines"].layout.xaxis,
        figs["lines"].layout.yaxis,
        sweep.layout.xaxis,
    ):
        assert axis.type == "log", axis
        assert axis.tickmode == "array", axis
        assert len(axis.ticktext) == len(axis.tickvals) > 0
        assert axis.tickfont.size >= 14
    assert sweep.layout.yaxis.type != "log"
    assert sweep.layout.yaxis.tickmode is None


@pytest.mark.parametrize(
    ("lo", "hi"),
    [
        (1e-8, 100.0),
        (1e-15, 1.0),
        (3.0, 7000.0),
        (0.012, 8.3),
        (1.1, 45.0),
        (0.6, 10.0),
        (1.0, 4.1),
        (0.12, 0.45),
        (1e-6, 3e-5),
        (6.1, 9.8),
        (6.1, 6.3),
        (2e4, 4e4),
    ],
)
def test_log_ticks_are_a_few_readable_round_numbers(lo, hi):
    axis = axes.log_ticks([lo, hi], [np.nan, -1.0, 0.0])  # non-positive and non-finite values ignored
    shown = [
        (v, label)
        for v, label in zip(axis["tickvals"], axis["ticktext"], strict=True)
        if lo / 1.05 <= v <= hi * 1.05
    ]
    assert 3 <= len(shown) <= 8, shown
    assert [v for v, _ in shown] == sorted({v for v, _ in shown})
    for v, label in shown:
        assert tick_value(label) == pytest.approx(v), (label, v)
        assert len(label) <= 8, label
        assert "e" not in label, label  # 10⁻⁶ or 0.2, never 1e-06


def test_log_ticks_of_nothing_positive_leave_the_axis_to_plotly():
    assert axes.log_ticks([0.0, -1.0, np.nan]) == {}


# ---- every builder: it builds, its traces carry the data given, its colours come from the theme ---------

MODULES = (axes, classroom, features, gradients, losses, optimization, regularization, theme)


def public_functions(module) -> set[str]:
    return {
        name
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if not name.startswith("_") and fn.__module__ == module.__name__
    }


TESTED = {  # every public function of ui.plots and the tests that call it
    "axes": {"plain", "base_layout", "log_ticks", "vline"},
    "classroom": {"votes"},
    "features": {"bars", "hue_histogram", "channel_histogram", "pipelines"},
    "gradients": {"lines"},
    "losses": {"loss_curves"},
    "optimization": {"decision_regions"},
    "regularization": {
        "stacked_loss_bars",
        "level_sets",
        "constrained_view",
        "polynomial_fit",
        "error_vs_lambda",
    },
    "theme": {"hue_colors", "rgba", "contrast"},
}


def test_every_public_function_of_ui_plots_is_tested():
    found = {info.name for info in pkgutil.iter_modules(ui.plots.__path__)}
    assert found == {m.__name__.rsplit(".", 1)[1] for m in MODULES}  # a new module is added here too
    for module in MODULES:
        assert public_functions(module) == TESTED[module.__name__.rsplit(".", 1)[1]], module.__name__
    source = Path(__file__).read_text(encoding="utf-8")
    for module, names in TESTED.items():
        for name in names:
            assert re.search(rf"\b{module}\.{name}\(", source) or name in ("plain", "loss_curves"), name


def theme_colours(style: theme.Style, bins: int = 4) -> set[str]:
    """Every colour a figure in ``style`` may use: the style's own, the channels', the hues'."""
    c = style.colors
    fields = ("ink", "neutral", "guide", "grid", "zeroline", "correct", "wrong", "outline")
    own = {getattr(c, f) for f in fields}
    tints = {theme.rgba(color, theme.REGION_ALPHA) for color in c.classes}
    return (
        own
        | set(c.classes)
        | tints
        | set(theme.CHANNEL_COLORS.values())
        | set(theme.hue_colors(bins))
        | {theme.TRANSPARENT}
    )


def colours_in(obj, key: str = ""):
    """Every colour value in a figure's JSON tree (keys named *color*, and colour scales), leaving
    out plotly's default template (Streamlit's theme replaces it in the browser)."""
    if isinstance(obj, dict):
        for k, value in obj.items():
            if k == "template":
                continue
            if k == "colorscale":
                yield from (color for _, color in value)
            else:
                yield from colours_in(value, k)
    elif isinstance(obj, list | tuple):
        for value in obj:
            yield from colours_in(value, key)
    elif isinstance(obj, str) and "color" in key:
        yield obj


@pytest.mark.parametrize("style", STYLES, ids=lambda s: f"dark={s.dark},present={s.present}")
def test_every_figure_takes_its_colours_from_its_own_theme(style):
    allowed = theme_colours(style)
    other = theme_colours(theme.Style(dark=not style.dark, present=style.present)) - allowed
    assert other  # light and dark differ: a figure in the wrong theme would be caught
    for name, fig in every_figure(style).items():
        used = set(colours_in(fig.to_plotly_json()))
        assert used, name
        assert used <= allowed, (name, used - allowed)


def test_loss_curves_draw_each_curve_and_mark_the_current_point():
    curves, now = {"svm": AXIS**2, "<b>ce</b>": AXIS + 3}, {"svm": 0.25, "<b>ce</b>": 3.5}
    fig = losses.loss_curves(AXIS, curves, 0.5, now, title="t", x_label="s", y_label="L", y_max=9.0)
    line, point, line2, point2 = fig.data
    assert list(line.y) == list(AXIS**2)
    assert list(line2.y) == list(AXIS + 3)
    assert (point.x[0], point.y[0], point2.y[0]) == (0.5, 0.25, 3.5)
    assert line.line.color == point.marker.color == theme.DEFAULT.color(0) != line2.line.color
    assert line2.name == "&lt;b&gt;ce&lt;/b&gt;"
    assert fig.layout.yaxis.range == (0, 9.0)
    assert fig.layout.shapes[0].x0 == 0.5  # the current score's guide line


def test_stacked_loss_bars_stack_data_and_reg_loss_with_the_total_on_top():
    fig = regularization.stacked_loss_bars(
        ["w1", "w2"], [1.0, 2.0], [0.5, 0.25], title="t", data_label="d", reg_label="r", y_label="L"
    )
    data, reg = fig.data
    assert list(data.y) == [1.0, 2.0]
    assert list(reg.y) == [0.5, 0.25]
    assert fig.layout.barmode == "stack"
    assert list(reg.text) == ["1.50", "2.25"]
    assert data.marker.color == theme.LIGHT.neutral
    assert reg.marker.color == theme.DEFAULT.color(1)


def test_level_sets_draw_each_penalty_in_its_colour_and_the_point():
    fig = regularization.level_sets(
        {"l2": CIRCLE, "l1": 2 * CIRCLE},
        (0.5, -0.5),
        title="t",
        names={"l2": "L2", "l1": "L1"},
        point_label="w",
    )
    l2, l1, point = fig.data
    assert list(l1.x) == list(2 * CIRCLE[:, 0])
    assert (point.x[0], point.y[0]) == (0.5, -0.5)
    assert l2.line.color == theme.DEFAULT.color(0)
    assert l1.line.color == theme.DEFAULT.color(3)


def test_constrained_view_draws_contours_ball_path_solution_and_star():
    fig = regularization.constrained_view(
        [CIRCLE, 2 * CIRCLE],
        (0.7, 0.9),
        {"l1": (0.2, 0.3)},
        {"l1": CIRCLE},
        {"l1": PATH},
        title="t",
        names={"l1": "L1"},
        data_label="d",
        star_label="w*",
    )
    contours, ball, path, solution, star = fig.data
    assert np.isnan(contours.x).sum() == 2
    assert len(contours.x) == 2 * (len(CIRCLE) + 1)
    assert list(path.y) == list(PATH[:, 1])
    assert (solution.x[0], solution.y[0]) == (0.2, 0.3)
    assert (star.x[0], star.y[0]) == (0.7, 0.9)
    assert star.marker.color == theme.LIGHT.ink
    assert ball.line.color == path.line.color == solution.marker.color == theme.DEFAULT.color(3)


def test_polynomial_fit_draws_truth_fit_train_and_test():
    x = np.array([0.0, 1.0, 2.0])
    fig = regularization.polynomial_fit(
        x,
        [1, 2, 3],
        x,
        [4, 5, 6],
        x,
        [7, 8, 9],
        [0, 0, 0],
        title="t",
        labels={"truth": "f", "fit": "g", "train": "tr", "test": "te"},
    )
    truth, fit, train, test = fig.data
    assert [list(tr.y) for tr in fig.data] == [[0, 0, 0], [7, 8, 9], [1, 2, 3], [4, 5, 6]]
    assert train.marker.color == theme.DEFAULT.color(0)
    assert test.marker.color == theme.DEFAULT.color(2)
    assert truth.line.dash == "dash"
    assert fit.line.color == theme.DEFAULT.color(1)


def test_error_vs_lambda_stars_the_best_test_error_and_marks_the_current_lambda():
    fig = regularization.error_vs_lambda(
        [1e-5, 1e-3, 1e-1],
        [1, 2, 3],
        [3, 1, 2],
        1e-1,
        title="t",
        labels={"train": "tr", "test": "te", "best": "b", "y": "e"},
    )
    train, test, best = fig.data
    assert list(train.y) == [1, 2, 3]
    assert list(test.y) == [3, 1, 2]
    assert (best.x[0], best.y[0]) == (1e-3, 1)
    assert fig.layout.shapes[0].x0 == 1e-1


def test_decision_regions_draw_the_regions_points_rings_and_weights():
    fig = every_figure(theme.Style(dark=True))["decision_regions"]
    heat, a, b, ring = fig.data[:4]
    assert heat.z.shape == (5, 5)
    assert list(a.x) == [0.1]
    assert list(b.y) == [-0.4]
    assert list(ring.x) == [0.1]
    assert ring.marker.color == theme.DARK.wrong
    assert a.marker.color == theme.DARK.classes[0]
    assert a.marker.line.color == theme.DARK.outline
    arrows = [note.arrowcolor for note in fig.layout.annotations if note.showarrow]
    assert arrows == list(theme.DARK.classes[:2])


def test_lines_leave_out_non_finite_and_non_positive_log_points():
    series = {"a": ([1.0, 2.0, 3.0, 4.0], [1.0, np.nan, 0.0, 2.0]), "b": ([1.0], [5.0])}
    fig = gradients.lines(
        series,
        title="t",
        x_label="x",
        y_label="y",
        log_y=True,
        modes={"b": "markers"},
        colors={"b": theme.CHANNEL_COLORS["B"]},
    )
    a, b = fig.data
    assert list(a.x) == [1.0, 4.0]
    assert list(a.y) == [1.0, 2.0]
    assert b.mode == "markers"
    assert b.line.color == theme.CHANNEL_COLORS["B"]
    assert a.line.color == theme.DEFAULT.color(0)


def test_bars_group_series_and_colour_a_single_series_bar_by_bar():
    fig = features.bars(
        ["<i>a</i>", "b"], {"x": [1, 2], "y": [2, 1]}, title="t", x_label="", y_label="n", text="{:.1f} %"
    )
    x, y = fig.data
    assert list(x.y) == [1, 2]
    assert list(y.y) == [2, 1]
    assert list(x.text) == ["1.0 %", "2.0 %"]
    assert list(fig.layout.xaxis.ticktext) == ["&lt;i&gt;a&lt;/i&gt;", "b"]
    assert (x.marker.color, y.marker.color) == (theme.DEFAULT.color(0), theme.DEFAULT.color(1))
    hue = every_figure(theme.Style())["hue_histogram"].data[0]
    assert list(hue.y) == [4, 3, 2, 1]
    assert list(hue.marker.color) == theme.hue_colors(4)
    rgb = every_figure(theme.Style())["channel_histogram"]
    assert [list(tr.y) for tr in rgb.data] == [list(k * AXIS) for k in (1, 2, 3)]
    assert [tr.name for tr in rgb.data] == ["R", "G", "B"]


PIPELINE_LABELS = dict(
    zip(
        features.PIPELINE_LABELS,
        ("classic", "image", 'fea"tures', "classifier", "fixed", "trained", "convnet", "net", "learned\\"),
        strict=True,
    )
)


@pytest.mark.parametrize("dark", [False, True])
def test_pipelines_diagram_takes_its_colours_from_the_theme(dark):
    dot = features.pipelines(PIPELINE_LABELS, style=theme.Style(dark=dark))
    d = (theme.DARK if dark else theme.LIGHT).diagram
    for color in (d.text, d.edge, d.frame, d.image, d.features, d.classifier, d.network):
        assert f'"{color}"' in dot, color
    assert set(re.findall(r'"(#[0-9A-Fa-f]{6}|transparent)"', dot)) <= {
        d.background,
        d.text,
        d.edge,
        d.frame,
        d.image,
        d.features,
        d.classifier,
        d.network,
    }
    assert 'label="fea\'tures"' in dot
    assert 'label="learned/"' in dot
    assert dot.count('"') % 2 == 0


def test_text_on_dark_diagram_boxes_reads_well():
    for style in (theme.Style(), theme.Style(dark=True)):
        d = style.colors.diagram
        for fill in (d.image, d.features, d.classifier, d.network):
            assert theme.contrast(hex_rgb(d.text), hex_rgb(fill)) >= 7, (style, fill)


def test_vline_and_base_layout_use_the_style():
    style = theme.Style(dark=True, present=True)
    line = axes.vline(0.3, style)
    assert (line["x0"], line["x1"], line["line"]["color"]) == (0.3, 0.3, theme.DARK.guide)
    layout = axes.base_layout(title="<b>t</b>", style=style, height=1000, yaxis={"title": {"text": "y"}})
    assert layout["height"] == theme.PRESENTER.max_height
    assert layout["title"]["text"] == "&lt;b&gt;t&lt;/b&gt;"
    assert layout["xaxis"]["gridcolor"] == theme.DARK.grid
    assert layout["yaxis"]["title"] == {"text": ""}
    assert layout["annotations"][-1]["text"] == "y"  # the y title, written above the axis


def test_hue_colors_run_round_the_colour_wheel():
    assert theme.hue_colors(3) == ["#ffff00", "#00ffff", "#ff00ff"]  # the centres: 60°, 180°, 300°
    assert theme.rgba("#0072B2", 0.25) == "rgba(0, 114, 178, 0.25)"


def test_votes_count_each_option_and_colour_only_the_revealed_answer():
    fig = classroom.votes(("<b>x</b>", "2", "never"), (3, 0, 5), None, title="t")
    (bar,) = fig.data
    assert list(bar.x) == [3, 0, 5]
    assert list(bar.text) == ["3", "0", "5"]
    assert list(fig.layout.yaxis.ticktext) == ["&lt;b&gt;x&lt;/b&gt;", "2", "never"]  # never plotly HTML
    assert set(bar.marker.color) == {theme.LIGHT.neutral}  # before the reveal, no bar stands out
    revealed = classroom.votes(("a", "b"), (1, 2), 1, title="t", style=theme.Style(dark=True, present=True))
    assert list(revealed.data[0].marker.color) == [theme.DARK.neutral, theme.Style(dark=True).color(0)]
    assert revealed.layout.height > 0
    assert classroom.votes(("a",), (0,), 0, title="t").layout.xaxis.range[1] > 0  # no votes yet: an axis

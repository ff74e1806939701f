"""Tests for ui.figures: the loss page's plotly figures (values, colours, escaping, axis clipping)."""

from __future__ import annotations

import html
import json

import numpy as np
import plotly.graph_objects as go
import pytest

from ui.figures import CORRECT, PALETTE, WRONG, loss_curves, plain, probability_bars

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


# ---- probability_bars ------------------------------------------------------------------------------------


def test_probability_bars_values_and_colours():
    probs = [0.13, 0.87, 0.0]
    fig = probability_bars(("cat", "car", "frog"), probs, 0, title="Softmax probabilities, image 1",
                           y_label="probability")
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 1
    (bar,) = fig.data
    assert bar.type == "bar"
    assert list(bar.x) == [0, 1, 2]
    assert list(fig.layout.xaxis.ticktext) == ["cat", "car", "frog"]
    np.testing.assert_allclose(np.asarray(bar.y, dtype=float), probs)
    assert list(bar.text) == ["0.13", "0.87", "0.00"]  # exactly 0; a tiny p keeps its digits (below)
    assert list(bar.marker.color) == [CORRECT, WRONG, WRONG]
    assert CORRECT != WRONG
    assert tuple(fig.layout.yaxis.range) == (0, 1.15)
    assert fig.layout.yaxis.title.text == "probability"
    assert fig.layout.title.text == "Softmax probabilities, image 1"


@pytest.mark.parametrize("correct", [0, 1, 4])
def test_only_the_correct_class_is_coloured_differently(correct):
    probs = np.full(5, 0.2)
    fig = probability_bars([f"c{k}" for k in range(5)], probs, correct, title="t", y_label="p")
    colours = list(fig.data[0].marker.color)
    assert colours[correct] == CORRECT
    assert [c for k, c in enumerate(colours) if k != correct] == [WRONG] * 4


def test_probability_bars_escape_hostile_labels():
    classes = HOSTILE[:3]
    fig = probability_bars(classes, [0.2, 0.3, 0.5], 2, title='<a href="javascript:alert(1)">t</a>',
                           y_label="<b>p</b>")
    assert list(fig.layout.xaxis.ticktext) == [html.escape(c, quote=True) for c in classes]
    assert list(fig.data[0].customdata) == [html.escape(c, quote=True) for c in classes]
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;" in fig.layout.xaxis.ticktext
    assert fig.layout.title.text == html.escape('<a href="javascript:alert(1)">t</a>', quote=True)
    assert fig.layout.yaxis.title.text == "&lt;b&gt;p&lt;/b&gt;"
    assert_no_markup(fig)


def test_probability_bars_keep_duplicate_names_apart():
    fig = probability_bars(["cat", "cat", "dog"], [0.2, 0.3, 0.5], 0, title="t", y_label="p")
    assert list(fig.data[0].x) == [0, 1, 2]
    assert list(fig.layout.xaxis.ticktext) == ["cat", "cat", "dog"]


def test_probability_bars_accept_numpy_input():
    fig = probability_bars(np.array(["cat", "car"]), np.array([0.25, 0.75]), np.int64(1), title="t",
                           y_label="p")
    assert list(fig.data[0].marker.color) == [WRONG, CORRECT]
    assert list(fig.data[0].text) == ["0.25", "0.75"]


# ---- loss_curves -------------------------------------------------------------------------------------------


def curves_fixture(names=("hinge", "squared hinge", "softmax")):
    grid = np.linspace(-2.0, 4.0, 7)
    hinge = np.maximum(0.0, 1.9 - grid + 1.0)
    values = [hinge, hinge**2, np.log1p(np.exp(1.9 - grid))]
    curves = dict(zip(names, values, strict=True))
    now = {name: float(v[3]) for name, v in curves.items()}
    return grid, curves, now


def test_loss_curves_traces():
    grid, curves, now = curves_fixture()
    fig = loss_curves(grid, curves, float(grid[3]), now, title="L_i of image 1", x_label="s_y",
                      y_label="loss")
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 2 * len(curves)
    lines, markers = fig.data[0::2], fig.data[1::2]
    assert [t.name for t in lines] == list(curves)
    for k, (line, marker, (name, values)) in enumerate(zip(lines, markers, curves.items(), strict=True)):
        assert line.mode == "lines"
        np.testing.assert_array_equal(np.asarray(line.x, dtype=float), grid)
        np.testing.assert_array_equal(np.asarray(line.y, dtype=float), values)
        assert marker.mode == "markers"
        assert marker.showlegend is False
        assert list(marker.x) == [grid[3]]
        assert list(marker.y) == [now[name]]
        assert line.line.color == marker.marker.color == PALETTE[k]
    assert len({t.line.color for t in lines}) == len(curves)
    (shape,) = fig.layout.shapes
    assert shape.type == "line" and shape.x0 == shape.x1 == grid[3]
    assert fig.layout.xaxis.title.text == "s_y"
    assert fig.layout.yaxis.title.text == "loss"
    assert fig.layout.title.text == "L_i of image 1"


def test_loss_curves_y_max_clips_the_axis():
    grid, curves, now = curves_fixture()
    fig = loss_curves(grid, curves, 0.0, now, title="t", x_label="x", y_label="y", y_max=5.5)
    assert tuple(fig.layout.yaxis.range) == (0, 5.5)
    assert fig.layout.yaxis.rangemode == "tozero"


@pytest.mark.parametrize("y_max", [None, float("inf"), float("nan"), 0.0, -3.0])
def test_loss_curves_ignore_an_unusable_y_max(y_max):
    grid, curves, now = curves_fixture()
    fig = loss_curves(grid, curves, 0.0, now, title="t", x_label="x", y_label="y", y_max=y_max)
    assert fig.layout.yaxis.range is None
    assert fig.layout.yaxis.rangemode == "tozero"


def test_loss_curves_escape_hostile_names():
    names = tuple(HOSTILE[:3])
    grid, curves, now = curves_fixture(names)
    fig = loss_curves(grid, curves, 1.0, now, title="<b>t</b>", x_label='<a href="x">x</a>',
                      y_label="<img src=x onerror=alert(1)>")
    assert [t.name for t in fig.data[0::2]] == [html.escape(n, quote=True) for n in names]
    assert fig.layout.title.text == "&lt;b&gt;t&lt;/b&gt;"
    assert_no_markup(fig)


def test_loss_curves_colours_cycle_past_the_palette():
    n = len(PALETTE) + 2
    grid = np.linspace(0, 1, 3)
    curves = {f"c{k}": grid * k for k in range(n)}
    now = {name: 0.0 for name in curves}
    fig = loss_curves(grid, curves, 0.5, now, title="t", x_label="x", y_label="y")
    assert [t.line.color for t in fig.data[0::2]] == [PALETTE[k % len(PALETTE)] for k in range(n)]


# ---- issue 12: numbers that agree, the optimization picture's legend, step 0 -----------------------


def test_probability_bars_never_print_a_tiny_probability_as_zero():
    fig = probability_bars(("cat", "car", "frog"), [0.0021, 0.9979, 1e-48], 1, title="t", y_label="p")
    assert list(fig.data[0].text) == ["2.1 × 10⁻³", "1.00", "1.0 × 10⁻⁴⁸"]


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


def test_training_curves_show_the_starting_point_at_step_0():
    from ui.figures import training_curves

    fig = training_curves({"train": np.array([6.27])}, 0, title="t", y_label="loss", x_max=100)
    (trace,) = fig.data
    assert trace.mode == "markers" and list(trace.y) == [6.27]
    later = training_curves({"train": np.array([6.27, 5.0])}, 1, title="t", y_label="loss", x_max=100)
    assert later.data[0].mode == "lines"

"""One theme: no colour is named outside ui/plots/theme.py, and pages call figure builders
themselves (never by a name string), through a cache keyed on the builder."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pytest
from _plotly_utils.basevalidators import ColorValidator

from ui.plots import features, gradients, theme

ROOT = Path(__file__).resolve().parents[2]
THEME = ROOT / "ui" / "plots" / "theme.py"
SOURCES = sorted(p for folder in ("ui", "app_pages") for p in (ROOT / folder).rglob("*.py") if p != THEME)

# A colour written out: #hex (not an HTML entity such as &#123;), rgb()/rgba()/hsl(), or Streamlit's
# markdown colours (:red[...], :green-background[...]).
WRITTEN = re.compile(
    r"(?<![&\w])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})\b"
    r"|\b(?:rgba?|hsla?)\("
    r"|:(?:red|orange|yellow|green|blue|violet|gray|grey|rainbow|primary)(?:-background)?\["
)
NAMED = set(ColorValidator.named_colors) | {"transparent", "violet", "gray", "grey", "rainbow", "primary"}
COLOUR_NAME = re.compile(r"colou?r|fill|background|highlight", re.IGNORECASE)


def is_name(node) -> bool:
    """A string constant that is a colour's name ("red", "green", "transparent")."""
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in NAMED


def colour_literals(source: str) -> list[str]:
    """The colours written in ``source``: any string that spells one (#hex, rgb(), :red[...]), and
    a colour's name where a colour goes (a ``color=`` argument or default, a ``{"color": ...}``
    entry, a variable named for a colour, or a collection of nothing but colour names)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += WRITTEN.findall(node.value)
        elif isinstance(node, ast.keyword) and COLOUR_NAME.search(node.arg or "") and is_name(node.value):
            found.append(node.value.value)
        elif isinstance(node, ast.arguments):
            params = node.posonlyargs + node.args
            pairs = list(zip(params[len(params) - len(node.defaults) :], node.defaults, strict=True))
            pairs += [(a, d) for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=True) if d is not None]
            found += [d.value for a, d in pairs if COLOUR_NAME.search(a.arg) and is_name(d)]
        elif isinstance(node, ast.Dict):
            keyed = [
                v.value
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and COLOUR_NAME.search(str(k.value)) and is_name(v)
            ]
            every = len(node.values) > 1 and all(map(is_name, node.values))
            found += [v.value for v in node.values] if every else keyed
        elif isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) > 1:
            found += [e.value for e in node.elts] if all(map(is_name, node.elts)) else []
        elif isinstance(node, ast.Assign | ast.AnnAssign) and is_name(node.value):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            named = [t for t in targets if isinstance(t, ast.Name) and COLOUR_NAME.search(t.id)]
            found += [node.value.value] * len(named)
    return found


@pytest.mark.parametrize(
    "source",
    [
        'fill = "#E3F2FD"',
        'DOT = "node [fillcolor=\\"#abc\\"]"',
        'x = "rgba(0, 0, 0, 0)"',
        'cell = f":{v}-background[1]" if v else ":red-background[1]"',
        'st.markdown(table(rows, color="red"))',
        'def table(rows, color: str = "green"): ...',
        'def table(rows, *, colour="orange"): ...',
        'colors = {"fine": "green", "suspicious": "orange", "wrong": "red"}',
        'marker = {"color": "black", "size": 3}',
        'line_colour = "white"',
        'PALETTE = ("steelblue", "tomato")',
    ],
)
def test_colour_literals_are_found(source):
    assert colour_literals(source), source


@pytest.mark.parametrize(
    "source",
    [
        'choice_field("red", "sum", CLASS_REDUCTIONS)',  # the losses page's "red" setting: a reduction
        'SIDEBAR = ("margin", "squared", "red")',
        'q = {"red": "mean"}',
        'st.markdown("# A heading and &#123; an entity")',
        'x = v["red"]',
        'label = t("features.color.hue")',
    ],
)
def test_words_that_only_look_like_colours_are_not(source):
    assert colour_literals(source) == [], source


def test_no_colour_is_named_outside_the_theme():
    assert len(SOURCES) > 20
    assert ROOT / "ui" / "widgets.py" in SOURCES
    found = {str(p.relative_to(ROOT)): colour_literals(p.read_text(encoding="utf-8")) for p in SOURCES}
    assert {path: colours for path, colours in found.items() if colours} == {}
    assert colour_literals(THEME.read_text(encoding="utf-8"))  # the theme itself names them all


def figure_calls(source: str):
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and node.args
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "figure")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "figure")
            )
        ):
            yield node.args[0]


def test_pages_call_figure_builders_themselves_never_by_name():
    calls = [(p.name, arg) for p in SOURCES for arg in figure_calls(p.read_text(encoding="utf-8"))]
    assert len(calls) >= 12  # every chapter's figures
    assert [(name, ast.unparse(arg)) for name, arg in calls if isinstance(arg, ast.Constant)] == []
    assert {ast.unparse(arg).split(".")[0] for _, arg in calls} == {"plots"}


def test_the_figure_cache_is_keyed_on_the_builder_itself():
    from ui.widgets import _cached_figure

    x = np.arange(3.0)
    kw = {"title": "t", "x_label": "x", "y_label": "y", "style": theme.Style()}
    rgb = _cached_figure(features.channel_histogram, x, np.stack([x, x, x]), **kw)
    assert _cached_figure(features.channel_histogram, x, np.stack([x, x, x]), **kw) is rgb  # built once
    assert _cached_figure(features.channel_histogram, x, np.stack([x, x, x + 1]), **kw) is not rgb
    line = _cached_figure(gradients.lines, {"a": (x, x)}, **kw)
    other = _cached_figure(gradients.lines, {"a": (x, x)}, **{**kw, "style": theme.Style(dark=True)})
    assert line is not other
    assert (line.layout.xaxis.gridcolor, other.layout.xaxis.gridcolor) == (
        theme.LIGHT.grid,
        theme.DARK.grid,
    )
    assert _cached_figure(features.bars, ["a"], {"a": x[:1]}, **kw).data[0].type == "bar"


def test_two_builders_with_the_same_inputs_get_their_own_figures():
    from ui.widgets import _cached_figure

    def one(x, *, style):
        return ("one", x, style.dark)

    def two(x, *, style):
        return ("two", x, style.dark)

    style = theme.Style(dark=True)
    assert _cached_figure(one, 1, style=style) == ("one", 1, True)
    assert _cached_figure(two, 1, style=style) == ("two", 1, True)

"""LossLab's one colour scheme and size scale: light and dark colours, normal and presenter sizes.

Figures (ui/plots/*) take a ``Style`` and read every colour and size from it; nothing else in
the app names a colour (tests/ui/test_plots.py greps for one). Text colours and chart backgrounds
are not set here: Streamlit's plotly theme paints them for the theme the browser shows (light or
dark, switched live without a rerun), and our figures leave their backgrounds transparent so the
text always sits on the page's own background. What we choose is the data: class colours from
the Okabe-Ito palette (told apart with the common colour-vision deficiencies, and at least 3:1
against both the light and the dark background), and a few neutrals that differ between light
and dark.

For other views (e.g. an in-browser player): ``CLASS_COLORS["light"]`` / ``CLASS_COLORS["dark"]``
are the class colours, ``REGION_ALPHA`` the opacity of class regions drawn over the background.
Markdown text and tables use Streamlit's own colour names (``:green-background[...]``), which
Streamlit paints for light and dark itself; they are named here too.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

# Okabe & Ito (2008), "Color Universal Design": blue, orange, bluish green, vermillion, reddish
# purple, sky blue, yellow; then a grey and a brown. On the dark background they are used as
# they are; on white, orange, sky blue and yellow are darkened (same hue) to reach 3:1.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")
CLASS_COLORS = {
    "light": (
        "#0072B2",
        "#B07800",
        "#009E73",
        "#D55E00",
        "#CC79A7",
        "#3C93C2",
        "#8F8400",
        "#7F7F7F",
        "#8C6D31",
    ),
    "dark": (*OKABE_ITO, "#A6A6A6", "#C4A46B"),
}
# Histogram of the red, green and blue channels: each line in its channel's colour.
CHANNEL_COLORS = {"R": "#D62728", "G": "#2CA02C", "B": "#1F77B4"}
REGION_ALPHA = 0.25  # decision regions: the class colour over the page's own background
TRANSPARENT = "rgba(0, 0, 0, 0)"  # a chart's own background: the page's shows through

# Streamlit's markdown colours (``:green-background[...]``), painted for light and dark by Streamlit.
HIGHLIGHT = "green"  # a table cell that stands out: the winner, the correct class
WRONG_HIGHLIGHT = "red"  # a table cell that is wrong: a misclassified point
VERDICT_COLORS = {"fine": "green", "suspicious": "orange", "wrong": "red"}  # a gradient check's verdicts
GUESS_COLORS = {"right": "green", "close": "orange", "off": "red"}  # a prediction's badge beside the answer

# A QR code stays dark on white in both themes: phone cameras read that best.
QR_DARK, QR_LIGHT = "#000000", "#ffffff"

# A box drawn into a picture (ui.images.marked), float RGB: a red line with a white rim shows on
# dark and light pictures alike.
MARK_LINE = (0.9, 0.1, 0.1)
MARK_RIM = (1.0, 1.0, 1.0)


@dataclass(frozen=True)
class Diagram:
    """A graphviz diagram's colours: pale boxes with dark text on light, deep boxes with light text
    on dark (graphviz draws what it is told; Streamlit does not recolour it)."""

    background: str
    text: str
    edge: str  # arrows and their labels
    frame: str  # the clusters' frames
    image: str  # box fills: the input image, features, classifier, learned network
    features: str
    classifier: str
    network: str


@dataclass(frozen=True)
class Colors:
    """Colours of one theme (light or dark). Hex strings or CSS rgba()."""

    classes: tuple[str, ...]
    ink: str  # markers that must stand out from the background (a point, a star, outlines)
    neutral: str  # data drawn in a neutral tone (other classes' bars, data-loss bars, true curve)
    guide: str  # dotted guide lines (the current score, the current step)
    grid: str
    zeroline: str
    correct: str
    wrong: str  # the ring around a misclassified point, a divergence line
    outline: str  # the thin edge around a marker drawn over coloured regions
    diagram: Diagram  # the boxes and arrows of a graphviz diagram


LIGHT = Colors(
    classes=CLASS_COLORS["light"],
    ink="#000000",
    neutral="#8C8C8C",
    guide="#555555",
    grid="rgba(128, 128, 128, 0.22)",
    zeroline="rgba(128, 128, 128, 0.55)",
    correct="#009E73",
    wrong="#D55E00",
    outline="#FFFFFF",
    diagram=Diagram(
        background="transparent",
        text="#000000",
        edge="#000000",
        frame="#BDBDBD",
        image="#E3F2FD",
        features="#FFF3E0",
        classifier="#E8F5E9",
        network="#F3E5F5",
    ),
)
DARK = Colors(
    classes=CLASS_COLORS["dark"],
    ink="#F5F5F5",
    neutral="#9E9E9E",
    guide="#BBBBBB",
    grid="rgba(160, 160, 160, 0.22)",
    zeroline="rgba(160, 160, 160, 0.55)",
    correct="#21B78E",
    wrong="#FF7A33",
    outline="#0E1117",
    diagram=Diagram(
        background="transparent",
        text="#F5F5F5",
        edge="#BBBBBB",
        frame="#757575",
        image="#1B3A57",
        features="#4A3413",
        classifier="#1E4226",
        network="#3F2547",
    ),
)


@dataclass(frozen=True)
class Sizes:
    """Font sizes (px), line widths and the height scale of one mode (normal or presenter)."""

    font: int  # axis titles and other text
    tick: int
    legend: int
    title: int
    bar_text: int
    max_height: int  # px: a plot taller than this would not fit on the screen with its context
    line: float
    marker: int


NORMAL = Sizes(font=15, tick=14, legend=15, title=18, bar_text=15, max_height=10_000, line=3, marker=11)
# A projector at 1280x720: ticks >= 14 px read from the back row; plots fit the 720 px screen below
# a title and a row of controls.
PRESENTER = Sizes(font=19, tick=17, legend=19, title=23, bar_text=19, max_height=340, line=4, marker=14)


@dataclass(frozen=True)
class Style:
    """What a figure needs to know about where it is shown: dark or light, presenter or not."""

    dark: bool = False
    present: bool = False

    @property
    def colors(self) -> Colors:
        return DARK if self.dark else LIGHT

    @property
    def sizes(self) -> Sizes:
        return PRESENTER if self.present else NORMAL

    def color(self, k: int) -> str:
        """The colour of class (or series) ``k``."""
        classes = self.colors.classes
        return classes[k % len(classes)]


DEFAULT = Style()


def hue_colors(bins: int) -> list[str]:
    """The colour of each hue bin's centre at full saturation and value, as hex."""
    out = []
    for k in range(bins):
        r, g, b = colorsys.hsv_to_rgb((k + 0.5) / bins, 1.0, 1.0)
        out.append(f"#{int(255 * r):02x}{int(255 * g):02x}{int(255 * b):02x}")
    return out


def rgba(hex_color: str, alpha: float) -> str:
    """``#RRGGBB`` with an opacity, as CSS ``rgba()``."""
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def contrast(fg: tuple[float, float, float], bg: tuple[float, float, float]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours given as 0-255 triples."""

    def luminance(rgb) -> float:
        def channel(c: float) -> float:
            c = c / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)

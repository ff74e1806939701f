"""Chapter 3½'s settings: the weight nudged by hand, the planted bug, the search budget, the surface.

The classifier itself (data, loss, W, b) is the optimization page's (ui.settings.optimization).
"""

from core import gradients as grad
from core import params
from core.data import MAX_CLASSES
from ui.settings.base import choice_field, float_field, int_field, quiz_fields
from ui.settings.page import PageSettings

TABS = ("walkthrough", "check", "strategies", "optimizers", "predict", "code")
SURFACES = ("classifier", "quadratic", "rosenbrock", "saddle")

SETTINGS = PageSettings(
    "gradients",
    (
        choice_field("tab", "walkthrough", TABS, widget=None),
        *quiz_fields("gradients"),
        choice_field(
            "param",
            "W.0.0",
            params.param_keys((MAX_CLASSES, 2)),
            label="gradients.walk.param",
            option_label=params.param_label,
        ),
        float_field("logh", -5.0, -10.0, -1.0, step=0.5, format="%.1f", label="gradients.walk.logh"),
        choice_field(
            "wloss",
            "classifier",
            ("classifier", "softmax"),
            widget="radio",
            label="gradients.walk.loss",
            option_label="gradients.walk.loss_{}",
            help="gradients.walk.loss_help",
        ),
        choice_field(
            "bug",
            "none",
            grad.BUGS,
            widget="radio",
            horizontal=True,
            label="gradients.check.bug",
            option_label="gradients.bug.{}",
        ),
        int_field("budget", 300, 20, 2000, step=20, label="gradients.strategies.budget"),
        int_field("seed", 0, 0, 10_000, widget="whole", label="gradients.strategies.seed"),
        choice_field(
            "surface",
            "quadratic",
            SURFACES,
            label="gradients.optimizers.surface",
            option_label="gradients.surface.{}",
        ),
        float_field("loglr", -1.5, -4.0, 0.5, step=0.1, format="%.1f", label="gradients.optimizers.loglr"),
        int_field("steps", 100, 10, 500, step=10, label="gradients.optimizers.steps"),
    ),
)

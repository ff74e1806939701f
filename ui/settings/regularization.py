"""Chapter 2's settings: the w1 / w2 pair, the full loss, the geometry and the overfitting tabs."""

from core import regularization as reg
from ui.settings.base import choice_field, float_field, int_field, quiz_fields, vector_field
from ui.settings.page import PageSettings

KINDS = ("l2", "l1", "elastic_net")
TABS = ("pair", "geometry", "overfit", "others", "predict", "code")
VECTORS = ("x", "w1", "w2")

SETTINGS = PageSettings(
    "regularization",
    (
        vector_field("x", reg.LECTURE_X, -100.0, 100.0, min_len=2, max_len=8),
        vector_field("w1", reg.LECTURE_W1, -100.0, 100.0, min_len=2, max_len=8),
        vector_field("w2", reg.LECTURE_W2, -100.0, 100.0, min_len=2, max_len=8),
        int_field("seed", 0, 0, 10_000, widget=None),
        float_field(
            "loglam",
            -1.0,
            -3.0,
            1.0,
            step=0.1,
            format="%.1f",
            label="regularization.full.loglam",
            help="regularization.full.loglam_help",
        ),
        float_field("beta", 1.0, 0.0, 5.0, step=0.05, label="regularization.full.beta"),
        choice_field(
            "kind", "l2", KINDS, label="regularization.full.kind", option_label="regularization.kind.{}"
        ),
        choice_field(
            "loss",
            "softmax",
            ("svm", "softmax"),
            label="regularization.full.loss",
            option_label="regularization.loss.{}",
        ),
        int_field(
            "label",
            0,
            0,
            1,
            widget="select",
            options=(0, 1),
            label="regularization.full.label",
            option_label="regularization.label.{}",
        ),
        float_field("a", 1.0, -2.0, 2.0, step=0.05, label="regularization.geometry.w1"),
        float_field("b", 0.5, -2.0, 2.0, step=0.05, label="regularization.geometry.w2"),
        float_field("glam", -0.3, -2.0, 0.5, step=0.05, format="%.2f", label="regularization.geometry.glam"),
        int_field("degree", 12, 1, 15, label="regularization.overfit.degree"),
        float_field(
            "fitlam", -8.0, -8.0, 2.0, step=0.25, format="%.2f", label="regularization.overfit.fitlam"
        ),
        float_field("noise", 0.25, 0.0, 1.0, step=0.05, label="regularization.overfit.noise"),
        int_field("ntrain", 15, 5, 50, label="regularization.overfit.ntrain"),
        int_field("dseed", 0, 0, 10_000, widget=None),
        choice_field("tab", "pair", TABS, widget=None),
        *quiz_fields("regularization"),
    ),
)

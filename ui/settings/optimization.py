"""Chapter 3's settings: the toy data, the loss, the starting W and b, and the descent.

The gradients page studies the same classifier, so it reads these settings too (ui.classifier).
"""

from core import data as toy
from core.optim import OPTIMIZERS
from core.regularization import PENALTIES
from ui.settings.base import choice_field, float_field, int_field, matrix_field, quiz_fields
from ui.settings.page import PageSettings

LOSS_CHOICES = ("svm_ww", "svm_ova", "svm_structured", "softmax")
TEST_SHARES = ("0", "0.2", "0.3", "0.5")
MAX_STEPS = 500  # the trajectory computed for playback (a per-session cost cap)


def percent(share: str) -> str:
    return f"{int(float(share) * 100)} %"


SETTINGS = PageSettings(
    "optimization",
    (
        choice_field(
            "data",
            "cs231n_demo",
            (*toy.DATASETS, "custom"),
            label="optimization.data.name",
            option_label="optimization.dataset.{}",
        ),
        int_field("n", 30, 5, 200, label="optimization.data.n"),
        int_field("classes", 3, 2, 5, label="optimization.data.classes"),
        float_field("noise", 0.1, 0.0, 1.0, step=0.05, label="optimization.data.noise"),
        int_field("dseed", 0, 0, 10_000, widget=None),
        choice_field(
            "test",
            "0",
            TEST_SHARES,
            widget="radio",
            horizontal=True,
            label="optimization.data.test",
            option_label=percent,
        ),
        matrix_field(
            "pts",
            (),
            -toy.MAX_ABS_COORD,
            toy.MAX_ABS_COORD,
            cols=3,
            max_rows=toy.MAX_POINTS,
            max_length=12_000,
        ),
        choice_field(
            "loss",
            "svm_ww",
            LOSS_CHOICES,
            label="optimization.sidebar.loss_kind",
            option_label="optimization.loss.{}",
        ),
        float_field("margin", 1.0, 0.0, 5.0, step=0.1, label="optimization.sidebar.margin"),
        choice_field(
            "pen", "l2", PENALTIES, label="optimization.sidebar.pen", option_label="regularization.kind.{}"
        ),
        float_field("loglam", -1.0, -4.0, 1.0, step=0.1, format="%.1f", label="optimization.sidebar.loglam"),
        float_field("beta", 1.0, 0.0, 5.0, step=0.05, label="regularization.full.beta"),
        matrix_field("W", toy.CS231N_DEMO_W, -100.0, 100.0, cols=2, max_rows=toy.MAX_CLASSES),
        matrix_field("b", [toy.CS231N_DEMO_B], -100.0, 100.0, max_rows=1),
        choice_field(
            "opt",
            "sgd",
            tuple(OPTIMIZERS),
            label="optimization.sidebar.opt",
            option_label="optimization.opt.{}",
        ),
        float_field(
            "loglr",
            -1.0,
            -4.0,
            1.0,
            step=0.1,
            format="%.1f",
            label="optimization.sidebar.loglr",
            help="optimization.sidebar.loglr_help",
        ),
        int_field(
            "batch",
            0,
            0,
            toy.MAX_POINTS,
            widget="whole",
            label="optimization.sidebar.batch",
            help="optimization.sidebar.batch_help",
        ),
        int_field("seed", 0, 0, 10_000, widget=None),
        int_field("t", 0, 0, MAX_STEPS, widget=None),
        int_field("speed", 1, 1, 20, label="optimization.sidebar.speed"),
        *quiz_fields("optimization"),
    ),
)

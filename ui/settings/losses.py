"""Chapter 1's settings: the loss options in the sidebar, the image worked through, the question
and the open tab.

The score table itself (scores, class names, correct classes) is not a setting here: its three
query parameters (``ui.score_table.TABLE_PARAMS``) are decoded together by ``ui.score_table``,
which checks them against each other, and reach the URL through ``SETTINGS.sync(extra)``.
"""

from core import quiz
from core.lecture import QUESTIONS
from core.losses import CLASS_REDUCTIONS, SVM_VARIANTS
from ui.score_table import MAX_EXAMPLES
from ui.settings.base import bool_field, choice_field, float_field, int_field, progress_field
from ui.settings.page import PageSettings

TABS = ("derivation", "whatif", "curve", "code")
SIDEBAR = ("margin", "variant", "squared", "incl", "red", "base")  # drawn in the sidebar, in this order
SVM_OPTIONS = {
    "margin": "margin",
    "variant": "variant",
    "squared": "squared",
    "incl": "include_correct",
    "red": "class_reduction",
}  # setting -> svm_loss's keyword

SETTINGS = PageSettings(
    "losses",
    (
        float_field(
            "margin",
            1.0,
            0.0,
            10.0,
            step=0.1,
            label="losses.options.margin",
            help="losses.options.margin_help",
        ),
        choice_field(
            "variant", "ww", SVM_VARIANTS, label="losses.options.variant", option_label="losses.variant.{}"
        ),
        bool_field("squared", False, label="losses.options.squared"),
        bool_field("incl", False, label="losses.options.incl"),
        choice_field(
            "red",
            "sum",
            CLASS_REDUCTIONS,
            widget="radio",
            horizontal=True,
            label="losses.options.red",
            option_label="losses.red.{}",
        ),
        choice_field(
            "base",
            "e",
            ("e", "2", "10"),
            widget="radio",
            horizontal=True,
            label="losses.options.base",
            option_label="losses.base.{}",
            help="losses.options.base_help",
        ),
        int_field("ex", 0, 0, MAX_EXAMPLES - 1, widget="select", label="losses.derivation.example"),
        choice_field("q", "none", ("none", *QUESTIONS), widget=None),
        progress_field("quiz", [q.id.split(".", 1)[1] for q in quiz.chapter("losses")]),
        choice_field("tab", "derivation", TABS, widget=None),
    ),
)


def svm_options(values) -> dict:
    """``svm_loss``'s keywords from the settings."""
    return {keyword: values[name] for name, keyword in SVM_OPTIONS.items()}


def softmax_options(values) -> dict:
    return {"log_base": values["base"]}


def from_svm_options(options) -> dict:
    """Settings from ``svm_loss`` keywords (a what-if question's option changes)."""
    names = {keyword: name for name, keyword in SVM_OPTIONS.items()}
    return {names[keyword]: value for keyword, value in options.items()}

"""The gradients page's tables and labels on screen: the walkthrough's nudge worked out, the
gradient check's report, the optimizers player's text. Every number comes from core
(core.gradients, core.descent); this module only formats it, with catalog text around it."""

from __future__ import annotations

import streamlit as st

from core import gradients as grad
from core import params
from ui.i18n import current_language, t
from ui.numbers import nudged
from ui.plots.theme import VERDICT_COLORS
from ui.widgets import fmt, markdown_table

SUMMARY = {"fine": st.success, "suspicious": st.warning, "wrong": st.error}  # the check's verdict


def nudge_tables(n: grad.Nudge, keys: tuple[str, ...], index: int, h: float) -> None:
    """W beside W + h (the nudged entry marked, with enough decimals to see h), and the forward
    difference quotient worked out beside the analytic derivative."""
    left, right = st.columns([2, 3], gap="large")
    header = ["", "W", f"W + h ({params.param_label(keys[index])})"]
    rows = [
        [
            params.param_label(k),
            fmt(n.params[i], 4),
            nudged(n.nudged[i], h) if i == index else fmt(n.nudged[i], 4),
        ]
        for i, k in enumerate(keys)
    ]
    marks = [[False, False, i == index] for i in range(len(keys))]
    left.markdown(markdown_table(header, rows, highlight=marks))
    steps = [
        ["h", fmt(h)],
        ["L(W)", f"{n.loss:.10f}"],
        ["L(W + h)", f"{n.nudged_loss:.10f}"],
        ["(L(W + h) − L(W)) / h", f"{n.quotient:.8f}"],
        [t("gradients.walk.analytic"), f"{n.analytic:.8f}"],
        [t("gradients.walk.error"), fmt(abs(n.quotient - n.analytic))],
    ]
    right.markdown(markdown_table(["", t("gradients.walk.value")], steps))
    right.caption(t("gradients.walk.note"))


def check_table(result: grad.GradientCheck, labels) -> str:
    """Analytic, numerical, relative error (coloured by its verdict) and verdict per parameter; every
    cell is a number or catalog text, nothing from the user."""
    header = [
        "",
        t("gradients.check.analytic"),
        t("gradients.check.numeric"),
        t("gradients.check.rel"),
        t("gradients.check.verdict"),
    ]
    lines = ["| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1)]
    for label, a, n, e in zip(labels, result.analytic, result.numeric, result.errors, strict=True):
        v = grad.verdict(e)
        lines.append(
            f"| {label} | {a:.6f} | {n:.6f} | :{VERDICT_COLORS[v]}-background[{fmt(e)}] | "
            f"{t(f'gradients.check.{v}')} |"
        )
    return "\n".join(lines)


def check_report(result: grad.GradientCheck, labels) -> None:
    """The check parameter by parameter, its worst error, its cost and time, and the verdict."""
    st.markdown(check_table(result, labels))
    m1, m2, m3 = st.columns(3)
    m1.metric(t("gradients.check.worst"), fmt(result.worst))
    m2.metric(t("gradients.check.evals"), str(result.evaluations), help=t("gradients.check.evals_help"))
    m3.metric(
        t("gradients.check.time"),
        f"{1000 * result.numeric_seconds:.1f} ms",
        help=t("gradients.check.time_help", analytic=f"{1e6 * result.analytic_seconds:.0f}"),
    )
    verdict = grad.verdict(result.worst)
    SUMMARY[verdict](t(f"gradients.check.summary_{verdict}"), icon=":material/search:")


def player_labels(lr: float, log_y: bool) -> dict:
    """The optimizers player's text; ``log_y``: its curves show the gap to a known minimum."""
    controls = ("play", "pause", "step", "reset", "scrub")
    return {
        "lang": current_language(),
        "player": t("gradients.optimizers.player"),
        "end": "",
        **{c: t(f"optimization.controls.{c}") for c in controls},
        "counter": t("optimization.controls.counter", step="{step}", last="{last}"),
        "picture": t("gradients.optimizers.paths_title", lr=f"{lr:.2g}"),
        "minimum": t("gradients.optimizers.minimum"),
        "value": t("gradients.optimizers.y_loss"),
        "curve_title": t(
            "gradients.optimizers.curves_title_y",
            y=t("gradients.optimizers.y_gap" if log_y else "gradients.optimizers.y_loss"),
        ),
        "xlabel": t("optimization.metrics.step"),
    }


def batch_label(size: int | None) -> str:
    """A mini-batch curve's name: the full batch, or its batch size."""
    return t("gradients.optimizers.full") if size is None else t("gradients.optimizers.batch", size=size)

"""Chapter 1: loss functions. The lecture's score table with live SVM and softmax losses."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import streamlit as st

from core import lecture, quiz
from core.losses import SoftmaxResult, SVMResult, softmax_loss, svm_loss
from core.one_example import loss_vs_correct_score, softmax_working, svm_term_count
from ui import chapter, predict
from ui import losses_view as view
from ui import score_table as tables
from ui.derivation import softmax_latex, softmax_normalize_latex, svm_latex
from ui.i18n import t
from ui.numbers import short
from ui.plots import losses as plots
from ui.settings.losses import SETTINGS, SIDEBAR, from_svm_options, softmax_options, svm_options
from ui.widgets import chart, figure, fmt, select_tab, show_code, sidebar_group

S = SETTINGS


class Work(NamedTuple):
    """What a run computed: the table, its two losses, and the settings they were computed with."""

    table: tables.ScoreTable
    svm: SVMResult
    soft: SoftmaxResult
    values: dict


def changed(values: dict, names=SIDEBAR) -> bool:
    """Whether a callback changed settings that were drawn outside the part now rerunning."""
    return any(S[name] != values[name] for name in names)


# ---- presets, resets and undo (button callbacks) ----------------------------------------------------------


def apply_preset(question: str) -> None:
    """Set up the table and options of one of the lecture's questions (core.lecture.WHAT_IF);
    every question starts from the lecture's options."""
    setup = lecture.WHAT_IF[question]
    view.remember(S.values())
    view.replace(tables.check(lecture.LECTURE_CLASSES, setup.scores, setup.labels.tolist()))
    S.set(
        **{
            **S.defaults(name for name in S.names if name != "quiz"),  # progress stays
            **from_svm_options(setup.options),
            "ex": setup.example,
            "q": question,
            "tab": "whatif",
        }
    )
    select_tab(S.page, "whatif")


def reset_table() -> None:
    """The lecture's table; the options stay as they are."""
    view.remember(S.values())
    view.replace(tables.lecture_table())


def reset_options() -> None:
    """The lecture's options; the table stays as it is."""
    view.remember(S.values())
    S.set(**S.defaults(SIDEBAR))


def undo() -> None:
    values = view.undo()
    S.set(**values)
    select_tab(S.page, values["tab"])


def reset_buttons() -> None:
    buttons = (("reset", reset_table, False), ("reset_options", reset_options, False), ("undo", undo, True))
    for column, (name, action, needs_undo) in zip(st.columns(3), buttons, strict=True):
        column.button(
            t(f"losses.table.{name}"),
            on_click=action,
            width="stretch",
            key="losses.reset_table" if name == "reset" else f"losses.{name}",
            disabled=needs_undo and not view.can_undo(),
            help=t(f"losses.table.{name}_help"),
        )


# ---- the tabs --------------------------------------------------------------------------------------------


def derivation(work: Work) -> None:
    table, v, i = work.table, work.values, work.values["ex"]
    y = table.labels[i]
    variant = t(f"losses.variant.{v['variant']}")
    st.markdown(f"**{t('losses.derivation.svm')}** · {variant}")
    st.latex(svm_latex(table.scores[i], y, work.svm.terms[i], work.svm.per_example[i], **svm_options(v)))
    st.caption(t("losses.derivation.svm_note"))
    if v["red"] == "mean":
        terms = svm_term_count(table.num_classes, include_correct=v["incl"], variant=v["variant"])
        st.caption(t("losses.derivation.mean_note", classes=table.num_classes, terms=terms))
    st.markdown(f"**{t('losses.derivation.softmax')}**")
    steps = softmax_working(table.scores[i], y, log_base=v["base"])
    if steps.shift != 0:  # exp would overflow: the pipeline is shown shifted by the row's max
        st.info(t("losses.derivation.shift_note"))
    view.probability_table(table, i, steps)
    st.caption(t("losses.derivation.normalize"))
    st.latex(softmax_normalize_latex(steps.exp, steps.sum_exp, steps.probs[y], y, steps.shift))
    st.latex(softmax_latex(work.soft.probs[i, y], work.soft.per_example[i], v["base"]))
    slide = softmax_loss(table.scores[i : i + 1], [y], log_base=10).total
    natural = softmax_loss(table.scores[i : i + 1], [y]).total
    st.caption(t("losses.derivation.slide_note", log10=fmt(slide), ln=fmt(natural)))


def what_if(work: Work) -> None:
    if view.current() != work.table or changed(work.values, (*SIDEBAR, "ex")):
        st.rerun(scope="app")  # a preset changed the table, an option or the image: the whole page
    st.caption(t("whatif.intro"))
    predict.progress_line(S, "losses")
    q = S["q"]
    # Row by row (Q1-Q4, then Q5-Q7), so the reading order is also the Tab order.
    rows = [st.columns(4) for _ in range(0, len(lecture.QUESTIONS), 4)]
    for k, question in enumerate(lecture.QUESTIONS):
        mark = predict.MARKS.get(dict(S["quiz"]).get(question), "")
        rows[k // 4][k % 4].button(
            f"{t(f'whatif.{question}.button')} {mark}".strip(),
            key=f"losses.preset.{question}",
            on_click=apply_preset,
            args=(question,),
            width="stretch",
            help=t(f"whatif.{question}.question"),
            type="primary" if q == question else "secondary",
        )
    if q == "none":
        return
    table, v = work.table, work.values
    inputs = {
        "scores": table.scores,
        "labels": table.labels,
        "example": v["ex"],
        "svm": svm_options(v),
        "softmax": softmax_options(v),
    }
    comp, _ = lecture.what_if(q, table.scores, table.labels, v["ex"], inputs["svm"], inputs["softmax"])
    facts = {k: (fmt(val) if isinstance(val, float) else val) for k, val in comp.facts.items()}
    facts.update(image=v["ex"] + 1, margin=short(v["margin"]))
    st.markdown(f"*{t('whatif.changed')}* {t(f'whatif.{q}.changed', **facts)}")
    table_view = lambda _: st.markdown(view.comparison_table(comp))
    after = lecture.QUESTIONS[(lecture.QUESTIONS.index(q) + 1) % len(lecture.QUESTIONS)]
    question = quiz.QUESTIONS[f"losses.{q}"]
    predict.ask(
        S, question, inputs, facts=facts, details=table_view, next_question=lambda: apply_preset(after)
    )


def curve(work: Work) -> None:
    i = work.values["ex"]
    st.caption(t("losses.curve.intro"))
    row, y = work.table.scores[i], work.table.labels[i]
    shape = lecture.loss_curves(row, y, svm_options(work.values), softmax_options(work.values))
    grid, y_max = shape.grid, shape.y_max
    curves = {t(f"losses.curve.{name}"): losses for name, losses in shape.losses.items()}
    now = {t(f"losses.curve.{name}"): loss for name, loss in shape.now.items()}
    fig = figure(
        plots.loss_curves,
        grid,
        curves,
        float(row[y]),
        now,
        title=t("losses.curve.plot_title", k=i + 1),
        x_label=t("losses.curve.x"),
        y_label=t("losses.curve.y"),
        y_max=y_max,
    )
    chart(st, fig)


def code(work: Work) -> None:
    show_code(svm_loss, softmax_loss, loss_vs_correct_score, expander=False)


SECTIONS = {"derivation": derivation, "whatif": what_if, "curve": curve, "code": code}


# ---- the page ----------------------------------------------------------------------------------------------


def example_picker(table: tables.ScoreTable) -> int:
    """Which image the derivation, the curve and Q1/Q2 look at."""
    if S["ex"] >= table.num_examples:  # an image was removed
        S.set(ex=table.num_examples - 1)
    view.push_renamed(S.key("ex"), view.image_name(table, S["ex"], cut=False))
    column, _ = st.columns([1, 2])
    return S.draw(
        "ex",
        column,
        options=range(table.num_examples),
        format_func=lambda k: view.image_name(table, k, cut=False),
    )


@st.fragment
def workbench(drawn: dict) -> None:
    """The table, its losses and the open tab: a score edit reruns this part, not the sidebar."""
    S.start()  # a value the browser sent for a widget whose labels changed goes back to the last good one
    if changed(drawn):
        st.rerun(scope="app")  # Reset options or Undo changed the sidebar's options
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(t("losses.table.title"))
        st.caption(t("losses.table.help"))
        table = view.score_editor(view.current())
        view.label_boxes(table)
        view.structure_buttons(table)
        reset_buttons()
    y = np.array(table.labels)
    svm = svm_loss(table.scores, y, **svm_options(drawn))
    soft = softmax_loss(table.scores, y, **softmax_options(drawn))
    with right:
        st.subheader(t("losses.results.title"))
        view.results(table, svm, soft)
    st.divider()
    values = {**S.values(), "ex": example_picker(table)}
    chapter.open_tab(S, SECTIONS, Work(table, svm, soft, values), url=view.url)


S.start()
view.load(S)
with sidebar_group(t("losses.options.title")):
    for name in SIDEBAR:
        S.draw(name)
chapter.header(S)
workbench(S.values())
S.sync(view.url())

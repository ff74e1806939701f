"""Chapter 1: loss functions. The lecture's score table with live SVM and softmax losses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import lecture
from core.losses import (
    CLASS_REDUCTIONS,
    SVM_VARIANTS,
    loss_vs_correct_score,
    softmax_loss,
    softmax_working,
    svm_loss,
    svm_term_count,
)
from ui import editor
from ui import score_table as tables
from ui.derivation import softmax_latex, softmax_normalize_latex, svm_latex
from ui.i18n import LANGUAGES, current_language, t, translate
from ui.numbers import exp_value, short
from ui.plots import losses as plots
from ui.state import (
    bool_field,
    choice_field,
    float_field,
    int_field,
    load_page,
    read_widgets,
    save_page,
    set_values,
    widget_key,
)
from ui.widgets import (
    chart,
    figure,
    fmt,
    lazy_tabs,
    markdown_table,
    md_escape,
    select_tab,
    show_code,
    show_problems,
    sidebar_group,
)

PAGE = "losses"
FIELDS = (
    float_field("margin", 1.0, 0.0, 10.0),
    bool_field("squared", False),
    bool_field("incl", False),
    choice_field("red", "sum", CLASS_REDUCTIONS),
    choice_field("variant", "ww", SVM_VARIANTS),
    choice_field("base", "e", ("e", "2", "10")),
    int_field("ex", 0, 0, tables.MAX_EXAMPLES - 1),
    choice_field("q", "none", ("none", *lecture.QUESTIONS), widget=False),
    choice_field("tab", "derivation", ("derivation", "whatif", "curve", "code"), widget=False),
)
TABS = ("derivation", "whatif", "curve", "code")
DEFAULTS = {f.name: f.default for f in FIELDS}
TABLE = f"_table.{PAGE}"
EDITOR = f"{PAGE}.editor"  # the score grid (ui.editor)


# ---- table state ------------------------------------------------------------------------------


def load_table() -> tables.ScoreTable:
    """The last good table; decoded from the URL on the page's first run in a session."""
    if TABLE not in st.session_state:
        table, problems = tables.decode(st.query_params.to_dict())
        st.session_state[TABLE] = table
        st.session_state[f"_problems.{PAGE}"] = st.session_state.get(f"_problems.{PAGE}", []) + problems
    return st.session_state[TABLE]


def lecture_names(lang: str) -> tuple[str, ...]:
    return tuple(translate(lang, f"losses.classes.{name}") for name in lecture.LECTURE_CLASSES)


def localize(table: tables.ScoreTable, lang: str) -> tables.ScoreTable:
    """The lecture's cat / car / frog in ``lang`` (고양이 / 자동차 / 개구리); names typed by the
    user stay as typed (tables.with_names)."""
    return tables.with_names(table, lecture_names(lang), [lecture_names(code) for code in LANGUAGES])


def replace_table(table: tables.ScoreTable) -> None:
    """Put a new table in place and make the editor and label boxes start from it."""
    st.session_state[TABLE] = table
    editor.restart(EDITOR)  # the editor starts afresh from this table
    for k in range(tables.MAX_EXAMPLES):
        st.session_state.pop(widget_key(PAGE, f"label.{k}"), None)


def edit_structure(change) -> None:
    replace_table(change(st.session_state[TABLE]))


def valid_index(value, size: int) -> bool:
    """A selectbox value that is really one of range(size), not a stale label string."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size


def set_label(k: int) -> None:
    label = st.session_state[widget_key(PAGE, f"label.{k}")]
    table = st.session_state[TABLE]
    if valid_index(label, table.num_classes):  # a stale label string is ignored
        st.session_state[TABLE] = tables.with_label(table, k, label)


PRESETS = {
    # question -> (table, option changes); every preset starts from the lecture's defaults.
    "q1": (tables.lecture_table, {"ex": 1}),
    "q2": (tables.lecture_table, {"ex": 0}),
    "q3": (lambda: tables.check(lecture.LECTURE_CLASSES, lecture.near_zero_scores(3, 3, seed=0),
                                lecture.LECTURE_LABELS.tolist()), {}),
    "q4": (tables.lecture_table, {"incl": True}),
    "q5": (tables.lecture_table, {"red": "mean"}),
    "q6": (tables.lecture_table, {"squared": True}),
    "q7": (lambda: tables.check(lecture.LECTURE_CLASSES, lecture.SVM_VS_SOFTMAX_SCORES,
                                lecture.SVM_VS_SOFTMAX_LABELS.tolist()), {}),
    "none": (tables.lecture_table, {}),
}


UNDO = f"_undo.{PAGE}"  # the table and options before the last preset or reset


def remember() -> None:
    """Keep the current table and options so that Undo can bring them back."""
    st.session_state[UNDO] = (st.session_state[TABLE], dict(st.session_state.get(f"_state.{PAGE}", DEFAULTS)))


def undo() -> None:
    table, values = st.session_state.pop(UNDO)
    replace_table(table)
    set_values(PAGE, FIELDS, values)
    select_tab(PAGE, values["tab"])


def reset_table() -> None:
    """The lecture's table; the options stay as they are."""
    remember()
    replace_table(tables.lecture_table())


def reset_options() -> None:
    """The lecture's options; the table stays as it is."""
    remember()
    set_values(PAGE, FIELDS, {f.name: f.default for f in FIELDS if f.widget and f.name != "ex"})


def apply_preset(question: str) -> None:
    make_table, changes = PRESETS[question]
    remember()
    replace_table(make_table())
    tab = "whatif" if question != "none" else "derivation"
    set_values(PAGE, FIELDS, {**DEFAULTS, **changes, "q": question, "tab": tab})
    select_tab(PAGE, tab)


# ---- options ------------------------------------------------------------------------------------


def svm_options(v: dict) -> dict:
    return {"margin": v["margin"], "squared": v["squared"], "include_correct": v["incl"],
            "class_reduction": v["red"], "variant": v["variant"]}


def softmax_options(v: dict) -> dict:
    return {"log_base": v["base"]}


def sidebar_options() -> None:
    with sidebar_group(t("losses.options.title")):
        st.slider(t("losses.options.margin"), 0.0, 10.0, step=0.1, key=widget_key(PAGE, "margin"),
                  help=t("losses.options.margin_help"))
        st.selectbox(t("losses.options.variant"), SVM_VARIANTS, key=widget_key(PAGE, "variant"),
                     format_func=lambda v: t(f"losses.variant.{v}"))
        st.toggle(t("losses.options.squared"), key=widget_key(PAGE, "squared"))
        st.toggle(t("losses.options.incl"), key=widget_key(PAGE, "incl"))
        st.radio(t("losses.options.red"), CLASS_REDUCTIONS, key=widget_key(PAGE, "red"),
                 format_func=lambda v: t(f"losses.red.{v}"), horizontal=True)
        st.radio(t("losses.options.base"), ("e", "2", "10"), key=widget_key(PAGE, "base"),
                 format_func=lambda v: t(f"losses.base.{v}"), horizontal=True,
                 help=t("losses.options.base_help"))


# ---- sections -----------------------------------------------------------------------------------


SHORT_NAME = 14  # longer class names are cut with "…" in headers, selectors and charts


def short_name(name: str) -> str:
    """A class name cut visibly to SHORT_NAME characters (the full name is shown on hover)."""
    return name if len(name) <= SHORT_NAME else name[: SHORT_NAME - 1] + "…"


def headers_for(table: tables.ScoreTable) -> list[str]:
    return [t("losses.table.image", k=k + 1, name=short_name(table.classes[table.labels[k]]))
            for k in range(table.num_examples)]


def score_editor(table: tables.ScoreTable) -> tables.ScoreTable:
    """The editable table; returns the table to compute with (the last good one on a bad edit).

    Scores sit in text cells read with Python's float rules (ui.editor): what is typed is used
    exactly or refused by name, and the grid goes back to the last good table.
    """
    signature = (table.classes, table.labels, table.scores.shape, st.session_state.get("lang"))
    base = editor.base(EDITOR, table, signature)
    headers = headers_for(base)
    long_names = any(len(name) > SHORT_NAME for name in base.classes)
    config = {tables.CLASS_COLUMN: st.column_config.TextColumn(  # a long name must not push the scores away
        t("losses.table.class"), max_chars=tables.MAX_NAME_LENGTH, required=True,
        width=130 if long_names else None)}
    parsers = {tables.CLASS_COLUMN: tables.check_name}
    for k, header in enumerate(headers):
        config[header] = editor.text_column(header, required=True,
                                            help=md_escape(base.classes[base.labels[k]]))
        parsers[header] = editor.number(-tables.MAX_ABS_SCORE, tables.MAX_ABS_SCORE)
    class_label = t("losses.table.class")
    frame, refused = editor.grid(
        EDITOR, tables.to_text_frame(base, headers), parsers, row_names=list(base.classes),
        column_names={tables.CLASS_COLUMN: class_label}, num_rows="fixed", hide_index=True,
        column_config=config, width="stretch", alt=t("losses.table.alt"))
    if not refused:
        names = frame[tables.CLASS_COLUMN].tolist()
        refused = [editor.Refusal(base.classes[r], class_label, names[r], "duplicate_name",
                                  (("name", names[r]),)) for r in tables.duplicate_rows(names)]
    if refused:
        editor.refuse(EDITOR, refused)  # reruns with the grid back at the last good table
    new = tables.from_frame(frame, headers, table.labels)
    if new != table:
        editor.accept(EDITOR)
        st.session_state[TABLE] = new
        if (new.classes, new.labels) != (base.classes, base.labels):
            # A renamed class changes the headers, so the editor needs a new base: rerun now,
            # before the user's next edit can land on the old editor and be dropped with it.
            st.rerun()
    return new


def push_renamed(key: str, label: str) -> None:
    """Send a selectbox's value again when the label of its selected option changed (a class
    renamed): with new option labels alone, the browser keeps showing the old one."""
    shown = f"_shown.{key}"
    if st.session_state.get(shown, label) != label and key in st.session_state:
        st.session_state[key] = st.session_state[key]
    st.session_state[shown] = label


LABELS_PER_ROW = 4  # more selectors side by side shrink to blank boxes


def label_boxes(table: tables.ScoreTable) -> None:
    n = table.num_examples
    per_row = min(n, LABELS_PER_ROW)
    cols = [c for start in range(0, n, per_row) for c in st.columns(per_row)][:n]
    for k, col in enumerate(cols):
        key = widget_key(PAGE, f"label.{k}")
        if not valid_index(st.session_state.get(key), table.num_classes):
            st.session_state[key] = table.labels[k]
        push_renamed(key, short_name(table.classes[st.session_state[key]]))
        col.selectbox(t("losses.table.correct", k=k + 1), range(table.num_classes), key=key,
                      format_func=lambda j: short_name(table.classes[j]), on_change=set_label, args=(k,),
                      help=md_escape(table.classes[table.labels[k]])  # help is markdown: the name as text
                      if len(table.classes[table.labels[k]]) > SHORT_NAME else None)


def structure_buttons(table: tables.ScoreTable) -> None:
    c1, c2, c3, c4 = st.columns(4)
    c1.button(t("losses.table.add_class"), on_click=edit_structure, args=(tables.add_class,),
              disabled=table.num_classes >= tables.MAX_CLASSES, width="stretch")
    c2.button(t("losses.table.remove_class"), on_click=edit_structure, args=(tables.remove_class,),
              disabled=table.num_classes <= tables.MIN_CLASSES, width="stretch")
    c3.button(t("losses.table.add_example"), on_click=edit_structure, args=(tables.add_example,),
              disabled=table.num_examples >= tables.MAX_EXAMPLES, width="stretch")
    c4.button(t("losses.table.remove_example"), on_click=edit_structure, args=(tables.remove_example,),
              disabled=table.num_examples <= tables.MIN_EXAMPLES, width="stretch")
    r1, r2, r3 = st.columns(3)
    r1.button(t("losses.table.reset"), on_click=reset_table, width="stretch", key=f"{PAGE}.reset_table",
              help=t("losses.table.reset_help"))
    r2.button(t("losses.table.reset_options"), on_click=reset_options, width="stretch",
              key=f"{PAGE}.reset_options", help=t("losses.table.reset_options_help"))
    r3.button(t("losses.table.undo"), on_click=undo, width="stretch", key=f"{PAGE}.undo",
              disabled=UNDO not in st.session_state, help=t("losses.table.undo_help"))


def results(table, svm, soft, v) -> None:
    m1, m2 = st.columns(2)
    m1.metric(t("losses.results.svm_total"), fmt(svm.total))
    m2.metric(t("losses.results.softmax_total"), fmt(soft.total))
    n = table.num_examples
    header = [""] + [t("losses.results.image", k=k + 1) for k in range(n)]
    prob_correct = soft.probs[np.arange(n), list(table.labels)]
    rows = [[t("losses.results.svm_row")] + [fmt(x) for x in svm.per_example],
            [t("losses.results.softmax_row")] + [fmt(x) for x in soft.per_example],
            [t("losses.results.prob_row")] + [fmt(x) for x in prob_correct]]
    zero = [[False] + list(svm.per_example == 0), [False] + list(soft.per_example == 0), [False] * (n + 1)]
    if n > 5:  # many images: one row per image, so the table fits the column
        header = [""] + [r[0] for r in rows]
        rows = [[t("losses.results.image", k=k + 1).replace(" ", "\u00a0")] + [r[k + 1] for r in rows]
                for k in range(n)]
        zero = [[False] + [z[k + 1] for z in zero] for k in range(n)]
    st.markdown(markdown_table(header, rows, highlight=zero))
    st.caption(t("losses.results.mean_svm", n=n, terms=" + ".join(short(x) for x in svm.per_example),
                 total=fmt(svm.total)))
    st.caption(t("losses.results.mean_softmax", n=n, terms=" + ".join(short(x) for x in soft.per_example),
                 total=fmt(soft.total)))
    if np.any(svm.per_example == 0):
        st.caption(t("losses.results.zero_note"))


def comparison_table(comp) -> str:
    """The rows of a what-if comparison as a markdown table."""
    rows = []
    for (key, params), a, b in zip(comp.rows, comp.svm, comp.softmax, strict=True):
        label = t(key, **{k: short(val) if isinstance(val, float) else val for k, val in params.items()})
        rows.append([label, fmt(a), fmt(b)])
    return markdown_table(["", t("whatif.svm"), t("whatif.softmax")], rows)


def what_if(table, v) -> None:
    st.caption(t("whatif.intro"))
    # Row by row (Q1-Q4, then Q5-Q7), so the reading order is also the Tab order.
    rows = [st.columns(4) for _ in range(0, len(lecture.QUESTIONS), 4)]
    for k, q in enumerate(lecture.QUESTIONS):
        rows[k // 4][k % 4].button(t(f"whatif.{q}.button"), key=f"{PAGE}.preset.{q}", on_click=apply_preset,
                              args=(q,), width="stretch", help=t(f"whatif.{q}.question"),
                              type="primary" if v["q"] == q else "secondary")
    q = v["q"]
    if q == "none":
        return
    scores, y = table.scores, np.array(table.labels)
    so, mo = svm_options(v), softmax_options(v)
    i = v["ex"]
    if q == "q1":
        comp = lecture.jiggle_correct_score(scores, y, i, so, mo)
    elif q == "q2":
        comp = lecture.loss_extremes(scores, y, i, so, mo)
    elif q == "q3":
        comp = lecture.sanity_check(scores, y, so, mo)
    elif q == "q4":
        comp = lecture.option_effect(scores, y, so, mo, "include_correct", (False, True))
    elif q == "q5":
        comp = lecture.class_mean(scores, y, so, mo)
    elif q == "q6":
        comp = lecture.option_effect(scores, y, so, mo, "squared", (False, True))
    else:
        comp = lecture.svm_vs_softmax(scores, y, so, mo)
    facts = {k: (fmt(val) if isinstance(val, float) else val) for k, val in comp.facts.items()}
    facts.update(image=i + 1, margin=short(v["margin"]))
    with st.container(border=True):
        st.markdown(f"**{t(f'whatif.{q}.button')}** · {t(f'whatif.{q}.question')}")
        st.markdown(f"*{t('whatif.changed')}* {t(f'whatif.{q}.changed', **facts)}")
        st.markdown(comparison_table(comp))
        answer_key = f"whatif.{q}.answer"
        if q == "q5" and comp.facts["ratio"] is None:  # the sum was 0: nothing to rescale
            answer_key = "whatif.q5.answer_zero"
        if q == "q1" and comp.facts["svm_change"] != 0:  # the margin is not met: the SVM moves too
            answer_key = "whatif.q1.answer_moved"
        st.success(t(answer_key, **facts), icon=":material/lightbulb:")


def example_picker(table) -> int:
    """Which image the derivation, the curve and Q1/Q2 look at."""
    key = widget_key(PAGE, "ex")
    current = st.session_state.get(key, 0)
    if not valid_index(current, table.num_examples):
        st.session_state[key] = min(current, table.num_examples - 1) if isinstance(current, int) else 0
        current = st.session_state[key]
    push_renamed(key, t("losses.table.image", k=current + 1, name=table.classes[table.labels[current]]))
    column, _ = st.columns([1, 2])
    return column.selectbox(t("losses.derivation.example"), range(table.num_examples), key=key,
                            format_func=lambda k: t("losses.table.image", k=k + 1,
                                                    name=table.classes[table.labels[k]]))


def derivation(table, svm, soft, v) -> None:
    i = v["ex"]
    y = table.labels[i]
    variant = t(f"losses.variant.{v['variant']}")
    st.markdown(f"**{t('losses.derivation.svm')}** · {variant}")
    st.latex(svm_latex(table.scores[i], y, svm.terms[i], svm.per_example[i], margin=v["margin"],
                       squared=v["squared"], include_correct=v["incl"], class_reduction=v["red"],
                       variant=v["variant"]))
    st.caption(t("losses.derivation.svm_note"))
    if v["red"] == "mean":
        terms = svm_term_count(table.num_classes, include_correct=v["incl"], variant=v["variant"])
        st.caption(t("losses.derivation.mean_note", classes=table.num_classes, terms=terms))
    st.markdown(f"**{t('losses.derivation.softmax')}**")
    work = softmax_working(table.scores[i], y, log_base=v["base"])
    exp_label = t("losses.derivation.exp") if work.shift == 0 else t("losses.derivation.exp_shifted")
    if work.shift != 0:  # exp would overflow: the pipeline is shown shifted by the row's max
        st.info(t("losses.derivation.shift_note"))
    # The probabilities as numbers (one format) and as bars (a progress column: no chart library
    # to load on the page's first view), the correct class marked.
    names = [short_name(c) for c in table.classes]
    if len(set(names)) < len(names):  # two long names cut alike would read as one class
        names = [f"{j + 1}. {name}" for j, name in enumerate(names)]
    pipeline = pd.DataFrame({
        "class": names,
        "correct": ["✓" if j == y else "" for j in range(table.num_classes)],
        "score": [short(s) for s in table.scores[i]],
        "exp": [exp_value(e) for e in work.exp],
        "prob": [fmt(p) for p in work.probs],
        "bar": work.probs,
    })
    config = {
        "class": st.column_config.TextColumn(t("losses.table.class")),
        "correct": st.column_config.TextColumn(t("losses.derivation.correct")),
        "score": st.column_config.TextColumn(t("losses.derivation.score")),
        "exp": st.column_config.TextColumn(exp_label),
        "prob": st.column_config.TextColumn(t("losses.derivation.prob")),
        "bar": st.column_config.ProgressColumn(t("losses.derivation.prob_bar"), min_value=0.0, max_value=1.0,
                                               format=" ", width="medium"),
    }
    st.dataframe(pipeline, hide_index=True, width="stretch", column_config=config)
    st.caption(t("losses.derivation.normalize"))
    st.latex(softmax_normalize_latex(work.exp, work.sum_exp, work.probs[y], y, work.shift))
    st.latex(softmax_latex(soft.probs[i, y], soft.per_example[i], v["base"]))
    slide = softmax_loss(table.scores[i : i + 1], [y], log_base=10).total
    natural = softmax_loss(table.scores[i : i + 1], [y]).total
    st.caption(t("losses.derivation.slide_note", log10=fmt(slide), ln=fmt(natural)))


def curve(table, v) -> None:
    i = v["ex"]
    st.caption(t("losses.curve.intro"))
    row, y = table.scores[i], table.labels[i]
    top = float(np.delete(row, y).max())
    lo, hi = min(row[y], top) - 5.0, max(row[y], top + v["margin"]) + 5.0
    grid = np.linspace(lo, hi, 241)
    losses = {  # legend name -> (loss, options)
        t("losses.curve.hinge"): ("svm", {**svm_options(v), "squared": False}),
        t("losses.curve.squared"): ("svm", {**svm_options(v), "squared": True}),
        t("losses.curve.softmax"): ("softmax", softmax_options(v)),
    }
    curves = {name: loss_vs_correct_score(row, y, grid, loss=loss, **opts)
              for name, (loss, opts) in losses.items()}
    now = {name: float(loss_vs_correct_score(row, y, [row[y]], loss=loss, **opts)[0])
           for name, (loss, opts) in losses.items()}
    # Scale the y-axis to the plain hinge and softmax; the squared hinge may run off the top.
    unsquared = [values for name, values in curves.items() if name != t("losses.curve.squared")]
    y_max = 1.3 * max(float(np.max(values)) for values in unsquared) + 0.5
    fig = figure(plots.loss_curves, grid, curves, float(row[y]), now,
                 title=t("losses.curve.plot_title", k=i + 1), x_label=t("losses.curve.x"),
                 y_label=t("losses.curve.y"), y_max=y_max)
    chart(st, fig)


# ---- the page -------------------------------------------------------------------------------------

values = read_widgets(PAGE, FIELDS, load_page(PAGE, FIELDS))  # the latest widget values, early
table = load_table()
if (shown := localize(table, current_language())) is not table:
    table = st.session_state[TABLE] = shown
sidebar_options()
values = read_widgets(PAGE, FIELDS, values)

st.title(t("losses.title"))
st.markdown(t("losses.intro"))
show_problems(PAGE)

# The sidebar's options as this full run drew them. A fragment run (a score edit, a correct class,
# the example, a tab) changes none of them; one that did (Reset options, Undo) needs the page.
SIDEBAR = ("margin", "squared", "incl", "red", "variant", "base")


@st.fragment
def workbench(drawn: dict) -> None:
    """The table, its losses and the open tab: a score edit reruns this part, not the sidebar."""
    values = read_widgets(PAGE, FIELDS, dict(st.session_state[f"_state.{PAGE}"]))
    if any(values[name] != drawn[name] for name in SIDEBAR):
        st.rerun(scope="app")
    table = st.session_state[TABLE]
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader(t("losses.table.title"))
        st.caption(t("losses.table.help"))
        table = score_editor(table)
        editor.show_refusals(EDITOR)
        label_boxes(table)
        structure_buttons(table)
    y = np.array(table.labels)
    svm = svm_loss(table.scores, y, **svm_options(values))
    soft = softmax_loss(table.scores, y, **softmax_options(values))
    with right:
        st.subheader(t("losses.results.title"))
        results(table, svm, soft, values)
    st.divider()
    sections(table, svm, soft, values)


@st.fragment
def sections(table, svm, soft, drawn: dict) -> None:
    """The example and the open tab: a tab or an example reruns only this part."""
    values = read_widgets(PAGE, FIELDS, dict(st.session_state[f"_state.{PAGE}"]))
    if st.session_state[TABLE] != table or any(values[name] != drawn[name] for name in SIDEBAR):
        st.rerun(scope="app")  # a preset or Undo changed the table or an option: the whole page
    values["ex"] = example_picker(table)
    # Only the open tab's content is computed (lazy tabs): a rerun builds one section, not four.
    values["tab"], open_tab = lazy_tabs(PAGE, TABS, values["tab"])
    with open_tab:
        if values["tab"] == "derivation":
            derivation(table, svm, soft, values)
        elif values["tab"] == "whatif":
            what_if(table, values)
        elif values["tab"] == "curve":
            curve(table, values)
        else:
            show_code(svm_loss, softmax_loss, loss_vs_correct_score, expander=False)
    save_page(PAGE, FIELDS, values, extra=tables.encode(localize(table, "en")),  # English names in the URL
              full_run=False)


workbench(values)
# The full run also records which widgets it showed (the fragments save only the values).
save_page(PAGE, FIELDS, st.session_state[f"_state.{PAGE}"],
          extra=tables.encode(localize(st.session_state[TABLE], "en")))

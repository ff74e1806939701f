"""Chapter 2: regularization. L = data loss + lambda R(W), and why simpler generalizes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import regularization as reg
from ui import editor
from ui.i18n import t
from ui.numbers import short
from ui.plots import regularization as plots
from ui.state import (
    Problem,
    choice_field,
    float_field,
    int_field,
    load_page,
    read_widgets,
    save_page,
    set_values,
    shorten,
    vector_field,
    widget_key,
)
from ui.widgets import chart, figure, fmt, lazy_tabs, markdown_table, show_code, show_problems

PAGE = "regularization"
KINDS = ("l2", "l1", "elastic_net")
TABS = ("pair", "geometry", "overfit", "others", "code")
FIELDS = (
    vector_field("x", reg.LECTURE_X, -100.0, 100.0, min_len=2, max_len=8),
    vector_field("w1", reg.LECTURE_W1, -100.0, 100.0, min_len=2, max_len=8),
    vector_field("w2", reg.LECTURE_W2, -100.0, 100.0, min_len=2, max_len=8),
    int_field("seed", 0, 0, 10_000),
    float_field("loglam", -1.0, -3.0, 1.0),
    float_field("beta", 1.0, 0.0, 5.0),
    choice_field("kind", "l2", KINDS),
    choice_field("loss", "softmax", ("svm", "softmax")),
    int_field("label", 0, 0, 1),
    float_field("a", 1.0, -2.0, 2.0),
    float_field("b", 0.5, -2.0, 2.0),
    float_field("glam", -0.3, -2.0, 0.5),
    int_field("degree", 12, 1, 15),
    float_field("fitlam", -8.0, -8.0, 2.0),
    float_field("noise", 0.25, 0.0, 1.0),
    int_field("ntrain", 15, 5, 50),
    int_field("dseed", 0, 0, 10_000),
    choice_field("tab", "pair", TABS, widget=False),
)
VECTORS = ("x", "w1", "w2")
VERSION = f"_{PAGE}.editor.version"  # bumped by the pair presets: the editor starts afresh
EDITOR = f"{PAGE}.editor"  # the x / w1 / w2 grid (ui.editor)


# ---- the w1 / w2 table -------------------------------------------------------------------------------


def check_lengths(values: dict) -> dict:
    """x, w1, w2 of different lengths cannot be compared: fall back to the lecture's vectors."""
    if len({len(values[v]) for v in VECTORS}) == 1:
        return values
    by_name = {f.name: f for f in FIELDS}
    shown = " · ".join(f"{v} = {by_name[v].dump(values[v])}" for v in VECTORS)  # what the link held
    problem = Problem("x/w1/w2", shorten(shown), "length_mismatch")
    st.session_state[f"_problems.{PAGE}"] = [*st.session_state.get(f"_problems.{PAGE}", []), problem]
    fixed = dict(values, x=tuple(reg.LECTURE_X), w1=tuple(reg.LECTURE_W1), w2=tuple(reg.LECTURE_W2))
    set_values(PAGE, FIELDS, {v: fixed[v] for v in VECTORS})
    return fixed


def apply_pair(preset: str) -> None:
    if preset == "lecture":
        x, w1, w2 = reg.LECTURE_X, reg.LECTURE_W1, reg.LECTURE_W2
    elif preset == "sparse":
        x, w1, w2 = reg.SPARSE_X, reg.SPARSE_W1, reg.SPARSE_W2
    else:
        seed = (int(st.session_state.get(f"_state.{PAGE}", {}).get("seed", 0)) + 1) % 10_001
        x, w1, w2 = reg.random_pair(4, seed=seed)
        set_values(PAGE, FIELDS, {"seed": seed})
    set_values(PAGE, FIELDS, {"x": tuple(x), "w1": tuple(w1), "w2": tuple(w2)})
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1


def vector_editor(values: dict) -> dict:
    """x, w1 and w2 as an editable table; each typed number is used exactly or refused by name
    (ui.editor), and the last good vectors kept."""
    names = {"x": "x", "w1": "w₁", "w2": "w₂"}
    dim = len(values["x"])
    columns = [str(k + 1) for k in range(dim)]
    current = tuple(values[v] for v in VECTORS)
    base = editor.base(EDITOR, current, (dim, st.session_state.get(VERSION, 0)))
    frame = pd.DataFrame([[editor.number_text(n) for n in row] for row in base],
                         index=[names[v] for v in VECTORS], columns=columns)
    parse = editor.number(-100.0, 100.0)
    frame_out, refused = editor.grid(
        EDITOR, frame, dict.fromkeys(columns, parse), row_names=list(frame.index),
        column_config={c: editor.text_column(c, required=True) for c in columns},
        alt=t("regularization.pair.alt"), num_rows="fixed", width="stretch")
    if refused:
        editor.refuse(EDITOR, refused)
    new = dict(values, **{v: tuple(float(n) for n in frame_out.iloc[k]) for k, v in enumerate(VECTORS)})
    if any(new[v] != values[v] for v in VECTORS):
        editor.accept(EDITOR)
        set_values(PAGE, FIELDS, {v: new[v] for v in VECTORS})
    editor.show_refusals(EDITOR)
    return new


def vector_text(v) -> str:
    return "[" + ", ".join(short(n) for n in v) + "]"


def pair_intro(values: dict, comp) -> str:
    """The intro describes the vectors on screen: the lecture's, the sparse preset's, or others."""
    x, w1, w2 = (np.array(values[v]) for v in VECTORS)
    which = "custom"
    for name, pair in (("lecture", (reg.LECTURE_X, reg.LECTURE_W1, reg.LECTURE_W2)),
                       ("sparse", (reg.SPARSE_X, reg.SPARSE_W1, reg.SPARSE_W2))):
        if all(np.array_equal(a, b) for a, b in zip((x, w1, w2), pair, strict=True)):
            which = name
    same = fmt(comp.score1) == fmt(comp.score2)  # equal as shown: the same scores, the same data loss
    scores = (t("regularization.pair.same", s=fmt(comp.score1)) if same
              else t("regularization.pair.different", s1=fmt(comp.score1), s2=fmt(comp.score2)))
    return t("regularization.pair.intro", which=t(f"regularization.pair.which.{which}"), x=vector_text(x),
             w1=vector_text(w1), w2=vector_text(w2), scores=scores), which


def pair_note(comp, which: str) -> str:
    """Smaller R wins: what L2 and L1 say about the pair on screen, in its numbers."""
    parts = [t("regularization.pair.note")]
    for kind, r1, r2, pref in zip(comp.kinds, comp.r1, comp.r2, comp.preferred, strict=True):
        if kind in ("l2", "l1"):
            parts.append(t(f"regularization.pair.verdict.{pref}", kind=kind.upper(), r1=fmt(r1), r2=fmt(r2)))
    if which == "lecture":
        parts.append(t("regularization.pair.note_lecture"))
    return " ".join(parts)


def pair_section(values: dict) -> dict:
    intro = st.empty()  # filled once the vectors (maybe just edited) are known
    left, right = st.columns([3, 2], gap="large")
    with left:
        values = vector_editor(values)
        b1, b2, b3 = st.columns(3)
        b1.button(t("regularization.pair.lecture"), on_click=apply_pair, args=("lecture",), width="stretch")
        b2.button(t("regularization.pair.sparse"), on_click=apply_pair, args=("sparse",), width="stretch")
        b3.button(t("regularization.pair.random"), on_click=apply_pair, args=("random",), width="stretch")
    x, w1, w2 = (np.array(values[v]) for v in VECTORS)
    comp = reg.compare_pair(x, w1, w2, beta=values["beta"])
    text, which = pair_intro(values, comp)
    intro.markdown(text)
    with right:
        st.markdown(t("regularization.pair.scores", s1=fmt(comp.score1), s2=fmt(comp.score2)))
        header = ["", "R(w₁)", "R(w₂)", t("regularization.pair.prefers")]
        rows, marks = [], []
        for kind, r1, r2, pref in zip(comp.kinds, comp.r1, comp.r2, comp.preferred, strict=True):
            rows.append([t(f"regularization.kind.{kind}"), fmt(r1), fmt(r2),
                         t(f"regularization.pair.{pref}")])
            marks.append([False, pref == "w1", pref == "w2", False])
        st.markdown(markdown_table(header, rows, highlight=marks))
        st.caption(pair_note(comp, which))
    st.subheader(t("regularization.full.title"))
    c1, c2, c3, c4 = st.columns(4)
    c1.slider(t("regularization.full.loglam"), -3.0, 1.0, step=0.1, key=widget_key(PAGE, "loglam"),
              format="%.1f", help=t("regularization.full.loglam_help"))
    c2.selectbox(t("regularization.full.kind"), KINDS, key=widget_key(PAGE, "kind"),
                 format_func=lambda k: t(f"regularization.kind.{k}"))
    c3.selectbox(t("regularization.full.loss"), ("svm", "softmax"), key=widget_key(PAGE, "loss"),
                 format_func=lambda k: t(f"regularization.loss.{k}"))
    c4.selectbox(t("regularization.full.label"), (0, 1), key=widget_key(PAGE, "label"),
                 format_func=lambda k: t(f"regularization.label.{k}"))
    if st.session_state[widget_key(PAGE, "kind")] == "elastic_net":
        st.slider(t("regularization.full.beta"), 0.0, 5.0, step=0.05, key=widget_key(PAGE, "beta"))
    values = read_widgets(PAGE, FIELDS, values)
    lam = 10.0 ** values["loglam"]
    parts = [reg.full_loss(w, x, values["label"], loss=values["loss"], reg=lam, kind=values["kind"],
                           beta=values["beta"]) for w in (w1, w2)]
    data, penalty = np.array([p[0] for p in parts]), np.array([p[1] for p in parts])
    left, right = st.columns([3, 2], gap="large")
    with left:
        fig = figure(plots.stacked_loss_bars,
            ["w₁", "w₂"], data, penalty, title=t("regularization.full.plot_title", lam=f"{lam:.3g}"),
            data_label=t("regularization.full.data"), reg_label=t("regularization.full.reg"),
            y_label=t("regularization.full.y"))
        chart(st, fig)
    with right:
        st.latex(rf"L = \text{{data loss}} + \lambda R(W),\quad \lambda = {lam:.3g}")
        header = ["", t("regularization.full.data"), t("regularization.full.reg"), "L"]
        rows = [[name, fmt(d, 3), fmt(p, 3), fmt(d + p, 3)] for name, d, p in zip(("w₁", "w₂"), data, penalty,
                                                                                  strict=True)]
        st.markdown(markdown_table(header, rows))
        totals = data + penalty
        winner = "tie" if np.isclose(totals[0], totals[1]) else ("w1" if totals[0] < totals[1] else "w2")
        st.info(t(f"regularization.full.winner_{winner}"), icon=":material/balance:")
    return values


# ---- geometry -------------------------------------------------------------------------------------------


DATA_LEVELS = tuple(0.03 * k * k for k in range(1, 15))  # the data loss's contours, denser near w*


@st.cache_data(max_entries=32, show_spinner=False)
def cached_paths(beta: float) -> dict:
    lams = np.concatenate([[0.0], np.logspace(-2, 0.5, 40)])
    return {kind: reg.penalized_path(reg.DEMO_QUADRATIC, kind, lams, beta=beta) for kind in KINDS}


def geometry_section(values: dict) -> dict:
    st.markdown(t("regularization.geometry.intro"))
    names = {kind: t(f"regularization.kind.{kind}") for kind in KINDS}
    c1, c2, c3 = st.columns(3)
    c1.slider("w₁", -2.0, 2.0, step=0.05, key=widget_key(PAGE, "a"))
    c2.slider("w₂", -2.0, 2.0, step=0.05, key=widget_key(PAGE, "b"))
    c3.slider(t("regularization.full.beta"), 0.0, 5.0, step=0.05, key=widget_key(PAGE, "beta"))
    values = read_widgets(PAGE, FIELDS, values)
    w = np.array([values["a"], values["b"]])
    beta = values["beta"]
    levels = {kind: reg.penalty(w, kind, beta=beta).value for kind in KINDS}
    left, right = st.columns(2, gap="large")
    with left:
        curves = {kind: reg.level_set(kind, levels[kind], beta=beta) for kind in KINDS}
        fig = figure(plots.level_sets, curves, w, title=t("regularization.geometry.level_title"),
                     names=names, point_label=t("regularization.geometry.point"))
        chart(st, fig)
        rows = [[names[k], fmt(levels[k], 3)] for k in KINDS]
        st.markdown(markdown_table(["", "R(w)"], rows))
    with right:
        st.slider(t("regularization.geometry.glam"), -2.0, 0.5, step=0.05, key=widget_key(PAGE, "glam"),
                  format="%.2f")
        values = read_widgets(PAGE, FIELDS, values)
        lam = 10.0 ** values["glam"]
        f = reg.DEMO_QUADRATIC
        solutions = {kind: reg.penalized_minimum(f, kind, lam, beta=beta) for kind in KINDS}
        balls = {kind: reg.level_set(kind, reg.penalty(solutions[kind], kind, beta=beta).value, beta=beta)
                 for kind in KINDS}
        data_curves = [f.level_set(value) for value in DATA_LEVELS]
        fig = figure(plots.constrained_view, data_curves, f.w_star, solutions, balls, cached_paths(beta),
                     title=t("regularization.geometry.constrained_title", lam=f"{lam:.3g}"),
                     names=names, data_label=t("regularization.geometry.data"),
                     star_label=t("regularization.geometry.star"))
        chart(st, fig)
        rows = [[names[k], fmt(solutions[k][0], 3), fmt(solutions[k][1], 3),
                 str(int(np.sum(np.abs(solutions[k]) < 1e-9)))] for k in KINDS]
        st.markdown(markdown_table(["", "w₁", "w₂", t("regularization.geometry.zeros")], rows))
        st.caption(t("regularization.geometry.note"))
    return values


# ---- overfitting ------------------------------------------------------------------------------------------

LAMBDA_GRID = np.logspace(-8, 2, 41)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_experiment(degree: int, noise: float, ntrain: int, seed: int):
    data = reg.make_poly_data(ntrain, 60, noise=noise, seed=seed)
    train, test = reg.ridge_path(data, degree, LAMBDA_GRID)
    return data, train, test


def overfit_section(values: dict) -> dict:
    st.markdown(t("regularization.overfit.intro"))
    c1, c2, c3, c4 = st.columns(4)
    c1.slider(t("regularization.overfit.degree"), 1, 15, key=widget_key(PAGE, "degree"))
    c2.slider(t("regularization.overfit.fitlam"), -8.0, 2.0, step=0.25, key=widget_key(PAGE, "fitlam"),
              format="%.2f")
    c3.slider(t("regularization.overfit.noise"), 0.0, 1.0, step=0.05, key=widget_key(PAGE, "noise"))
    c4.slider(t("regularization.overfit.ntrain"), 5, 50, key=widget_key(PAGE, "ntrain"))
    values = read_widgets(PAGE, FIELDS, values)
    if st.button(t("regularization.overfit.regenerate")):
        values["dseed"] = (values["dseed"] + 1) % 10_001
        set_values(PAGE, FIELDS, {"dseed": values["dseed"]})
    data, train, test = cached_experiment(values["degree"], values["noise"], values["ntrain"],
                                          values["dseed"])
    lam = 10.0 ** values["fitlam"]
    w = reg.ridge_fit(data.x_train, data.y_train, values["degree"], lam)
    grid = np.linspace(-1.0, 1.0, 201)
    fitted = reg.poly_features(grid, values["degree"]) @ w
    train_now, test_now = reg.mse(w, data.x_train, data.y_train), reg.mse(w, data.x_test, data.y_test)
    m1, m2, m3 = st.columns(3)
    m1.metric(t("regularization.overfit.train_error"), fmt(train_now, 3))
    m2.metric(t("regularization.overfit.test_error"), fmt(test_now, 3))
    best = int(np.argmin(test))
    m3.metric(t("regularization.overfit.best"), f"{LAMBDA_GRID[best]:.2g}",
              help=t("regularization.overfit.best_help"))
    labels = {"truth": t("regularization.overfit.truth"), "fit": t("regularization.overfit.fit"),
              "train": t("regularization.overfit.train"), "test": t("regularization.overfit.test"),
              "best": t("regularization.overfit.best"), "y": t("regularization.overfit.mse")}
    left, right = st.columns(2, gap="large")
    chart(left, figure(plots.polynomial_fit,
        data.x_train, data.y_train, data.x_test, data.y_test, grid, fitted, reg.true_function(grid),
        title=t("regularization.overfit.fit_title", degree=values["degree"], lam=f"{lam:.2g}"),
        labels=labels))
    chart(right, figure(plots.error_vs_lambda,
        LAMBDA_GRID, train, test, lam, title=t("regularization.overfit.curve_title"), labels=labels))
    regime = "over" if lam < LAMBDA_GRID[best] / 30 else ("under" if lam > LAMBDA_GRID[best] * 30 else "good")
    st.info(t(f"regularization.overfit.regime_{regime}"), icon=":material/my_location:")
    return values


@st.fragment
def open_section() -> None:
    """The open tab: a tab switch or a change inside it reruns only this part of the page."""
    values = check_lengths(read_widgets(PAGE, FIELDS, dict(st.session_state[f"_state.{PAGE}"])))
    values["tab"], open_tab = lazy_tabs(PAGE, TABS, values["tab"])
    with open_tab:
        if values["tab"] == "pair":
            values = pair_section(values)
        elif values["tab"] == "geometry":
            values = geometry_section(values)
        elif values["tab"] == "overfit":
            values = overfit_section(values)
        elif values["tab"] == "others":
            for item in ("max_norm", "dropout", "batch_norm", "stochastic_depth"):
                name, body = t(f"regularization.others.{item}.name"), t(f"regularization.others.{item}.body")
                st.markdown(f"**{name}**: {body}")
        else:
            show_code(reg.penalty, reg.compare_pair, reg.penalized_minimum, reg.ridge_fit, expander=False)
    save_page(PAGE, FIELDS, values, full_run=False)


# ---- the page --------------------------------------------------------------------------------------------

check_lengths(read_widgets(PAGE, FIELDS, load_page(PAGE, FIELDS)))  # a bad link reported before the notice
st.title(t("regularization.title"))
st.markdown(t("regularization.intro"))
st.latex(r"L(W) = \frac{1}{N}\sum_{i=1}^{N} L_i\big(f(x_i, W), y_i\big) + \lambda R(W)")
show_problems(PAGE)
open_section()
save_page(PAGE, FIELDS, st.session_state[f"_state.{PAGE}"])  # the full run records the widgets it showed

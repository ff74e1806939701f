"""Chapter 2: regularization. L = data loss + lambda R(W), and why simpler generalizes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import geometry, overfitting
from core import regularization as reg
from ui import chapter, editor
from ui.i18n import t
from ui.numbers import short
from ui.plots import regularization as plots
from ui.settings.base import Problem, shorten
from ui.settings.regularization import KINDS, SETTINGS, VECTORS
from ui.widgets import chart, figure, fmt, markdown_table, show_code

S = SETTINGS
VERSION = "_regularization.editor.version"  # bumped by the pair presets: the editor starts afresh
EDITOR = "regularization.editor"  # the x / w1 / w2 grid (ui.editor)
NAMES = {"x": "x", "w1": "w₁", "w2": "w₂"}


# ---- the w1 / w2 table -------------------------------------------------------------------------------


def check_lengths() -> None:
    """x, w1, w2 of different lengths cannot be compared: fall back to the lecture's vectors."""
    values = S.values()
    if len({len(values[v]) for v in VECTORS}) == 1:
        return
    shown = " · ".join(f"{v} = {S.fields[v].dump(values[v])}" for v in VECTORS)  # what the link held
    S.report(Problem("x/w1/w2", shorten(shown), "length_mismatch"))
    S.set(**{v: tuple(a) for v, a in zip(VECTORS, reg.PAIRS["lecture"], strict=True)})


def apply_pair(preset: str) -> None:
    if preset == "random":
        seed = (S["seed"] + 1) % 10_001
        S.set(seed=seed)
        pair = reg.random_pair(4, seed=seed)
    else:
        pair = reg.PAIRS[preset]
    S.set(**{v: tuple(float(n) for n in a) for v, a in zip(VECTORS, pair, strict=True)})
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1


def vector_editor() -> tuple[np.ndarray, ...]:
    """x, w1 and w2 as an editable table; each typed number is used exactly or refused by name
    (ui.editor), and the last good vectors kept."""
    current = tuple(S[v] for v in VECTORS)
    columns = [str(k + 1) for k in range(len(current[0]))]
    base = editor.base(EDITOR, current, (len(columns), st.session_state.get(VERSION, 0)))
    frame = pd.DataFrame(
        [[editor.number_text(n) for n in row] for row in base],
        index=[NAMES[v] for v in VECTORS],
        columns=columns,
    )
    frame_out, refused = editor.grid(
        EDITOR,
        frame,
        dict.fromkeys(columns, editor.number(-100.0, 100.0)),
        row_names=list(frame.index),
        column_config={c: editor.text_column(c, required=True) for c in columns},
        alt=t("regularization.pair.alt"),
        num_rows="fixed",
        width="stretch",
    )
    if refused:
        editor.refuse(EDITOR, refused)
    new = tuple(tuple(float(n) for n in frame_out.iloc[k]) for k in range(len(VECTORS)))
    if new != current:
        editor.accept(EDITOR)
        S.set(**dict(zip(VECTORS, new, strict=True)))
    editor.show_refusals(EDITOR)
    return tuple(np.array(v) for v in new)


def vector_text(v) -> str:
    return "[" + ", ".join(short(n) for n in v) + "]"


def pair_intro(x, w1, w2, comp, which: str) -> str:
    """The intro describes the vectors on screen: the lecture's, the sparse preset's, or others."""
    same = fmt(comp.score1) == fmt(comp.score2)  # equal as shown: the same scores, the same data loss
    scores = (
        t("regularization.pair.same", s=fmt(comp.score1))
        if same
        else t("regularization.pair.different", s1=fmt(comp.score1), s2=fmt(comp.score2))
    )
    return t(
        "regularization.pair.intro",
        which=t(f"regularization.pair.which.{which}"),
        x=vector_text(x),
        w1=vector_text(w1),
        w2=vector_text(w2),
        scores=scores,
    )


def pair_note(comp, which: str) -> str:
    """Smaller R wins: what L2 and L1 say about the pair on screen, in its numbers."""
    parts = [t("regularization.pair.note")]
    for kind, r1, r2, pref in zip(comp.kinds, comp.r1, comp.r2, comp.preferred, strict=True):
        if kind in ("l2", "l1"):
            parts.append(t(f"regularization.pair.verdict.{pref}", kind=kind.upper(), r1=fmt(r1), r2=fmt(r2)))
    if which == "lecture":
        parts.append(t("regularization.pair.note_lecture"))
    return " ".join(parts)


def pair_section() -> None:
    intro = st.empty()  # filled once the vectors (maybe just edited) are known
    left, right = st.columns([3, 2], gap="large")
    with left:
        x, w1, w2 = vector_editor()
        for column, preset in zip(st.columns(3), ("lecture", "sparse", "random"), strict=True):
            label = t(f"regularization.pair.{preset}")
            column.button(label, on_click=apply_pair, args=(preset,), width="stretch")
    comp = reg.compare_pair(x, w1, w2, beta=S["beta"])
    which = reg.pair_name(x, w1, w2)
    intro.markdown(pair_intro(x, w1, w2, comp, which))
    with right:
        st.markdown(t("regularization.pair.scores", s1=fmt(comp.score1), s2=fmt(comp.score2)))
        header = ["", "R(w₁)", "R(w₂)", t("regularization.pair.prefers")]
        rows = [
            [t(f"regularization.kind.{kind}"), fmt(r1), fmt(r2), t(f"regularization.pair.{pref}")]
            for kind, r1, r2, pref in zip(comp.kinds, comp.r1, comp.r2, comp.preferred, strict=True)
        ]
        marks = [[False, pref == "w1", pref == "w2", False] for pref in comp.preferred]
        st.markdown(markdown_table(header, rows, highlight=marks))
        st.caption(pair_note(comp, which))
    full_loss_section(x, w1, w2)


def full_loss_section(x, w1, w2) -> None:
    st.subheader(t("regularization.full.title"))
    columns = st.columns(4)
    for column, name in zip(columns, ("loglam", "kind", "loss", "label"), strict=True):
        S.draw(name, column)
    if S["kind"] == "elastic_net":
        S.draw("beta")
    v = S.values()
    lam = 10.0 ** v["loglam"]
    parts = [
        reg.full_loss(w, x, v["label"], loss=v["loss"], reg=lam, kind=v["kind"], beta=v["beta"])
        for w in (w1, w2)
    ]
    data, penalty = np.array([p[0] for p in parts]), np.array([p[1] for p in parts])
    left, right = st.columns([3, 2], gap="large")
    with left:
        chart(
            st,
            figure(
                plots.stacked_loss_bars,
                ["w₁", "w₂"],
                data,
                penalty,
                title=t("regularization.full.plot_title", lam=f"{lam:.3g}"),
                data_label=t("regularization.full.data"),
                reg_label=t("regularization.full.reg"),
                y_label=t("regularization.full.y"),
            ),
        )
    with right:
        st.latex(rf"L = \text{{data loss}} + \lambda R(W),\quad \lambda = {lam:.3g}")
        header = ["", t("regularization.full.data"), t("regularization.full.reg"), "L"]
        rows = [
            [name, fmt(d, 3), fmt(p, 3), fmt(d + p, 3)]
            for name, d, p in zip(("w₁", "w₂"), data, penalty, strict=True)
        ]
        st.markdown(markdown_table(header, rows))
        winner = reg.smaller(*(data + penalty))
        st.info(t(f"regularization.full.winner_{winner}"), icon=":material/balance:")


# ---- geometry -------------------------------------------------------------------------------------------


DATA_LEVELS = tuple(0.03 * k * k for k in range(1, 15))  # the data loss's contours, denser near w*


@st.cache_data(max_entries=32, show_spinner=False)
def cached_paths(beta: float) -> dict:
    lams = np.concatenate([[0.0], np.logspace(-2, 0.5, 40)])
    return {kind: geometry.penalized_path(geometry.DEMO_QUADRATIC, kind, lams, beta=beta) for kind in KINDS}


def geometry_section() -> None:
    st.markdown(t("regularization.geometry.intro"))
    names = {kind: t(f"regularization.kind.{kind}") for kind in KINDS}
    c1, c2, c3 = st.columns(3)
    w = np.array([S.draw("a", c1), S.draw("b", c2)])
    beta = S.draw("beta", c3)
    levels = {kind: reg.penalty(w, kind, beta=beta).value for kind in KINDS}
    left, right = st.columns(2, gap="large")
    with left:
        curves = {kind: geometry.level_set(kind, levels[kind], beta=beta) for kind in KINDS}
        chart(
            st,
            figure(
                plots.level_sets,
                curves,
                w,
                title=t("regularization.geometry.level_title"),
                names=names,
                point_label=t("regularization.geometry.point"),
            ),
        )
        st.markdown(markdown_table(["", "R(w)"], [[names[k], fmt(levels[k], 3)] for k in KINDS]))
    with right:
        lam = 10.0 ** S.draw("glam")
        f = geometry.DEMO_QUADRATIC
        solutions = {kind: geometry.penalized_minimum(f, kind, lam, beta=beta) for kind in KINDS}
        radii = {kind: reg.penalty(solutions[kind], kind, beta=beta).value for kind in KINDS}
        balls = {kind: geometry.level_set(kind, radii[kind], beta=beta) for kind in KINDS}
        data_curves = [f.level_set(value) for value in DATA_LEVELS]
        chart(
            st,
            figure(
                plots.constrained_view,
                data_curves,
                f.w_star,
                solutions,
                balls,
                cached_paths(beta),
                title=t("regularization.geometry.constrained_title", lam=f"{lam:.3g}"),
                names=names,
                data_label=t("regularization.geometry.data"),
                star_label=t("regularization.geometry.star"),
            ),
        )
        rows = [
            [
                names[k],
                fmt(solutions[k][0], 3),
                fmt(solutions[k][1], 3),
                str(int(np.sum(np.abs(solutions[k]) < 1e-9))),
            ]
            for k in KINDS
        ]
        st.markdown(markdown_table(["", "w₁", "w₂", t("regularization.geometry.zeros")], rows))
        st.caption(t("regularization.geometry.note"))


# ---- overfitting ------------------------------------------------------------------------------------------


@st.cache_data(max_entries=64, show_spinner=False)
def cached_experiment(degree: int, noise: float, ntrain: int, seed: int):
    data = overfitting.make_poly_data(ntrain, 60, noise=noise, seed=seed)
    train, test = overfitting.ridge_path(data, degree, overfitting.LAMBDAS)
    return data, train, test


def new_data() -> None:
    S.set(dseed=(S["dseed"] + 1) % 10_001)


def overfit_section() -> None:
    st.markdown(t("regularization.overfit.intro"))
    for column, name in zip(st.columns(4), ("degree", "fitlam", "noise", "ntrain"), strict=True):
        S.draw(name, column)
    st.button(t("regularization.overfit.regenerate"), on_click=new_data)
    v = S.values()
    data, train, test = cached_experiment(v["degree"], v["noise"], v["ntrain"], v["dseed"])
    lam, best = 10.0 ** v["fitlam"], overfitting.LAMBDAS[int(np.argmin(test))]
    w = overfitting.ridge_fit(data.x_train, data.y_train, v["degree"], lam)
    grid = np.linspace(-1.0, 1.0, 201)
    fitted = overfitting.poly_features(grid, v["degree"]) @ w
    m1, m2, m3 = st.columns(3)
    m1.metric(t("regularization.overfit.train_error"), fmt(overfitting.mse(w, data.x_train, data.y_train), 3))
    m2.metric(t("regularization.overfit.test_error"), fmt(overfitting.mse(w, data.x_test, data.y_test), 3))
    m3.metric(t("regularization.overfit.best"), f"{best:.2g}", help=t("regularization.overfit.best_help"))
    labels = {key: t(f"regularization.overfit.{key}") for key in ("truth", "fit", "train", "test", "best")}
    labels["y"] = t("regularization.overfit.mse")
    left, right = st.columns(2, gap="large")
    chart(
        left,
        figure(
            plots.polynomial_fit,
            data.x_train,
            data.y_train,
            data.x_test,
            data.y_test,
            grid,
            fitted,
            overfitting.true_function(grid),
            title=t("regularization.overfit.fit_title", degree=v["degree"], lam=f"{lam:.2g}"),
            labels=labels,
        ),
    )
    chart(
        right,
        figure(
            plots.error_vs_lambda,
            overfitting.LAMBDAS,
            train,
            test,
            lam,
            title=t("regularization.overfit.curve_title"),
            labels=labels,
        ),
    )
    regime = overfitting.fit_regime(lam, best)
    st.info(t(f"regularization.overfit.regime_{regime}"), icon=":material/my_location:")


def others_section() -> None:
    for item in ("max_norm", "dropout", "batch_norm", "stochastic_depth"):
        name, body = t(f"regularization.others.{item}.name"), t(f"regularization.others.{item}.body")
        st.markdown(f"**{name}**: {body}")


def code_section() -> None:
    functions = (reg.penalty, reg.compare_pair, geometry.penalized_minimum, overfitting.ridge_fit)
    show_code(*functions, expander=False)


# ---- the page --------------------------------------------------------------------------------------------

S.start()
check_lengths()  # a bad link reported before the notice
chapter.page(
    S,
    {
        "pair": pair_section,
        "geometry": geometry_section,
        "overfit": overfit_section,
        "others": others_section,
        "code": code_section,
    },
    latex=r"L(W) = \frac{1}{N}\sum_{i=1}^{N} L_i\big(f(x_i, W), y_i\big) + \lambda R(W)",
)

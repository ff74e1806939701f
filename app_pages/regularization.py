"""Chapter 2: regularization. L = data loss + lambda R(W), and why simpler generalizes."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import geometry, overfitting
from core import regularization as reg
from ui import chapter, predict
from ui import regularization_view as view
from ui.i18n import t
from ui.plots import regularization as plots
from ui.settings.regularization import KINDS, SETTINGS
from ui.widgets import chart, figure, fmt, markdown_table, show_code

S = SETTINGS


def pair_section() -> None:
    """The lecture's w1 and w2: same scores, different penalties; then their full loss."""
    intro = st.empty()  # filled once the vectors (maybe just edited) are known
    left, right = st.columns([3, 2], gap="large")
    with left:
        x, w1, w2 = view.vector_editor()
        view.preset_buttons()
    comp = reg.compare_pair(x, w1, w2, beta=S["beta"])
    which = reg.pair_name(x, w1, w2)
    intro.markdown(view.pair_intro(x, w1, w2, comp, which))
    with right:
        view.verdicts(comp, which)
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
        solved = {kind: geometry.solve_penalized(f, kind, lam, beta=beta) for kind in KINDS}
        chart(
            st,
            figure(
                plots.constrained_view,
                [f.level_set(value) for value in DATA_LEVELS],
                f.w_star,
                {kind: sol.w for kind, sol in solved.items()},
                {kind: sol.ball for kind, sol in solved.items()},
                cached_paths(beta),
                title=t("regularization.geometry.constrained_title", lam=f"{lam:.3g}"),
                names=names,
                data_label=t("regularization.geometry.data"),
                star_label=t("regularization.geometry.star"),
            ),
        )
        rows = [[names[k], fmt(sol.w[0], 3), fmt(sol.w[1], 3), str(sol.zeros)] for k, sol in solved.items()]
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
    fit = overfitting.fit(data, v["degree"], lam)
    m1, m2, m3 = st.columns(3)
    m1.metric(t("regularization.overfit.train_error"), fmt(fit.train_error, 3))
    m2.metric(t("regularization.overfit.test_error"), fmt(fit.test_error, 3))
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
            fit.grid,
            fit.curve,
            overfitting.true_function(fit.grid),
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


def predict_section() -> None:
    predict.chapter_tab(S, "regularization", S.values())  # the pair and full-loss settings on screen


def code_section() -> None:
    functions = (reg.penalty, reg.compare_pair, geometry.penalized_minimum, overfitting.ridge_fit)
    show_code(*functions, expander=False)


# ---- the page --------------------------------------------------------------------------------------------

S.start()
view.check_lengths()  # a bad link reported before the notice
chapter.page(
    S,
    {
        "pair": pair_section,
        "geometry": geometry_section,
        "overfit": overfit_section,
        "others": others_section,
        "predict": predict_section,
        "code": code_section,
    },
    latex=r"L(W) = \frac{1}{N}\sum_{i=1}^{N} L_i\big(f(x_i, W), y_i\big) + \lambda R(W)",
)

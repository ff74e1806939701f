"""Following the slope: numerical vs analytic gradients, search strategies, optimizers compared."""

from __future__ import annotations

import dataclasses

import numpy as np
import streamlit as st

from core import descent, params, search
from core import gradients as grad
from core.linear import LossSpec, accuracy
from core.optim import OPTIMIZERS
from ui import chapter, predict
from ui import gradients_view as view
from ui.classifier import current_classifier, run_key
from ui.i18n import t
from ui.player import paths_data, player
from ui.plots import gradients as plots
from ui.settings.gradients import SETTINGS
from ui.widgets import chart, figure, fmt, markdown_table, presenting, show_code

S = SETTINGS
HS = np.logspace(-10, -1, 37)  # the h axis of the error plot


# ---- the walkthrough: one partial derivative by hand ---------------------------------------------------


def walkthrough(X, y, W, b, spec) -> None:
    st.markdown(t("gradients.walk.intro"))
    keys = params.param_keys(W.shape)
    if S["param"] not in keys:  # a weight of a bigger classifier than the one the page studies now
        S.set(param=keys[0])
    c1, c2, c3 = st.columns(3)
    key = S.draw("param", c1, options=keys)
    h = 10.0 ** S.draw("logh", c2)
    if S.draw("wloss", c3) == "softmax":  # smooth: the truncation error (h, h²) is there to see
        spec = dataclasses.replace(spec, loss="softmax")
    index = params.param_index(key, W.shape)
    n = grad.nudge(W, b, X, y, index, h, spec)
    view.nudge_tables(n, keys, index, h)
    loss, _ = params.flat_objective(X, y, W.shape, spec)
    forward, centered = grad.difference_quotients(loss, n.params, index, HS, true_grad=n.analytic)
    series = {t("gradients.walk.forward"): (HS, forward), t("gradients.walk.centered"): (HS, centered)}
    fig = figure(
        plots.lines,
        series,
        title=t("gradients.walk.plot_title"),
        x_label="h",
        y_label=t("gradients.walk.error"),
        log_x=True,
        log_y=True,
        marker_x=h,
    )
    chart(st, fig)
    piecewise = spec.loss == "svm"  # hinge losses are piecewise linear in W and b
    st.caption(t("gradients.walk.plot_note_piecewise" if piecewise else "gradients.walk.plot_note"))


# ---- the gradient check, with a bug planted ----------------------------------------------------------------


def check(X, y, W, b, spec) -> None:
    st.markdown(t("gradients.check.intro"))
    bug = S.draw("bug")
    result = grad.gradient_check(W, b, X, y, spec, bug=bug)
    view.check_report(result, [params.param_label(k) for k in params.param_keys(W.shape)])
    if grad.bug_is_hidden(bug, reg=spec.reg, penalty=spec.penalty):
        st.info(t("gradients.check.needs_reg"), icon=":material/info:")


# ---- search strategies -------------------------------------------------------------------------------------


@st.cache_data(max_entries=16, show_spinner=False)
def strategies_run(X, y, W, b, spec: LossSpec, budget: int, seed: int):
    runs = search.compare_strategies(W, b, X, y, budget, spec, seed=seed)
    acc = {k: accuracy(*params.unflatten(r.best_params, W.shape), X, y) for k, r in runs.items()}
    return {k: r.best_loss for k, r in runs.items()}, acc


def strategies(X, y, W, b, spec) -> None:
    st.markdown(t("gradients.strategies.intro"))
    c1, c2 = st.columns(2)
    budget, seed = S.draw("budget", c1), S.draw("seed", c2)
    with st.spinner(t("gradients.strategies.running")):
        best, acc = strategies_run(X, y, W, b, spec, budget, seed)
    evals = np.arange(1, budget + 1)
    series = {t(f"gradients.strategies.{k}"): (evals, v) for k, v in best.items()}
    fig = figure(
        plots.lines,
        series,
        title=t("gradients.strategies.plot_title"),
        log_y=True,
        x_label=t("gradients.strategies.evals"),
        y_label=t("gradients.strategies.best"),
    )
    chart(st, fig)
    rows = [[t(f"gradients.strategies.{k}"), fmt(best[k][-1], 4), f"{100 * acc[k]:.0f} %"] for k in best]
    header = ["", t("gradients.strategies.best"), t("gradients.strategies.accuracy")]
    st.markdown(markdown_table(header, rows))
    st.caption(t("gradients.strategies.note"))


# ---- optimizers compared -----------------------------------------------------------------------------------


@st.cache_data(max_entries=16, show_spinner=False)
def surface_data(name: str, W, b, X, y, spec: LossSpec):
    """The surface's contour grid (the classifier slice costs one objective per grid point)."""
    surf = descent.named_surface(name, W, b, X, y, spec)
    return descent.grid_values(surf.f, surf.box, 45 if name == "classifier" else 140)


@st.cache_data(max_entries=16, show_spinner=False)
def optimizer_runs(name: str, W, b, X, y, spec: LossSpec, lr: float, steps: int):
    surf = descent.named_surface(name, W, b, X, y, spec)
    runs = {o: descent.run_optimizer(surf, o, lr, steps) for o in OPTIMIZERS}
    lrs = np.logspace(-4, 0.5, 19)
    sweep = {o: descent.lr_sweep(surf, o, lrs, steps) for o in OPTIMIZERS}
    f_min = None if surf.minimum is None else float(surf.f(surf.minimum))
    return runs, lrs, sweep, surf.minimum, f_min


@st.cache_data(max_entries=16, show_spinner=False)
def batch_runs(X, y, W, b, spec: LossSpec, lr: float, steps: int):
    return descent.minibatch_losses(X, y, W, b, spec, lr=lr, steps=steps)


def optimizers(X, y, W, b, spec) -> None:
    st.markdown(t("gradients.optimizers.intro"))
    c1, c2, c3 = st.columns(3)
    surface, loglr, steps = S.draw("surface", c1), S.draw("loglr", c2), S.draw("steps", c3)
    lr = 10.0**loglr
    with st.spinner(t("gradients.strategies.running")):
        gx, gy, Z = surface_data(surface, W, b, X, y, spec)
        runs, lrs, sweep, minimum, f_min = optimizer_runs(surface, W, b, X, y, spec, lr, steps)
    names = {o: t(f"optimization.opt.{o}") for o in OPTIMIZERS}
    labels = view.player_labels(lr, log_y=f_min is not None)  # a known minimum: the gap to it, on a log axis
    paths = {names[o]: (path, v) for o, (path, v, _) in runs.items()}
    show = paths_data(
        paths,
        gx,
        gy,
        Z,
        run_id=run_key(surface, loglr, steps, W, b, X, y, spec),  # the same inputs: the player keeps playing
        steps=steps,
        minimum=minimum,
        f_min=f_min,
        labels=labels,
        fmt=fmt,
        present=presenting(),
    )
    player(show, key=f"{S.page}.paths", on_change=None)
    diverged = [names[o] for o, (_, _, d) in runs.items() if d]
    if diverged:
        st.warning(t("gradients.optimizers.diverged", names=", ".join(diverged)), icon=":material/warning:")
    left, right = st.columns(2, gap="large")
    with left:
        series = {names[o]: (lrs, v) for o, v in sweep.items()}  # a diverged run (inf) is left out
        chart(
            st,
            figure(
                plots.lines,
                series,
                title=t("gradients.optimizers.sweep_title"),
                x_label=t("gradients.optimizers.lr"),
                y_label=t("gradients.optimizers.final"),
                log_x=True,
                marker_x=lr,
                modes=dict.fromkeys(series, "lines+markers"),
            ),
        )
        st.caption(t("gradients.optimizers.sweep_note"))
    with right:
        with st.spinner(t("gradients.strategies.running")):
            batches = batch_runs(X, y, W, b, spec, 0.1, 100)
        series = {view.batch_label(s): (np.arange(len(v)), v) for s, v in batches.items()}
        chart(
            st,
            figure(
                plots.lines,
                series,
                title=t("gradients.optimizers.batch_title"),
                x_label="step",
                y_label=t("gradients.optimizers.y_loss"),
            ),
        )
        st.caption(t("gradients.optimizers.batch_note"))


def predict_section(X, y, W, b, spec) -> None:
    on_screen = {"X": X, "y": y, "W": W, "b": b, "spec": spec, **{k: S[k] for k in ("param", "wloss", "bug")}}
    predict.chapter_tab(S, "gradients", on_screen)


def code(*_) -> None:
    show_code(grad.numerical_gradient, grad.relative_error, descent.run_optimizer, expander=False)


# ---- the page ----------------------------------------------------------------------------------------------

S.start()
chapter.header(S)
X, y, W, b, spec, clf = current_classifier()
st.caption(
    t(
        "gradients.classifier",
        data=t(f"optimization.dataset.{clf['data']}"),
        n=len(y),
        loss=t(f"optimization.loss.{clf['loss']}"),
        reg=f"{spec.reg:.3g}",
    )
)
st.page_link("app_pages/optimization.py", label=t("gradients.change"), icon=":material/my_location:")
chapter.open_tab(
    S,
    {
        "walkthrough": walkthrough,
        "check": check,
        "strategies": strategies,
        "optimizers": optimizers,
        "predict": predict_section,
        "code": code,
    },
    X,
    y,
    W,
    b,
    spec,
)
S.sync()

"""Following the slope: numerical vs analytic gradients, search strategies, optimizers compared."""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

from core import gradients as grad
from core.linear import accuracy, objective
from core.optim import OPTIMIZERS, train
from ui.classifier import current_classifier
from ui.i18n import current_language, t
from ui.numbers import nudged
from ui.player import paths_data, player
from ui.plots import gradients as plots
from ui.plots.theme import VERDICT_COLORS
from ui.state import choice_field, float_field, int_field, load_page, read_widgets, save_page, widget_key
from ui.widgets import (
    chart,
    figure,
    fmt,
    lazy_tabs,
    markdown_table,
    presenting,
    show_code,
    show_problems,
    whole_number_input,
)

PAGE = "gradients"
TABS = ("walkthrough", "check", "strategies", "optimizers", "code")
BUGS = ("none", "demo_reg", "no_reg", "no_bias")
SURFACE_CHOICES = ("classifier", "quadratic", "rosenbrock", "saddle")
FIELDS = (
    choice_field("tab", "walkthrough", TABS, widget=False),
    choice_field("param", "W.0.0", tuple(f"W.{c}.{j}" for c in range(5) for j in range(2))
                 + tuple(f"b.{c}" for c in range(5))),
    float_field("logh", -5.0, -10.0, -1.0),
    choice_field("wloss", "classifier", ("classifier", "softmax")),
    choice_field("bug", "none", BUGS),
    int_field("budget", 300, 20, 2000),
    int_field("seed", 0, 0, 10_000),
    choice_field("surface", "quadratic", SURFACE_CHOICES),
    float_field("loglr", -1.5, -4.0, 0.5),
    int_field("steps", 100, 10, 500),
)
HS = np.logspace(-10, -1, 37)


def flat_params(W, b) -> np.ndarray:
    return np.concatenate([W.ravel(), b])


def unflat(p, shape):
    c, d = shape
    return p[: c * d].reshape(c, d), p[c * d :]


def param_label(key: str) -> str:
    parts = key.split(".")
    return f"W[{parts[1]}, {int(parts[2]) + 1}]" if parts[0] == "W" else f"b[{parts[1]}]"


def param_index(key: str, shape) -> int:
    """Position of W[c, j] or b[c] in the flat vector [W.ravel(), b]."""
    parts = key.split(".")
    c, d = shape
    return int(parts[1]) * d + int(parts[2]) if parts[0] == "W" else c * d + int(parts[1])


def planted(dW, db, W, opts, bug: str):
    """The analytic gradient, with the chosen bug planted in it."""
    reg = opts["reg"] if opts["penalty"] == "l2" else 0.0
    if bug == "demo_reg":  # the original CS231n demo: 0.5 * lambda * W instead of 2 * lambda * W
        return dW - 2 * reg * W + 0.5 * reg * W, db
    if bug == "no_reg":  # the regularization gradient forgotten
        return dW - 2 * reg * W, db
    if bug == "no_bias":  # db never computed
        return dW, np.zeros_like(db)
    return dW, db


@st.cache_data(max_entries=16, show_spinner=False)
def surface_data(name: str, W, b, X, y, opts: dict):
    """The surface's contour grid (the classifier slice costs one objective per grid point)."""
    surf = make_surface(name, W, b, X, y, opts)
    n = 45 if name == "classifier" else 140
    return grad.grid_values(surf.f, surf.box, n)


def make_surface(name: str, W, b, X, y, opts: dict) -> grad.Surface:
    if name == "classifier":
        return grad.classifier_slice(W, b, X, y, (0, 0), (0, 1), **opts)
    return grad.surface(name)


# ---- sections ----------------------------------------------------------------------------------------------


def walkthrough(values, X, y, W, b, opts) -> dict:
    st.markdown(t("gradients.walk.intro"))
    choices = [f"W.{c}.{j}" for c in range(W.shape[0]) for j in range(2)] + [f"b.{c}" for c in range(len(b))]
    key = widget_key(PAGE, "param")
    if st.session_state.get(key) not in choices:
        st.session_state[key] = choices[0]
    c1, c2, c3 = st.columns(3)
    c1.selectbox(t("gradients.walk.param"), choices, key=key, format_func=param_label)
    c2.slider(t("gradients.walk.logh"), -10.0, -1.0, step=0.5, format="%.1f", key=widget_key(PAGE, "logh"))
    c3.radio(t("gradients.walk.loss"), ("classifier", "softmax"), key=widget_key(PAGE, "wloss"),
             format_func=lambda k: t(f"gradients.walk.loss_{k}"), help=t("gradients.walk.loss_help"))
    values = read_widgets(PAGE, FIELDS, values)
    if values["wloss"] == "softmax":  # smooth: the truncation error (h, h²) is there to see
        opts = {**opts, "loss": "softmax"}
    piecewise = opts["loss"] == "svm"  # hinge losses are piecewise linear in W and b
    h = 10.0 ** values["logh"]
    idx = param_index(values["param"], W.shape)
    p0 = flat_params(W, b)

    def loss(p):
        Wp, bp = unflat(p, W.shape)
        return objective(Wp, bp, X, y, **opts).total

    base = objective(W, b, X, y, **opts)
    analytic = flat_params(base.dW, base.db)[idx]
    p1 = p0.copy()
    p1[idx] += h
    l0, l1 = loss(p0), loss(p1)
    quotient = (l1 - l0) / h
    left, right = st.columns([2, 3], gap="large")
    with left:
        header = ["", "W", f"W + h ({param_label(values['param'])})"]
        rows = [[param_label(k), fmt(p0[n], 4), nudged(p1[n], h) if n == idx else fmt(p1[n], 4)]
                for n, k in enumerate(choices)]
        marks = [[False, False, n == idx] for n in range(len(choices))]
        st.markdown(markdown_table(header, rows, highlight=marks))
    with right:
        st.markdown(markdown_table(["", t("gradients.walk.value")], [
            ["h", fmt(h)],
            ["L(W)", f"{l0:.10f}"],
            ["L(W + h)", f"{l1:.10f}"],
            ["(L(W + h) − L(W)) / h", f"{quotient:.8f}"],
            [t("gradients.walk.analytic"), f"{analytic:.8f}"],
            [t("gradients.walk.error"), fmt(abs(quotient - analytic))],
        ]))
        st.caption(t("gradients.walk.note"))
    forward, centered = grad.difference_quotients(loss, p0, idx, HS, true_grad=analytic)
    series = {t("gradients.walk.forward"): (HS, forward), t("gradients.walk.centered"): (HS, centered)}
    fig = figure(plots.lines, series, title=t("gradients.walk.plot_title"), x_label="h",
                        y_label=t("gradients.walk.error"), log_x=True, log_y=True, marker_x=h)
    chart(st, fig)
    st.caption(t("gradients.walk.plot_note_piecewise" if piecewise else "gradients.walk.plot_note"))
    return values


def check(values, X, y, W, b, opts) -> dict:
    st.markdown(t("gradients.check.intro"))
    st.radio(t("gradients.check.bug"), BUGS, key=widget_key(PAGE, "bug"), horizontal=True,
             format_func=lambda k: t(f"gradients.bug.{k}"))
    values = read_widgets(PAGE, FIELDS, values)
    t0 = time.perf_counter()
    base = objective(W, b, X, y, **opts)
    dW, db = planted(base.dW, base.db, W, opts, values["bug"])
    analytic = flat_params(dW, db)
    t_analytic = time.perf_counter() - t0
    calls = {"n": 0}

    def loss(p):
        calls["n"] += 1
        Wp, bp = unflat(p, W.shape)
        return objective(Wp, bp, X, y, **opts).total

    t0 = time.perf_counter()
    numeric = grad.numerical_gradient(loss, flat_params(W, b), h=1e-5)
    t_numeric = time.perf_counter() - t0
    rel = grad.check_errors(analytic, numeric)
    names = [f"W.{c}.{j}" for c in range(W.shape[0]) for j in range(2)] + [f"b.{c}" for c in range(len(b))]
    rows, lines = [], []
    for n, key in enumerate(names):
        v = grad.verdict(rel[n])
        rows.append([param_label(key), f"{analytic[n]:.6f}", f"{numeric[n]:.6f}",
                     f":{VERDICT_COLORS[v]}-background[{fmt(rel[n])}]", t(f"gradients.check.{v}")])
    header = ["", t("gradients.check.analytic"), t("gradients.check.numeric"), t("gradients.check.rel"),
              t("gradients.check.verdict")]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join([" --- "] + [" ---: "] * (len(header) - 1)) + "|")
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    st.markdown("\n".join(lines))  # every cell is a number or catalog text: nothing from the user
    worst = float(rel.max())
    m1, m2, m3 = st.columns(3)
    m1.metric(t("gradients.check.worst"), fmt(worst))
    m2.metric(t("gradients.check.evals"), str(calls["n"]), help=t("gradients.check.evals_help"))
    m3.metric(t("gradients.check.time"), f"{1000 * t_numeric:.1f} ms",
              help=t("gradients.check.time_help", analytic=f"{1e6 * t_analytic:.0f}"))
    verdict = grad.verdict(worst)
    (st.success if verdict == "fine" else st.warning if verdict == "suspicious" else st.error)(
        t(f"gradients.check.summary_{verdict}"), icon=":material/search:")
    if values["bug"] in ("demo_reg", "no_reg") and opts["reg"] == 0:
        st.info(t("gradients.check.needs_reg"), icon=":material/info:")
    return values


@st.cache_data(max_entries=16, show_spinner=False)
def strategies_run(X, y, W, b, opts: dict, budget: int, seed: int):
    shape = W.shape

    def loss(p):
        Wp, bp = unflat(p, shape)
        return objective(Wp, bp, X, y, **opts).total

    def loss_and_grad(p):
        Wp, bp = unflat(p, shape)
        o = objective(Wp, bp, X, y, **opts)
        return o.total, flat_params(o.dW, o.db)

    start = flat_params(W, b)
    runs = {
        "random": grad.random_search(loss, start.shape, budget, seed=seed,
                                     scale=float(np.abs(start).max() or 1)),
        "local": grad.random_local_search(loss, start, budget, seed=seed, step=0.2),
        "descent": grad.gradient_descent(loss_and_grad, start, budget, lr=0.1),
    }
    acc = {k: accuracy(*unflat(r.best_params, shape), X, y) for k, r in runs.items()}
    return {k: r.best_loss for k, r in runs.items()}, acc


def strategies(values, X, y, W, b, opts) -> dict:
    st.markdown(t("gradients.strategies.intro"))
    c1, c2 = st.columns(2)
    c1.slider(t("gradients.strategies.budget"), 20, 2000, step=20, key=widget_key(PAGE, "budget"))
    whole_number_input(c2, t("gradients.strategies.seed"), 0, 10_000, page=PAGE, name="seed")
    values = read_widgets(PAGE, FIELDS, values)
    with st.spinner(t("gradients.strategies.running")):
        best, acc = strategies_run(X, y, W, b, opts, values["budget"], values["seed"])
    evals = np.arange(1, values["budget"] + 1)
    series = {t(f"gradients.strategies.{k}"): (evals, v) for k, v in best.items()}
    fig = figure(plots.lines, series, title=t("gradients.strategies.plot_title"), log_y=True,
                        x_label=t("gradients.strategies.evals"), y_label=t("gradients.strategies.best"))
    chart(st, fig)
    rows = [[t(f"gradients.strategies.{k}"), fmt(best[k][-1], 4), f"{100 * acc[k]:.0f} %"] for k in best]
    header = ["", t("gradients.strategies.best"), t("gradients.strategies.accuracy")]
    st.markdown(markdown_table(header, rows))
    st.caption(t("gradients.strategies.note"))
    return values


@st.cache_data(max_entries=16, show_spinner=False)
def optimizer_runs(name: str, W, b, X, y, opts: dict, lr: float, steps: int):
    surf = make_surface(name, W, b, X, y, opts)
    runs = {o: grad.run_optimizer(surf, o, lr, steps) for o in OPTIMIZERS}
    lrs = np.logspace(-4, 0.5, 19)
    sweep = {o: grad.lr_sweep(surf, o, lrs, steps) for o in OPTIMIZERS}
    f_min = None if surf.minimum is None else float(surf.f(surf.minimum))
    return runs, lrs, sweep, surf.minimum, f_min


@st.cache_data(max_entries=16, show_spinner=False)
def batch_runs(X, y, W, b, opts: dict, lr: float, steps: int):
    sizes = [None] + [s for s in (32, 8, 1) if s < len(y)]
    return {s: train(X, y, lr=lr, steps=steps, batch_size=s, W0=W, b0=b, record_params=False, **opts).loss
            for s in sizes}


def optimizers(values, X, y, W, b, opts) -> dict:
    st.markdown(t("gradients.optimizers.intro"))
    c1, c2, c3 = st.columns(3)
    c1.selectbox(t("gradients.optimizers.surface"), SURFACE_CHOICES, key=widget_key(PAGE, "surface"),
                 format_func=lambda k: t(f"gradients.surface.{k}"))
    c2.slider(t("gradients.optimizers.loglr"), -4.0, 0.5, step=0.1, format="%.1f",
              key=widget_key(PAGE, "loglr"))
    c3.slider(t("gradients.optimizers.steps"), 10, 500, step=10, key=widget_key(PAGE, "steps"))
    values = read_widgets(PAGE, FIELDS, values)
    lr = 10.0 ** values["loglr"]
    with st.spinner(t("gradients.strategies.running")):
        gx, gy, Z = surface_data(values["surface"], W, b, X, y, opts)
        runs, lrs, sweep, minimum, f_min = optimizer_runs(values["surface"], W, b, X, y, opts, lr,
                                                          values["steps"])
    names = {o: t(f"optimization.opt.{o}") for o in OPTIMIZERS}
    log_y = f_min is not None  # a known minimum: the curves show the gap to it on a log axis
    labels = {
        "lang": current_language(),
        "player": t("gradients.optimizers.player"),
        "play": t("optimization.controls.play"),
        "pause": t("optimization.controls.pause"),
        "step": t("optimization.controls.step"),
        "reset": t("optimization.controls.reset"),
        "scrub": t("optimization.controls.scrub"),
        "counter": t("optimization.controls.counter", step="{step}", last="{last}"),
        "end": "",
        "picture": t("gradients.optimizers.paths_title", lr=f"{lr:.2g}"),
        "minimum": t("gradients.optimizers.minimum"),
        "value": t("gradients.optimizers.y_loss"),
        "curve_title": t("gradients.optimizers.curves_title_y",
                         y=t("gradients.optimizers.y_gap" if log_y else "gradients.optimizers.y_loss")),
        "xlabel": t("optimization.metrics.step"),
    }
    run_id = f'{values["surface"]}/{values["loglr"]}/{values["steps"]}/{id(runs)}'
    show = paths_data({names[o]: (path, v) for o, (path, v, _) in runs.items()}, gx, gy, Z, run_id=run_id,
                      steps=values["steps"], minimum=minimum, f_min=f_min, labels=labels, fmt=fmt,
                      present=presenting())
    player(show, key=f"{PAGE}.paths", on_change=None)
    diverged = [names[o] for o, (_, _, d) in runs.items() if d]
    if diverged:
        st.warning(t("gradients.optimizers.diverged", names=", ".join(diverged)), icon=":material/warning:")
    left, right = st.columns(2, gap="large")
    with left:
        series = {names[o]: (lrs, np.where(np.isfinite(v), v, np.nan)) for o, v in sweep.items()}
        chart(st, figure(plots.lines, series, title=t("gradients.optimizers.sweep_title"), x_label=t(
            "gradients.optimizers.lr"), y_label=t("gradients.optimizers.final"), log_x=True, marker_x=lr,
            modes=dict.fromkeys(series, "lines+markers")))
        st.caption(t("gradients.optimizers.sweep_note"))
    with right:
        with st.spinner(t("gradients.strategies.running")):
            batches = batch_runs(X, y, W, b, opts, 0.1, 100)
        series = {t("gradients.optimizers.full") if s is None else t("gradients.optimizers.batch", size=s):
                  (np.arange(len(v)), v) for s, v in batches.items()}
        chart(st, figure(plots.lines, series, title=t("gradients.optimizers.batch_title"), x_label="step",
                                      y_label=t("gradients.optimizers.y_loss")))
        st.caption(t("gradients.optimizers.batch_note"))
    return values


@st.fragment
def open_section(X, y, W, b, opts) -> None:
    """The open tab: a tab switch or a change inside it reruns only this part of the page."""
    values = read_widgets(PAGE, FIELDS, dict(st.session_state[f"_state.{PAGE}"]))
    values["tab"], open_tab = lazy_tabs(PAGE, TABS, values["tab"])
    with open_tab:
        if values["tab"] == "walkthrough":
            values = walkthrough(values, X, y, W, b, opts)
        elif values["tab"] == "check":
            values = check(values, X, y, W, b, opts)
        elif values["tab"] == "strategies":
            values = strategies(values, X, y, W, b, opts)
        elif values["tab"] == "optimizers":
            values = optimizers(values, X, y, W, b, opts)
        else:
            show_code(grad.numerical_gradient, grad.relative_error, grad.run_optimizer, expander=False)
    save_page(PAGE, FIELDS, values, full_run=False)


# ---- the page ----------------------------------------------------------------------------------------------

load_page(PAGE, FIELDS)  # the URL's values on the first run; widgets seeded from them
st.title(t("gradients.title"))
st.markdown(t("gradients.intro"))
show_problems(PAGE)
X, y, W, b, opts, clf = current_classifier()
st.caption(t("gradients.classifier", data=t(f"optimization.dataset.{clf['data']}"), n=len(y),
             loss=t(f"optimization.loss.{clf['loss']}"), reg=f"{opts['reg']:.3g}"))
st.page_link("app_pages/optimization.py", label=t("gradients.change"), icon=":material/my_location:")
open_section(X, y, W, b, opts)
save_page(PAGE, FIELDS, st.session_state[f"_state.{PAGE}"])  # the full run records the widgets it showed

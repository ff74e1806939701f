"""Chapter 3: optimization. A linear classifier on 2-D toy data, stepped by gradient descent."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core import data as toy
from core.linear import objective
from core.optim import EXPLODE_FACTOR, OPTIMIZERS, train
from core.regularization import PENALTIES
from ui import editor
from ui.classifier import (
    FIELDS,
    LOSS_CHOICES,
    initial_params,
    load_data,
    loss_options,
    player_show,
    run_key,
    trajectory,
)
from ui.i18n import current_language, t
from ui.player import player, reported_step
from ui.plots.theme import WRONG_HIGHLIGHT
from ui.state import load_page, read_widgets, save_page, set_values, widget_key
from ui.widgets import (
    fmt,
    markdown_table,
    presenting,
    show_code,
    show_problems,
    sidebar_group,
    whole_number_input,
)

PAGE = "optimization"
MAX_TABLE_ROWS = 60
MAX_CSV_BYTES = 200_000
PLAYER = f"{PAGE}.player"
VERSION = f"_{PAGE}.version"
PARAMS, POINTS = f"{PAGE}.params", f"{PAGE}.points"  # the W/b and custom-point grids (ui.editor)
RESTART = f"_{PAGE}.restart"  # counts new starting points: the trajectory must be recomputed


# ---- callbacks -----------------------------------------------------------------------------------


def bump() -> None:
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1


def start_from(W, b) -> None:
    """New starting parameters: training restarts from step 0."""
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)  # as given: a typed number is used exactly
    set_values(PAGE, FIELDS, {"W": tuple(tuple(float(v) for v in row) for row in W),
                              "b": (tuple(float(v) for v in b),), "t": 0})
    st.session_state[RESTART] = st.session_state.get(RESTART, 0) + 1
    bump()


def randomize(n_classes: int) -> None:
    seed = (st.session_state[f"_state.{PAGE}"]["seed"] + 1) % 10_001
    set_values(PAGE, FIELDS, {"seed": seed})
    rng = np.random.default_rng(seed)
    start_from(np.round(rng.standard_normal((n_classes, 2)), 2), np.zeros(n_classes))


def nudge(W, b, which: str, delta: float) -> None:
    W, b = np.array(W, dtype=float), np.array(b, dtype=float)
    kind, c, j = which.split(".")
    if kind == "W":
        W[int(c), int(j)] = round(W[int(c), int(j)] + delta, 6)  # 0.2 + 0.1 is 0.3, not 0.30000000000000004
    else:
        b[int(c)] = round(b[int(c)] + delta, 6)
    start_from(W, b)


# ---- sections ------------------------------------------------------------------------------------


def sidebar(values: dict) -> dict:
    with sidebar_group(t("optimization.sidebar.loss")):
        st.selectbox(
            t("optimization.sidebar.loss_kind"),
            LOSS_CHOICES,
            key=widget_key(PAGE, "loss"),
            format_func=lambda k: t(f"optimization.loss.{k}"),
        )
        if values["loss"] != "softmax":
            st.slider(t("optimization.sidebar.margin"), 0.0, 5.0, step=0.1, key=widget_key(PAGE, "margin"))
        st.selectbox(
            t("optimization.sidebar.pen"),
            PENALTIES,
            key=widget_key(PAGE, "pen"),
            format_func=lambda k: t(f"regularization.kind.{k}"),
        )
        if values["pen"] != "none":
            st.slider(
                t("optimization.sidebar.loglam"),
                -4.0,
                1.0,
                step=0.1,
                format="%.1f",
                key=widget_key(PAGE, "loglam"),
            )
        if values["pen"] == "elastic_net":
            st.slider(t("regularization.full.beta"), 0.0, 5.0, step=0.05, key=widget_key(PAGE, "beta"))
    with sidebar_group(t("optimization.sidebar.descent")):
        st.selectbox(
            t("optimization.sidebar.opt"),
            tuple(OPTIMIZERS),
            key=widget_key(PAGE, "opt"),
            format_func=lambda k: t(f"optimization.opt.{k}"),
        )
        st.slider(
            t("optimization.sidebar.loglr"),
            -4.0,
            1.0,
            step=0.1,
            format="%.1f",
            key=widget_key(PAGE, "loglr"),
            help=t("optimization.sidebar.loglr_help"),
        )
        whole_number_input(
            st,
            t("optimization.sidebar.batch"),
            0,
            toy.MAX_POINTS,
            page=PAGE,
            name="batch",
            help=t("optimization.sidebar.batch_help"),
        )
        st.slider(t("optimization.sidebar.speed"), 1, 20, key=widget_key(PAGE, "speed"))
    return read_widgets(PAGE, FIELDS, values)


def data_section(values: dict) -> None:
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.selectbox(
        t("optimization.data.name"),
        (*toy.DATASETS, "custom"),
        key=widget_key(PAGE, "data"),
        format_func=lambda k: t(f"optimization.dataset.{k}"),
    )
    if values["data"] not in ("cs231n_demo", "custom"):
        c2.slider(t("optimization.data.n"), 5, 200, key=widget_key(PAGE, "n"))
        c3.slider(t("optimization.data.noise"), 0.0, 1.0, step=0.05, key=widget_key(PAGE, "noise"))
        if values["data"] in ("blobs", "spiral"):
            c4.slider(t("optimization.data.classes"), 2, 5, key=widget_key(PAGE, "classes"))
        if c5.button(t("optimization.data.regenerate"), width="stretch"):
            set_values(PAGE, FIELDS, {"dseed": (values["dseed"] + 1) % 10_001, "t": 0})
            bump()
            st.rerun()
    st.radio(
        t("optimization.data.test"),
        ("0", "0.2", "0.3", "0.5"),
        key=widget_key(PAGE, "test"),
        horizontal=True,
        format_func=lambda k: f"{int(float(k) * 100)} %",
    )
    if values["data"] == "custom":
        custom_points(values)


def custom_points(values: dict) -> None:
    st.caption(t("optimization.data.custom_help"))
    rows = np.array(values["pts"], dtype=float).reshape(-1, 3)
    base = editor.base(POINTS, rows, (st.session_state.get(VERSION, 0), rows.tobytes()))
    frame = pd.DataFrame({"x1": [editor.number_text(v) for v in base[:, 0]],
                          "x2": [editor.number_text(v) for v in base[:, 1]],
                          "label": [str(int(v)) for v in base[:, 2]]})
    names = {"x1": "x₁", "x2": "x₂", "label": t("optimization.data.label")}
    config = {c: editor.text_column(name, required=True, default="0") for c, name in names.items()}
    coord = editor.number(-toy.MAX_ABS_COORD, toy.MAX_ABS_COORD)
    label = editor.number(0, toy.MAX_CLASSES - 1, integer=True)
    parsed, refused = editor.grid(
        POINTS, frame, {"x1": coord, "x2": coord, "label": label},
        row_names=lambda r: t("optimization.data.point", k=r + 1),
        column_names=names, alt=t("optimization.data.alt"), num_rows="dynamic", column_config=config,
        hide_index=True, width="stretch")
    if refused:
        editor.refuse(POINTS, refused)
    editor.show_refusals(POINTS)
    upload = st.file_uploader(t("optimization.data.upload"), type=["csv", "txt"], key=f"{PAGE}.upload")
    new = None
    try:
        if upload is not None and st.session_state.get(f"_{PAGE}.upload_id") != upload.file_id:
            st.session_state[f"_{PAGE}.upload_id"] = upload.file_id
            if upload.size > MAX_CSV_BYTES:
                raise ValueError(t("optimization.data.too_big", limit=MAX_CSV_BYTES // 1000))
            try:
                text = upload.getvalue().decode("utf-8")
            except UnicodeDecodeError:
                raise ValueError(t("optimization.data.not_text")) from None
            new = toy.parse_points_csv(text)
        elif parsed.shape[0] != len(rows) or not np.array_equal(parsed.to_numpy(dtype=float), rows):
            table = parsed.to_numpy(dtype=float).reshape(-1, 3)
            new = toy.check_points(table[:, :2], table[:, 2])
    except ValueError as err:
        st.error(t("optimization.data.refused", reason=str(err)), icon=":material/block:")
        return
    if new is not None:
        X, y = new
        pts = tuple((float(a), float(b), float(c)) for (a, b), c in zip(X, y, strict=True))
        editor.accept(POINTS)
        set_values(PAGE, FIELDS, {"pts": pts, "t": 0})
        bump()
        st.rerun()


def params_editor(W, b, obj, n_classes: int, class_names: list[str]) -> None:
    """W and b with each parameter's current gradient beside it; an edit restarts from step 0."""
    shown = np.column_stack([W, b, obj.dW, obj.db])  # w1 w2 b dw1 dw2 db, one row per class
    base = editor.base(PARAMS, shown, (st.session_state.get(VERSION, 0), shown.tobytes(), tuple(class_names)))
    frame = pd.DataFrame({"w1": [editor.number_text(v) for v in base[:, 0]],
                          "w2": [editor.number_text(v) for v in base[:, 1]],
                          "b": [editor.number_text(v) for v in base[:, 2]],
                          "dw1": base[:, 3], "dw2": base[:, 4], "db": base[:, 5]}, index=class_names)
    names = {"w1": "W[·, 1]", "w2": "W[·, 2]", "b": "b"}
    config = {c: editor.text_column(name, required=True) for c, name in names.items()}
    config.update({
        "dw1": st.column_config.NumberColumn("∂L/∂W[·, 1]", format="%.4f", disabled=True),
        "dw2": st.column_config.NumberColumn("∂L/∂W[·, 2]", format="%.4f", disabled=True),
        "db": st.column_config.NumberColumn("∂L/∂b", format="%.4f", disabled=True),
    })
    parse = editor.number(-100.0, 100.0)
    values = pd.DataFrame(base[:, :3], columns=list(names), index=class_names)
    parsed, refused = editor.grid(PARAMS, frame, dict.fromkeys(names, parse), row_names=class_names,
                                  values=values, column_names=names, num_rows="fixed", column_config=config,
                                  width="stretch", alt=t("optimization.model.alt"))
    if refused:
        editor.refuse(PARAMS, refused)
    new = parsed[["w1", "w2", "b"]].to_numpy(dtype=float)
    if not np.array_equal(new, base[:, :3]):
        editor.accept(PARAMS)
        start_from(new[:, :2], new[:, 2])
        st.rerun()
    editor.show_refusals(PARAMS)
    choices = [f"W.{c}.{j}" for c in range(n_classes) for j in range(2)] + [
        f"b.{c}.0" for c in range(n_classes)
    ]

    def label(key: str) -> str:
        kind, c, j = key.split(".")
        return f"W[{c}, {int(j) + 1}]" if kind == "W" else f"b[{c}]"

    c1, c2, c3, c4 = st.columns([2, 1, 1, 2])
    which = c1.selectbox(t("optimization.model.nudge"), choices, format_func=label, key=f"{PAGE}.nudge_which")
    c2.button("− 0.1", on_click=nudge, args=(W, b, which, -0.1), width="stretch", key=f"{PAGE}.nudge_minus")
    c3.button("+ 0.1", on_click=nudge, args=(W, b, which, 0.1), width="stretch", key=f"{PAGE}.nudge_plus")
    c4.button(t("optimization.model.randomize"), on_click=randomize, args=(n_classes,), width="stretch")


def point_table(X, y, obj, class_names: list[str]) -> None:
    n = min(len(y), MAX_TABLE_ROWS)
    header = ["x₁", "x₂", "y"] + [f"s[{c}]" for c in range(obj.scores.shape[1])] + ["Lᵢ"]
    rows, marks = [], []
    for i in range(n):
        rows.append(
            [fmt(X[i, 0]), fmt(X[i, 1]), class_names[y[i]]]
            + [fmt(s) for s in obj.scores[i]]
            + [fmt(obj.per_example[i])]
        )
        marks.append([False] * (len(header) - 1) + [bool(obj.per_example[i] > 0)])
    st.markdown(markdown_table(header, rows, highlight=marks, color=WRONG_HIGHLIGHT))
    if len(y) > n:
        st.caption(t("optimization.points.first", n=n, total=len(y)))


# ---- the page ------------------------------------------------------------------------------------

values = read_widgets(PAGE, FIELDS, load_page(PAGE, FIELDS))  # the latest widget values, early
load_data(values)  # before any widget: unusable custom points fall back to the demo data
values = sidebar(values)

st.title(t("optimization.title"))
if not presenting():  # presenting: the intro goes below the player, so its picture fits the first screen
    st.markdown(t("optimization.intro"))
show_problems(PAGE)

with st.expander(t("optimization.data.title"), expanded=values["data"] == "custom"):
    data_section(values)
values = read_widgets(PAGE, FIELDS, values)
X_all, y_all = load_data(values)
X, y, X_test, y_test = toy.train_test_split(
    X_all, y_all, test_fraction=float(values["test"]), seed=values["dseed"]
)
if len(np.unique(y)) < 2:  # a split that leaves one class in training: train on everything
    X, y, X_test, y_test = X_all, y_all, X_all[:0], y_all[:0]
n_classes = int(y_all.max()) + 1
class_names = [t("optimization.class_name", k=c) for c in range(n_classes)]
W0, b0 = initial_params(values, n_classes)
if values["batch"] > len(y):  # said on screen: a typed number is never changed silently
    st.sidebar.warning(t("optimization.sidebar.batch_too_big", batch=values["batch"], n=len(y)),
                       icon=":material/warning:")
    values["batch"] = 0
opts = loss_options(values)
hist = trajectory(
    X,
    y,
    X_test,
    y_test,
    W0,
    b0,
    opts,
    values["opt"],
    10.0 ** values["loglr"],
    values["batch"],
    values["seed"],
)
last = hist.steps
values["t"] = min(values["t"], last)


run_id = run_key(X, y, X_test, y_test, W0, b0, opts, *(values[k] for k in ("opt", "loglr", "batch", "seed")))
extent = max(1.0, 1.15 * float(np.abs(X_all).max()))
show = player_show(run_id, current_language(), presenting(), hist, X, y, extent, tuple(class_names))
set_values(PAGE, FIELDS, {"t": values["t"]})
planned = st.session_state.get(RESTART, 0)  # the starting point this full run trained from


def take_step() -> None:
    """The player paused, ended or stepped: the step it shows is the page's step t."""
    shown = reported_step(PLAYER, last)
    if shown is not None:
        set_values(PAGE, FIELDS, {"t": shown})


@st.fragment
def training() -> None:
    """The player, and the model and points at the step it stopped on. The player plays in the
    browser; it reruns only this part of the page when it pauses or steps."""
    if st.session_state.get(RESTART, 0) != planned:  # Nudge or Randomize: train afresh (a full run)
        st.rerun(scope="app")
    v = st.session_state[f"_state.{PAGE}"]
    step = min(v["t"], last)
    if hist.diverged:
        st.warning(t("optimization.diverged", step=hist.diverged_at, last=last, factor=f"{EXPLODE_FACTOR:g}"),
                   icon=":material/warning:")
    player({**show, "t": step, "speed": v["speed"]}, key=PLAYER, on_change=take_step)
    obj_now = objective(hist.W[step], hist.b[step], X, y, **opts)
    with st.expander(t("optimization.model.title"), expanded=True):
        st.caption(f'{t("optimization.model.at_step", step=step)} {t("optimization.model.help")}')
        params_editor(hist.W[step], hist.b[step], obj_now, n_classes, class_names)
    with st.expander(t("optimization.points.title")):
        point_table(X, y, obj_now, class_names)
    save_page(PAGE, FIELDS, {**values, "t": step}, full_run=False)


training()
if presenting():
    st.markdown(t("optimization.intro"))
with st.expander(t("common.show_code")):
    show_code(objective, train, expander=False)
# The full run records which widgets it showed (the fragments save only the step shown).
save_page(PAGE, FIELDS, {**values, "t": st.session_state[f"_state.{PAGE}"]["t"]})

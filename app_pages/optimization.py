"""Chapter 3: optimization. A linear classifier on 2-D toy data, stepped by gradient descent."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import classifier as clf
from core import data as toy
from core import params
from core.linear import objective
from core.optim import EXPLODE_FACTOR, train
from ui import chapter, editor, predict
from ui import optimization_view as view
from ui.classifier import as_points, initial_params, load_data, objective_spec, train_and_show
from ui.i18n import t
from ui.player import Playback
from ui.settings.optimization import MAX_STEPS, SETTINGS
from ui.widgets import presenting, show_code, sidebar_group

S = SETTINGS
MAX_CSV_BYTES = 200_000
UPLOAD = "optimization.upload"
UPLOAD_REFUSED = "optimization.upload_refused"  # why the last file uploaded was not used, shown once


# ---- callbacks -----------------------------------------------------------------------------------


def start_from(W, b) -> None:
    """New starting parameters, used as given (a typed number exactly): training restarts at step 0."""
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    S.set(W=tuple(map(tuple, W.tolist())), b=(tuple(b.tolist()),))
    PLAY.restart()


def randomize(n_classes: int) -> None:
    S.set(seed=(S["seed"] + 1) % 10_001)
    start_from(*clf.random_start(n_classes, S["seed"]))


def nudge(W, b, which: str, delta: float) -> None:
    start_from(*clf.nudge(W, b, which, delta))


def new_data() -> None:
    S.set(dseed=(S["dseed"] + 1) % 10_001)
    PLAY.restart()


def uploaded() -> None:
    """A file was put in the uploader: its points replace the custom points, or it is refused."""
    upload = st.session_state[UPLOAD]
    if upload is None:
        return
    try:
        if upload.size > MAX_CSV_BYTES:
            raise ValueError(t("optimization.data.too_big", limit=MAX_CSV_BYTES // 1000))
        try:
            text = upload.getvalue().decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(t("optimization.data.not_text")) from None
        S.set(pts=as_points(*toy.parse_points_csv(text)))
        editor.accept(view.POINTS)  # new points: a refused cell of the old ones no longer applies
        PLAY.restart()
    except ValueError as err:
        st.session_state[UPLOAD_REFUSED] = str(err)


# ---- sections ------------------------------------------------------------------------------------


def sidebar() -> None:
    with sidebar_group(t("optimization.sidebar.loss")):
        if S.draw("loss") != "softmax":
            S.draw("margin")
        pen = S.draw("pen")
        if pen != "none":
            S.draw("loglam")
        if pen == "elastic_net":
            S.draw("beta")
    with sidebar_group(t("optimization.sidebar.descent")):
        for name in ("opt", "loglr", "batch", "speed"):
            S.draw(name)


def data_section() -> None:
    c1, c2, c3, c4, c5 = st.columns(5)
    data = S.draw("data", c1)
    if data not in ("cs231n_demo", "custom"):
        S.draw("n", c2)
        S.draw("noise", c3)
        if data in ("blobs", "spiral"):
            S.draw("classes", c4)
        c5.button(t("optimization.data.regenerate"), on_click=new_data, width="stretch")
    S.draw("test")
    if data == "custom":
        custom_points()


def custom_points() -> None:
    st.caption(t("optimization.data.custom_help"))
    rows = np.array(S["pts"], dtype=float).reshape(-1, 3)
    table = view.points_grid(rows, PLAY.restarts)
    st.file_uploader(t("optimization.data.upload"), type=["csv", "txt"], key=UPLOAD, on_change=uploaded)
    try:
        if UPLOAD_REFUSED in st.session_state:
            raise ValueError(st.session_state.pop(UPLOAD_REFUSED))
        if not np.array_equal(table, rows):
            S.set(pts=as_points(*toy.check_points(table[:, :2], table[:, 2])))
            editor.accept(view.POINTS)
            PLAY.restart()
            st.rerun()
    except ValueError as err:
        st.error(t("optimization.data.refused", reason=str(err)), icon=":material/block:")


def params_editor(W, b, obj, class_names: list[str]) -> None:
    """W and b with each parameter's current gradient beside it; an edit restarts from step 0."""
    edited = view.params_grid(W, b, obj, class_names, PLAY.restarts)
    if edited is not None:
        start_from(edited[:, :2], edited[:, 2])
        st.rerun()
    editor.show_refusals(view.PARAMS)
    c1, c2, c3, c4 = st.columns([2, 1, 1, 2])
    which = c1.selectbox(
        t("optimization.model.nudge"),
        clf.parameter_names(len(b)),
        format_func=params.param_label,
        key="optimization.nudge_which",
    )
    for column, text, delta, key in ((c2, "− 0.1", -0.1, "minus"), (c3, "+ 0.1", 0.1, "plus")):
        column.button(
            text, on_click=nudge, args=(W, b, which, delta), width="stretch", key=f"optimization.nudge_{key}"
        )
    c4.button(t("optimization.model.randomize"), on_click=randomize, args=(len(b),), width="stretch")


# ---- the page ------------------------------------------------------------------------------------

S.start()
PLAY = Playback(S, key="optimization.player")  # the step shown ("t") and the restarts of training
load_data(S.values())  # before any widget: unusable custom points fall back to the demo data
sidebar()
chapter.header(S, intro=not presenting())  # presenting: the intro goes below the player (its picture fits)
with st.expander(t("optimization.data.title"), expanded=S["data"] == "custom"):
    data_section()
values = S.values()
X_all, y_all = load_data(values)
X, y, X_test, y_test = clf.training_split(
    X_all, y_all, test_fraction=float(values["test"]), seed=values["dseed"]
)
n_classes = int(y_all.max()) + 1
class_names = [t("optimization.class_name", k=c) for c in range(n_classes)]
W0, b0 = initial_params(values, n_classes)
batch = values["batch"]
if batch > len(y):  # said on screen: a typed number is never changed silently
    st.sidebar.warning(
        t("optimization.sidebar.batch_too_big", batch=batch, n=len(y)), icon=":material/warning:"
    )
    batch = 0
spec = objective_spec(values)
descent = (values["opt"], 10.0 ** values["loglr"], batch, values["seed"])
hist, show = train_and_show(X, y, X_test, y_test, W0, b0, spec, descent, clf.view_extent(X_all), class_names)


@st.fragment
def training() -> None:
    """The player, and the model and points at the step it stopped on. The player plays in the
    browser; it reruns only this part of the page when it pauses or steps."""
    PLAY.follow()  # Nudge or Randomize: train afresh (a full run)
    if hist.diverged:
        st.warning(
            t("optimization.diverged", step=hist.diverged_at, last=hist.steps, factor=f"{EXPLODE_FACTOR:g}"),
            icon=":material/warning:",
        )
    step = PLAY.show(show, last=hist.steps, speed=S["speed"])
    obj = objective(hist.W[step], hist.b[step], X, y, spec)
    with st.expander(t("optimization.model.title"), expanded=True):
        st.caption(f"{t('optimization.model.at_step', step=step)} {t('optimization.model.help')}")
        params_editor(hist.W[step], hist.b[step], obj, class_names)
    with st.expander(t("optimization.points.title")):
        view.point_table(X, y, obj, class_names)
    S.sync()


training()


@st.fragment
def predict_section() -> None:
    """The chapter's questions, answered by training on what the page shows (this run's own history)."""
    optimizer, lr, _, seed = descent
    on_screen = {"X": X, "y": y, "W0": W0, "b0": b0, "spec": spec, "optimizer": optimizer, "lr": lr}
    on_screen |= {"batch": batch, "seed": seed, "steps": MAX_STEPS, "history": hist}
    with st.expander(t("predict.title"), expanded=S["quiz"] != ()):
        predict.chapter_tab(S, "optimization", on_screen)
    S.sync()


predict_section()
if presenting():
    st.markdown(t("optimization.intro"))
with st.expander(t("common.show_code")):
    show_code(objective, train, expander=False)
S.sync()

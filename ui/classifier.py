"""The optimization chapter's classifier: its data and starting parameters, from its settings.

Shared by the optimization page (which edits them) and the gradients page (which studies the same
classifier). The settings are the optimization page's (ui.settings.optimization).
"""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from core import classifier as clf
from core import data as toy
from core.linear import LossSpec
from core.optim import train
from core.playback import classifier_frames
from ui.i18n import current_language, t
from ui.player import classifier_data, packed
from ui.settings.base import Problem, shorten
from ui.settings.optimization import MAX_STEPS, SETTINGS
from ui.widgets import fmt, presenting

S = SETTINGS


# ---- data and parameters -------------------------------------------------------------------------


def report(name: str, value: str, reason: str, **details) -> None:
    S.report(Problem(name, value, reason, tuple(sorted(details.items()))))


@st.cache_data(max_entries=64, show_spinner=False)
def dataset(name: str, n: int, classes: int, noise: float, seed: int, pts: tuple):
    if name == "custom":
        rows = np.array(pts, dtype=float).reshape(-1, 3)
        return toy.check_points(rows[:, :2], rows[:, 2])
    return toy.make_dataset(name, n_per_class=n, n_classes=classes, noise=noise, seed=seed)


def load_data(values: dict):
    """(X, y) for the current settings.

    "Your own points" with none yet starts from the demo's 9 points, ready to edit. Custom
    points that do not validate (a hand-made link) are reported and replaced by the demo data:
    call this before the page creates its widgets, as that changes the dataset selectbox.
    """
    if values["data"] == "custom" and not values["pts"]:
        pts = as_points(*toy.make_dataset("cs231n_demo"))
        S.set(pts=pts)
        values["pts"] = pts
    try:
        return dataset(
            values["data"], values["n"], values["classes"], values["noise"], values["dseed"], values["pts"]
        )
    except ValueError as err:
        shown = shorten(S.fields["pts"].dump(values["pts"]))  # what the link held
        report("pts", shown, "bad_points", detail=str(err))
        S.set(data="cs231n_demo", pts=())
        values.update(data="cs231n_demo", pts=())
        return dataset("cs231n_demo", 30, 3, 0.1, 0, ())


def initial_params(values: dict, n_classes: int):
    """W0 (C, 2) and b0 (C,) from the settings if they fit the data's classes, else a fresh start
    (``core.classifier.fresh_start``), which the settings then hold, at step 0."""
    W, b = np.array(values["W"], dtype=float), np.array(values["b"], dtype=float).ravel()
    if clf.fits(W, b, n_classes):
        return W, b
    W, b = clf.fresh_start(n_classes, dataset=values["data"], seed=values["seed"])
    S.set(W=tuple(map(tuple, W.tolist())), b=(tuple(b.tolist()),), t=0)
    values.update(W=S["W"], b=S["b"], t=0)
    return W, b


def as_points(X, y) -> tuple:
    """Points as the setting ``pts`` holds them: rows (x1, x2, label) of floats."""
    return tuple(map(tuple, np.column_stack([X, y]).astype(float).tolist()))


def objective_spec(values: dict) -> LossSpec:
    """The objective the settings describe, validated once (core.linear.LossSpec)."""
    loss, variant = (
        ("softmax", "ww") if values["loss"] == "softmax" else ("svm", values["loss"].split("_", 1)[1])
    )
    reg = 0.0 if values["pen"] == "none" else 10.0 ** values["loglam"]
    return LossSpec(
        loss, variant, margin=values["margin"], reg=reg, penalty=values["pen"], beta=values["beta"]
    )


@st.cache_resource(max_entries=32, show_spinner=False)  # read-only: shared without copying
def trajectory(
    X, y, X_test, y_test, W0, b0, spec: LossSpec, optimizer: str, lr: float, batch: int, seed: int
):
    """Gradient descent for MAX_STEPS steps (or until it diverges), every step kept for playback."""
    return train(
        X,
        y,
        optimizer=optimizer,
        lr=lr,
        steps=MAX_STEPS,
        batch_size=batch or None,
        seed=seed,
        W0=W0,
        b0=b0,
        X_test=X_test,
        y_test=y_test,
        spec=spec,
    )


def run_key(*inputs) -> str:
    """A short fingerprint of what a trajectory was trained from (arrays by their bytes)."""
    parts = [np.ascontiguousarray(v).tobytes() if isinstance(v, np.ndarray) else repr(v) for v in inputs]
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


@st.cache_resource(max_entries=32, show_spinner=False)  # read-only, like the trajectory it shows
def player_show(run_id: str, lang: str, present: bool, _hist, _X, _y, extent: float, class_names: tuple):
    """The player's payload for the trajectory ``run_id`` (the step and speed are added per run)."""
    hist = _hist
    frames = classifier_frames(hist, _X, _y, extent=extent)
    at_cap = not hist.diverged and hist.steps >= MAX_STEPS
    labels = {
        "lang": lang,
        "player": t("optimization.player.label"),
        "play": t("optimization.controls.play"),
        "pause": t("optimization.controls.pause"),
        "step": t("optimization.controls.step"),
        "reset": t("optimization.controls.reset"),
        "scrub": t("optimization.controls.scrub"),
        "counter": t("optimization.controls.counter", step="{step}", last="{last}"),  # the player fills
        "end": t("optimization.cap", steps=MAX_STEPS) if at_cap else "",
        "picture": t("optimization.picture.caption"),
        "wrong": t("optimization.picture.wrong"),
        "arrow": t("optimization.picture.arrow"),
        "zero": t("optimization.picture.zero"),
        "metrics": {
            name: t(f"optimization.metrics.{name}")
            for name in ("data", "reg", "total", "train_acc", "test_acc")
        },
        "train": t("optimization.curves.train"),
        "test": t("optimization.curves.test"),
        "loss_title": t("optimization.curves.loss_title"),
        "acc_title": t("optimization.curves.acc_title"),
        "xlabel": t("optimization.metrics.step"),
    }
    return packed(
        classifier_data(
            hist,
            frames,
            _X,
            _y,
            run_id=run_id,
            extent=extent,
            t=0,
            speed=1,
            fmt=fmt,
            labels=labels,
            class_names=list(class_names),
            present=present,
        )
    )


def train_and_show(X, y, X_test, y_test, W0, b0, spec: LossSpec, descent: tuple, extent: float, class_names):
    """The trajectory from W0, b0 (``descent`` is optimizer, step size, batch size or 0, seed) and
    the player's payload for it, in this session's language and presenter mode."""
    hist = trajectory(X, y, X_test, y_test, W0, b0, spec, *descent)
    run_id = run_key(X, y, X_test, y_test, W0, b0, spec, *descent)
    return hist, player_show(run_id, current_language(), presenting(), hist, X, y, extent, tuple(class_names))


def current_classifier():
    """The optimization page's data, starting W0, b0 and objective (a LossSpec), as its state now says
    (its defaults if it has not been opened in this session)."""
    values = S.values()
    X, y = load_data(values)
    n_classes = int(y.max()) + 1
    W0, b0 = initial_params(values, n_classes)
    return X, y, W0, b0, objective_spec(values), values

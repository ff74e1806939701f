"""AppTest tests of the optimization page (app_pages/optimization.py), run through app.py's router.

Every expected number is the CS231n demo's (2.77 + 3.50 = 6.27 at W = [[1, 2], [2, -4], [3, -1]],
b = [0, 0.5, -0.5], lambda = 0.1) or computed here by core (core.data, core.linear, core.optim.train)
with the page's settings, never copied from the page. ``run_core`` repeats the page's glue (split,
starting parameters, loss options) with core's functions so each test can say what the page must show.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass

import numpy as np
import pytest
from apptest_tools import check, open_page, rerun, unescape

from core import data as toy
from core.linear import accuracy, objective
from core.optim import EXPLODE_FACTOR, History, train
from ui.i18n import catalog, translate
from ui.player import unpacked
from ui.settings.base import format_number
from ui.widgets import fmt, md_escape

PAGE = "app_pages/optimization.py"
STEPS = 500  # the page's trajectory length (ui.classifier.MAX_STEPS)
DEFAULTS = {
    "data": "cs231n_demo",
    "n": 30,
    "classes": 3,
    "noise": 0.1,
    "dseed": 0,
    "test": "0",
    "pts": (),
    "loss": "svm_ww",
    "margin": 1.0,
    "pen": "l2",
    "loglam": -1.0,
    "beta": 1.0,
    "W": toy.CS231N_DEMO_W,
    "b": toy.CS231N_DEMO_B,
    "opt": "sgd",
    "loglr": -1.0,
    "batch": 0,
    "seed": 0,
}
CUSTOM = "0,0,0;1,1,1;0.5,0.2,0;-0.5,0.3,1"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
RAW_HTML = re.compile(r"(?<!\\)<[a-zA-Z/!]")


# ---- what core says the page should show ---------------------------------------------------------------


@dataclass
class Run:
    hist: History
    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    opts: dict
    W0: np.ndarray
    b0: np.ndarray


def points(text: str) -> np.ndarray:
    return np.array([[float(v) for v in row.split(",")] for row in text.split(";")])


def random_W(seed: int, n_classes: int) -> np.ndarray:
    """The page's fresh start for data the state's W does not fit: N(0, 1) rounded to 2 decimals."""
    return np.round(np.random.default_rng(seed).standard_normal((n_classes, 2)), 2)


def run_core(**changes) -> Run:
    """core.optim.train on the data, split and starting point the page's settings describe."""
    s = {**DEFAULTS, **changes}
    if s["data"] == "custom":
        rows = points(s["pts"]) if isinstance(s["pts"], str) else np.array(s["pts"])
        X_all, y_all = toy.check_points(rows[:, :2], rows[:, 2])
    else:
        X_all, y_all = toy.make_dataset(
            s["data"], n_per_class=s["n"], n_classes=s["classes"], noise=s["noise"], seed=s["dseed"]
        )
    X, y, X_test, y_test = toy.train_test_split(X_all, y_all, test_fraction=float(s["test"]), seed=s["dseed"])
    if len(np.unique(y)) < 2:
        X, y, X_test, y_test = X_all, y_all, X_all[:0], y_all[:0]
    C = int(y_all.max()) + 1
    W0, b0 = np.array(s["W"], dtype=float), np.array(s["b"], dtype=float).ravel()
    if W0.shape != (C, 2) or b0.shape != (C,):
        W0, b0 = random_W(s["seed"], C), np.zeros(C)
    loss = s["loss"]
    opts = {"loss": "softmax"} if loss == "softmax" else {"loss": "svm", "variant": loss.split("_", 1)[1]}
    opts.update(
        margin=s["margin"],
        reg=0.0 if s["pen"] == "none" else 10.0 ** s["loglam"],
        penalty=s["pen"],
        beta=s["beta"],
    )
    batch = s["batch"] if s["batch"] <= len(y) else 0
    hist = train(
        X,
        y,
        optimizer=s["opt"],
        lr=10.0 ** s["loglr"],
        steps=STEPS,
        batch_size=batch or None,
        seed=s["seed"],
        W0=W0,
        b0=b0,
        X_test=X_test,
        y_test=y_test,
        **opts,
    )
    return Run(hist, X, y, X_test, y_test, opts, W0, b0)


def label(name: str, lang: str = "en") -> str:
    return translate(lang, f"optimization.metrics.{name}")


def expected_metrics(run: Run, step: int, lang: str = "en") -> dict[str, str]:
    W, b = run.hist.W[step], run.hist.b[step]
    obj = objective(W, b, run.X, run.y, **run.opts)
    out = {
        label("data", lang): fmt(obj.data_loss),
        label("reg", lang): fmt(obj.reg_loss),
        label("total", lang): fmt(obj.total),
        label("step", lang): str(step),
        label("train_acc", lang): f"{100 * accuracy(W, b, run.X, run.y):.0f} %",
    }
    if len(run.y_test):
        out[label("test_acc", lang)] = f"{100 * accuracy(W, b, run.X_test, run.y_test):.0f} %"
    return out


def expected_rows(run: Run, step: int) -> list[list[str]]:
    obj = objective(run.hist.W[step], run.hist.b[step], run.X, run.y, **run.opts)
    return [
        [fmt(x[0]), fmt(x[1]), f"class {c}", *(fmt(s) for s in scores), fmt(li)]
        for x, c, scores, li in zip(run.X, run.y, obj.scores, obj.per_example, strict=True)
    ]


# ---- reading and driving the page ----------------------------------------------------------------------


def open_opt(**params: str):
    return open_page(PAGE, **params)


def point_rows(at) -> list[list[str]]:
    """The rows of the per-point table (the markdown table whose header ends in L_i)."""
    found = []
    for markdown in at.markdown:
        lines = [line.strip() for line in markdown.value.splitlines() if line.strip().startswith("|")]
        if lines and "Lᵢ" in lines[0]:
            found.append([[unescape(c) for c in re.split(r"(?<!\\)\|", line[1:-1])] for line in lines[2:]])
    assert len(found) == 1, [m.value[:80] for m in at.markdown]
    return found[0]


def params_editor(at):
    found = [d for d in at.dataframe if d.key and d.key.startswith("optimization.params.")]
    assert len(found) == 1, [d.key for d in at.dataframe]
    return found[0]


def edit_params(at, edits: dict) -> None:
    """Edit the W/b table as a user does in the browser: {row: {column: value}}."""
    at.session_state[params_editor(at).key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}


def click(at, key: str):
    at.button(key=key).click()
    return rerun(at)


def player_data(at) -> dict:
    """The payload of the page's player (ui/player): every frame, and the step it starts on."""
    found = [e for e in at.get("bidi_component") if e.proto.component_name == "losslab_player"]
    assert len(found) == 1, [e.proto.component_name for e in at.get("bidi_component")]
    return unpacked(json.loads(found[0].proto.json))  # as the browser reads it


def metrics(at) -> dict[str, str]:
    """The numbers the player shows at the step it is on: {label: text}, the step included."""
    d = player_data(at)
    step = d["t"]
    shown = {d["labels"]["metrics"][name]: d["frames"]["text"][name][step] for name in d["metrics"]}
    return {**shown, d["labels"]["xlabel"]: str(step)}


def report(at, step):
    """What the player sends when it pauses, ends or steps in the browser: its state
    t = {step, seq}; the page then reruns with it (AppTest cannot run the player's JavaScript)."""
    element = next(e for e in at.get("bidi_component") if e.proto.component_name == "losslab_player")
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = element.proto.id
    REPORTS[0] += 1
    state.json_value = json.dumps({"t": {"step": step, "seq": REPORTS[0]}})
    return check(at._run(states))


REPORTS = [0]


def step_once(at):
    """The player's Step button (or the right arrow key)."""
    return report(at, player_data(at)["t"] + 1)


def scrub(at, step: int):
    return report(at, step)


def url_matrix(M) -> str:
    return ";".join(",".join(format_number(float(v)) for v in np.atleast_1d(row)) for row in M)


def warning_texts(at) -> list[str]:
    return [w.value for w in at.warning]


def csv_bytes(rows) -> bytes:
    return ("x1,x2,label\n" + "\n".join(",".join(format_number(v) for v in r) for r in rows) + "\n").encode()


# ---- 1. the CS231n demo preset, Step / Play / Reset ----------------------------------------------------


def test_the_default_page_is_the_cs231n_demo_with_its_numbers():
    at = open_opt()
    shown = metrics(at)
    assert (shown[label("data")], shown[label("reg")], shown[label("total")]) == ("2.77", "3.50", "6.27")
    assert shown[label("step")] == "0"
    assert shown == expected_metrics(run_core(), 0)
    assert at.title[0].value == "Optimization"
    assert at.selectbox(key="optimization.loss").value == "svm_ww"
    assert at.selectbox(key="optimization.pen").value == "l2"
    assert at.slider(key="optimization.loglam").value == -1.0
    assert at.selectbox(key="optimization.opt").value == "sgd"
    assert at.slider(key="optimization.loglr").value == -1.0
    assert player_data(at)["t"] == 0
    assert player_data(at)["last"] == STEPS
    W = params_editor(at).value
    np.testing.assert_array_equal(W[["w1", "w2"]].to_numpy(dtype=float), [[1, 2], [2, -4], [3, -1]])
    np.testing.assert_array_equal(W["b"].to_numpy(dtype=float), [0, 0.5, -0.5])
    assert not at.warning
    assert not at.error
    assert at.query_params == {}


def test_step_lowers_the_loss_as_core_train_does_and_reset_returns_to_step_0():
    at = open_opt()
    run = run_core()
    step_once(at)
    assert metrics(at) == expected_metrics(run, 1)
    assert float(metrics(at)[label("total")]) < 6.27
    assert at.query_params == {"t": "1"}
    for step in (2, 3):
        step_once(at)
        assert metrics(at) == expected_metrics(run, step)
    assert run.hist.loss[3] < run.hist.loss[2] < run.hist.loss[1] < run.hist.loss[0]
    report(at, 0)
    assert metrics(at) == expected_metrics(run, 0)
    assert at.query_params == {}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_player_carries_every_frame_as_core_computes_it(lang):
    """Play runs in the browser from this payload: every step's numbers, W and b, the decision
    regions and the misclassified points must be core's, in the page's language."""
    at = open_opt(lang=lang)
    d = player_data(at)
    run = run_core()
    assert d["kind"] == "classifier"
    assert d["t"] == 0
    assert d["last"] == STEPS
    assert d["speed"] == 1
    assert len(d["frames"]["regions"]) == len(d["frames"]["wrong"]) == STEPS + 1
    for name in ("play", "pause", "step", "reset", "scrub"):
        assert d["labels"][name] == translate(lang, f"optimization.controls.{name}")
    assert d["labels"]["player"] == translate(lang, "optimization.player.label")
    assert d["labels"]["classes"] == [translate(lang, "optimization.class_name", k=c) for c in range(3)]
    train_label = translate(lang, "optimization.curves.train")
    assert [s["name"] for s in d["curves"]["loss"]["series"]] == [train_label]
    for step in (0, 1, 17, 250, STEPS):
        d["t"] = step
        shown = {d["labels"]["metrics"][n]: d["frames"]["text"][n][step] for n in d["metrics"]}
        assert {**shown, label("step", lang): str(step)} == expected_metrics(run, step, lang)
        W, b = run.hist.W[step], run.hist.b[step]
        assert d["frames"]["text"]["W"][step] == [[fmt(v) for v in row] for row in W]
        assert d["frames"]["text"]["b"][step] == [fmt(v) for v in b]
        wrong = np.unpackbits(np.frombuffer(base64.b64decode(d["frames"]["wrong"][step]), np.uint8))[:9]
        np.testing.assert_array_equal(wrong.astype(bool), np.argmax(run.X @ W.T + b, axis=1) != run.y)
        # Each class's region holds exactly the grid points the classifier gives that class.
        axis = np.linspace(-d["extent"], d["extent"], 23)
        grid = np.stack(np.meshgrid(axis, axis), -1).reshape(-1, 2)
        winner = np.argmax(grid @ W.T + b, axis=1)
        for c, flat in enumerate(d["frames"]["regions"][step]):
            poly = np.array(flat).reshape(-1, 2)
            inside = inside_convex(poly, grid, 1e-3)
            assert np.all(winner[inside] == c), (step, c)
        regions = [np.array(flat).reshape(-1, 2) for flat in d["frames"]["regions"][step]]
        covered = sum(inside_convex(poly, grid, -1e-3) for poly in regions)
        assert np.all(covered >= 1)
    assert d["curves"]["acc"]["ticks"][0][0] == 0
    assert d["curves"]["acc"]["ymax"] == 1
    np.testing.assert_allclose(d["curves"]["loss"]["series"][0]["values"], run.hist.loss, atol=1e-5)


def inside_convex(poly: np.ndarray, pts: np.ndarray, margin: float) -> np.ndarray:
    """Which of ``pts`` lie in the convex polygon ``poly`` (either orientation): strictly inside by
    ``margin`` > 0, or within -``margin`` of it for a negative one (the vertices are rounded)."""
    if len(poly) < 3:
        return np.zeros(len(pts), dtype=bool)
    edges = np.roll(poly, -1, axis=0) - poly
    cross = edges[:, 0][None] * (pts[:, None, 1] - poly[None, :, 1]) - edges[:, 1][None] * (
        pts[:, None, 0] - poly[None, :, 0]
    )
    return np.all(cross >= margin, axis=1) | np.all(cross <= -margin, axis=1)


def test_a_reported_step_is_the_step_of_the_model_editor_points_and_url():
    at = open_opt()
    run = run_core()
    report(at, 40)
    assert player_data(at)["t"] == 40
    assert at.query_params == {"t": "40"}
    np.testing.assert_allclose(params_editor(at).value[["w1", "w2"]].to_numpy(dtype=float), run.hist.W[40])
    assert point_rows(at) == expected_rows(run, 40)
    at_step = translate("en", "optimization.model.at_step", step=40)
    assert [c.value for c in at.caption if c.value.startswith(at_step)]
    report(at, 40)  # the same step again (paused twice there): still step 40
    assert player_data(at)["t"] == 40


@pytest.mark.parametrize("bad", [-1, STEPS + 1, 2.5, "7", None, True, {"x": 1}])
def test_a_tampered_report_from_the_browser_is_ignored(bad):
    at = open_opt()
    report(at, 12)
    report(at, bad)
    assert player_data(at)["t"] == 12
    assert at.query_params == {"t": "12"}


# ---- 2. every loss, every optimizer, the batch size ----------------------------------------------------


@pytest.mark.parametrize("loss", ["svm_ww", "svm_ova", "svm_structured", "softmax"])
def test_every_loss_gives_the_numbers_core_computes(loss):
    at = open_opt()
    at.selectbox(key="optimization.loss").set_value(loss)
    rerun(at)
    run = run_core(loss=loss)
    assert metrics(at) == expected_metrics(run, 0)
    if loss != "svm_ww":
        assert run.hist.loss[0] != run_core().hist.loss[0]  # a loss that the page ignored would show
    assert [s.key for s in at.slider if s.key == "optimization.margin"] == (
        [] if loss == "softmax" else ["optimization.margin"]
    )
    step_once(at)
    assert metrics(at) == expected_metrics(run, 1)
    assert at.query_params == ({} if loss == "svm_ww" else {"loss": loss}) | {"t": "1"}


@pytest.mark.parametrize("opt", ["sgd", "momentum", "nesterov", "rmsprop", "adam"])
def test_every_optimizer_gives_the_numbers_core_computes(opt):
    at = open_opt()
    at.selectbox(key="optimization.opt").set_value(opt)
    rerun(at)
    scrub(at, 20)
    run = run_core(opt=opt)
    assert metrics(at) == expected_metrics(run, 20)
    if opt != "sgd":
        assert run.hist.loss[20] != run_core().hist.loss[20]
    step_once(at)
    assert metrics(at) == expected_metrics(run, 21)


def test_a_minibatch_follows_the_seed():
    at = open_opt()
    at.number_input(key="optimization.batch").set_value(3)
    rerun(at)
    step_once(at)
    step_once(at)
    run = run_core(batch=3)
    assert metrics(at) == expected_metrics(run, 2)
    assert run.hist.loss[2] != run_core().hist.loss[2]
    assert at.query_params == {"batch": "3", "t": "2"}


# ---- 3. the datasets -----------------------------------------------------------------------------------

DATASETS = {  # name -> URL settings (the page draws a fresh W from the seed when the demo's does not fit)
    "blobs": {"n": "12", "noise": "0.2", "classes": "4", "dseed": "5"},
    "spiral": {"n": "15", "noise": "0.3", "dseed": "2", "test": "0.2"},
    "circles": {"n": "20", "noise": "0.05", "dseed": "7"},
    "xor": {"n": "10", "noise": "0.15", "dseed": "3", "test": "0.3"},
}


def core_settings(params: dict) -> dict:
    types = {"n": int, "classes": int, "dseed": int, "noise": float, "test": str, "data": str}
    return {k: types[k](v) for k, v in params.items()}


@pytest.mark.parametrize("name", DATASETS)
def test_each_dataset_renders_is_reproducible_per_seed_and_changes_with_the_seed(name):
    settings = {"data": name, **DATASETS[name]}
    first = open_opt(**settings)
    assert metrics(first) == expected_metrics(run_core(**core_settings(settings)), 0)
    assert not first.warning
    # The link the page writes (it carries the W drawn for this many classes), five steps on.
    params = {**first.query_params, "t": "5"}
    assert {k: params[k] for k in settings} == settings
    at = open_opt(**params)
    run = run_core(**core_settings(settings))
    assert metrics(at) == expected_metrics(run, 5)
    assert point_rows(at) == expected_rows(run, 5)
    again = open_opt(**params)
    assert metrics(again) == metrics(at)
    assert point_rows(again) == point_rows(at)
    other_settings = {**settings, "dseed": str(int(settings["dseed"]) + 1)}
    other = open_opt(**{**params, **other_settings})
    assert metrics(other) == expected_metrics(run_core(**core_settings(other_settings)), 5)
    assert point_rows(other) != point_rows(at)
    assert metrics(other) != metrics(at)


def test_the_dataset_selectbox_and_new_data_button():
    at = open_opt()
    at.selectbox(key="optimization.data").set_value("circles")
    rerun(at)
    run = run_core(data="circles")
    assert metrics(at) == expected_metrics(run, 0)
    np.testing.assert_array_equal(params_editor(at).value[["w1", "w2"]].to_numpy(dtype=float), random_W(0, 2))
    new_data = [b for b in at.button if b.label == translate("en", "optimization.data.regenerate")]
    new_data[0].click()
    rerun(at)
    assert metrics(at) == expected_metrics(run_core(data="circles", dseed=1, W=random_W(0, 2), b=[0, 0]), 0)
    assert at.query_params["dseed"] == "1"


# ---- 4. divergence -------------------------------------------------------------------------------------


def test_a_huge_step_size_diverges_with_a_warning_naming_the_step_and_no_nan():
    at = open_opt(loglr="1", loglam="1")
    run = run_core(loglr=1.0, loglam=1.0)
    assert run.hist.diverged
    assert run.hist.diverged_at is not None
    last = run.hist.steps
    diverged = translate("en", "optimization.diverged", step=run.hist.diverged_at, last=last, factor="100")
    assert warning_texts(at) == [diverged]
    assert f"step {run.hist.diverged_at}" in at.warning[0].value
    d = player_data(at)
    assert d["last"] == last == run.hist.diverged_at - 1
    assert d["curves"]["loss"]["diverged"]
    assert max(run.hist.loss) <= EXPLODE_FACTOR * run.hist.loss[0]
    for step in range(last + 1):
        if step:
            step_once(at)
        assert metrics(at) == expected_metrics(run, step)
        shown = list(metrics(at).values()) + [m.value for m in at.markdown]
        assert not [s for s in shown if re.search(r"nan|inf", s, re.IGNORECASE)], shown
    texts = [v for frame in player_data(at)["frames"]["text"]["total"] for v in frame]
    assert max(len(v) for v in player_data(at)["frames"]["text"]["total"]) <= 8, texts  # no "2420…"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_step_size_10_on_the_demo_warns_that_it_diverged_at_step_15(lang):
    """The issue's case: log10 step size = 1 took the loss from 6.27 to 645,298 with no warning."""
    at = open_opt(loglr="1", lang=lang)
    run = run_core(loglr=1.0)
    assert run.hist.diverged_at == 15
    assert warning_texts(at) == [translate(lang, "optimization.diverged", step=15, last=14, factor="100")]
    assert player_data(at)["last"] == 14


# ---- 5. the per-point table ----------------------------------------------------------------------------


def test_the_point_table_shows_nine_rows_with_core_per_example_losses():
    at = open_opt()
    run = run_core()
    rows = point_rows(at)
    assert len(rows) == 9
    assert rows == expected_rows(run, 0)
    obj = objective(toy.CS231N_DEMO_W, toy.CS231N_DEMO_B, run.X, run.y, **run.opts)
    assert [r[-1] for r in rows] == [fmt(v) for v in obj.per_example]
    assert fmt(np.mean(obj.per_example)) == "2.77"
    step_once(at)
    assert point_rows(at) == expected_rows(run, 1)


# ---- 6. editing W and b --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["1e-7", "0.123456789", "-2.5E1"])
def test_a_typed_parameter_is_used_exactly(typed):
    """Issue 12 item 4: no rounding to 6 decimals, scientific notation read as Python reads it."""
    at = open_opt()
    edit_params(at, {0: {"w1": typed}})
    rerun(at)
    assert not at.error
    W = np.array(toy.CS231N_DEMO_W, dtype=float)
    W[0, 0] = float(typed)
    assert metrics(at) == expected_metrics(run_core(W=W), 0)
    assert at.query_params["W"].split(";")[0].split(",")[0] == repr(float(typed)).removesuffix(".0")


def test_an_edit_of_w_restarts_from_step_0_with_the_new_w():
    at = open_opt()
    run = run_core()
    step_once(at)
    step_once(at)
    edit_params(at, {0: {"w2": "3"}})
    rerun(at)
    W, b = run.hist.W[2].copy(), run.hist.b[2]  # the cells not typed into keep every digit
    W[0, 1] = 3.0
    assert metrics(at) == expected_metrics(run_core(W=W, b=b), 0)
    np.testing.assert_allclose(params_editor(at).value[["w1", "w2"]].to_numpy(dtype=float), W)
    assert at.query_params == {"W": url_matrix(W), "b": url_matrix([b])}
    assert not at.error
    step_once(at)
    assert metrics(at) == expected_metrics(run_core(W=W, b=b), 1)


BAD_PARAMS = {
    "1e9": "out_of_range",
    "-101": "out_of_range",
    "abc": "cell_not_number",
    "1,5": "cell_not_number",
    "nan": "not_finite",
    "": "empty_cell",
}


@pytest.mark.parametrize("bad", list(BAD_PARAMS))
def test_an_out_of_range_edit_is_refused_and_the_parameters_stay(bad):
    at = open_opt()
    step_once(at)
    before_metrics, before_url = metrics(at), dict(at.query_params)
    edit_params(at, {1: {"b": bad}})
    rerun(at)
    reason = translate("en", f"state.reason.{BAD_PARAMS[bad]}", lo="-100", hi="100")
    line = translate(
        "en", "state.cell_refused", row="class 1", column="b", text=md_escape(bad), reason=reason
    )
    assert [e.value for e in at.error] == [translate("en", "state.cell_refused_intro") + "\n\n- " + line]
    assert metrics(at) == before_metrics == expected_metrics(run_core(), 1)
    assert dict(at.query_params) == before_url == {"t": "1"}
    step_once(at)  # the page still works
    assert metrics(at) == expected_metrics(run_core(), 2)


def test_nudge_plus_changes_the_selected_weight_by_0_1_and_resets_to_step_0():
    at = open_opt()
    step_once(at)
    run = run_core()
    # The default selection is labelled "W[0, 1]": class 0 (rows count from 0), input x₁ (from 1).
    assert at.selectbox(key="optimization.nudge_which").value == "W.0.0"
    click(at, "optimization.nudge_plus")
    W, b = run.hist.W[1].copy(), run.hist.b[1].copy()
    W[0, 0] = round(W[0, 0] + 0.1, 6)  # the nudged weight is rounded (0.1 steps), the rest kept exact
    assert metrics(at) == expected_metrics(run_core(W=W, b=b), 0)
    assert at.query_params == {"W": url_matrix(W), "b": url_matrix([b])}
    at.selectbox(key="optimization.nudge_which").set_value("W.0.1")  # "W[0, 2]"
    rerun(at)  # as the browser does on a change: the buttons' arguments follow the selection
    click(at, "optimization.nudge_minus")
    W[0, 1] = round(W[0, 1] - 0.1, 6)
    assert metrics(at) == expected_metrics(run_core(W=W, b=b), 0)
    np.testing.assert_allclose(params_editor(at).value[["w1", "w2"]].to_numpy(dtype=float), W)


# ---- 7. custom points: the URL and CSV uploads ---------------------------------------------------------


def test_custom_points_from_the_url_are_used():
    at = open_opt(data="custom", pts=CUSTOM)
    run = run_core(data="custom", pts=CUSTOM)
    assert metrics(at) == expected_metrics(run, 0)
    assert len(point_rows(at)) == 4
    assert point_rows(at) == expected_rows(run, 0)
    assert not at.warning
    assert not at.error
    assert at.query_params["pts"] == CUSTOM
    assert at.query_params["data"] == "custom"
    np.testing.assert_array_equal(params_editor(at).value[["w1", "w2"]].to_numpy(dtype=float), random_W(0, 2))


def test_a_csv_upload_replaces_the_points():
    at = open_opt(data="custom", pts=CUSTOM)
    uploader = at.file_uploader(key="optimization.upload")
    assert uploader.allowed_type == [".csv", ".txt"]
    rows = [(0.1, 0.2, 0), (-0.3, 0.4, 1), (0.5, -0.6, 2), (0.7, 0.8, 0), (-0.9, -1.0, 1), (1.1, -1.2, 2)]
    uploader.upload("points.csv", csv_bytes(rows), "text/csv")
    rerun(at)
    assert not at.error
    pts = ";".join(",".join(format_number(v) for v in r) for r in rows)
    assert at.query_params["pts"] == pts
    run = run_core(data="custom", pts=pts, W=random_W(0, 2), b=[0, 0])  # the 2-class W no longer fits
    assert metrics(at) == expected_metrics(run, 0)
    assert point_rows(at) == expected_rows(run, 0)
    assert params_editor(at).value.shape[0] == 3


def test_a_good_upload_clears_the_notice_of_a_refused_cell():
    at = open_opt(data="custom", pts=CUSTOM)
    key = next(d.key for d in at.dataframe if d.key.startswith("optimization.points."))
    at.session_state[key] = {"edited_rows": {0: {"x1": "abc"}}, "added_rows": [], "deleted_rows": []}
    rerun(at)
    assert [e.value for e in at.error]
    assert at.query_params["pts"] == CUSTOM
    rows = [(0.1, 0.2, 0), (-0.3, 0.4, 1), (0.5, -0.6, 0)]
    at.file_uploader(key="optimization.upload").upload("points.csv", csv_bytes(rows), "text/csv")
    rerun(at)
    assert not at.error
    assert at.query_params["pts"] == ";".join(",".join(format_number(v) for v in r) for r in rows)


def refusal_reason(data: bytes) -> str:
    if len(data) > 200_000:
        return translate("en", "optimization.data.too_big", limit=200)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return translate("en", "optimization.data.not_text")
    with pytest.raises(ValueError, match=r".") as err:  # any message: the test compares it whole below
        toy.parse_points_csv(text)
    return str(err.value)


BAD_CSVS = {
    "two-columns": b"1,2\n3,4\n",
    "four-columns": b"1,2,0,9\n3,4,1,9\n",
    "text": b"a,b,c\nd,e,f\n",
    "nan": b"nan,0,0\n1,1,1\n",
    "nan-label": b"0,0,nan\n1,1,1\n",
    "label-7": b"0,0,0\n1,1,7\n",
    "one-class": b"0,0,1\n1,1,1\n2,2,1\n",
    "too-big": b"0,0,0\n0,0,1\n" * 20_000,
    "not-utf8": "0,0,0\n1,1,1\n# café\n".encode("latin-1"),
    "empty": b"",
    "header-only": b"x1,x2,label\n",
}


def test_malformed_csvs_are_refused_with_an_error_and_the_previous_points_stay():
    at = open_opt(data="custom", pts=CUSTOM)
    before, url = metrics(at), dict(at.query_params)
    for case, data in BAD_CSVS.items():
        at.file_uploader(key="optimization.upload").set_value((f"{case}.csv", data, "text/csv"))
        rerun(at)
        reason = refusal_reason(data)
        refused = translate("en", "optimization.data.refused", reason=reason)
        assert [e.value for e in at.error] == [refused], case
        assert metrics(at) == before, case
        assert dict(at.query_params) == url, case
        assert len(point_rows(at)) == 4, case
    assert before == expected_metrics(run_core(data="custom", pts=CUSTOM), 0)


# ---- 8. the URL round trip, Korean ---------------------------------------------------------------------


def test_url_round_trip_reproduces_seed_and_step():
    at = open_opt()
    at.selectbox(key="optimization.data").set_value("blobs")
    at.selectbox(key="optimization.loss").set_value("softmax")
    at.selectbox(key="optimization.opt").set_value("momentum")
    at.radio(key="optimization.test").set_value("0.3")
    at.number_input(key="optimization.batch").set_value(8)
    rerun(at)
    randomize = [b for b in at.button if b.label == translate("en", "optimization.model.randomize")]
    randomize[0].click()
    rerun(at)
    for _ in range(3):
        step_once(at)
    params = dict(at.query_params)
    assert params["seed"] == "1"
    assert params["t"] == "3"
    run = run_core(
        data="blobs",
        loss="softmax",
        opt="momentum",
        test="0.3",
        batch=8,
        seed=1,
        W=random_W(1, 3),
        b=[0, 0, 0],
    )
    assert metrics(at) == expected_metrics(run, 3)
    fresh = open_opt(**params)
    assert not fresh.warning
    assert metrics(fresh) == metrics(at)
    assert point_rows(fresh) == point_rows(at)
    assert dict(fresh.query_params) == params


def test_korean_shows_the_korean_title_and_the_same_numbers():
    at = open_opt(lang="ko")
    assert at.title[0].value == translate("ko", "optimization.title") == "최적화"
    assert metrics(at) == expected_metrics(run_core(), 0, lang="ko")
    assert HANGUL.search(label("total", "ko"))
    step_once(at)
    assert metrics(at) == expected_metrics(run_core(), 1, lang="ko")
    assert at.query_params == {"t": "1", "lang": "ko"}
    check(at)


# ---- 9. hostile query strings --------------------------------------------------------------------------

HOSTILE = {  # id -> (params, the name the warning must show, the reason's catalog key)
    "W-abc": ({"W": "abc"}, "W", "not_number"),
    "W-4-columns": ({"W": "1,2,3,4;2,-4,1,1;3,-1,0,0"}, "W", "ragged"),
    "b-nan": ({"b": "nan"}, "b", "not_finite"),
    "t-9999": ({"t": "9999"}, "t", "out_of_range"),
    "batch-minus-1": ({"batch": "-1"}, "batch", "out_of_range"),
    "opt-script": ({"opt": "<script>alert(1)</script>"}, "opt", "not_choice"),
    "loss-x": ({"loss": "x"}, "loss", "not_choice"),
    "pts-garbage": ({"pts": "garbage"}, "pts", "not_number"),
    "loglr-inf": ({"loglr": "inf"}, "loglr", "not_finite"),
    "custom-pts-label-9": ({"data": "custom", "pts": "0,0,9;1,1,1"}, "pts", "bad_points"),
}


def test_unreadable_custom_points_are_reported_and_the_demo_points_offered():
    at = open_opt(data="custom", pts="garbage")
    texts = warning_texts(at)
    assert len(texts) == 1
    assert "`pts`" in texts[0]
    assert metrics(at) == expected_metrics(run_core(), 0)
    assert at.query_params["data"] == "custom"  # still the user's own-points mode, seeded with the demo


def test_your_own_points_start_from_the_demo_points():
    """data=custom with no points yet is not an error: the editor starts from the demo's 9 points."""
    at = open_opt(data="custom")
    assert not at.warning
    assert metrics(at) == expected_metrics(run_core(), 0)
    assert point_rows(at) == expected_rows(run_core(), 0)


@pytest.mark.parametrize("case", HOSTILE.values(), ids=list(HOSTILE))
def test_a_hostile_query_string_is_reported_and_the_defaults_used(case):
    params, name, reason = case
    at = open_opt(**params)  # raises on an exception in the page
    texts = warning_texts(at)
    assert len(texts) == 1, texts
    assert texts[0].startswith(translate("en", "state.refused_intro"))
    assert f"`{name}`" in texts[0]
    assert catalog("en")[f"state.reason.{reason}"].split("{")[0].split("(")[0] in texts[0]
    assert not RAW_HTML.search(texts[0])
    assert metrics(at) == expected_metrics(run_core(), 0)
    assert point_rows(at) == expected_rows(run_core(), 0)
    assert at.query_params == {}


def test_pts_with_label_9_in_the_url_without_custom_data_is_harmless():
    at = open_opt(pts="0,0,9;1,1,1")
    assert metrics(at) == expected_metrics(run_core(), 0)

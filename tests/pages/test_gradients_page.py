"""AppTest tests of the gradients page (app_pages/gradients.py), run through app.py's router.

The page studies the optimization chapter's classifier: by default the CS231n demo data (9 points,
W 3 x 2, b 3) under the lecture's SVM with L2 regularization, lambda = 0.1. Every expected number
is computed here by core (core.linear.objective, core.gradients) with those settings, never
copied from the page. The page builds only its open tab (lazy tabs, ``?tab=``).
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import numpy as np
import pytest
from apptest_tools import (
    CURRENT,
    check,
    metrics,
    open_page,
    open_tab_label,
    proto_strings,
    rerun,
    row,
    unescape,
)
from apptest_tools import open_tab as shared_open_tab
from streamlit.testing.v1 import AppTest

from core import descent, search
from core import gradients as grad
from core.data import CS231N_DEMO_B, CS231N_DEMO_W, CS231N_DEMO_X, CS231N_DEMO_Y
from core.linear import accuracy, objective
from core.optim import OPTIMIZERS
from ui.i18n import LANGUAGES, catalog, translate
from ui.widgets import fmt

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGE = "app_pages/gradients.py"
TABS = ("walkthrough", "check", "strategies", "optimizers", "code")
OPTS = {"loss": "svm", "variant": "ww", "margin": 1.0, "reg": 0.1, "penalty": "l2", "beta": 1.0}
W, B, X, Y = CS231N_DEMO_W, CS231N_DEMO_B, CS231N_DEMO_X, CS231N_DEMO_Y
N_PARAMS = W.size + B.size  # 9
NAMES = [f"W[{c}, {j + 1}]" for c in range(3) for j in range(2)] + [f"b[{c}]" for c in range(3)]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
RAW_HTML = re.compile(r"(?<!\\)<[a-zA-Z/!]")


def open_gradients(**params: str) -> AppTest:
    """A fresh session whose first request is the gradients page with ``params``, run once and checked."""
    return open_page(PAGE, **params)


def open_tab(at, name: str) -> AppTest:
    return shared_open_tab(at, name, "gradients")


# ---- what core says the page should show ------------------------------------------------------------


def flat(W_, b_) -> np.ndarray:
    return np.concatenate([np.ravel(W_), b_])


def loss_of(p, opts=OPTS) -> float:
    return objective(p[:6].reshape(3, 2), p[6:], X, Y, **opts).total


def walk_expected(index: int, logh: float, lang: str = "en") -> dict[str, list[str]]:
    h = 10.0**logh
    p0 = flat(W, B)
    p1 = p0.copy()
    p1[index] += h
    base = objective(W, B, X, Y, **OPTS)
    analytic = flat(base.dW, base.db)[index]
    l0, l1 = loss_of(p0), loss_of(p1)
    quotient = (l1 - l0) / h
    return {
        "h": [fmt(h)],
        "L(W)": [f"{l0:.10f}"],
        "L(W + h)": [f"{l1:.10f}"],
        "(L(W + h) − L(W)) / h": [f"{quotient:.8f}"],
        translate(lang, "gradients.walk.analytic"): [f"{analytic:.8f}"],
        translate(lang, "gradients.walk.error"): [fmt(abs(quotient - analytic))],
    }


def planted(bug: str, opts=OPTS):
    """The analytic gradient (flat) with one of the page's bugs, as the lecture describes them."""
    o = objective(W, B, X, Y, **opts)
    dW, db = o.dW.copy(), o.db.copy()
    reg = opts["reg"]
    if bug == "demo_reg":  # 0.5 * lambda * W where 2 * lambda * W belongs
        dW += -2 * reg * W + 0.5 * reg * W
    elif bug == "no_reg":
        dW += -2 * reg * W
    elif bug == "no_bias":
        db = np.zeros_like(db)
    return flat(dW, db)


def check_expected(bug: str, opts=OPTS):
    analytic = planted(bug, opts)
    numeric = grad.numerical_gradient(lambda p: loss_of(p, opts), flat(W, B), h=1e-5)
    return analytic, numeric, grad.check_errors(analytic, numeric)


def strategies_expected(budget: int, seed: int):
    start = flat(W, B)

    def loss_and_grad(p):
        o = objective(p[:6].reshape(3, 2), p[6:], X, Y, **OPTS)
        return o.total, flat(o.dW, o.db)

    runs = {
        "random": search.random_search(
            loss_of, start.shape, budget, seed=seed, scale=float(np.abs(start).max())
        ),
        "local": search.random_local_search(loss_of, start, budget, seed=seed, step=0.2),
        "descent": search.gradient_descent(loss_and_grad, start, budget, lr=0.1),
    }
    return {
        k: (r.best_loss[-1], accuracy(r.best_params[:6].reshape(3, 2), r.best_params[6:], X, Y))
        for k, r in runs.items()
    }


def surface_of(name: str) -> descent.Surface:
    if name == "classifier":
        return descent.classifier_slice(W, B, X, Y, (0, 0), (0, 1), **OPTS)
    return descent.surface(name)


def paths_player(at) -> dict:
    """The payload of the optimizers tab's player (ui/player)."""
    found = [e for e in at.get("bidi_component") if e.proto.component_name == "losslab_player"]
    assert len(found) == 1
    return json.loads(found[0].proto.json)


def diverged_names(name: str, lr: float, steps: int, lang: str) -> list[str]:
    surf = surface_of(name)
    return [
        translate(lang, f"optimization.opt.{o}")
        for o in OPTIMIZERS
        if descent.run_optimizer(surf, o, lr, steps)[2]
    ]


# ---- 1. the walkthrough -------------------------------------------------------------------------------


def test_the_default_link_opens_the_walkthrough_on_the_demo_classifier():
    at = open_gradients()
    assert at.title[0].value == "Following the slope"
    assert open_tab_label(at) == [translate("en", "gradients.tabs.walkthrough")]
    data = translate("en", "optimization.dataset.cs231n_demo")
    caption = translate(
        "en",
        "gradients.classifier",
        data=data,
        n=9,
        loss=translate("en", "optimization.loss.svm_ww"),
        reg="0.1",
    )
    assert caption in [c.value for c in at.caption]
    assert "λ = 0.1" in caption
    expected = walk_expected(0, -5.0)
    for label, cells in expected.items():
        assert row(at, label) == cells, label
    # the lecture's numbers, worked by hand from the demo: L(W) = 6.2666..., dL/dW[0, 1] = -0.2333...
    assert row(at, "L(W)") == [f"{objective(W, B, X, Y, **OPTS).total:.10f}"] == ["6.2666666667"]
    assert row(at, translate("en", "gradients.walk.analytic")) == ["-0.23333333"]
    assert row(at, "W[0, 1]") == ["1.0000", "1.00001"]  # the nudged entry
    assert row(at, "b[1]") == ["0.5000", "0.5000"]
    table = next(m.value for m in at.markdown if "W\\[0, 1\\]" in m.value)
    assert ":green-background[**1\\.00001**]" in table  # the nudged cell is highlighted
    assert at.selectbox(key="gradients.param").options == NAMES
    assert not at.warning
    assert not at.error
    assert at.query_params == {}


def test_a_link_picks_the_weight_and_h_and_the_widgets_change_them():
    at = open_gradients(param="W.2.1", logh="-7")
    assert at.selectbox(key="gradients.param").value == "W.2.1"
    for label, cells in walk_expected(5, -7.0).items():
        assert row(at, label) == cells, label
    assert row(at, "h") == ["1.0 × 10⁻⁷"]
    assert row(at, "W[2, 2]") == ["-1.0000", "-0.9999999"]
    at.selectbox(key="gradients.param").set_value("b.1")
    at.slider(key="gradients.logh").set_value(-3.0)
    rerun(at)
    for label, cells in walk_expected(7, -3.0).items():
        assert row(at, label) == cells, label
    assert at.query_params == {"param": "b.1", "logh": "-3"}


def test_the_nudged_weight_shows_a_tiny_h():
    """At h = 10⁻¹⁰ the W + h column shows the step (it used to read "1")."""
    at = open_gradients(logh="-10")
    assert row(at, "h") == ["1.0 × 10⁻¹⁰"]
    assert row(at, "W[0, 1]") == ["1.0000", "1.0000000001"]


def test_the_error_plot_is_explained_for_the_loss_it_shows():
    """The default classifier's SVM loss is piecewise linear: the centred error is round-off only
    and falls as h grows, so the caption says so; softmax shows the textbook h² slope."""
    at = open_gradients()
    notes = [c.value for c in at.caption]
    assert translate("en", "gradients.walk.plot_note_piecewise") in notes
    assert translate("en", "gradients.walk.plot_note") not in notes
    p0 = flat(W, B)
    hs = np.array([1e-7, 1e-4, 1e-1])
    svm = objective(W, B, X, Y, **OPTS)
    _, centred = grad.difference_quotients(loss_of, p0, 0, hs, true_grad=svm.dW[0, 0])
    assert centred[0] > centred[1] > centred[2]  # what the note says: falling as h grows
    at.radio(key="gradients.wloss").set_value("softmax")
    rerun(at)
    notes = [c.value for c in at.caption]
    assert translate("en", "gradients.walk.plot_note") in notes
    soft = {**OPTS, "loss": "softmax"}
    analytic = objective(W, B, X, Y, **soft).dW[0, 0]
    assert row(at, translate("en", "gradients.walk.analytic")) == [f"{analytic:.8f}"]
    _, centred = grad.difference_quotients(lambda p: loss_of(p, soft), p0, 0, hs, true_grad=analytic)
    assert centred[2] > centred[1]  # the truncation error (h²) is visible on the right
    assert at.query_params == {"wloss": "softmax"}
    ko = open_gradients(lang="ko")
    assert translate("ko", "gradients.walk.plot_note_piecewise") in [c.value for c in ko.caption]


def test_a_weight_the_classifier_does_not_have_falls_back_to_the_first():
    at = open_gradients(param="b.4")  # a valid key for a 5-class classifier; the demo has 3 classes
    assert at.selectbox(key="gradients.param").value == "W.0.0"
    assert (
        row(at, translate("en", "gradients.walk.analytic"))
        == walk_expected(0, -5.0)[translate("en", "gradients.walk.analytic")]
    )
    assert at.query_params == {}


# ---- 2. the gradient check ----------------------------------------------------------------------------


def check_rows(at, lang="en") -> dict[str, list[str]]:
    return {name: row(at, name) for name in NAMES}


def expected_check_rows(bug: str, lang="en") -> dict[str, list[str]]:
    analytic, numeric, rel = check_expected(bug)
    return {
        name: [
            f"{analytic[n]:.6f}",
            f"{numeric[n]:.6f}",
            fmt(rel[n]),
            translate(lang, f"gradients.check.{grad.verdict(rel[n])}"),
        ]
        for n, name in enumerate(NAMES)
    }


def test_the_check_with_no_bug_agrees_everywhere():
    at = open_gradients(tab="check")
    shown = metrics(at)
    assert shown[translate("en", "gradients.check.worst")] == "0.00"
    assert shown[translate("en", "gradients.check.evals")] == str(2 * N_PARAMS) == "18"
    assert shown[translate("en", "gradients.check.time")].endswith(" ms")
    assert [s.value for s in at.success] == [translate("en", "gradients.check.summary_fine")]
    assert not at.error
    assert not at.warning
    assert check_rows(at) == expected_check_rows("none")
    assert at.radio(key="gradients.bug").value == "none"
    assert at.query_params == {"tab": "check"}


def test_the_original_demo_bug_from_the_link_is_caught():
    at = open_gradients(tab="check", bug="demo_reg")
    _, _, rel = check_expected("demo_reg")
    worst = float(rel.max())
    assert grad.verdict(worst) == "wrong"
    assert metrics(at)[translate("en", "gradients.check.worst")] == fmt(worst)
    assert metrics(at)[translate("en", "gradients.check.evals")] == "18"
    assert [e.value for e in at.error] == [translate("en", "gradients.check.summary_wrong")]
    assert not at.success
    rows = check_rows(at)
    assert rows == expected_check_rows("demo_reg")
    assert {rows[n][3] for n in NAMES[:6]} == {"wrong"}
    assert {rows[n][3] for n in NAMES[6:]} == {"fine"}
    body = next(m.value for m in at.markdown if "W[0, 1]" in m.value)
    assert ":red-background[" in body
    assert ":green-background[" in body
    assert at.query_params == {"tab": "check", "bug": "demo_reg"}


def test_planting_each_bug_with_the_radio_is_caught_and_removing_it_passes():
    at = open_gradients(tab="check")
    radio = "gradients.bug"
    for bug in ("demo_reg", "no_reg", "no_bias", "none"):
        at.radio(key=radio).set_value(bug)
        rerun(at)
        _, _, rel = check_expected(bug)
        assert metrics(at)[translate("en", "gradients.check.worst")] == fmt(float(rel.max()))
        if bug == "none":
            assert [s.value for s in at.success]
            assert not at.error
            assert at.query_params == {"tab": "check"}
        else:
            assert [e.value for e in at.error] == [translate("en", "gradients.check.summary_wrong")], bug
            assert at.query_params == {"tab": "check", "bug": bug}
        assert check_rows(at) == expected_check_rows(bug)


def test_without_regularization_the_regularization_bugs_are_invisible_and_the_page_says_so():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["pen"] = "none"  # the optimization page owns the classifier: lambda off there
    at.switch_page("app_pages/optimization.py")
    CURRENT[:] = [at]
    at.run()
    check(at)
    at.switch_page(PAGE)
    rerun(at)
    assert any(c.value.endswith("λ = 0.") for c in at.caption), [c.value for c in at.caption]
    open_tab(at, "check")
    at.radio(key="gradients.bug").set_value("demo_reg")
    rerun(at)
    assert [i.value for i in at.info] == [translate("en", "gradients.check.needs_reg")]
    assert [s.value for s in at.success] == [translate("en", "gradients.check.summary_fine")]
    assert metrics(at)[translate("en", "gradients.check.worst")] == "0.00"
    at.radio(key="gradients.bug").set_value("no_bias")  # not a regularization bug: still caught
    rerun(at)
    assert at.error
    assert not at.info


def test_with_an_l1_penalty_the_l2_bugs_are_invisible_and_the_page_says_so():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["optimization.pen"] = "l1"  # the optimization page's penalty select, set to L1
    at.switch_page(PAGE)
    CURRENT[:] = [at]
    rerun(at)
    open_tab(at, "check")
    at.radio(key="gradients.bug").set_value("no_reg")
    rerun(at)
    assert [i.value for i in at.info] == [translate("en", "gradients.check.needs_reg")]
    assert [s.value for s in at.success] == [translate("en", "gradients.check.summary_fine")]
    at.radio(key="gradients.bug").set_value("no_bias")
    rerun(at)
    assert at.error
    assert not at.info


# ---- 3. search strategies and optimizers ----------------------------------------------------------------


def strategy_rows(at, lang) -> dict[str, list[str]]:
    return {k: row(at, translate(lang, f"gradients.strategies.{k}")) for k in ("random", "local", "descent")}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_strategies_tab_shows_what_core_finds_and_descent_wins(lang):
    at = open_gradients(tab="strategies", lang=lang)
    expected = strategies_expected(300, 0)
    shown = strategy_rows(at, lang)
    assert shown == {k: [fmt(v, 4), f"{100 * a:.0f} %"] for k, (v, a) in expected.items()}
    assert float(shown["descent"][0]) < float(shown["random"][0])
    at.slider(key="gradients.budget").set_value(100)
    at.number_input(key="gradients.seed").set_value(7)
    rerun(at)
    expected = strategies_expected(100, 7)
    assert strategy_rows(at, lang) == {k: [fmt(v, 4), f"{100 * a:.0f} %"] for k, (v, a) in expected.items()}
    params = {"tab": "strategies", "budget": "100", "seed": "7"}
    assert at.query_params == (params if lang == "en" else {**params, "lang": lang})


@pytest.mark.parametrize(
    ("lang", "params"),
    [
        ("en", {}),
        ("ko", {"surface": "rosenbrock", "loglr": "0.5"}),
        ("en", {"surface": "saddle", "loglr": "0.5", "steps": "50"}),
        ("ko", {"surface": "classifier", "steps": "10"}),
    ],
    ids=["en-bowl-default", "ko-rosenbrock-big-step", "en-saddle-big-step", "ko-classifier"],
)
def test_the_optimizers_tab_renders_and_names_the_runs_that_diverge(lang, params):
    at = open_gradients(tab="optimizers", lang=lang, **params)
    assert not at.error
    surface, loglr, steps = (
        params.get("surface", "quadratic"),
        float(params.get("loglr", -1.5)),
        int(params.get("steps", 100)),
    )
    assert at.selectbox(key="gradients.surface").value == surface
    names = diverged_names(surface, 10.0**loglr, steps, lang)
    if names:
        assert [w.value for w in at.warning] == [
            translate(lang, "gradients.optimizers.diverged", names=", ".join(names))
        ]
    else:
        assert not at.warning
    assert len([text for _, field, text in proto_strings(at) if field == "spec"]) == 2  # sweep and batches
    # The paths and their loss curves play in the browser, from every step of core's runs.
    d = paths_player(at)
    assert d["kind"] == "paths"
    assert d["last"] == steps
    assert d["t"] == 0
    assert d["labels"]["play"] == translate(lang, "optimization.controls.play")
    surf = surface_of(surface)
    for o, run in zip(OPTIMIZERS, d["runs"], strict=True):
        path, values, diverged = descent.run_optimizer(surf, o, 10.0**loglr, steps)
        assert run["name"] == translate(lang, f"optimization.opt.{o}")
        np.testing.assert_allclose(run["path"], path, atol=1e-4)
        assert run["text"] == [fmt(v) for v in values]
        assert diverged == (len(path) < steps + 1)
        assert all(len(text) <= 12 for text in run["text"]), run["text"][-3:]  # divergence stops early


def test_a_huge_step_on_the_bowl_diverges_for_plain_sgd():
    at = open_gradients(tab="optimizers")
    assert not at.warning
    at.slider(key="gradients.loglr").set_value(0.5)
    rerun(at)
    names = diverged_names("quadratic", 10.0**0.5, 100, "en")
    assert translate("en", "optimization.opt.sgd") in names
    assert [w.value for w in at.warning] == [
        translate("en", "gradients.optimizers.diverged", names=", ".join(names))
    ]
    assert at.query_params == {"tab": "optimizers", "loglr": "0.5"}


def test_the_code_tab_shows_the_source_that_ran():
    at = open_gradients(tab="code")
    code = at.code[0].value
    for fn in (grad.numerical_gradient, grad.relative_error, descent.run_optimizer):
        assert inspect.getsource(fn).strip() in code


# ---- 4. both languages, hostile links ---------------------------------------------------------------------


def test_every_tab_is_fully_translated_in_korean():
    at = open_gradients(lang="ko")
    assert at.title[0].value == translate("ko", "gradients.title")
    assert HANGUL.search(at.title[0].value)
    for tab in TABS:
        open_tab(at, tab)  # rerun checks every text on screen for the missing-key marker
        assert open_tab_label(at) == [translate("ko", f"gradients.tabs.{tab}")]
        if tab == "check":
            at.radio(key="gradients.bug").set_value("demo_reg")
            rerun(at)
            assert [e.value for e in at.error] == [translate("ko", "gradients.check.summary_wrong")]
            assert HANGUL.search(at.error[0].value)
    assert at.query_params == {"tab": "code", "bug": "demo_reg", "lang": "ko"}


LONG = "9" * 5000
HOSTILE = {  # id -> (params, the name the warning must show, the reason's catalog key)
    "tab-script": ({"tab": "<script>alert(1)</script>"}, "tab", "not_choice"),
    "param-W.9.9": ({"param": "W.9.9"}, "param", "not_choice"),
    "logh-nan": ({"logh": "nan"}, "logh", "not_finite"),
    "logh-0": ({"logh": "0"}, "logh", "out_of_range"),
    "bug-x": ({"bug": "x", "tab": "check"}, "bug", "not_choice"),
    "budget-5": ({"budget": "5", "tab": "strategies"}, "budget", "out_of_range"),
    "seed-1.5": ({"seed": "1.5", "tab": "strategies"}, "seed", "not_integer"),
    "surface-path": ({"surface": "../../etc/passwd", "tab": "optimizers"}, "surface", "not_choice"),
    "loglr-inf": ({"loglr": "inf", "tab": "optimizers"}, "loglr", "not_finite"),
    "steps-long": ({"steps": LONG, "tab": "optimizers"}, "steps", "too_long"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_a_hostile_query_string_is_reported_and_the_defaults_used(case):
    params, name, reason = HOSTILE[case]
    at = open_gradients(**params)
    assert len(at.warning) == 1, [w.value for w in at.warning]
    text = at.warning[0].value
    assert text.startswith(translate("en", "state.refused_intro"))
    assert f"`{name}`" in text
    assert catalog("en")[f"state.reason.{reason}"].split("{")[0] in text
    assert len(text) < 1000
    assert not [t for _, field, t in proto_strings(at) if field in ("body", "label") and RAW_HTML.search(t)]
    kept = {k: v for k, v in params.items() if k != name}
    assert at.query_params == kept
    tab = kept.get("tab", "walkthrough")
    assert open_tab_label(at) == [translate("en", f"gradients.tabs.{tab}")]
    if tab == "walkthrough":
        assert at.selectbox(key="gradients.param").value == "W.0.0"
        assert at.slider(key="gradients.logh").value == -5.0
        assert row(at, "h") == ["1.0 × 10⁻⁵"]
    elif tab == "check":
        assert at.radio(key="gradients.bug").value == "none"
        assert at.success
    elif tab == "strategies":
        assert at.slider(key="gradients.budget").value == 300
        assert at.number_input(key="gradients.seed").value == 0
    else:
        assert at.selectbox(key="gradients.surface").value == "quadratic"
        assert at.slider(key="gradients.loglr").value == -1.5
        assert at.slider(key="gradients.steps").value == 100


def test_the_refusal_notice_is_in_korean_and_can_be_dismissed():
    at = open_gradients(lang="ko", bug="x", tab="check")
    assert len(at.warning) == 1
    assert at.warning[0].value.startswith(translate("ko", "state.refused_intro"))
    at.button(key="gradients.dismiss_problems").click()
    rerun(at)
    assert not at.warning
    assert unescape(row(at, "W[0, 1]")[3]) == translate("ko", "gradients.check.fine")


def test_a_rerun_with_the_same_inputs_keeps_the_paths_player_playing():
    # The player starts over when its payload names another trajectory (its id): a rerun that
    # changes nothing must name the same one, and a new step size another.
    at = open_gradients(tab="optimizers")
    first = paths_player(at)["id"]
    rerun(at)
    assert paths_player(at)["id"] == first
    at.slider(key="gradients.loglr").set_value(-1.0)
    rerun(at)
    assert paths_player(at)["id"] != first

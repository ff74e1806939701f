"""AppTest tests of the regularization page (app_pages/regularization.py), run through app.py's router.

Every expected number is the lecture's own (R(w1) = 1.00, R(w2) = 0.25 under L2; 1.00 = 1.00
under L1) or computed here by core.regularization with the page's settings, never copied from
the page. The page builds only its open tab (lazy tabs), so each test opens the tab it checks,
either with ``?tab=`` on the first run or by selecting the tab as a click does.
"""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest
from apptest_tools import button, check, metrics, open_page, proto_strings, rerun, unescape
from apptest_tools import open_tab as shared_open_tab

from core import geometry, overfitting
from core import regularization as reg
from ui.i18n import LANGUAGES, catalog, translate
from ui.settings.base import format_number
from ui.widgets import fmt

PAGE = "app_pages/regularization.py"
TABS = ("pair", "geometry", "overfit", "others", "code")
KINDS = ("l2", "l1", "elastic_net")
LECTURE = (reg.LECTURE_X, reg.LECTURE_W1, reg.LECTURE_W2)
SPARSE = (reg.SPARSE_X, reg.SPARSE_W1, reg.SPARSE_W2)
# The page's defaults for the full loss, the geometry and the overfitting experiment.
FULL = {"loglam": -1.0, "kind": "l2", "loss": "softmax", "label": 0, "beta": 1.0}
OVERFIT = {"degree": 12, "fitlam": -8.0, "noise": 0.25, "ntrain": 15, "dseed": 0}
GLAM = -0.3
LAMBDA_GRID = np.logspace(-8, 2, 41)  # the overfitting tab's lambda grid
N_TEST = 60
HANGUL = re.compile(r"[\uac00-\ud7a3]")
RAW_HTML = re.compile(r"(?<!\\)<[a-zA-Z/!]")


def open_reg(**params: str):
    return open_page(PAGE, **params)


def lang_of(at) -> str:
    return at.session_state["lang"]


def open_tab(at, name: str):
    return shared_open_tab(at, name, "regularization")


# ---- reading the page's markdown tables ----------------------------------------------------------


def md_tables(at) -> list[list[list[str]]]:
    """Each markdown table on screen as rows of displayed cell text, header row first."""
    tables = []
    for markdown in at.markdown:
        rows = []
        for line in markdown.value.splitlines():
            line = line.strip()
            if not (line.startswith("|") and line.endswith("|")):
                continue
            cells = re.split(r"(?<!\\)\|", line[1:-1])
            if all(re.fullmatch(r"\s*:?-{3,}:?\s*", c) for c in cells):
                continue
            rows.append([unescape(c) for c in cells])
        if rows:
            tables.append(rows)
    return tables


def table(at, header: str) -> dict[str, list[str]]:
    """The markdown table whose header row contains ``header``: {row label: the other cells}."""
    found = [t for t in md_tables(at) if header in t[0]]
    assert len(found) == 1, (header, md_tables(at))
    return {row[0]: row[1:] for row in found[0][1:]}


def pair_rows(at):
    return table(at, "R(w₁)")


def full_rows(at):
    return table(at, "L")


def solution_rows(at):
    return table(at, translate(lang_of(at), "regularization.geometry.zeros"))


def kind_name(lang: str, kind: str) -> str:
    return translate(lang, f"regularization.kind.{kind}")


# ---- what core says the page should show ---------------------------------------------------------


def expected_pair(x, w1, w2, *, beta=1.0, lang="en"):
    comp = reg.compare_pair(x, w1, w2, beta=beta)
    return {
        kind_name(lang, k): [fmt(a), fmt(b), translate(lang, f"regularization.pair.{p}")]
        for k, a, b, p in zip(comp.kinds, comp.r1, comp.r2, comp.preferred, strict=True)
    }


def expected_full(x, w1, w2, *, loglam, kind, loss, label, beta):
    out = {}
    for name, w in (("w₁", w1), ("w₂", w2)):
        data, penalty = reg.full_loss(
            np.asarray(w), np.asarray(x), label, loss=loss, reg=10.0**loglam, kind=kind, beta=beta
        )
        out[name] = [fmt(data, 3), fmt(penalty, 3), fmt(data + penalty, 3)]
    return out


def expected_solutions(glam=GLAM, beta=1.0, lang="en"):
    out = {}
    for kind in KINDS:
        w = geometry.penalized_minimum(geometry.DEMO_QUADRATIC, kind, 10.0**glam, beta=beta)
        out[kind_name(lang, kind)] = [fmt(w[0], 3), fmt(w[1], 3), str(int(np.sum(w == 0)))]
    return out


def expected_metrics(lang="en", **settings):
    s = {**OVERFIT, **settings}
    data = overfitting.make_poly_data(s["ntrain"], N_TEST, noise=s["noise"], seed=s["dseed"])
    w = overfitting.ridge_fit(data.x_train, data.y_train, s["degree"], 10.0 ** s["fitlam"])
    _, test = overfitting.ridge_path(data, s["degree"], LAMBDA_GRID)
    key = "regularization.overfit."
    return {
        translate(lang, key + "train_error"): fmt(overfitting.mse(w, data.x_train, data.y_train), 3),
        translate(lang, key + "test_error"): fmt(overfitting.mse(w, data.x_test, data.y_test), 3),
        translate(lang, key + "best"): f"{LAMBDA_GRID[int(np.argmin(test))]:.2g}",
    }


def url_vector(v) -> str:
    return ",".join(format_number(float(a)) for a in v)


# ---- 1. the lecture's pair -------------------------------------------------------------------------


def test_the_default_pair_tab_shows_the_lecture_comparison():
    at = open_reg()
    rows = pair_rows(at)
    assert rows == {
        "L2: Σ W²": ["1.00", "0.25", "w₂"],  # L2 prefers the spread w2
        "L1: Σ |W|": ["1.00", "1.00", "tie (equal)"],  # L1 rates them equal: a tie, not w1
        "Elastic net: Σ β W² + |W|": ["2.00", "1.25", "w₂"],
    }
    assert rows == expected_pair(*LECTURE)
    # The markdown is escaped: the winner's cell is highlighted, the tie row has no highlight.
    body = next(m.value for m in at.markdown if "R\\(w₁\\)" in m.value)
    assert "| L2\\: Σ W² | 1\\.00 | :green-background[**0\\.25**] | w₂ |" in body
    assert "| L1\\: Σ \\|W\\| | 1\\.00 | 1\\.00 | tie \\(equal\\) |" in body
    scores = translate("en", "regularization.pair.scores", s1="1.00", s2="1.00")
    assert scores == "Scores: w₁·x = **1.00**, w₂·x = **1.00**."
    assert scores in [m.value for m in at.markdown]
    note = [c.value for c in at.caption if c.value.startswith(translate("en", "regularization.pair.note"))]
    assert len(note) == 1
    assert "L2 prefers w₂ (0.25 < 1.00)" in note[0]
    assert "L1 rates them **equal** (1.00 = 1.00)" in note[0]
    assert "Some summaries" in note[0]
    assert intro_text(at).startswith(
        "The lecture's example: x = [1, 1, 1, 1], w₁ = [1, 0, 0, 0] and "
        "w₂ = [0.25, 0.25, 0.25, 0.25]. Both give w·x = 1.00"
    )
    assert full_rows(at) == expected_full(*LECTURE, **FULL)
    assert full_rows(at)["w₁"][0] == full_rows(at)["w₂"][0]  # same scores, same data loss
    np.testing.assert_array_equal(at.dataframe[0].value.to_numpy(dtype=float), np.array(LECTURE))
    assert at.title[0].value == "Regularization"
    assert not at.warning
    assert not at.error
    assert at.query_params == {}


def intro_text(at) -> str:
    return next(m.value for m in at.markdown if "w₂ = " in m.value)


def test_the_intro_and_note_describe_the_vectors_on_screen():
    """After a preset or an edit the text describes what is shown, not the lecture's x, w₁, w₂."""
    at = open_reg()
    button(at, translate("en", "regularization.pair.sparse")).click()
    at.run()
    assert intro_text(at).startswith("The “sparse vs spread” example: x = [2, 1, 1, 1], w₁ = [0.5, 0, 0, 0]")
    note = next(c.value for c in at.caption if c.value.startswith("Smaller R wins"))
    assert "L1 prefers w₁ (0.50 < 0.80)" in note
    assert "L2 prefers w₂ (0.16 < 0.25)" in note
    assert "Some summaries" not in note
    assert "[1, 0, 0, 0]" not in intro_text(at)
    other = open_reg(x="1,2,3", w1="1,0,0", w2="0,1,0")
    text = intro_text(other)
    assert text.startswith("Your vectors: x = [1, 2, 3], w₁ = [1, 0, 0] and w₂ = [0, 1, 0].")
    assert "different scores (w₁·x = 1.00, w₂·x = 2.00)" in text
    assert "Both give" not in text
    ko = open_reg(lang="ko", x="1,2,3", w1="1,0,0", w2="0,1,0")
    assert intro_text(ko).startswith("지금 입력한 벡터: x = [1, 2, 3]")


def test_the_sparse_preset_makes_l1_prefer_the_sparse_vector():
    at = open_reg()
    button(at, translate("en", "regularization.pair.sparse")).click()
    rerun(at)
    rows = pair_rows(at)
    assert rows["L1: Σ |W|"] == ["0.50", "0.80", "w₁"]
    assert rows["L2: Σ W²"] == ["0.25", "0.16", "w₂"]
    assert rows == expected_pair(*SPARSE)
    scores = translate("en", "regularization.pair.scores", s1="1.00", s2="1.00")
    assert scores in [m.value for m in at.markdown]
    assert at.query_params == {"x": "2,1,1,1", "w1": "0.5,0,0,0", "w2": "0.2,0.2,0.2,0.2"}
    np.testing.assert_array_equal(at.dataframe[0].value.to_numpy(dtype=float), np.array(SPARSE))
    button(at, translate("en", "regularization.pair.lecture")).click()
    rerun(at)
    assert pair_rows(at) == expected_pair(*LECTURE)
    assert at.query_params == {}


def test_the_random_button_draws_a_new_pair_with_equal_scores_and_puts_it_in_the_url():
    at = open_reg()
    random_label = translate("en", "regularization.pair.random")
    for seed in (1, 2):
        button(at, random_label).click()
        rerun(at)
        x, w1, w2 = reg.random_pair(4, seed=seed)
        assert at.query_params == {
            "x": url_vector(x),
            "w1": url_vector(w1),
            "w2": url_vector(w2),
            "seed": str(seed),
        }
        assert pair_rows(at) == expected_pair(x, w1, w2)
        assert full_rows(at) == expected_full(x, w1, w2, **FULL)
        np.testing.assert_allclose(at.dataframe[0].value.to_numpy(dtype=float), np.array([x, w1, w2]))
        comp = reg.compare_pair(x, w1, w2)
        assert translate("en", "regularization.pair.scores", s1=fmt(comp.score1), s2=fmt(comp.score2)) in [
            m.value for m in at.markdown
        ]
    assert pair_rows(at) != expected_pair(*LECTURE)
    fresh = open_reg(**at.query_params)
    assert pair_rows(fresh) == pair_rows(at)
    assert not fresh.warning


FULL_CASES = [
    {"loglam": 0.5},
    {"loglam": -3.0, "kind": "l1"},
    {"loglam": 1.0, "kind": "elastic_net", "loss": "svm"},
    {"loglam": -2.0, "loss": "svm", "label": 1},
    {"loglam": 0.0, "kind": "l1", "label": 1},
]


@pytest.mark.parametrize("change", FULL_CASES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_the_full_loss_table_follows_lambda_regularizer_loss_and_label(change):
    at = open_reg()
    before = full_rows(at)
    for name, value in change.items():
        widget = at.slider if name == "loglam" else at.selectbox
        widget(key=f"regularization.{name}").set_value(value)
    rerun(at)
    settings = {**FULL, **change}
    shown = full_rows(at)
    assert shown == expected_full(*LECTURE, **settings)
    assert shown != before
    lam = 10.0 ** settings["loglam"]
    assert any(f"\\lambda = {lam:.3g}" in x.value for x in at.latex)
    totals = [float(shown[w][2]) for w in ("w₁", "w₂")]
    winner = "tie" if settings["kind"] == "l1" else "w2"  # L1 cannot tell the lecture's pair apart
    assert totals[0] == totals[1] if winner == "tie" else totals[1] < totals[0]
    assert [i.value for i in at.info] == [translate("en", f"regularization.full.winner_{winner}")]
    assert pair_rows(at) == expected_pair(*LECTURE)  # lambda and the data loss never change R
    want = {k: (format_number(v) if k == "loglam" else str(v)) for k, v in change.items()}
    assert at.query_params == want


def test_editing_a_vector_recomputes_and_an_unusable_edit_is_refused():
    at = open_reg()
    editor = at.dataframe[0]
    at.session_state[editor.key] = {"edited_rows": {1: {"2": "0.5"}}, "added_rows": [], "deleted_rows": []}
    rerun(at)
    w1 = np.array([1.0, 0.5, 0.0, 0.0])
    assert pair_rows(at) == expected_pair(reg.LECTURE_X, w1, reg.LECTURE_W2)
    assert pair_rows(at)["L1: Σ |W|"] == ["1.50", "1.00", "w₂"]
    assert full_rows(at) == expected_full(reg.LECTURE_X, w1, reg.LECTURE_W2, **FULL)
    assert at.query_params == {"w1": "1,0.5,0,0"}
    editor = at.dataframe[0]
    at.session_state[editor.key] = {
        "edited_rows": {1: {"2": "0.5"}, 2: {"1": "1e3", "3": "1,5"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    rerun(at)
    out = translate("en", "state.reason.out_of_range", lo="-100", hi="100")
    comma = translate("en", "state.reason.cell_not_number")
    lines = [
        translate("en", "state.cell_refused", row="w₂", column=c, text=typed, reason=why)
        for c, typed, why in (("1", "1e3", out), ("3", "1,5", comma))
    ]
    # one notice naming every refused cell, in column order
    assert [e.value for e in at.error] == [
        translate("en", "state.cell_refused_intro") + "\n\n- " + "\n- ".join(lines)
    ]
    assert pair_rows(at) == expected_pair(reg.LECTURE_X, w1, reg.LECTURE_W2)  # the last good vectors
    assert at.query_params == {"w1": "1,0.5,0,0"}


def test_the_beta_slider_updates_the_elastic_net_row_at_once():
    """Regression: the w1/w2 table was computed with the beta of the previous run."""
    at = open_reg()
    at.selectbox(key="regularization.kind").set_value("elastic_net")
    rerun(at)
    at.slider(key="regularization.beta").set_value(3.0)
    rerun(at)
    assert full_rows(at) == expected_full(*LECTURE, **{**FULL, "kind": "elastic_net", "beta": 3.0})
    # 3 * 1 + 1 = 4.00 and 3 * 0.25 + 1 = 1.75 (the bug showed beta = 1's 2.00 and 1.25).
    assert pair_rows(at)["Elastic net: Σ β W² + |W|"] == ["4.00", "1.75", "w₂"]


# ---- 2. both languages ------------------------------------------------------------------------------


def test_korean_link_shows_korean_text_and_the_same_numbers():
    at = open_reg(lang="ko")
    assert at.title[0].value == "정규화"
    assert pair_rows(at) == expected_pair(*LECTURE, lang="ko")
    assert pair_rows(at)[kind_name("ko", "l1")] == ["1.00", "1.00", "동점 (같음)"]
    assert full_rows(at) == expected_full(*LECTURE, **FULL)
    start = translate("ko", "regularization.pair.note")
    note = next(c.value for c in at.caption if c.value.startswith(start))
    assert HANGUL.search(note)
    assert "(0.25 < 1.00)" in note
    assert "(1.00 = 1.00)" in note
    assert at.query_params == {"lang": "ko"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_tab_is_fully_translated(lang):
    at = open_reg(lang=lang, kind="elastic_net")  # the beta slider shows with the elastic net
    for tab in TABS:
        open_tab(at, tab)  # open_page / rerun check every text for the missing-key marker
        if tab == "overfit":
            for fitlam in (-3.25, 2.0):  # the "good" and "underfitting" notes (-8 gave "overfitting")
                at.slider(key="regularization.fitlam").set_value(fitlam)
                rerun(at)
    assert at.title[0].value == translate(lang, "regularization.title")
    assert bool(HANGUL.search(at.title[0].value)) == (lang == "ko")


def test_switching_language_keeps_the_open_tab_and_its_numbers():
    at = open_reg(tab="geometry")
    at.slider(key="regularization.glam").set_value(0.5)
    rerun(at)
    at.selectbox(key="lang").set_value("ko")
    rerun(at)
    assert solution_rows(at) == expected_solutions(0.5, lang="ko")
    assert at.query_params == {"glam": "0.5", "tab": "geometry", "lang": "ko"}


# ---- 3. the other tabs ------------------------------------------------------------------------------


def test_geometry_tab_shows_l1_landing_on_an_axis_and_l2_not():
    at = open_reg(tab="geometry")
    solutions = solution_rows(at)
    assert solutions == expected_solutions()
    assert solutions["L1: Σ |W|"][1:] == ["0.000", "1"]  # w2 = 0 exactly at the default lambda
    assert solutions["L2: Σ W²"][2] == "0"
    w = [1.0, 0.5]  # the default point of the level-set plot
    assert table(at, "R(w)") == {kind_name("en", k): [fmt(reg.penalty(w, k).value, 3)] for k in KINDS}
    at.slider(key="regularization.glam").set_value(0.5)  # lambda = 3.16: L1 zeroes both weights
    rerun(at)
    assert solution_rows(at) == expected_solutions(0.5)
    assert solution_rows(at)["L1: Σ |W|"] == ["0.000", "0.000", "2"]
    assert solution_rows(at)["L2: Σ W²"][2] == "0"
    assert at.query_params == {"glam": "0.5", "tab": "geometry"}


def test_overfit_tab_metrics_match_core_and_the_best_lambda_lowers_the_test_error():
    at = open_reg(tab="overfit")
    shown = metrics(at)
    assert shown == expected_metrics()
    labels = list(shown)
    train, test = (float(shown[k]) for k in labels[:2])
    assert test > 10 * train  # lambda = 1e-8 at degree 12 overfits
    assert [i.value for i in at.info] == [translate("en", "regularization.overfit.regime_over")]
    data = overfitting.make_poly_data(15, N_TEST, noise=0.25, seed=0)
    best_log = float(np.log10(LAMBDA_GRID[np.argmin(overfitting.ridge_path(data, 12, LAMBDA_GRID)[1])]))
    assert -8 < best_log < 2
    at.slider(key="regularization.fitlam").set_value(best_log)
    rerun(at)
    assert metrics(at) == expected_metrics(fitlam=best_log)
    assert float(metrics(at)[labels[1]]) < test / 10
    assert [i.value for i in at.info] == [translate("en", "regularization.overfit.regime_good")]
    at.slider(key="regularization.degree").set_value(3)
    at.slider(key="regularization.noise").set_value(0.5)
    rerun(at)
    assert metrics(at) == expected_metrics(fitlam=best_log, degree=3, noise=0.5)
    assert at.query_params == {
        "fitlam": format_number(best_log),
        "degree": "3",
        "noise": "0.5",
        "tab": "overfit",
    }
    # "New data" is an `if st.button(...)` in the script body: a click draws the next data seed,
    # which the URL keeps, so a fresh session opened from it shows the same data.
    new_data = open_reg(**at.query_params, dseed="1")
    assert metrics(new_data) == expected_metrics(fitlam=best_log, degree=3, noise=0.5, dseed=1)
    assert metrics(new_data) != metrics(at)
    [regenerate] = [b for b in at.button if b.label == translate("en", "regularization.overfit.regenerate")]
    regenerate.click()
    rerun(at)
    assert at.query_params["dseed"] == "1"
    assert metrics(at) == metrics(new_data)


def test_others_tab_lists_the_other_regularizers():
    at = open_reg(tab="others")
    bodies = [m.value for m in at.markdown]
    items = [
        ("max_norm", "Max norm"),
        ("dropout", "Dropout"),
        ("batch_norm", "Batch normalization"),
        ("stochastic_depth", "Stochastic depth"),
    ]
    for item, name in items:
        assert translate("en", f"regularization.others.{item}.name") == name
        assert f"**{name}**: {translate('en', f'regularization.others.{item}.body')}" in bodies
    assert not at.code
    assert not at.dataframe


def test_code_tab_shows_the_source_that_ran():
    at = open_reg(tab="code")
    assert len(at.code) == 1
    code = at.code[0].value
    assert "def penalty" in code
    for fn in (reg.penalty, reg.compare_pair, geometry.penalized_minimum, overfitting.ridge_fit):
        assert inspect.getsource(fn).strip() in code
    assert at.code[0].language == "python"


# ---- 4. the URL -------------------------------------------------------------------------------------


def test_url_round_trip_reproduces_the_pair_and_overfit_tabs():
    at = open_reg(kind="elastic_net")  # the beta slider shows from the first run on
    at.slider(key="regularization.loglam").set_value(0.3)
    at.slider(key="regularization.beta").set_value(2.5)
    at.selectbox(key="regularization.loss").set_value("svm")
    at.selectbox(key="regularization.label").set_value(1)
    rerun(at)
    editor = at.dataframe[0]
    at.session_state[editor.key] = {
        "edited_rows": {0: {"3": "-1.5"}, 2: {"4": "0.75"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    rerun(at)
    x, w1, w2 = np.array([1, 1, -1.5, 1]), reg.LECTURE_W1, np.array([0.25, 0.25, 0.25, 0.75])
    settings = {"loglam": 0.3, "kind": "elastic_net", "loss": "svm", "label": 1, "beta": 2.5}
    assert pair_rows(at) == expected_pair(x, w1, w2, beta=2.5)
    assert full_rows(at) == expected_full(x, w1, w2, **settings)
    open_tab(at, "overfit")
    at.slider(key="regularization.fitlam").set_value(-2.5)
    at.slider(key="regularization.ntrain").set_value(20)
    rerun(at)
    params = dict(at.query_params)
    assert params == {
        "x": "1,1,-1.5,1",
        "w2": "0.25,0.25,0.25,0.75",
        "loglam": "0.3",
        "beta": "2.5",
        "kind": "elastic_net",
        "loss": "svm",
        "label": "1",
        "fitlam": "-2.5",
        "ntrain": "20",
        "tab": "overfit",
    }
    fresh = open_reg(**params)
    assert not fresh.warning
    assert metrics(fresh) == metrics(at) == expected_metrics(fitlam=-2.5, ntrain=20)
    for session in (at, fresh):
        open_tab(session, "pair")
    assert pair_rows(fresh) == pair_rows(at) == expected_pair(x, w1, w2, beta=2.5)
    assert full_rows(fresh) == full_rows(at) == expected_full(x, w1, w2, **settings)
    np.testing.assert_array_equal(fresh.dataframe[0].value.to_numpy(dtype=float), np.array([x, w1, w2]))
    assert fresh.query_params == at.query_params


def test_url_round_trip_reproduces_the_geometry_tab():
    at = open_reg(tab="geometry")
    for name, value in {"glam": -1.0, "a": -0.5, "b": -1.25, "beta": 2.5}.items():
        at.slider(key=f"regularization.{name}").set_value(value)
    rerun(at)
    params = dict(at.query_params)
    assert params == {"a": "-0.5", "b": "-1.25", "beta": "2.5", "glam": "-1", "tab": "geometry"}
    fresh = open_reg(**params)
    assert not fresh.warning
    assert solution_rows(fresh) == solution_rows(at) == expected_solutions(-1.0, beta=2.5)
    w = [-0.5, -1.25]
    want = {kind_name("en", k): [fmt(reg.penalty(w, k, beta=2.5).value, 3)] for k in KINDS}
    assert table(fresh, "R(w)") == table(at, "R(w)") == want
    assert fresh.query_params == at.query_params


def test_a_setting_survives_a_visit_to_other_tabs():
    """Open the page, go to Geometry, move log10 lambda to -1, visit "Other regularizers", come back.

    Regression (seen in a real browser too): on the session's first run (the pair tab) load_page
    seeded ``st.session_state["regularization.glam"] = -0.3`` for a slider that was not rendered;
    that entry outlived the slider's own state and resurfaced once the slider had been off screen
    for a run, so the canonical -1 was overwritten with -0.3 and dropped from the URL.
    """
    at = open_reg()
    open_tab(at, "geometry")
    at.slider(key="regularization.glam").set_value(-1.0)
    rerun(at)
    assert at.query_params == {"glam": "-1", "tab": "geometry"}
    open_tab(at, "others")
    assert at.query_params == {"glam": "-1", "tab": "others"}
    open_tab(at, "pair")
    assert at.query_params == {"glam": "-1"}  # the bug: {}, glam back at its default -0.3
    open_tab(at, "geometry")
    assert solution_rows(at) == expected_solutions(-1.0)


def test_a_random_pair_link_made_at_the_largest_seed_opens_cleanly():
    """Regression: from seed=10000 the random button wrote seed=10001, which the URL refuses."""
    at = open_reg(seed="10000")
    button(at, translate("en", "regularization.pair.random")).click()
    rerun(at)
    assert int(at.query_params.get("seed", "0")) <= 10_000
    fresh = open_reg(**at.query_params)  # the bug: "`seed` = “10001”: outside the allowed range"
    assert not fresh.warning
    assert fresh.query_params == at.query_params


# ---- 5. hostile query strings -----------------------------------------------------------------------

LONG = "1" * 5000
HOSTILE = {  # id -> (params, the name the warning must show, the reason's catalog key)
    "x-abc": ({"x": "abc"}, "x", "not_number"),
    "x-two-entries": ({"x": "1,2", "w1": "1,0,0,0"}, "x/w1/w2", "length_mismatch"),
    "x-nine-entries": ({"x": "1,2,3,4,5,6,7,8,9"}, "x", "vector_length"),
    "x-1e9": ({"x": "1e9"}, "x", "vector_length"),
    "x-1e9-in-four": ({"x": "1e9,1,1,1"}, "x", "out_of_range"),
    "x-5000-chars": ({"x": LONG}, "x", "too_long"),
    "w1-nan": ({"w1": "nan"}, "w1", "not_finite"),
    "w2-empty-entry": ({"w2": "0.25,,0.25,0.25"}, "w2", "not_number"),
    "loglam-99": ({"loglam": "99"}, "loglam", "out_of_range"),
    "loglam-inf": ({"loglam": "inf"}, "loglam", "not_finite"),
    "kind-l3": ({"kind": "l3"}, "kind", "not_choice"),
    "loss-hinge": ({"loss": "hinge"}, "loss", "not_choice"),
    "label-7": ({"label": "7"}, "label", "out_of_range"),
    "seed-fraction": ({"seed": "1.5"}, "seed", "not_integer"),
    "beta-abc": ({"beta": "abc", "kind": "elastic_net"}, "beta", "not_number"),
    "tab-script": ({"tab": "<script>alert(1)</script>"}, "tab", "not_choice"),
    "degree-0": ({"degree": "0", "tab": "overfit"}, "degree", "out_of_range"),
    "degree-5000-chars": ({"degree": LONG, "tab": "overfit"}, "degree", "too_long"),
    "fitlam-nan": ({"fitlam": "nan", "tab": "overfit"}, "fitlam", "not_finite"),
    "ntrain-1": ({"ntrain": "1", "tab": "overfit"}, "ntrain", "out_of_range"),
    "glam-9": ({"glam": "9", "tab": "geometry"}, "glam", "out_of_range"),
    "a-abc": ({"a": "abc", "tab": "geometry"}, "a", "not_number"),
}


def warning_text(at) -> str:
    assert len(at.warning) == 1, [w.value for w in at.warning]
    return at.warning[0].value


def markup_texts(at) -> list[str]:
    return [text for _, field, text in proto_strings(at) if field in ("body", "label")]


@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_a_hostile_query_string_is_reported_and_the_defaults_used(case):
    params, name, reason = HOSTILE[case]
    at = open_reg(**params)
    text = warning_text(at)
    assert text.startswith(translate("en", "state.refused_intro"))
    assert f"`{name}`" in text
    assert catalog("en")[f"state.reason.{reason}"].split("{")[0] in text
    assert len(text) < 1000  # a long value is shortened, not echoed
    assert not [t for t in markup_texts(at) if RAW_HTML.search(t)]
    kept = {k: v for k, v in params.items() if k != name and k in ("tab", "kind")}  # good values beside it
    tab = kept.get("tab", "pair")
    if tab == "pair":
        assert pair_rows(at) == expected_pair(*LECTURE)
        assert full_rows(at) == expected_full(*LECTURE, **{**FULL, **kept})
        assert at.slider(key="regularization.loglam").value == -1.0
        assert at.selectbox(key="regularization.kind").value == kept.get("kind", "l2")
        assert at.selectbox(key="regularization.label").value == 0
        np.testing.assert_array_equal(at.dataframe[0].value.to_numpy(dtype=float), np.array(LECTURE))
    elif tab == "overfit":
        assert metrics(at) == expected_metrics()
    else:
        assert solution_rows(at) == expected_solutions()
    assert at.query_params == kept
    open_label = [tab_.label for tab_ in at.tabs if tab_.children]
    assert open_label == [translate("en", f"regularization.tabs.{tab}")]


def test_a_length_mismatch_is_reported_in_korean_and_can_be_dismissed():
    at = open_reg(lang="ko", x="1,2,3", w1="1,0,0", loglam="0")
    text = warning_text(at)
    assert text.startswith(translate("ko", "state.refused_intro"))
    assert translate("ko", "state.reason.length_mismatch") in text
    assert "`x/w1/w2`" in text
    assert pair_rows(at) == expected_pair(*LECTURE, lang="ko")
    assert full_rows(at) == expected_full(*LECTURE, **{**FULL, "loglam": 0.0})  # the good value is kept
    assert at.query_params == {"loglam": "0", "lang": "ko"}
    at.button(key="regularization.dismiss_problems").click()
    rerun(at)
    assert not at.warning
    check(at)


def test_good_vectors_of_another_length_are_used():
    at = open_reg(x="1,2,3", w1="1,0,0", w2="0.5,0.5,0")
    assert not at.warning
    x, w1, w2 = [1, 2, 3], [1, 0, 0], [0.5, 0.5, 0]
    assert pair_rows(at) == expected_pair(x, w1, w2)
    assert full_rows(at) == expected_full(x, w1, w2, **FULL)
    assert list(at.dataframe[0].value.columns) == ["1", "2", "3"]
    assert at.query_params == {"x": "1,2,3", "w1": "1,0,0", "w2": "0.5,0.5,0"}

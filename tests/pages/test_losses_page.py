"""AppTest tests of the loss page (app_pages/losses.py), run through app.py's router.

Every expected number is either the lecture's own (5.27, 2.76, 2.9 + 0 + 12.9, ...) or
computed here by core with the same table and options, never copied from the page.
"""

from __future__ import annotations

import inspect
import json
import re

import numpy as np
import pytest
from apptest_tools import (
    HOME,
    LOSSES,
    button,
    check,
    editor,
    fmt_all,
    open_page,
    open_tab,
    proto_strings,
    rerun,
    result_rows,
    row,
    run_sending_labels,
    totals,
    unescape,
)

from core import lecture
from core.losses import softmax_loss, svm_loss
from core.one_example import loss_vs_correct_score
from ui.derivation import num
from ui.i18n import translate
from ui.numbers import short
from ui.settings.base import format_number
from ui.widgets import fmt, md_escape

SCORES, LABELS, CLASSES = lecture.LECTURE_SCORES, lecture.LECTURE_LABELS, list(lecture.LECTURE_CLASSES)
DEFAULT_SVM = {
    "margin": 1.0,
    "squared": False,
    "include_correct": False,
    "class_reduction": "sum",
    "variant": "ww",
}
TABS = ("derivation", "whatif", "curve", "code")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
RAW_HTML = re.compile(r"(?<!\\)<[a-zA-Z/!]")  # a "<" that markdown would read as the start of a tag


def expected(scores, labels, *, base="e", **svm_options):
    """(SVM total, softmax total, SVM L_i, softmax L_i) as the page prints them, from core."""
    svm = svm_loss(scores, labels, **{**DEFAULT_SVM, **svm_options})
    soft = softmax_loss(scores, labels, log_base=base)
    return fmt(svm.total), fmt(soft.total), fmt_all(svm.per_example), fmt_all(soft.per_example)


def shown(at):
    """What the page shows for the same four things."""
    svm_total, soft_total = totals(at)
    svm_rows, soft_rows = result_rows(at)
    return svm_total, soft_total, svm_rows, soft_rows


def latex(at, marker: str) -> str:
    found = [x.value for x in at.latex if marker in x.value]
    assert len(found) == 1, [x.value for x in at.latex]
    return found[0]


def edit_cells(at, edits: dict) -> None:
    """Edit the score table as a user does in the browser: {row: {column: value}}."""
    at.session_state[editor(at).key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}


def click_preset(at, q: str, *, reveal: bool = True):
    """Click a what-if button (they live on the what-if tab); then, unless ``reveal`` is False,
    "Just show me", so the answer is on screen (a question first shows only itself)."""
    if not [b for b in at.button if b.key == f"losses.preset.{q}"]:
        open_tab(at, "whatif")
    at.button(key=f"losses.preset.{q}").click()
    rerun(at)
    return show_answer(at, q) if reveal else at


def show_answer(at, q: str):
    """Press "Just show me" on question ``q``'s card."""
    assert not at.success, "the answer is hidden until the student predicts or skips"
    at.button(key=f"predict.losses.{q}.skip").click()
    return rerun(at)


def table_from_url(params) -> tuple[np.ndarray, list[int], list[str]]:
    """The (N, C) scores, labels and class names a URL's scores/classes/labels describe."""
    by_class = [[float(v) for v in group.split(",")] for group in params["scores"].split(";")]
    return (
        np.array(by_class).T,
        [int(v) for v in params["labels"].split(",")],
        json.loads(params["classes"]),
    )


def markup_texts(at) -> list[str]:
    """Texts Streamlit renders as markdown: element bodies and widget / metric / tab labels."""
    return [text for _, field, text in proto_strings(at) if field in ("body", "label")]


# ---- 1. the lecture's numbers ----------------------------------------------------------------


def test_the_lecture_table_gives_the_slide_numbers():
    at = open_page()
    assert totals(at) == ("5.27", "2.76")
    assert expected(SCORES, LABELS)[:2] == ("5.27", "2.76")
    assert result_rows(at) == (["2.90", "0.00", "12.90"], ["2.04", "0.079", "6.16"])
    assert row(at, translate("en", "losses.results.prob_row")) == ["0.13", "0.92", "2.1 × 10⁻³"]  # not 0.00
    captions = [c.value for c in at.caption]
    assert "SVM: L = (1/3) × (2.9 + 0 + 12.9) = 5.27" in captions
    assert "Softmax: L = (1/3) × (2.04 + 0.079 + 6.16) = 2.76" in captions
    # The derivation opens on image 1 (the cat), in the slide's own numbers.
    svm_tex = latex(at, r"\max")
    assert "5.1 - 3.2 + 1" in svm_tex
    assert "-1.7 - 3.2 + 1" in svm_tex
    assert "= 2.9 + 0" in svm_tex
    assert re.search(r"= 2\.9\s*\\end\{aligned\}", svm_tex)
    assert r"\ln(0.13) = 2.04" in latex(at, "L_i = -")
    # The editor holds the slide's table: one row per class, one column per image.
    frame = editor(at).value
    assert list(frame.columns) == ["class", "image 1 (cat)", "image 2 (car)", "image 3 (frog)"]
    assert frame["class"].tolist() == CLASSES
    np.testing.assert_allclose(frame.iloc[:, 1:].to_numpy(dtype=float), SCORES.T)
    assert [at.selectbox(key=f"losses.label.{k}").value for k in range(3)] == [0, 1, 2]
    assert not at.warning
    assert not at.error
    assert at.query_params == {}  # the lecture's defaults make a clean URL


@pytest.mark.parametrize("k", [1, 2])
def test_the_derivation_follows_the_chosen_image(k):
    at = open_page()
    at.selectbox(key="losses.ex").set_value(k)
    rerun(at)
    svm = svm_loss(SCORES, LABELS)
    soft = softmax_loss(SCORES, LABELS)
    svm_tex = latex(at, r"\max")
    y = LABELS[k]
    for j in range(3):
        if j != y:
            sy = num(SCORES[k, y]) if SCORES[k, y] >= 0 else f"({num(SCORES[k, y])})"
            assert f"{num(SCORES[k, j])} - {sy} + 1" in svm_tex
    assert svm_tex.rstrip("$\n").endswith(rf"&= {num(svm.per_example[k])}\end{{aligned}}")
    assert rf"\ln({num(soft.probs[k, y])}) = {num(soft.per_example[k])}" in latex(at, "L_i = -")
    if k == 2:  # the frog image: both wrong classes violate the margin
        assert "2.2 - (-3.1) + 1" in svm_tex
        assert "= 6.3 + 6.6" in svm_tex
    assert at.query_params == {"ex": str(k)}
    assert totals(at) == ("5.27", "2.76")  # choosing an image changes no loss


# ---- 2. both languages -------------------------------------------------------------------------


def test_korean_link_shows_korean_text_and_the_same_numbers():
    at = open_page(lang="ko")
    assert at.title[0].value == "손실 함수"
    assert totals(at) == ("5.27", "2.76")
    assert result_rows(at) == (["2.90", "0.00", "12.90"], ["2.04", "0.079", "6.16"])
    assert "Multiclass SVM 손실 L" in [m.label for m in at.metric]
    assert "5.1 - 3.2 + 1" in latex(at, r"\max")
    assert r"\ln(0.13) = 2.04" in latex(at, "L_i = -")
    assert any(HANGUL.search(c.value) for c in at.caption)
    assert at.query_params == {"lang": "ko"}


KO_CLASSES = ["고양이", "자동차", "개구리"]


def test_korean_shows_the_lecture_class_names_in_korean_and_keeps_typed_names():
    at = open_page(lang="ko")
    frame = editor(at).value
    assert frame["class"].tolist() == KO_CLASSES
    assert list(frame.columns)[1:] == ["1번 (고양이)", "2번 (자동차)", "3번 (개구리)"]
    assert at.selectbox(key="losses.label.0").format_func(0) == "고양이"
    assert at.query_params == {"lang": "ko"}  # untouched: the URL stays short
    # A score edit keeps the translated names, and the URL keeps the language-neutral English ones.
    edit_cells(at, {0: {"1번 (고양이)": 4.0}})
    rerun(at)
    assert editor(at).value["class"].tolist() == KO_CLASSES
    assert json.loads(at.query_params["classes"]) == CLASSES
    link = {k: v for k, v in at.query_params.items() if k != "lang"}
    # A class the user renames keeps the name typed, and so do the others, in every language.
    edit_cells(at, {1: {"class": "트럭"}})
    rerun(at)
    assert editor(at).value["class"].tolist() == ["고양이", "트럭", "개구리"]
    at.selectbox(key="lang").set_value("en")
    rerun(at)
    assert editor(at).value["class"].tolist() == ["고양이", "트럭", "개구리"]
    assert json.loads(at.query_params["classes"]) == ["고양이", "트럭", "개구리"]
    english = open_page(**link)  # the score-edited link, read in English: the lecture's English names
    assert editor(english).value["class"].tolist() == CLASSES


def test_typed_names_are_never_translated():
    """cat typed next to other names is the user's text: it stays cat in Korean."""
    at = open_page(lang="ko", scores="1,2;3,4;5,6", classes='["cat","truck","frog"]', labels="0,1")
    assert editor(at).value["class"].tolist() == ["cat", "truck", "frog"]
    presets = open_page(lang="ko")
    click_preset(presets, "q7")  # a preset's table uses the lecture's names: shown in Korean
    assert editor(presets).value["class"].tolist() == KO_CLASSES


def test_the_language_selector_switches_the_page_and_keeps_its_state():
    at = open_page()
    at.toggle(key="losses.squared").set_value(True)
    rerun(at)
    squared = expected(SCORES, LABELS, squared=True)
    assert shown(at) == squared
    at.selectbox(key="lang").set_value("ko")
    rerun(at)
    assert at.title[0].value == "손실 함수"
    assert shown(at) == squared
    assert at.query_params == {"squared": "1", "lang": "ko"}
    # The Korean page stays usable: a what-if preset answers in Korean.
    click_preset(at, "q4")
    assert "1.00" in at.success[0].value
    assert HANGUL.search(at.success[0].value)
    at.selectbox(key="lang").set_value("en")
    rerun(at)
    assert at.title[0].value == "Loss functions"
    assert at.query_params == {"incl": "1", "q": "q4", "tab": "whatif", "quiz": "q4:s"}
    assert totals(at)[0] == expected(SCORES, LABELS, include_correct=True)[0]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_tab_and_every_preset_is_fully_translated(lang):
    at = open_page(lang=lang)  # open_page / rerun check every text for the missing-key marker
    for tab in TABS:
        open_tab(at, tab)
        label = translate(lang, f"losses.tabs.{tab}")
        assert [t.label for t in at.tabs if t.children] == [label]  # the open tab has content
    for q in lecture.QUESTIONS:
        click_preset(at, q)
        assert len(at.success) == 1
        assert bool(HANGUL.search(at.success[0].value)) == (lang == "ko")
    assert at.title[0].value == translate(lang, "losses.title")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_rarely_shown_texts_are_translated(lang):
    """Texts that appear only on unusual tables: each exists in both catalogs and fills its fields."""
    big = open_page(lang=lang, scores="1000000,2;0,3", classes='["a","b"]', labels="0,1")
    assert [i.value for i in big.info] == [translate(lang, "losses.derivation.shift_note")]
    zero = open_page(
        lang=lang, tab="whatif", q="q5", scores="5,5;-5,-5;-5,-5", classes='["a","b","c"]', labels="0,0"
    )
    show_answer(zero, "q5")
    assert [s.value for s in zero.success] == [translate(lang, "whatif.q5.answer_zero", classes=3, terms=2)]
    moved = open_page(lang=lang, tab="whatif", q="q1", ex="2")
    show_answer(moved, "q1")
    comp = lecture.jiggle_correct_score(SCORES, LABELS, 2, DEFAULT_SVM, {"log_base": "e"})
    facts = {k: fmt(v) for k, v in comp.facts.items()}
    assert [s.value for s in moved.success] == [translate(lang, "whatif.q1.answer_moved", **facts)]
    car = translate(lang, "losses.classes.car")  # the lecture's names are shown in the page's language
    column = translate(lang, "losses.table.image", k=2, name=car)
    edit_cells(moved, {1: {column: None}})
    rerun(moved)
    assert [e.value for e in moved.error] == [refusal_notice(lang, (car, column, "", "empty_cell"))]


# ---- 3. the lecture's what-if questions -----------------------------------------------------------


def preset(q: str):
    """The table and options preset ``q`` sets up, and core's answer on them."""
    svm_opts, base, scores, labels, ex = dict(DEFAULT_SVM), "e", SCORES, LABELS, 0
    if q == "q1":
        ex = 1
    elif q == "q3":
        scores = lecture.near_zero_scores(3, 3, seed=0)
    elif q == "q4":
        svm_opts["include_correct"] = True
    elif q == "q5":
        svm_opts["class_reduction"] = "mean"
    elif q == "q6":
        svm_opts["squared"] = True
    elif q == "q7":
        scores, labels = lecture.SVM_VS_SOFTMAX_SCORES, lecture.SVM_VS_SOFTMAX_LABELS
    soft_opts = {"log_base": base}
    comp = {
        "q1": lambda: lecture.jiggle_correct_score(scores, labels, ex, svm_opts, soft_opts),
        "q2": lambda: lecture.loss_extremes(scores, labels, ex, svm_opts, soft_opts),
        "q3": lambda: lecture.sanity_check(scores, labels, svm_opts, soft_opts),
        "q4": lambda: lecture.option_effect(
            scores, labels, svm_opts, soft_opts, "include_correct", (False, True)
        ),
        "q5": lambda: lecture.class_mean(scores, labels, svm_opts, soft_opts),
        "q6": lambda: lecture.option_effect(scores, labels, svm_opts, soft_opts, "squared", (False, True)),
        "q7": lambda: lecture.svm_vs_softmax(scores, labels, svm_opts, soft_opts),
    }[q]()
    return scores, labels, svm_opts, ex, comp


# The sentence each answer must contain, from core's facts (and the brief's numbers where fixed).
ANSWERS = {
    "q1": lambda f: [
        f"The SVM loss changed by {fmt(f['svm_change'])}",
        f"the softmax loss by {fmt(f['softmax_change'])}",
    ],
    "q2": lambda f: [f"exactly ({fmt(f['svm_min'])})", f"approaches it ({fmt(f['softmax_min'])})"],
    "q3": lambda f: [
        f"C = {f['classes']} classes",
        f"(C − 1)·Δ = {fmt(f['c_minus_1'])}",
        f"ln C = {fmt(f['ln_c'])}",
    ],
    "q4": lambda f: [f"L grows by {fmt(f['difference'])} (Δ = 1)"],
    "q5": lambda f: [
        f"Dividing by C = 3 multiplies L by {fmt(f['ratio'])}",
        "PyTorch's convention",
        f"instead gives {fmt(f['per_term'])} (× {fmt(f['ratio_terms'])})",
    ],
    "q6": lambda f: [f"L changes by {fmt(f['difference'])}"],
    "q7": lambda f: [
        f"The SVM gives {f['svm_distinct']} distinct",
        f"Softmax gives {f['softmax_distinct']}:",
    ],
}
FIXED = {  # the lecture's answers, so core and page cannot drift together
    "q1": ["changed by 0.00;"],
    "q3": ["(C − 1)·Δ = 2.00", "ln C = 1.10"],
    "q4": ["L grows by 1.00"],
    "q5": ["multiplies L by 0.33", "gives 2.63 (× 0.50)"],
    "q7": ["gives 1 distinct", "Softmax gives 3:"],
}


@pytest.mark.parametrize("q", lecture.QUESTIONS)
def test_each_preset_sets_up_its_question_and_answers_with_core_numbers(q):
    at = open_page()
    click_preset(at, q)
    scores, labels, svm_opts, ex, comp = preset(q)
    answer = at.success[0].value
    for part in ANSWERS[q](comp.facts) + FIXED.get(q, []):
        assert part in answer, (part, answer)
    if q == "q1":  # the car beats the margin: the SVM does not move, softmax does
        assert comp.facts["svm_change"] == 0
        assert fmt(comp.facts["softmax_change"]) != "0.00"
    # The comparison table: one row per setting, SVM and softmax L as core computes them.
    for (key, params), svm_value, soft_value in zip(comp.rows, comp.svm, comp.softmax, strict=True):
        label = translate(
            "en", key, **{k: short(v) if isinstance(v, float) else v for k, v in params.items()}
        )
        assert row(at, label) == [fmt(svm_value), fmt(soft_value)]
    if q == "q7":  # "3 distinct values" must be visible: no nonzero loss printed as 0.00 (issue 12)
        softmax_cells = [row(at, translate("en", key, **params))[1] for key, params in comp.rows]
        assert len(set(softmax_cells)) == 3, softmax_cells
        assert "0.00" not in softmax_cells, softmax_cells
    if q == "q2":  # "softmax only approaches 0": its smallest loss is shown nonzero
        assert fmt(comp.facts["softmax_min"]) != "0.00"
        assert comp.facts["softmax_min"] > 0
    # The page itself now computes with the preset's table and options.
    options = {
        "include_correct": svm_opts["include_correct"],
        "class_reduction": svm_opts["class_reduction"],
        "squared": svm_opts["squared"],
    }
    assert shown(at) == expected(scores, labels, **options)
    assert at.toggle(key="losses.incl").value == svm_opts["include_correct"]
    assert at.toggle(key="losses.squared").value == svm_opts["squared"]
    assert at.radio(key="losses.red").value == svm_opts["class_reduction"]
    assert at.selectbox(key="losses.ex").value == ex
    np.testing.assert_allclose(editor(at).value.iloc[:, 1:].to_numpy(dtype=float), np.asarray(scores).T)
    assert at.query_params["q"] == q
    assert len([b for b in at.button if b.key and b.key.startswith("losses.preset.")]) == 7
    assert at.button(key=f"losses.preset.{q}").proto.type == "primary"


def test_answers_follow_later_edits():
    """The answer is computed from the current options, not typed in: change Δ after Q4."""
    at = open_page()
    click_preset(at, "q4")
    at.slider(key="losses.margin").set_value(2.5)
    rerun(at)
    opts = {**DEFAULT_SVM, "include_correct": True, "margin": 2.5}
    comp = lecture.option_effect(SCORES, LABELS, opts, {"log_base": "e"}, "include_correct", (False, True))
    assert fmt(comp.facts["difference"]) == "2.50"
    assert "L grows by 2.50 (Δ = 2.5)" in at.success[0].value
    assert totals(at)[0] == expected(SCORES, LABELS, include_correct=True, margin=2.5)[0]


def test_reset_table_and_reset_options_are_separate_and_undo_brings_the_work_back():
    """Issue 12 item 6: the table reset leaves the options alone (and the other way round); a
    preset or reset can be undone, edits included."""
    at = open_page()
    at.toggle(key="losses.squared").set_value(True)
    at.slider(key="losses.margin").set_value(2.5)
    rerun(at)
    button(at, "+ class").click()
    rerun(at)
    edit_cells(at, {0: {"image 1 (cat)": "9"}})
    rerun(at)
    mine = dict(at.query_params)
    work = totals(at)
    assert work[0] != "5.27"
    assert "scores" in mine
    button(at, "↺ lecture's table").click()
    rerun(at)
    assert editor(at).value["class"].tolist() == CLASSES
    assert at.toggle(key="losses.squared").value is True
    assert at.slider(key="losses.margin").value == 2.5
    assert totals(at)[0] == expected(SCORES, LABELS, squared=True, margin=2.5)[0]
    button(at, "↶ undo").click()
    rerun(at)
    assert totals(at) == work
    assert dict(at.query_params) == mine
    button(at, "↺ lecture's options").click()
    rerun(at)
    assert at.toggle(key="losses.squared").value is False
    assert at.slider(key="losses.margin").value == 1.0
    assert editor(at).value["class"].tolist() == [*CLASSES, "class 4"]  # the table stays
    assert at.query_params["scores"] == mine["scores"]
    click_preset(at, "q6")  # a preset replaces both ...
    assert totals(at)[0] == expected(SCORES, LABELS, squared=True)[0]
    button(at, "↶ undo").click()  # ... and Undo brings them back
    rerun(at)
    assert at.query_params["scores"] == mine["scores"]
    assert "squared" not in at.query_params
    assert at.button(key="losses.undo").disabled  # one step back, as far as the last preset or reset


# ---- 4. the options in the sidebar ---------------------------------------------------------------

OPTION_CASES = [
    {"margin": 2.5},
    {"margin": 0.0},
    {"squared": True},
    {"incl": True},
    {"red": "mean"},
    {"variant": "ova"},
    {"variant": "structured"},
    {"base": "2"},
    {"base": "10"},
    {"margin": 0.5, "squared": True, "incl": True, "red": "mean", "variant": "structured", "base": "2"},
]
OPTION_DEFAULTS = {"margin": 1.0, "squared": False, "incl": False, "red": "sum", "variant": "ww", "base": "e"}
CORE_NAME = {
    "margin": "margin",
    "squared": "squared",
    "incl": "include_correct",
    "red": "class_reduction",
    "variant": "variant",
}


@pytest.mark.parametrize("options", OPTION_CASES, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
def test_sidebar_options_give_what_core_gives(options):
    at = open_page()
    for name, value in options.items():
        key = f"losses.{name}"
        widget = {
            "margin": at.slider,
            "squared": at.toggle,
            "incl": at.toggle,
            "red": at.radio,
            "variant": at.selectbox,
            "base": at.radio,
        }[name](key=key)
        widget.set_value(value)
    rerun(at)
    svm_opts = {CORE_NAME[k]: v for k, v in options.items() if k in CORE_NAME}
    base = options.get("base", "e")
    assert shown(at) == expected(SCORES, LABELS, base=base, **svm_opts)
    svm = svm_loss(SCORES, LABELS, **{**DEFAULT_SVM, **svm_opts})
    soft = softmax_loss(SCORES, LABELS, log_base=base)
    svm_tex = latex(at, r"\max")
    assert svm_tex.rstrip("$\n").endswith(rf"&= {num(svm.per_example[0])}\end{{aligned}}")
    margin = num(options.get("margin", 1.0))
    if options.get("variant") == "ova":  # the cat image's correct class: max(0, Δ - s_cat)
        assert rf"\max(0,\ {margin} - 3.2)" in svm_tex
    else:  # its top wrong class, the car: max(0, s_car - s_cat + Δ)
        assert rf"\max(0,\ 5.1 - 3.2 + {margin})" in svm_tex
    log = {"e": r"\ln", "2": r"\log_2", "10": r"\log_{10}"}[base]
    assert rf"-{log}({num(soft.probs[0, 0])}) = {num(soft.per_example[0])}" in latex(at, "L_i = -")
    if options == {"base": "10"}:  # the 2017 slide's 0.89 for the cat image
        assert result_rows(at)[1][0] == "0.89"
        assert r"\log_{10}(0.13) = 0.89" in latex(at, "L_i = -")
    dump = {
        "margin": format_number,
        "squared": lambda v: "1" if v else "0",
        "incl": lambda v: "1" if v else "0",
    }
    want = {k: dump.get(k, str)(v) for k, v in options.items() if v != OPTION_DEFAULTS[k]}
    assert at.query_params == want


# ---- 5. the table and the URL ---------------------------------------------------------------------

CUSTOM = {"scores": "1,0.5;2,-1;0,3", "classes": '["dog","cat","bird"]', "labels": "1,2"}


def test_a_table_in_the_url_is_shown_and_computed():
    at = open_page(**CUSTOM)
    scores, labels, classes = table_from_url(CUSTOM)
    assert shown(at) == expected(scores, labels)
    frame = editor(at).value
    assert list(frame.columns) == ["class", "image 1 (cat)", "image 2 (bird)"]
    assert frame["class"].tolist() == classes
    np.testing.assert_allclose(frame.iloc[:, 1:].to_numpy(dtype=float), scores.T)
    assert [at.selectbox(key=f"losses.label.{k}").value for k in range(2)] == labels
    assert at.selectbox(key="losses.label.0").options == classes
    assert not at.warning
    assert table_from_url(at.query_params)[2] == classes


def test_the_lecture_table_in_the_url_is_the_default():
    at = open_page(
        scores="3.2,1.3,2.2;5.1,4.9,2.5;-1.7,2,-3.1", classes='["cat","car","frog"]', labels="0,1,2"
    )
    assert totals(at) == ("5.27", "2.76")
    assert at.query_params == {}


def assert_same_page(a, b) -> None:
    assert shown(a) == shown(b)
    assert editor(a).value.equals(editor(b).value)
    for key in (
        "losses.margin",
        "losses.squared",
        "losses.incl",
        "losses.red",
        "losses.variant",
        "losses.base",
        "losses.ex",
    ):
        assert _value(a, key) == _value(b, key), key
    assert a.query_params == b.query_params


def _value(at, key):
    for kind in (at.slider, at.toggle, at.radio, at.selectbox):
        try:
            return kind(key=key).value
        except KeyError:
            continue
    raise KeyError(key)


def test_url_round_trip_after_options_structure_and_edits():
    at = open_page()
    at.slider(key="losses.margin").set_value(2.5)
    at.toggle(key="losses.squared").set_value(True)
    at.selectbox(key="losses.variant").set_value("ova")
    at.radio(key="losses.base").set_value("2")
    rerun(at)
    button(at, "+ class").click()
    rerun(at)
    button(at, "+ image").click()
    rerun(at)
    edit_cells(at, {3: {"image 4 (cat)": 7.5}, 0: {"image 2 (car)": -0.25}})
    rerun(at)
    at.selectbox(key="losses.label.3").set_value(3)
    rerun(at)
    at.selectbox(key="losses.ex").set_value(3)
    rerun(at)
    params = dict(at.query_params)
    assert {k: params[k] for k in ("margin", "squared", "variant", "base", "ex")} == {
        "margin": "2.5",
        "squared": "1",
        "variant": "ova",
        "base": "2",
        "ex": "3",
    }
    scores, labels, classes = table_from_url(params)
    assert classes == [*CLASSES, "class 4"]
    assert labels == [0, 1, 2, 3]
    want = np.zeros((4, 4))
    want[:3, :3] = SCORES
    want[1, 0], want[3, 3] = -0.25, 7.5
    np.testing.assert_array_equal(scores, want)
    assert shown(at) == expected(want, labels, margin=2.5, squared=True, variant="ova", base="2")

    fresh = open_page(**params)
    assert_same_page(at, fresh)
    assert not fresh.warning


def test_structure_buttons_change_the_url_and_a_fresh_session_reproduces_it():
    at = open_page()
    button(at, "+ class").click()
    rerun(at)
    scores, labels, classes = table_from_url(at.query_params)
    assert classes == [*CLASSES, "class 4"]
    assert labels == [0, 1, 2]
    np.testing.assert_array_equal(scores, np.hstack([SCORES, np.zeros((3, 1))]))
    assert shown(at) == expected(scores, labels)
    button(at, "+ image").click()
    rerun(at)
    scores, labels, _ = table_from_url(at.query_params)
    assert scores.shape == (4, 4)
    assert labels == [0, 1, 2, 0]
    assert shown(at) == expected(scores, labels)
    assert_same_page(at, open_page(**at.query_params))
    for _ in range(2):
        button(at, "− class").click()
        rerun(at)
    scores, labels, classes = table_from_url(at.query_params)
    assert classes == ["cat", "car"]
    assert labels == [0, 1, 0, 0]
    assert button(at, "− class").disabled
    assert shown(at) == expected(scores, labels)
    for _ in range(3):
        button(at, "− image").click()
        rerun(at)
    scores, labels, _ = table_from_url(at.query_params)
    assert scores.shape == (1, 2)
    assert labels == [0]
    assert button(at, "− image").disabled
    assert shown(at) == expected(scores, labels)
    assert_same_page(at, open_page(**at.query_params))


def test_add_buttons_stop_at_ten_classes_and_ten_images():
    big = {
        "scores": ";".join([",".join(["0.5"] * 10)] * 10),
        "classes": json.dumps([f"c{j}" for j in range(10)]),
        "labels": ",".join(str(j) for j in range(10)),
    }
    at = open_page(**big)
    assert not at.warning
    assert button(at, "+ class").disabled
    assert button(at, "+ image").disabled
    assert totals(at) == expected(np.full((10, 10), 0.5), list(range(10)))[:2]


def test_changing_a_correct_class_recomputes_and_renames_the_column():
    at = open_page()
    at.selectbox(key="losses.label.0").set_value(1)
    rerun(at)
    assert shown(at) == expected(SCORES, [1, 1, 2])
    assert list(editor(at).value.columns)[1] == "image 1 (car)"
    assert at.query_params["labels"] == "1,1,2"
    assert_same_page(at, open_page(**at.query_params))


def test_edits_survive_other_widgets_and_a_visit_to_another_page():
    """The classic trap: a data_editor fed its own output loses edits on the next rerun."""
    at = open_page()
    edit_cells(at, {0: {"image 1 (cat)": 4.2}})
    rerun(at)
    edited = SCORES.copy()
    edited[0, 0] = 4.2
    assert shown(at) == expected(edited, LABELS)
    assert at.query_params["scores"].split(";")[0] == "4.2,1.3,2.2"
    at.slider(key="losses.margin").set_value(2.0)
    rerun(at)
    at.toggle(key="losses.incl").set_value(True)
    rerun(at)
    want = expected(edited, LABELS, margin=2.0, include_correct=True)
    assert shown(at) == want
    before = dict(at.query_params)
    at.switch_page(HOME)
    rerun(at)
    at.switch_page(LOSSES)
    rerun(at)
    assert shown(at) == want
    assert at.slider(key="losses.margin").value == 2.0
    assert dict(at.query_params) == before
    assert shown(open_page(**before)) == want


def test_renaming_a_class_after_editing_its_column_keeps_both_edits():
    at = open_page()
    edit_cells(at, {0: {"image 1 (cat)": 4.2}})
    rerun(at)
    edit_cells(at, {0: {"image 1 (cat)": 4.2, "class": "dog"}})  # the browser keeps every edit
    rerun(at)
    rerun(at)
    at.toggle(key="losses.squared").set_value(True)
    rerun(at)
    edited = SCORES.copy()
    edited[0, 0] = 4.2
    assert shown(at) == expected(edited, LABELS, squared=True)
    assert list(editor(at).value.columns)[1] == "image 1 (dog)"
    assert json.loads(at.query_params["classes"]) == ["dog", "car", "frog"]


def test_a_shared_link_reproduces_the_table_exactly():
    """Q3's random scores carry 17 significant digits; the URL must keep every one."""
    at = open_page()
    click_preset(at, "q3")
    fresh = open_page(**at.query_params)
    np.testing.assert_array_equal(
        editor(fresh).value.iloc[:, 1:].to_numpy(dtype=float), lecture.near_zero_scores(3, 3, seed=0).T
    )
    show_answer(fresh, "q3")  # a link keeps the place and the progress; the guess is asked afresh
    assert [s.value for s in fresh.success] == [s.value for s in at.success]
    assert fresh.query_params == at.query_params


STALE_LABEL_BUG = (
    "app_pages/losses.py reads a selectbox's session_state value before the widget validates it: a label "
    "the browser still shows after the options changed comes back as the raw string, and "
    "set_label -> score_table.with_label int('cat') raises ValueError (losses.label.k), "
    "example_picker 'image 1 (cat)' >= n raises TypeError (losses.ex)"
)


@pytest.mark.parametrize(("key", "stale"), [("losses.label.0", "cat"), ("losses.ex", "image 1 (cat)")])
def test_a_click_after_renaming_a_class_does_not_crash(key, stale):
    """Rename "cat" to "dog", then click anything: the browser still shows (and sends) "cat"."""
    at = open_page()
    edit_cells(at, {0: {"class": "dog"}})
    rerun(at)
    assert at.selectbox(key="losses.label.0").options[0] == "dog"
    at.toggle(key="losses.squared").set_value(True)
    run_sending_labels(at, {key: stale})
    check(at)
    assert shown(at) == expected(SCORES, LABELS, squared=True)
    assert at.selectbox(key="losses.label.0").value == 0
    assert at.selectbox(key="losses.ex").value == 0


def shown_labels(at, browser: dict[str, str]) -> dict[str, str]:
    """What a browser's correct-class selectors display after this run.

    The browser keeps the label it displays until the server pushes a value (``set_value``):
    new option labels alone do not change it.
    """
    keys = [f"losses.label.{k}" for k in range(len(at.selectbox(key="losses.label.0").options))]
    for box in (at.selectbox(key=key) for key in [*keys, "losses.ex"]):
        if box.proto.set_value:
            browser[box.key] = box.proto.raw_value
        elif box.key not in browser:  # a new widget shows its default
            browser[box.key] = box.options[box.proto.default]
    return browser


def test_every_rename_shows_the_new_name_in_the_correct_class_selectors():
    """cat -> dog -> cow -> ant: the selectors showing the renamed class show the new name at once."""
    at = open_page()
    browser = shown_labels(at, {})
    assert browser["losses.label.0"] == "cat"
    edits = {}
    for name in ("dog", "cow", "ant"):
        edits = {0: {"class": name}}
        edit_cells(at, edits)
        rerun(at)
        shown_labels(at, browser)
        assert browser["losses.label.0"] == name, (name, browser)
        assert browser["losses.label.1"] == "car"
        assert browser["losses.label.2"] == "frog"
        assert browser["losses.ex"] == f"image 1 ({name})"
        at.toggle(key="losses.squared").set_value(not at.toggle(key="losses.squared").value)
        run_sending_labels(at, browser)  # the next click sends what the browser shows
        check(at)
        shown_labels(at, browser)
        assert [at.selectbox(key=f"losses.label.{k}").value for k in range(3)] == [0, 1, 2]
        assert browser["losses.label.0"] == name, (name, browser)


def test_a_click_after_switching_language_does_not_crash():
    """After the switch the browser may still send the English labels of the translated widgets."""
    at = open_page()
    at.selectbox(key="losses.ex").set_value(1)
    at.radio(key="losses.base").set_value("10")
    rerun(at)
    english = {
        "losses.ex": "image 2 (car)",
        "losses.base": "log₁₀ (the slide's 0.89)",
        "losses.red": "sum (lecture)",
        "losses.variant": "Weston–Watkins (the lecture's)",
    }
    at.selectbox(key="lang").set_value("ko")
    rerun(at)
    at.toggle(key="losses.squared").set_value(True)
    run_sending_labels(at, english)
    check(at)
    assert totals(at)[0] == expected(SCORES, LABELS, squared=True)[0]


def test_an_unknown_label_for_a_translated_option_falls_back_without_crashing():
    at = open_page()
    at.toggle(key="losses.squared").set_value(True)
    run_sending_labels(at, {"losses.variant": "not an option", "losses.base": "log₉"})
    check(at)
    assert at.selectbox(key="losses.variant").value == "ww"
    assert at.radio(key="losses.base").value == "e"
    assert shown(at) == expected(SCORES, LABELS, squared=True)


def test_an_unusable_edit_is_refused_and_the_last_good_table_is_kept():
    at = open_page()
    edit_cells(at, {1: {"image 2 (car)": None}})
    rerun(at)
    assert [e.value for e in at.error] == [refusal_notice("en", ("car", "image 2 (car)", "", "empty_cell"))]
    assert totals(at) == ("5.27", "2.76")
    assert at.query_params == {}
    edit_cells(at, {1: {"class": "   "}})
    rerun(at)
    assert [e.value for e in at.error] == [refusal_notice("en", ("car", "class", "   ", "empty_name"))]
    assert totals(at) == ("5.27", "2.76")
    assert editor(at).value["class"].tolist() == CLASSES  # the grid went back to the last good table


def refusal_notice(lang: str, *cells) -> str:
    """The notice for refused cells: (row, column, text typed, reason key[, details])."""
    lines = []
    for name, column, text, reason, *details in cells:
        why = translate(lang, f"state.reason.{reason}", **(details[0] if details else {}))
        lines.append(
            "- "
            + translate(
                lang,
                "state.cell_refused",
                row=md_escape(name),
                column=md_escape(column),
                text=md_escape(text),
                reason=why,
            )
        )
    return translate(lang, "state.cell_refused_intro") + "\n\n" + "\n".join(lines)


TYPED = {  # what a user types into the cat image's cat score (3.2) -> the score used, or the refusal
    "1e-3": 1e-3,
    "2.5e1": 25.0,
    "-7": -7.0,
    " 4.25 ": 4.25,
    "1E+2": 100.0,
    "1e6": 1e6,
    "-1e6": -1e6,
    "0.1": 0.1,
    "3.14159265358979": 3.14159265358979,
    "1,5": ("cell_not_number", {}),
    "1e308": ("out_of_range", {"lo": "-1000000", "hi": "1000000"}),
    "1000001": ("out_of_range", {"lo": "-1000000", "hi": "1000000"}),
    "NaN": ("not_finite", {}),
    "inf": ("not_finite", {}),
    "-Infinity": ("not_finite", {}),
    "": ("empty_cell", {}),
    "abc": ("cell_not_number", {}),
    "1.2.3": ("cell_not_number", {}),
}


@pytest.mark.parametrize("typed", list(TYPED), ids=[repr(k) for k in TYPED])
def test_a_typed_score_is_used_exactly_or_refused_by_name(typed):
    """Issue 12 item 4: the text typed is read with Python's float rules, never reshaped."""
    at = open_page()
    edited_key = editor(at).key
    edit_cells(at, {0: {"image 1 (cat)": typed}})
    rerun(at)
    expected = TYPED[typed]
    if isinstance(expected, float):
        scores = SCORES.copy()
        scores[0, 0] = expected
        assert not at.error
        assert totals(at) == (fmt(svm_loss(scores, LABELS).total), fmt(softmax_loss(scores, LABELS).total))
        assert at.query_params["scores"].split(";")[0].split(",")[0] == repr(expected).removesuffix(".0")
    else:
        reason, details = expected
        notice = refusal_notice("en", ("cat", "image 1 (cat)", typed, reason, details))
        assert [e.value for e in at.error] == [notice]
        assert totals(at) == ("5.27", "2.76")  # the last good table is kept ...
        assert editor(at).value.iloc[0, 1] == "3.2"  # ... and shown in the grid: a fresh editor on it,
        assert editor(at).key != edited_key  # not the one holding the refused text
        assert at.query_params == {}
        edit_cells(at, {0: {"image 1 (cat)": "10"}})  # the next good edit is used and clears the notice
        rerun(at)
        assert not at.error
        assert totals(at)[0] == "4.30"


def test_a_duplicate_class_name_is_refused():
    at = open_page()
    edit_cells(at, {1: {"class": "cat"}})
    rerun(at)
    assert [e.value for e in at.error] == [
        refusal_notice("en", ("car", "class", "cat", "duplicate_name", {"name": "cat"}))
    ]
    assert editor(at).value["class"].tolist() == CLASSES
    assert at.query_params == {}


# ---- 6. hostile query strings ---------------------------------------------------------------------

TABLE = "scores/classes/labels"
LONG = "1" * 5000
BAD_TABLES = {  # id -> (params, the name the warning must show)
    "scores-nan": (
        {"scores": "NaN,1.3,2.2;5.1,4.9,2.5;-1.7,2,-3.1", "classes": '["a","b","c"]', "labels": "0,1,2"},
        TABLE,
    ),
    "scores-inf": ({"scores": "inf,1,2;1,2,3;1,2,3", "classes": '["a","b","c"]', "labels": "0,1,2"}, TABLE),
    "scores-minus-inf": (
        {"scores": "1,2,3;1,-inf,3;1,2,3", "classes": '["a","b","c"]', "labels": "0,1,2"},
        TABLE,
    ),
    "scores-1e7": ({"scores": "1e7,1,2;1,2,3;1,2,3", "classes": '["a","b","c"]', "labels": "0,1,2"}, TABLE),
    "scores-ragged": ({"scores": "1,2;1,2,3;1,2,3", "classes": '["a","b","c"]', "labels": "0,1,2"}, TABLE),
    "scores-too-few-classes": (
        {"scores": "1,2,3;1,2,3", "classes": '["a","b","c"]', "labels": "0,1,2"},
        TABLE,
    ),
    "scores-not-numbers": (
        {"scores": "1,x,3;1,2,3;1,2,3", "classes": '["a","b","c"]', "labels": "0,1,2"},
        TABLE,
    ),
    "scores-empty": ({"scores": "", "classes": '["a","b","c"]', "labels": "0,1,2"}, TABLE),
    "classes-not-json": ({"scores": "1,2,3;1,2,3;1,2,3", "classes": "a,b,c", "labels": "0,1,2"}, TABLE),
    "classes-numbers": ({"scores": "1,2,3;1,2,3;1,2,3", "classes": "[1,2,3]", "labels": "0,1,2"}, TABLE),
    "classes-object": ({"scores": "1,2,3;1,2,3;1,2,3", "classes": '{"a":1}', "labels": "0,1,2"}, TABLE),
    "classes-eleven": (
        {
            "scores": ";".join(["1,2,3"] * 11),
            "classes": json.dumps([f"c{j}" for j in range(11)]),
            "labels": "0,1,2",
        },
        TABLE,
    ),
    "classes-one": ({"scores": "1", "classes": '["a"]', "labels": "0"}, TABLE),
    "classes-empty-name": (
        {"scores": "1,2,3;1,2,3;1,2,3", "classes": '["a","b"," "]', "labels": "0,1,2"},
        TABLE,
    ),
    "classes-long-name": (
        {"scores": "1,2,3;1,2,3;1,2,3", "classes": json.dumps(["a", "b", "x" * 41]), "labels": "0,1,2"},
        TABLE,
    ),
    "labels-out-of-range": (
        {"scores": "1,2,3;1,2,3;1,2,3", "classes": '["a","b","c"]', "labels": "0,1,5"},
        TABLE,
    ),
    "labels-negative": (
        {"scores": "1,2,3;1,2,3;1,2,3", "classes": '["a","b","c"]', "labels": "0,-1,2"},
        TABLE,
    ),
    "labels-too-few": ({"scores": "1,2,3;1,2,3;1,2,3", "classes": '["a","b","c"]', "labels": "0,1"}, TABLE),
    "labels-fraction": (
        {"scores": "1,2,3;1,2,3;1,2,3", "classes": '["a","b","c"]', "labels": "0,1,1.5"},
        TABLE,
    ),
    "images-eleven": (
        {
            "scores": ",".join(["1"] * 11) + ";" + ",".join(["2"] * 11),
            "classes": '["a","b"]',
            "labels": ",".join(["0"] * 11),
        },
        TABLE,
    ),
    "only-scores": ({"scores": "1,2,3;1,2,3;1,2,3"}, "scores"),
    "scores-5000-chars": ({"scores": LONG, "classes": '["a","b","c"]', "labels": "0,1,2"}, TABLE),
    "classes-control-char": (
        {"scores": "1,2,3;1,2,3;1,2,3", "classes": '["a\\u0000b","b","c"]', "labels": "0,1,2"},
        TABLE,
    ),
    "classes-deeply-nested": (
        {"scores": "1,2,3;1,2,3;1,2,3", "classes": "[" * 1500, "labels": "0,1,2"},
        TABLE,
    ),
}
VALID = {"scores": "1,0.5;2,-1;0,3", "classes": '["dog","cat","bird"]', "labels": "1,2"}
BAD_OPTIONS = {  # id -> (params, the name the warning must show)
    "margin-abc": ({"margin": "abc"}, "margin"),
    "margin-nan": ({"margin": "nan"}, "margin"),
    "margin-1e309": ({"margin": "1e309"}, "margin"),
    "margin-negative": ({"margin": "-1"}, "margin"),
    "margin-above-10": ({"margin": "10.0000001"}, "margin"),
    "margin-5000-chars": ({"margin": LONG}, "margin"),
    "squared-maybe": ({"squared": "maybe"}, "squared"),
    "incl-2": ({"incl": "2"}, "incl"),
    "red-script": ({"red": "<script>alert(1)</script>"}, "red"),
    "variant-x": ({"variant": "x"}, "variant"),
    "base-3": ({"base": "3"}, "base"),
    "ex-99": ({"ex": "99"}, "ex"),
    "ex-fraction": ({"ex": "1.5"}, "ex"),
    "ex-negative": ({"ex": "-1"}, "ex"),
    "q-q9": ({"q": "q9"}, "q"),
    "tab-x": ({"tab": "x"}, "tab"),
    "lang-xx": ({"lang": "xx"}, "lang"),
    "present-maybe": ({"present": "maybe"}, "present"),
}


def warning_text(at) -> str:
    assert len(at.warning) == 1, [w.value for w in at.warning]
    return at.warning[0].value


def assert_no_raw_html(at) -> None:
    raw = [text for text in markup_texts(at) if RAW_HTML.search(text)]
    assert not raw, raw


@pytest.mark.parametrize("case", BAD_TABLES, ids=str)
def test_a_bad_table_in_the_url_falls_back_to_the_lecture_table(case):
    params, name = BAD_TABLES[case]
    at = open_page(**params, base="10")  # a good option next to the bad table is kept
    text = warning_text(at)
    assert f"`{name}`" in text
    assert text.startswith(translate("en", "state.refused_intro"))
    assert totals(at)[0] == "5.27"  # the lecture's table...
    assert shown(at) == expected(SCORES, LABELS, base="10")  # ...under the link's log base
    assert editor(at).value["class"].tolist() == CLASSES
    assert at.query_params == {"base": "10"}
    assert_no_raw_html(at)


@pytest.mark.parametrize("case", BAD_OPTIONS, ids=str)
def test_a_bad_option_in_the_url_falls_back_to_its_default(case):
    params, name = BAD_OPTIONS[case]
    at = open_page(**params, **VALID)  # a good table next to the bad option is kept
    text = warning_text(at)
    assert f"`{name}`" in text
    shown_value = unescape(text.split(f"`{name}` = “", 1)[1].split("”", 1)[0])
    raw = params[name]
    assert shown_value == (raw if len(raw) <= 60 else raw[:59] + "…")
    scores, labels, _ = table_from_url(VALID)
    assert shown(at) == expected(scores, labels)
    assert at.title[0].value == "Loss functions"
    assert name not in at.query_params
    assert table_from_url(at.query_params)[1:] == table_from_url(VALID)[1:]
    assert_no_raw_html(at)


def test_a_value_with_line_breaks_stays_on_its_own_line_of_the_notice():
    at = open_page(margin="2\r\n- `squared` = “1”: forged\n\n# heading", red="mean\u2028x")
    lines = [line for line in warning_text(at).split("\n") if line.strip()]
    assert len(lines) == 3  # the intro and one bullet per refused value
    assert lines[1].startswith("- `margin` = “")
    assert lines[2].startswith("- `red` = “")
    assert at.query_params == {}


def test_problems_are_reported_in_korean_and_can_be_dismissed():
    at = open_page(lang="ko", margin="abc", base="3")
    text = warning_text(at)
    assert text.startswith(translate("ko", "state.refused_intro"))
    assert translate("ko", "state.reason.not_number") in text
    assert "`base`" in text
    at.button(key="losses.dismiss_problems").click()
    rerun(at)
    assert not at.warning
    assert totals(at) == ("5.27", "2.76")


def test_several_problems_are_listed_together_and_good_values_kept():
    at = open_page(margin="x", squared="1", red="nope", classes="[", scores="1", labels="0", base="10")
    text = warning_text(at)
    for name in ("margin", "red", TABLE):
        assert f"`{name}`" in text
    assert shown(at) == expected(SCORES, LABELS, squared=True, base="10")
    assert at.query_params == {"squared": "1", "base": "10"}


HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>",
    "**bold** [link](https://x.example)",
    r"$\frac{1}{2}$ :red[x] :material/home:",
    "</div><script>alert(1)</script>",
]


def cut(name: str) -> str:
    """A long class name as selectors, headers and charts show it (the full name on hover)."""
    return name if len(name) <= 14 else name[:13] + "…"


def pipeline(at):
    """The derivation's softmax table (class, correct, score, exp, probability, bar) and its columns."""
    (table,) = [d for d in at.dataframe if "bar" in d.value.columns]
    return table.value, json.loads(table.proto.columns)


@pytest.mark.parametrize(("k", "lang"), [(0, "en"), (1, "en"), (2, "ko")])
def test_the_derivation_shows_each_probability_as_a_number_and_a_bar_without_a_chart(k, lang):
    at = open_page(ex=str(k), **({"lang": lang} if lang != "en" else {}))
    soft = softmax_loss(SCORES, LABELS)
    frame, columns = pipeline(at)
    assert frame["prob"].tolist() == fmt_all(soft.probs[k])  # the one format: 9.7 × 10⁻⁴, not 0.00
    np.testing.assert_allclose(frame["bar"].to_numpy(dtype=float), soft.probs[k])
    assert frame["correct"].tolist() == ["✓" if j == LABELS[k] else "" for j in range(3)]
    assert frame["class"].tolist() == [translate(lang, f"losses.classes.{c}") for c in CLASSES]
    bar = columns["bar"]
    assert bar["type_config"]["type"] == "progress"
    assert (bar["type_config"]["min_value"], bar["type_config"]["max_value"]) == (0.0, 1.0)
    assert bar["label"] == translate(lang, "losses.derivation.prob_bar")
    assert columns["prob"]["label"] == translate(lang, "losses.derivation.prob")
    # No plotly chart in the first view: the page loads no chart library until a chart tab opens.
    assert not at.get("plotly_chart")
    open_tab(at, "curve")
    assert len(at.get("plotly_chart")) == 1


def test_the_probability_table_cuts_long_names_and_keeps_names_cut_alike_apart():
    names = ["a very long class name of forty letters!", "a very long class name, another", "frog"]
    at = open_page(scores="3.2,1.3,2.2;5.1,4.9,2.5;-1.7,2,-3.1", classes=json.dumps(names), labels="0,1,2")
    assert not at.warning
    frame, _ = pipeline(at)
    assert frame["class"].tolist() == ["1. a very long c…", "2. a very long c…", "3. frog"]


def test_a_40_character_name_is_cut_visibly_with_the_full_name_on_hover():
    name = "a very long class name of forty letters!"
    assert len(name) == 40
    at = open_page(
        scores="3.2,1.3,2.2;5.1,4.9,2.5;-1.7,2,-3.1",
        classes=json.dumps([name, "car", "frog"]),
        labels="0,1,2",
    )
    assert not at.warning
    assert totals(at) == ("5.27", "2.76")
    assert at.selectbox(key="losses.label.0").options == ["a very long c…", "car", "frog"]
    assert at.selectbox(key="losses.label.0").help == md_escape(name)
    assert list(editor(at).value.columns)[1] == "image 1 (a very long c…)"
    assert editor(at).value["class"].tolist() == [name, "car", "frog"]  # the grid keeps it whole


def test_ten_images_lay_out_four_selectors_a_row_and_one_result_row_per_image():
    scores = ";".join(",".join(str(k + c) for k in range(10)) for c in range(10))
    at = open_page(
        scores=scores,
        classes=json.dumps([f"class {c}" for c in range(10)]),
        labels=",".join(str(k) for k in range(10)),
    )
    assert not at.warning
    assert [at.selectbox(key=f"losses.label.{k}").value for k in range(10)] == list(range(10))
    svm = svm_loss(np.array([[k + c for c in range(10)] for k in range(10)], dtype=float), np.arange(10))
    for k in range(10):  # one row per image: SVM L_i, softmax L_i, p(correct)
        assert row(at, f"image {k + 1}")[0] == fmt(svm.per_example[k])


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_class_name_in_a_valid_table_is_shown_as_text(name):
    classes = json.dumps([name, "car", "frog"])
    at = open_page(scores="3.2,1.3,2.2;5.1,4.9,2.5;-1.7,2,-3.1", classes=classes, labels="0,1,2")
    assert not at.warning
    assert totals(at) == ("5.27", "2.76")
    assert editor(at).value["class"].tolist() == [name, "car", "frog"]
    assert at.selectbox(key="losses.label.0").options == [cut(name), "car", "frog"]
    assert f"image 1 ({name})" in at.selectbox(key="losses.ex").options
    assert json.loads(at.query_params["classes"])[0] == name
    for tab in TABS:
        open_tab(at, tab)
        assert not [t for t in markup_texts(at) if name in t], "user text reached markdown unescaped"
        assert_no_raw_html(at)
        for spec in [text for _, field, text in proto_strings(at) if field == "spec"]:
            assert not [s for s in _strings(json.loads(spec)) if "<img" in s or "<script" in s], spec[:300]


def _strings(tree):
    if isinstance(tree, str):
        yield tree
    elif isinstance(tree, dict):
        for value in tree.values():
            yield from _strings(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from _strings(value)


def test_a_hostile_class_name_typed_into_the_editor_is_shown_as_text():
    at = open_page()
    name = "<img src=x onerror=alert(1)>"
    edit_cells(at, {0: {"class": name}})
    rerun(at)
    assert at.selectbox(key="losses.label.0").options[0] == cut(name)
    assert json.loads(at.query_params["classes"]) == [name, "car", "frog"]
    assert_no_raw_html(at)
    fresh = open_page(**at.query_params)
    assert editor(fresh).value["class"].tolist() == [name, "car", "frog"]
    check(fresh)


def test_a_deep_link_opens_the_requested_tab_image_and_question():
    at = open_page(tab="whatif", q="q1", ex="2")
    show_answer(at, "q1")
    answer = at.success[0].value
    comp = lecture.jiggle_correct_score(SCORES, LABELS, 2, DEFAULT_SVM, {"log_base": "e"})
    assert f"changed by {fmt(comp.facts['svm_change'])}" in answer
    assert comp.facts["svm_change"] != 0  # the frog image misses the margin: the SVM moves too
    assert at.selectbox(key="losses.ex").value == 2
    assert at.query_params == {"tab": "whatif", "q": "q1", "ex": "2", "quiz": "q1:s"}


def test_the_code_tab_shows_the_source_that_computed_the_losses_and_the_curve():
    at = open_page(tab="code")
    assert len(at.code) == 1
    assert at.code[0].language == "python"
    for fn in (svm_loss, softmax_loss, loss_vs_correct_score):
        assert inspect.getsource(fn).strip() in at.code[0].value

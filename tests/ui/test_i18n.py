"""Tests for ui.i18n and the catalogs in assets/i18n: same keys, same fields, every key the code uses."""

from __future__ import annotations

import ast
import importlib
import json
import re
import string
from pathlib import Path

import numpy as np
import pytest

from core import lecture
from core.losses import CLASS_REDUCTIONS, LOG_BASES, SVM_VARIANTS
from ui.i18n import CATALOG_DIR, DEFAULT_LANGUAGE, LANGUAGES, MISSING, catalog, translate

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [
        ROOT / "app.py",
        *(ROOT / "app_pages").glob("*.py"),
        *(ROOT / "ui").glob("*.py"),
        *(ROOT / "ui" / "settings").glob("*.py"),
    ]
)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
EN, KO = catalog("en"), catalog("ko")


def fields_of(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def leaves(tree, path=""):
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from leaves(value, f"{path}{key}.")
        else:
            yield f"{path}{key}", value


# ---- the catalogs ----------------------------------------------------------------------------------------


def test_languages():
    assert set(LANGUAGES) == {"en", "ko"}
    assert DEFAULT_LANGUAGE in LANGUAGES
    for lang in LANGUAGES:
        assert (CATALOG_DIR / f"{lang}.json").is_file()


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_catalog_leaves_are_non_empty_strings(lang):
    tree = json.loads((CATALOG_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    flat = dict(leaves(tree))
    assert flat, lang
    for key, value in flat.items():
        assert isinstance(value, str), (lang, key, value)
        assert value.strip(), (lang, key)
    assert flat.items() <= catalog(lang).items()  # the rest from <part>.<lang>.json files


def test_catalogs_have_the_same_keys():
    assert set(EN) - set(KO) == set()
    assert set(KO) - set(EN) == set()


def test_catalog_refuses_an_unknown_language():
    with pytest.raises(ValueError, match="lang must be one of"):
        catalog("fr")


@pytest.mark.parametrize("key", sorted(EN))
def test_format_fields_agree_and_format(key):
    en, ko = EN[key], KO[key]
    assert fields_of(en) == fields_of(ko), key
    for text in (en, ko):
        for name in fields_of(text):
            assert name.isidentifier(), (key, name)  # plain {name}: no index, attribute or positional
        for _, name, spec, conversion in string.Formatter().parse(text):
            if name is not None:
                assert not spec, (key, text)
                assert conversion is None, (key, text)
        dummy = {name: f"<{name}>" for name in fields_of(text)}
        out = text.format(**dummy)
        for name in fields_of(text):
            assert f"<{name}>" in out
    for lang in LANGUAGES:
        assert translate(lang, key, **{n: 1 for n in fields_of(en)}) == catalog(lang)[key].format(
            **{n: 1 for n in fields_of(en)}
        )


def test_literal_braces_are_doubled():
    assert "{{1}}{{N}}" in EN["losses.intro"]
    assert r"\frac{1}{N}" in translate("en", "losses.intro")
    assert r"\frac{1}{N}" in translate("ko", "losses.intro")


def test_translate_fills_fields():
    assert translate("en", "losses.table.image", k=2, name="car") == "image 2 (car)"
    assert translate("ko", "losses.table.image", k=2, name="car") == "2번 (car)"
    assert translate("en", "state.reason.out_of_range", lo=0, hi=10) == "outside the allowed range 0 to 10"


def test_translate_field_values_are_not_reinterpreted():
    assert translate("en", "losses.table.image", k="{k}", name="{name}") == "image {k} ({name})"


def test_translate_of_an_unknown_key_is_the_missing_marker():
    assert translate("en", "no.such.key") == MISSING.format(key="no.such.key") == "⟦no.such.key⟧"
    assert translate("ko", "losses") == "⟦losses⟧"  # a section is not a string
    assert translate("en", "no.such.key", k=1) == "⟦no.such.key⟧"


def test_translate_with_a_missing_field_raises():
    with pytest.raises(KeyError):
        translate("en", "losses.table.image", k=1)


MAIN_TITLES = [
    "nav.home",
    "nav.losses",
    "losses.title",
    "home.losses.title",
    "losses.tabs.whatif",
    "losses.table.title",
    "losses.results.title",
    "losses.tabs.derivation",
    "losses.tabs.curve",
    "losses.options.title",
    "state.refused_intro",
    "state.dismiss",
]


@pytest.mark.parametrize("key", MAIN_TITLES)
def test_korean_titles_are_korean(key):
    assert HANGUL.search(KO[key]), KO[key]
    assert KO[key] != EN[key]
    assert not HANGUL.search(EN[key])


def test_most_korean_strings_are_korean():
    korean = [k for k in KO if HANGUL.search(KO[k])]
    assert len(korean) / len(KO) > 0.8


BILINGUAL = {"app.language"}  # the language box names both languages, each in its own script


def test_english_has_no_hangul():
    assert [k for k, v in EN.items() if HANGUL.search(v) and k not in BILINGUAL] == []


# ---- every key the code uses exists ------------------------------------------------------------------------


def _chapters() -> list[str]:
    tree = ast.parse((ROOT / "app_pages" / "home.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "CHAPTERS" for t in node.targets):
            return [entry[-2] for entry in ast.literal_eval(node.value)]  # (..., key, page)
    raise AssertionError("CHAPTERS not found in app_pages/home.py")


def _state_reasons() -> set[str]:
    """Reasons raised as StateError("x") or built into Problem(name, value, "x") anywhere in the app."""
    reasons = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            arg = None
            if node.func.id == "StateError" and node.args:
                arg = node.args[0]
            elif node.func.id == "Problem" and len(node.args) >= 3:
                arg = node.args[2]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                reasons.add(arg.value)
    return reasons


STATE_REASONS = _state_reasons()


def _page_tabs() -> dict[str, tuple[str, ...]]:
    """{page: its tabs} from the settings registry (the choices of each page's "tab" setting)."""
    from ui.settings import registry

    return {page: s.fields["tab"].options for page, s in registry().items() if "tab" in s.fields}


PAGE_TABS = _page_tabs()

# The values an f-string key with one placeholder can take, by the text before the placeholder.
# Dynamic keys not covered here are only checked to match some catalog key (test_other_dynamic_keys).
EXPANSIONS = {
    "whatif.": lecture.QUESTIONS,
    "losses.variant.": SVM_VARIANTS,
    "losses.red.": CLASS_REDUCTIONS,
    "losses.base.": tuple(str(b) for b in LOG_BASES),
    "state.reason.": tuple(sorted(STATE_REASONS)),
    "home.": tuple(_chapters()),
    **{f"{page}.tabs.": tabs for page, tabs in PAGE_TABS.items()},
}
# Keys with several placeholders, by template: the tuples of values they are filled with.
TEMPLATES = {
    "{}.tabs.{}": [(page, tab) for page, tabs in PAGE_TABS.items() for tab in tabs],
}


def _expand(template: str) -> list[str] | None:
    """Every key a dynamic template stands for, or None when this test does not know its values."""
    if template in TEMPLATES:
        return [template.format(*values) for values in TEMPLATES[template]]
    prefix = template.split("{}")[0]
    if template.count("{}") == 1 and prefix in EXPANSIONS:
        return [template.format(v) for v in EXPANSIONS[prefix]]
    return None


def _template(node: ast.JoinedStr) -> str:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value).replace("{", "{{").replace("}", "}}"))
        else:
            parts.append("{}")
    return "".join(parts)


def _key_nodes(call: ast.Call):
    """The key argument of t(key, ...) or translate(lang, key, ...), or None."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    if name == "t" and call.args:
        return call.args[0]
    if name == "translate" and len(call.args) >= 2:
        return call.args[1]
    return None


def _assigned(scope: ast.AST, name: str) -> list[ast.AST]:
    return [
        node.value
        for node in ast.walk(scope)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id == name
    ]


def _used_keys():
    """The keys the code passes to t()/translate().

    Returns (where, key, keyword names or None when **kwargs are passed) for every literal or
    expanded key, and (where, template) for the dynamic keys whose values this test does not know.
    """
    found, other = [], []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]
        for scope in scopes:
            for call in ast.walk(scope):
                if not isinstance(call, ast.Call) or (arg := _key_nodes(call)) is None:
                    continue
                if scope is tree and any(call in ast.walk(f) for f in scopes[1:]):
                    continue  # handled with its function, where its variables live
                kwargs = None if any(k.arg is None for k in call.keywords) else {k.arg for k in call.keywords}
                where = f"{path.relative_to(ROOT)}:{call.lineno}"
                candidates = _assigned(scope, arg.id) if isinstance(arg, ast.Name) else [arg]
                for node in candidates:
                    if isinstance(node, ast.Constant) and isinstance(node.value, str):
                        found.append((where, node.value, kwargs))
                    elif isinstance(node, ast.JoinedStr):
                        keys = _expand(_template(node))
                        if keys is None:
                            other.append((where, _template(node)))
                        else:
                            found.extend((where, key, kwargs) for key in keys)
    return found, other


def _declared_keys():
    """Keys no literal t() call shows: the labels, help and option labels the settings registries
    declare (ui/settings/<page>.py: their widgets are drawn from them), the catalog keys
    core.lecture hands to the loss page (what-if rows and answers), and the title and intro
    ui.chapter.header shows for the pages that call it."""
    found = []
    for path in sorted((ROOT / "ui" / "settings").glob("*.py")):
        settings = getattr(importlib.import_module(f"ui.settings.{path.stem}"), "SETTINGS", None)
        for f in settings.fields.values() if settings is not None else ():
            keys = [f.label, f.help, *(f.option_text(option) for option in f.options)]
            found += [(str(path.relative_to(ROOT)), key, None) for key in keys if key]
    lecture_source = ROOT / "core" / "lecture.py"
    for node in ast.walk(ast.parse(lecture_source.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and re.fullmatch(r"whatif\.[\w.]*\w", node.value)
        ):
            found.append(("core/lecture.py", node.value, None))
        elif isinstance(node, ast.JoinedStr) and _template(node).startswith("whatif.{}."):
            found += [("core/lecture.py", key, None) for key in _expand(_template(node))]
    for path in sorted((ROOT / "app_pages").glob("*.py")):
        if re.search(r"chapter\.(header|page)\(", path.read_text(encoding="utf-8")):
            where = str(path.relative_to(ROOT))
            found += [(where, f"{path.stem}.{key}", set()) for key in ("title", "intro")]
    return found


USED, OTHER_DYNAMIC = _used_keys()
USED += _declared_keys()


def test_the_source_scan_finds_the_keys():
    keys = {key for _, key, _ in USED}
    assert len(keys) > 60
    assert {"losses", "regularization", "gradients", "features"} <= set(PAGE_TABS)
    for expected in (
        "nav.home",
        "losses.title",
        "whatif.q7.button",
        "whatif.q5.answer_zero",
        "whatif.q3.answer",
        "state.reason.not_finite",
        "losses.base.10",
        "losses.variant.structured",
        "home.features.body",
        "state.refused",
    ):
        assert expected in keys, expected
    assert {
        "not_number",
        "not_finite",
        "out_of_range",
        "not_integer",
        "not_bool",
        "not_choice",
        "too_long",
        "class_count",
        "example_count",
        "empty_name",
        "long_name",
        "shape_mismatch",
        "score_range",
        "bad_label",
        "incomplete_table",
        "bad_list",
        "empty_score",
    } <= STATE_REASONS


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_key_used_in_the_code_exists(lang):
    missing = sorted({(where, key) for where, key, _ in USED if key not in catalog(lang)})
    assert missing == []


def test_other_dynamic_keys_match_some_catalog_key():
    """A dynamic key this test cannot expand must at least fit the catalog's key pattern."""
    unmatched = []
    for where, template in OTHER_DYNAMIC:
        pattern = re.compile(
            ".+".join(re.escape(part.replace("{{", "{").replace("}}", "}")) for part in template.split("{}"))
        )
        if not any(pattern.fullmatch(key) for key in EN):
            unmatched.append((where, template))
    assert unmatched == []


def test_every_literal_call_passes_the_fields_its_string_needs():
    short = []
    for where, key, kwargs in USED:
        if kwargs is None or key not in EN:
            continue
        need = fields_of(EN[key])
        if not need <= kwargs:
            short.append((where, key, sorted(need - kwargs)))
    assert short == []


def test_every_state_reason_is_in_both_catalogs():
    for reason in STATE_REASONS:
        for lang in LANGUAGES:
            assert f"state.reason.{reason}" in catalog(lang), (lang, reason)


# ---- the what-if questions: the keys and fields core.lecture hands to the page -----------------------------

SVM_OPTS = {
    "margin": 1.0,
    "squared": False,
    "include_correct": False,
    "class_reduction": "sum",
    "variant": "ww",
}
SOFTMAX_OPTS = {"log_base": "e"}


def _comparisons():
    """Each question's Comparison, computed the way app_pages/losses.py does."""
    s, y = lecture.LECTURE_SCORES, lecture.LECTURE_LABELS
    zero = np.zeros((3, 3))
    return {
        "q1": lecture.jiggle_correct_score(s, y, 1, SVM_OPTS, SOFTMAX_OPTS),
        "q1_moved": lecture.jiggle_correct_score(s, y, 0, SVM_OPTS, SOFTMAX_OPTS),
        "q2": lecture.loss_extremes(s, y, 0, SVM_OPTS, SOFTMAX_OPTS),
        "q3": lecture.sanity_check(lecture.near_zero_scores(3, 3), y, SVM_OPTS, SOFTMAX_OPTS),
        "q4": lecture.option_effect(s, y, SVM_OPTS, SOFTMAX_OPTS, "include_correct", (False, True)),
        "q5": lecture.class_mean(s, y, SVM_OPTS, SOFTMAX_OPTS),
        "q5_zero": lecture.class_mean(np.array([[9.0, 0, 0]] * 3), [0, 0, 0], SVM_OPTS, SOFTMAX_OPTS),
        "q6": lecture.option_effect(s, y, SVM_OPTS, SOFTMAX_OPTS, "squared", (False, True)),
        "q7": lecture.svm_vs_softmax(
            lecture.SVM_VS_SOFTMAX_SCORES, lecture.SVM_VS_SOFTMAX_LABELS, SVM_OPTS, SOFTMAX_OPTS
        ),
        "zero": lecture.sanity_check(zero, y, SVM_OPTS, SOFTMAX_OPTS),
    }


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_what_if_rows_answers_and_setups_format(lang):
    comps = _comparisons()
    assert {q for q in comps if q.startswith("q")} >= set(lecture.QUESTIONS)
    for name, comp in comps.items():
        for key, params in comp.rows:
            assert key in catalog(lang), (name, key)
            translate(lang, key, **params)
        if name == "zero":
            continue
        q = name.split("_")[0]
        facts = {**comp.facts, "image": 1, "margin": "1"}
        answer = {"q5_zero": "whatif.q5.answer_zero", "q1_moved": "whatif.q1.answer_moved"}.get(
            name, f"whatif.{q}.answer"
        )
        for key in (answer, f"whatif.{q}.changed", f"whatif.{q}.button", f"whatif.{q}.question"):
            assert "⟦" not in translate(lang, key, **facts), key
    assert comps["q5_zero"].facts["ratio"] is None
    assert comps["q1"].facts["svm_change"] == 0 != comps["q1_moved"].facts["svm_change"]

"""Hostile input across the whole app: every page and every tab, driven with hostile query strings,
class names, CSV fields, file names and uploads, must raise nothing and render no user text as markup.

What counts as "rendered as markup": element bodies (markdown, captions, alerts, titles, LaTeX),
widget / metric / tab / expander labels, help tooltips and radio options (Streamlit renders all of
these as markdown). In them, user text must arrive escaped: ``\\<img`` is fine, ``<img`` is not; no
``javascript:`` target, no markdown link or image, no external URL. Selectbox options and table
cells are plain text in Streamlit (never parsed as markdown), so a class name may appear there
verbatim, and must (a mangled name would be a bug of its own). Plotly specs must carry no raw
``<img`` / ``<script`` (plotly renders a subset of HTML in its labels).
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from apptest_tools import check, open_page, open_tab, open_tab_label, proto_strings, rerun, totals
from PIL import Image

from ui.i18n import LANGUAGES, catalog, translate
from ui.score_table import TABLE_PARAMS
from ui.settings import registry

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("home", "losses", "regularization", "optimization", "gradients", "features")
HOSTILE = (
    "<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "[x](javascript:alert(1))",
    "![x](https://evil.example/x.png)",
    r"$\frac{1}{0}$",
    "\u202e\u0000",
    "%00",
    "A" * 5000,
    "nan",
    "-inf",
    "1e309",
    "9" * 400,
)
HOSTILE_NAME = "<script>alert('name')</script>"  # an unknown parameter whose *name* is hostile
MARKDOWN_SPECIAL = re.compile(r"[<>\[\]()$!]")


# ---- which query parameters each page knows: the settings registry -----------------------------------

REGISTRY = registry()
APP_PARAMS = set(REGISTRY["app"].names)  # lang, present: on every page


def known_params(page: str) -> set[str]:
    names = set(REGISTRY[page].names) | APP_PARAMS
    if page == "losses":
        names |= set(TABLE_PARAMS)  # the score table is decoded by ui.score_table, beside the settings
    return names


def tab_names(page: str) -> tuple[str, ...]:
    """The page's tabs: the choices of its "tab" setting, or () for a page without tabs."""
    tab = REGISTRY[page].fields.get("tab")
    return tab.options if tab is not None else ()


def test_the_registry_knows_the_fields_and_tabs():
    assert {"margin", "squared", "red", "tab", "scores", "lang"} <= known_params("losses")
    assert {"data", "pts", "W", "b", "opt", "t", "speed"} <= known_params("optimization")
    assert {"img", "bins", "lseed", "tab"} <= known_params("features")
    assert known_params("home") == {"lang", "present", "join"}
    assert tab_names("gradients") == ("walkthrough", "check", "strategies", "optimizers", "predict", "code")
    assert tab_names("optimization") == ()


# ---- what must never be on screen ----------------------------------------------------------------------


def _source_urls() -> set[str]:
    """URLs the app itself writes (catalogs, pages, ui): anything else in markup came from a user."""
    texts = [json.dumps(catalog(lang), ensure_ascii=False) for lang in LANGUAGES]
    texts += [
        path.read_text(encoding="utf-8")
        for folder in ("app_pages", "ui")
        for path in (ROOT / folder).glob("*.py")
    ]
    return {m for text in texts for m in URL.findall(text)}


UNESCAPED = r"(?<!\\)(?:\\\\)*"  # an even number of backslashes (none included): the next char is live
RAW_TAG = re.compile(UNESCAPED + r"<\s*/?\s*(?:img|script|iframe|svg|object|embed|a\s)", re.IGNORECASE)
JS_TARGET = re.compile(r"javascript\s*:", re.IGNORECASE)
MD_LINK = re.compile(UNESCAPED + r"!?\[[^\]\n]*" + UNESCAPED + r"\]\(")
URL = re.compile(r"https?://[^\s)\"'<>\\]+", re.IGNORECASE)
ALLOWED_URLS = _source_urls()


def markup_texts(at) -> list[tuple[str, str, str]]:
    """(element, field, text) for every text Streamlit renders as markdown."""
    return [
        (kind, field, text)
        for kind, field, text in proto_strings(at)
        if field in ("body", "label", "help", "captions")
        or (field == "options" and kind in ("Radio", "ButtonGroup"))
    ]


def _strings(tree):
    if isinstance(tree, str):
        yield tree
    elif isinstance(tree, dict):
        for key, value in tree.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from _strings(value)


def markup_problems(text: str, user_texts=()) -> list[str]:
    """What is wrong with one text that Streamlit renders as markdown (nothing: [])."""
    problems = [
        name
        for name, pattern in (
            ("raw tag", RAW_TAG),
            ("javascript target", JS_TARGET),
            ("markdown link", MD_LINK),
        )
        if pattern.search(text)
    ]
    problems += [f"external URL {u}" for u in URL.findall(text) if u not in ALLOWED_URLS]
    problems += [f"verbatim {u[:30]!r}" for u in user_texts if MARKDOWN_SPECIAL.search(u) and u in text]
    return problems


def assert_safe(at, user_texts=()) -> None:
    """No exception, no missing translation, and no user text rendered as markup anywhere."""
    check(at)
    bad = [
        (kind, field, problems, text[:200])
        for kind, field, text in markup_texts(at)
        if (problems := markup_problems(text, user_texts))
    ]
    assert not bad, bad
    for element in at.get("plotly_chart"):
        for s in _strings(json.loads(element.proto.spec)):
            assert not re.search(r"<\s*(?:img|script)", s, re.IGNORECASE), s[:200]


def shown_as_text(markdown: str) -> str:
    """A markdown body as the reader sees its characters: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown, flags=re.DOTALL)


@pytest.mark.parametrize(
    ("text", "user", "flagged"),
    [
        ("<img src=x onerror=alert(1)>", (), True),
        (r"\<img src=x onerror=alert\(1\)\>", (), False),
        (r"\\<img src=x>", (), True),  # an escaped backslash, then a live tag
        ("[x](javascript:alert(1))", (), True),
        (r"\[x\]\(javascript\:alert\(1\)\)", (), False),
        ("![x](https://evil.example/x.png)", (), True),
        (r"\!\[x\]\(https\://evil\.example/x\.png\)", (), False),
        ("see https://evil.example", (), True),
        (r"class $\frac{1}{0}$ wins", (r"$\frac{1}{0}$",), True),
        (r"class \$\\frac\{1\}\{0\}\$ wins", (r"$\frac{1}{0}$",), False),
        ("**bold** and `code`, 3 < 4", (), False),
    ],
)
def test_the_detector_flags_live_markup_and_passes_escaped_text(text, user, flagged):
    assert bool(markup_problems(text, user)) is flagged


def page_file(page: str) -> str:
    return f"app_pages/{page}.py"


# ---- 1. every page, every tab, hostile query strings ---------------------------------------------------


def hostile_runs():
    """Each hostile value once per page, set on every known parameter at once plus two unknown ones.

    On a page with tabs, the first len(TABS) values go with ``tab=<each tab>`` (so every tab is
    built under hostile values), the rest with a hostile ``tab`` too. Every other run asks for
    Korean, so both catalogs are rendered around hostile text.
    """
    for page in PAGES:
        tabs = tab_names(page)
        for i, value in enumerate(HOSTILE):
            params = {name: value for name in sorted(known_params(page))}
            params |= {f"unknown{i}": value, HOSTILE_NAME: value}
            if i % 2:
                params["lang"] = "ko"
            tab = tabs[i] if i < len(tabs) else None
            if tab:
                params["tab"] = tab
            yield pytest.param(page, params, tab, id=f"{page}-{i}-{tab or 'default'}")


@pytest.mark.parametrize(("page", "params", "tab"), list(hostile_runs()))
def test_hostile_query_strings_on_every_page_and_tab(page, params, tab):
    at = open_page(page_file(page), **params)
    value = next(v for k, v in params.items() if k.startswith("unknown"))
    assert_safe(at, [value])
    lang = at.session_state["lang"]
    assert lang == ("ko" if params.get("lang") == "ko" else "en")
    if tab:
        assert open_tab_label(at) == [translate(lang, f"{page}.tabs.{tab}")]
    warnings = [w.value for w in at.warning]
    assert warnings, "a refused value must be reported"
    assert all(w.startswith(translate(lang, "state.refused_intro")) for w in warnings), warnings
    if len(value) <= 60:  # shown in full (escaped), so the checks above really saw it
        # Invisible control and format characters (NUL, right-to-left override) are shown as U+FFFD.
        visible = "".join("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch for ch in value)
        assert any(visible in shown_as_text(w) for w in warnings), warnings
    assert sum(len(w) for w in warnings) < 4000  # long values are shortened, not echoed
    assert HOSTILE_NAME not in at.query_params
    assert not any(k.startswith("unknown") for k in at.query_params)
    assert value not in at.query_params.values()


def test_invisible_control_characters_in_a_refused_value_do_not_reach_the_notice():
    at = open_page(page_file("losses"), margin="2\u202e)1(trela\u0000")
    text = "\n".join(w.value for w in at.warning)
    assert "`margin`" in text
    assert "\u202e" not in text
    assert "\x00" not in text


# ---- 2. the loss page with hostile class names in a valid table ----------------------------------------

CLASS_NAMES = [
    "<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "[x](javascript:alert(1))",
    "![x](https://evil.example/x.png)",
    r"$\frac{1}{0}$",
    "%00",
    "nan",
    "-inf",
    "1e309",
]


def test_hostile_class_names_on_every_tab_of_the_loss_page():
    n = len(CLASS_NAMES)
    by_class = np.round(np.sin(np.arange(3 * n)).reshape(n, 3) * 3, 1)  # (C, N), one row per class
    scores = ";".join(",".join(str(v) for v in row) for row in by_class)
    at = open_page(page_file("losses"), scores=scores, classes=json.dumps(CLASS_NAMES), labels="0,4,8")
    assert not at.warning, [w.value for w in at.warning]
    # plain text: shown as typed (a long name cut visibly, its full text on hover)
    cut = [n if len(n) <= 14 else n[:13] + "…" for n in CLASS_NAMES]
    assert at.selectbox(key="losses.label.0").options == cut
    assert json.loads(at.query_params["classes"]) == CLASS_NAMES
    for tab in tab_names("losses"):
        open_tab(at, tab)
        assert_safe(at, CLASS_NAMES)
    svm, softmax = totals(at)
    assert float(svm) >= 0
    assert float(softmax) >= 0


# ---- 3. the optimization page with hostile CSV text ----------------------------------------------------


def test_hostile_csv_fields_and_file_names_on_the_optimization_page():
    at = open_page(page_file("optimization"), data="custom", pts="0,0,0;1,1,1;0.5,0.2,0;-0.5,0.3,1")
    pts = at.query_params["pts"]
    refused = translate("en", "optimization.data.refused", reason="").split(":")[0]
    for i, value in enumerate(HOSTILE):
        for where, text in (
            ("x1", f"{value},0,0\n1,1,1\n"),
            ("label", f"0,0,0\n1,1,{value}\n"),
            ("extra", f"0,0,0\n1,1,1,{value}\n"),
        ):
            # Streamlit itself refuses a file name with a NUL byte before the page runs (browsers
            # cannot send one): the name carries the rest of the value.
            name = f"{value[:100].replace(chr(0), '')}.csv"
            data = text.encode("utf-8", errors="surrogatepass")
            at.file_uploader(key="optimization.upload").set_value((name, data, "text/csv"))
            rerun(at)
            errors = [e.value for e in at.error]
            assert len(errors) == 1, (i, where, errors)
            assert errors[0].startswith(refused), (i, where, errors)
            assert_safe(at, [value])
            assert at.query_params["pts"] == pts
    # A hostile header is skipped as a header: the points are used, the header text is not shown.
    header = "x1,<img src=x onerror=alert(1)>,[x](javascript:alert(1))\n0,0,0\n2,2,1\n0,1,2\n"
    at.file_uploader(key="optimization.upload").set_value(("<img src=x>.csv", header.encode(), "text/csv"))
    rerun(at)
    assert not at.error
    assert at.query_params["pts"] == "0,0,0;2,2,1;0,1,2"
    assert_safe(at, ["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"])


def test_hostile_text_typed_into_the_points_editor_is_refused():
    at = open_page(page_file("optimization"), data="custom", pts="0,0,0;1,1,1")
    pts = at.query_params["pts"]
    key = next(d.key for d in at.dataframe if d.key.startswith("optimization.points."))
    for value in HOSTILE[:5]:
        at.session_state[key] = {"edited_rows": {0: {"x1": value}}, "added_rows": [], "deleted_rows": []}
        rerun(at)
        assert len(at.error) == 1
        assert_safe(at, [value])
        assert at.query_params["pts"] == pts


# ---- 4. the features page with a hostile file name -----------------------------------------------------

UPLOAD_NAME = "<img src=x onerror=alert(1)>.png"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray((np.indices((48, 64)).sum(axis=0) * 3 % 256).astype(np.uint8)).convert("RGB").save(
        buffer, "PNG"
    )
    return buffer.getvalue()


def test_a_hostile_upload_name_on_every_tab_of_the_features_page():
    at = open_page(page_file("features"))
    at.file_uploader(key="features.file").upload(UPLOAD_NAME, b"<script>alert(1)</script>", "image/png")
    rerun(at)
    assert [e.value for e in at.error] == [translate("en", "features.upload.not_image")]
    assert at.selectbox(key="features.img").value == "chelsea"
    assert_safe(at, [UPLOAD_NAME])
    at.file_uploader(key="features.file").set_value((UPLOAD_NAME, png_bytes(), "image/png"))
    rerun(at)
    assert not at.error
    assert at.selectbox(key="features.img").value == "upload"
    for tab in tab_names("features"):
        at.session_state["features.tabs"] = translate("en", f"features.tabs.{tab}")
        rerun(at)
        assert open_tab_label(at) == [translate("en", f"features.tabs.{tab}")]
        assert_safe(at, [UPLOAD_NAME])
        assert not [text for _, _, text in proto_strings(at) if "onerror" in text]

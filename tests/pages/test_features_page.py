"""AppTest tests of the image-features page (app_pages/features.py), run through app.py's router.

Expected numbers come from core.features on the same image (scikit-image's bundled samples or
an upload built here with Pillow) or from the lecture (a 320 x 240 image has 10,800 HoG numbers);
none is copied from the page. Plotly charts are read from their JSON spec in the element tree.
"""

from __future__ import annotations

import base64
import inspect
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
import skimage.data
from apptest_tools import (
    metrics,
    open_page,
    open_tab_label,
    proto_strings,
    rerun,
    row,
)
from apptest_tools import open_tab as shared_open_tab
from PIL import Image
from streamlit.testing.v1 import AppTest

from core import features as feat
from ui.i18n import catalog, translate
from ui.images import marked, numbered_tiles, sample

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGE = "app_pages/features.py"
TABS = ("color", "hog", "bow", "versus", "code")
CHELSEA = sample("chelsea")  # 300 x 451 x 3: the page's default image
HANGUL = re.compile(r"[\uac00-\ud7a3]")
RAW_HTML = re.compile(r"(?<!\\)<[a-zA-Z/!]")


def open_features(**params: str) -> AppTest:
    """A fresh session whose first request is the features page with ``params``, run once and checked."""
    return open_page(PAGE, **params)


def open_tab(at, name: str) -> AppTest:
    return shared_open_tab(at, name, "features")


def charts(at) -> list[dict]:
    return [json.loads(text) for _, field, text in proto_strings(at) if field == "spec"]


def numbers(values) -> np.ndarray:
    """A plotly array from a spec: a plain list, or the typed-array form {"dtype", "bdata"}."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values, dtype=float)


def series(chart: dict) -> dict[str, np.ndarray]:
    return {trace.get("name"): numbers(trace["y"]) for trace in chart["data"]}


def markdown_with(at, text: str) -> list[str]:
    return [m.value for m in at.markdown if text in m.value]


def hog_text(lang: str, h: int, w: int, *, ppc=8, cpb=1, orient=9) -> str:
    """The page's feature-length sentence, with the length from core.features.hog_length."""
    n = f"{feat.hog_length(h, w, orientations=orient, pixels_per_cell=ppc, cells_per_block=cpb):,}"
    cy, cx = h // ppc, w // ppc
    if cpb == 1:
        return translate(lang, "features.hog.length_cells", w=w, h=h, ppc=ppc, cx=cx, cy=cy, bins=orient, n=n)
    return translate(
        lang,
        "features.hog.length_blocks",
        w=w,
        h=h,
        ppc=ppc,
        cx=cx,
        cy=cy,
        bx=cx - cpb + 1,
        by=cy - cpb + 1,
        cpb=cpb,
        bins=orient,
        n=n,
    )


def png(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, "PNG")
    return buf.getvalue()


UPLOAD = np.random.default_rng(0).integers(0, 256, (48, 64, 3), dtype=np.uint8)  # 64 x 48


# ---- 1. colour histogram --------------------------------------------------------------------------------


def test_the_default_link_shows_chelseas_colour_histogram_and_its_pixel_count():
    at = open_features()
    assert at.title[0].value == translate("en", "features.title")
    assert open_tab_label(at) == [translate("en", "features.tabs.color")]
    assert at.selectbox(key="features.img").value == "chelsea"
    hue = feat.color_histogram(CHELSEA, bins=10)
    assert hue.sum() == 300 * 451 == 135_300
    note = translate("en", "features.color.note", total=135_300, h=300, w=451)
    assert "135300 = 300 × 451" in note
    assert [c.value for c in at.main.caption] == [note]
    hue_chart, rgb_chart = charts(at)
    np.testing.assert_array_equal(series(hue_chart)[translate("en", "features.color.pixels")], hue)
    rgb = feat.color_histogram(CHELSEA, bins=10, space="rgb")
    shown = series(rgb_chart)
    for c, name in enumerate("RGB"):
        np.testing.assert_array_equal(shown[name], rgb[c])
    assert not at.warning
    assert not at.error
    assert at.query_params == {}


def test_the_bins_slider_rebins_and_the_counts_still_add_up():
    at = open_features(img="coffee")
    at.slider(key="features.bins").set_value(24)
    rerun(at)
    coffee = sample("coffee")
    hue_chart, _ = charts(at)
    shown = series(hue_chart)[translate("en", "features.color.pixels")]
    np.testing.assert_array_equal(shown, feat.color_histogram(coffee, bins=24))
    h, w = coffee.shape[:2]
    assert [c.value for c in at.main.caption] == [
        translate("en", "features.color.note", total=h * w, h=h, w=w)
    ]
    assert at.query_params == {"img": "coffee", "bins": "24"}


# ---- 2. HoG --------------------------------------------------------------------------------------------


def test_the_hog_tab_shows_the_length_arithmetic_and_the_lecture_example():
    at = open_features(tab="hog")
    expected = hog_text("en", 300, 451)
    assert expected == (
        "Feature length for this image (H × W = 300 × 451): 37 × 56 cells of 8 × 8 pixels "
        "× 9 bins = **18,648** numbers."
    )  # one convention, H × W, as numpy's shape
    assert markdown_with(at, "Feature length") == [expected]
    lecture = translate("en", "features.hog.lecture", n="10,800")
    assert "(H × W = 240 × 320)" in lecture
    assert "30 × 40 cells × 9 bins = 10,800" in lecture
    assert lecture in [c.value for c in at.main.caption]
    assert not at.error


def test_the_hog_image_marks_the_cell_studied_below_and_says_gradient_orientation():
    at = open_features(tab="hog", row="3", col="5")
    captions = [text for kind, field, text in proto_strings(at) if kind == "Image" and field == "caption"]
    mark = translate("en", "features.hog.marked", row=3, col=5)
    assert any(c.endswith(mark) for c in captions), captions
    texts = [m.value for m in at.markdown] + [c.value for c in at.main.caption]
    assert any("gradient orientations" in x for x in texts)
    assert not any("edge directions" in x for x in texts)


def test_marked_draws_a_box_around_the_cell_only():
    image = np.full((40, 50), 0.5)
    out = marked(image, 8, 16, 8)
    assert out.shape == (40, 50, 3)
    assert np.all(image == 0.5)
    np.testing.assert_array_equal(out[8:16, 16:24], 0.5)  # the cell itself is not covered
    assert tuple(out[7, 20]) == (0.9, 0.1, 0.1)
    assert tuple(out[12, 16 + 8 + 1]) == (0.9, 0.1, 0.1)
    assert tuple(out[5, 20]) == (1.0, 1.0, 1.0)  # a white rim outside the red line
    np.testing.assert_array_equal(out[30:, :], 0.5)  # far from the box: untouched
    np.testing.assert_array_equal(marked(np.full((12, 12, 3), 255, np.uint8), 0, 0, 2)[11, 11], 1.0)  # uint8


def test_numbered_tiles_write_each_words_number_under_its_tile():
    tiles = np.stack([np.full((4, 4), k, dtype=float) for k in range(5)])
    out = numbered_tiles(tiles, scale=4, gap=2)
    cols, tile, label = 3, 16, 14
    assert out.shape == (2 * (tile + label + 2) + 2, cols * (tile + 2) + 2)
    for k in range(5):
        r, q = divmod(k, cols)
        y, x = 2 + r * (tile + label + 2), 2 + q * (tile + 2)
        strip = out[y + tile : y + tile + label, x : x + tile]
        assert strip.min() < 0.5  # a number is written under every tile
    assert out[2 + tile + label + 2 + tile :, 2 + 2 * (tile + 2) :].min() == 1.0  # no 6th tile, no number


def test_moving_the_hog_sliders_changes_the_length_as_core_predicts():
    at = open_features(tab="hog")
    for ppc in (4, 16, 32):
        at.slider(key="features.ppc").set_value(ppc)
        rerun(at)
        assert markdown_with(at, "Feature length") == [hog_text("en", 300, 451, ppc=ppc)]
    at.slider(key="features.ppc").set_value(16)
    at.slider(key="features.cpb").set_value(2)
    at.slider(key="features.orient").set_value(12)
    rerun(at)
    text = hog_text("en", 300, 451, ppc=16, cpb=2, orient=12)
    n = feat.hog_length(300, 451, orientations=12, pixels_per_cell=16, cells_per_block=2)
    assert n == 17 * 27 * 4 * 12
    assert f"**{n:,}**" in text
    assert markdown_with(at, "Feature length") == [text]
    shown = {k: at.query_params[k] for k in ("ppc", "cpb", "orient")}
    assert shown == {"ppc": "16", "cpb": "2", "orient": "12"}


def test_a_hog_link_on_a_grayscale_sample_with_overlay():
    at = open_features(tab="hog", img="coins", ppc="12", overlay="1")
    coins = sample("coins")
    assert coins.ndim == 2
    assert markdown_with(at, "Feature length") == [hog_text("en", *coins.shape, ppc=12)]
    assert at.toggle(key="features.overlay").value is True
    assert not at.error


# ---- 3. bag of words, features vs pixels, code ---------------------------------------------------------


def test_the_bag_of_words_tab_shows_each_images_word_shares_from_core():
    at = open_features(tab="bow")
    bow = feat.bag_of_words(
        [CHELSEA, sample("coffee"), sample("astronaut"), sample("rocket")], patch=8, k=16, seed=0
    )
    (chart,) = charts(at)
    shown = series(chart)
    labels = [translate("en", "features.bow.this_image")] + [
        translate("en", f"features.sample.{s}") for s in ("coffee", "astronaut", "rocket")
    ]
    assert list(shown) == labels
    for i, label in enumerate(labels):
        np.testing.assert_allclose(shown[label], bow.histograms[i] / 200)
        assert shown[label].sum() == pytest.approx(1.0)
    image_captions = [text for _, field, text in proto_strings(at) if field == "caption"]
    assert translate("en", "features.bow.codebook", k=16) in image_captions


def test_the_versus_tab_reports_core_accuracies_for_seed_0():
    at = open_features(tab="versus")
    comp = feat.features_vs_pixels(skimage.data.lfw_subset(), np.array([1] * 100 + [0] * 100), seed=0)
    shown = metrics(at)
    expected = {
        translate("en", f"features.versus.{k}"): f"{100 * comp.accuracy[k]:.1f} %" for k in feat.FEATURE_KINDS
    }
    assert shown == expected
    for k in feat.FEATURE_KINDS:
        value = float(shown[translate("en", f"features.versus.{k}")].removesuffix(" %"))
        assert 0 <= value <= 100
        assert row(at, translate("en", f"features.versus.{k}")) == [
            str(comp.dims[k]),
            f"{100 * comp.train_accuracy[k]:.1f} %",
            f"{100 * comp.accuracy[k]:.1f} %",
        ]
    assert float(shown[translate("en", "features.versus.hog")].removesuffix(" %")) > 60
    assert translate("en", "features.versus.split", n_train=140, n_test=60) in [
        c.value for c in at.main.caption
    ]


def test_the_code_tab_shows_the_source_that_ran():
    at = open_features(tab="code")
    code = at.code[0].value
    for fn in (feat.hog_length, feat.hog, feat.color_histogram, feat.bag_of_words, feat.features_vs_pixels):
        assert inspect.getsource(fn).strip() in code


# ---- 4. uploads ------------------------------------------------------------------------------------------


def test_an_upload_is_used_and_a_bad_one_is_refused_keeping_the_previous_image():
    at = open_features(tab="hog")
    uploader = at.file_uploader(key="features.file")
    assert uploader.allowed_type == [".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif"]
    uploader.upload("cat.png", png(UPLOAD), "image/png")
    rerun(at)
    assert at.selectbox(key="features.img").value == "upload"
    assert markdown_with(at, "Feature length") == [hog_text("en", 48, 64)]
    assert "img" not in at.query_params  # uploads are never put in the link
    assert not at.error
    good = png(UPLOAD)
    refusals = (
        ("half.png", good[: len(good) // 2], "broken"),
        ("notes.png", b"just text", "not_image"),
        ("empty.png", b"", "empty"),
    )
    for name, data, key in refusals:
        at.file_uploader(key="features.file").set_value((name, data, "image/png"))
        rerun(at)
        assert [e.value for e in at.error] == [translate("en", f"features.upload.{key}")], name
        assert at.selectbox(key="features.img").value == "upload"  # the previous upload is kept
        assert markdown_with(at, "Feature length") == [hog_text("en", 48, 64)]


def test_a_refused_first_upload_keeps_the_sample_and_speaks_korean():
    at = open_features(lang="ko", tab="hog")
    tiff = io.BytesIO()
    Image.fromarray(UPLOAD).save(tiff, "TIFF")
    at.file_uploader(key="features.file").upload("scan.gif", tiff.getvalue(), "image/gif")
    rerun(at)
    assert [e.value for e in at.error] == [translate("ko", "features.upload.format")]
    assert HANGUL.search(at.error[0].value)
    assert at.selectbox(key="features.img").value == "chelsea"
    assert "upload" not in at.selectbox(key="features.img").options
    assert markdown_with(at, "×")[0] == hog_text("ko", 300, 451)


def test_a_large_upload_is_downscaled_with_a_notice():
    at = open_features()
    big = io.BytesIO()
    Image.linear_gradient("L").resize((3000, 2000)).convert("RGB").save(big, "JPEG", quality=70)
    at.file_uploader(key="features.file").upload("big.jpg", big.getvalue(), "image/jpeg")
    rerun(at)
    assert [i.value for i in at.info] == [
        translate("en", "features.upload.downscaled", w=3000, h=2000, w2=2449, h2=1632)
    ]
    total = 1632 * 2449
    assert total <= 4_000_000
    assert [c.value for c in at.main.caption] == [
        translate("en", "features.color.note", total=total, h=1632, w=2449)
    ]


def test_a_tiny_upload_is_explained_on_the_tabs_that_cannot_use_it():
    at = open_features(tab="hog")
    tiny = np.full((4, 6, 3), 200, np.uint8)
    at.file_uploader(key="features.file").upload("dot.png", png(tiny), "image/png")
    rerun(at)
    assert [e.value for e in at.error] == [translate("en", "features.hog.too_small", h=4, w=6)]
    open_tab(at, "bow")
    assert [e.value for e in at.error] == [translate("en", "features.bow.too_small", patch=8)]
    open_tab(at, "color")
    assert not at.error
    assert [c.value for c in at.main.caption] == [translate("en", "features.color.note", total=24, h=4, w=6)]


# ---- 5. both languages, hostile links ---------------------------------------------------------------------


def test_every_tab_is_fully_translated_in_korean():
    at = open_features(lang="ko")
    assert at.title[0].value == translate("ko", "features.title")
    assert HANGUL.search(at.title[0].value)
    for tab in TABS:
        open_tab(at, tab)  # rerun checks every text on screen for the missing-key marker
        assert open_tab_label(at) == [translate("ko", f"features.tabs.{tab}")]
        if tab == "hog":
            assert markdown_with(at, "×")[0] == hog_text("ko", 300, 451)
            at.slider(key="features.cpb").set_value(2)  # the other length sentence
            rerun(at)
            assert hog_text("ko", 300, 451, cpb=2) in [m.value for m in at.markdown]
    assert at.query_params == {"tab": "code", "cpb": "2", "lang": "ko"}


def test_an_upload_link_without_an_upload_opens_the_default_sample():
    at = open_features(img="upload", tab="hog")
    assert not at.warning
    assert not at.error
    assert at.selectbox(key="features.img").value == "chelsea"
    assert markdown_with(at, "Feature length") == [hog_text("en", 300, 451)]
    assert at.query_params == {"tab": "hog"}


LONG = "4" * 5000
HOSTILE = {  # id -> (params, the name the warning must show, the reason's catalog key)
    "tab-script": ({"tab": "<script>alert(1)</script>"}, "tab", "not_choice"),
    "ppc-999": ({"ppc": "999", "tab": "hog"}, "ppc", "out_of_range"),
    "bins-abc": ({"bins": "abc"}, "bins", "not_number"),
    "img-path": ({"img": "../../etc/passwd"}, "img", "not_choice"),
    "orient-nan": ({"orient": "nan", "tab": "hog"}, "orient", "not_finite"),
    "cpb-1.5": ({"cpb": "1.5", "tab": "hog"}, "cpb", "not_integer"),
    "overlay-maybe": ({"overlay": "maybe", "tab": "hog"}, "overlay", "not_bool"),
    "k-long": ({"k": LONG, "tab": "bow"}, "k", "too_long"),
    "patch-img-tag": ({"patch": "<img src=x onerror=alert(1)>", "tab": "bow"}, "patch", "not_number"),
    "lseed-negative": ({"lseed": "-1", "tab": "versus"}, "lseed", "out_of_range"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_a_hostile_query_string_is_reported_and_the_defaults_used(case):
    params, name, reason = HOSTILE[case]
    at = open_features(**params)
    assert len(at.warning) == 1, [w.value for w in at.warning]
    text = at.warning[0].value
    assert text.startswith(translate("en", "state.refused_intro"))
    assert f"`{name}`" in text
    assert catalog("en")[f"state.reason.{reason}"].split("{")[0] in text
    assert len(text) < 1000
    assert not [t for _, field, t in proto_strings(at) if field in ("body", "label") and RAW_HTML.search(t)]
    kept = {k: v for k, v in params.items() if k != name}
    assert at.query_params == kept
    tab = kept.get("tab", "color")
    assert open_tab_label(at) == [translate("en", f"features.tabs.{tab}")]
    assert at.selectbox(key="features.img").value == "chelsea"
    if tab == "color":
        assert at.slider(key="features.bins").value == 10
        assert [c.value for c in at.main.caption] == [
            translate("en", "features.color.note", total=135_300, h=300, w=451)
        ]
    elif tab == "hog":
        assert markdown_with(at, "Feature length") == [hog_text("en", 300, 451)]
        assert at.toggle(key="features.overlay").value is False
    elif tab == "bow":
        assert (at.slider(key="features.k").value, at.slider(key="features.patch").value) == (16, 8)
    else:
        assert at.number_input(key="features.lseed").value == 0

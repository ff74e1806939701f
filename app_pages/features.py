"""Chapter 4: image features. Colour histograms, HoG, bags of visual words, and features vs pixels."""

from __future__ import annotations

import numpy as np
import skimage.data
import streamlit as st

from core import feature_pictures as pictures
from core import features as feat
from ui import chapter, predict
from ui.i18n import t
from ui.image_picker import image_picker
from ui.images import marked, numbered_tiles, sample
from ui.numbers import percent
from ui.plots import features as plots
from ui.settings.features import SETTINGS, TABS
from ui.widgets import chart, figure, fmt, markdown_table, show_code

S = SETTINGS
BOW_SAMPLES = ("chelsea", "coffee", "astronaut", "rocket")
MAX_HOG_LENGTH = 2_000_000  # a per-session cost cap: longer HoG vectors are not computed


# ---- cached computations (keyed by the image bytes and the settings), then one function per tab ---------


@st.cache_data(max_entries=16, show_spinner=False)
def cached_hog(image, orient: int, ppc: int, cpb: int):
    return feat.hog(image, orientations=orient, pixels_per_cell=ppc, cells_per_block=cpb)


@st.cache_data(max_entries=32, show_spinner=False)
def cached_histograms(image, bins: int):
    hue = feat.color_histogram(image, bins=bins, space="hsv")
    return hue, feat.color_histogram(image, bins=bins, space="rgb")


@st.cache_data(max_entries=8, show_spinner=False)
def cached_bow(images: tuple, patch: int, k: int, seed: int):
    return feat.bag_of_words(list(images), patch=patch, k=k, seed=seed)


@st.cache_data(max_entries=8, show_spinner=False)
def cached_versus(seed: int):
    faces = skimage.data.lfw_subset()  # 100 faces, then 100 non-faces, 25 x 25
    labels = np.array([1] * 100 + [0] * 100)
    return feat.features_vs_pixels(faces, labels, seed=seed), faces


def color_section(image) -> None:
    st.markdown(t("features.color.intro"))
    bins = S.draw("bins")
    hue, rgb = cached_histograms(image, bins)
    left, right = st.columns([2, 3], gap="large")
    left.image(image, width="stretch")
    edges = [f"{k / bins:.2f}" for k in range(bins)]
    chart(
        right,
        figure(
            plots.hue_histogram,
            edges,
            hue,
            name=t("features.color.pixels"),
            title=t("features.color.hue_title"),
            x_label=t("features.color.hue"),
            y_label=t("features.color.pixels"),
        ),
    )
    centers = (np.arange(bins) + 0.5) / bins
    chart(
        right,
        figure(
            plots.channel_histogram,
            centers,
            rgb,
            title=t("features.color.rgb_title"),
            x_label=t("features.color.intensity"),
            y_label=t("features.color.pixels"),
        ),
    )
    st.caption(t("features.color.note", total=int(hue.sum()), h=image.shape[0], w=image.shape[1]))


def hog_section(image) -> None:
    st.markdown(t("features.hog.intro"))
    names = ("orient", "ppc", "cpb", "overlay")
    orient, ppc, cpb, overlay = [S.draw(name, c) for name, c in zip(names, st.columns(4), strict=True)]
    h, w = image.shape[:2]
    try:
        grid = pictures.hog_grid(h, w, orientations=orient, pixels_per_cell=ppc, cells_per_block=cpb)
    except ValueError:
        st.error(t("features.hog.too_small", h=h, w=w), icon=":material/block:")
        return
    n = f"{grid.length:,}"
    if grid.length > MAX_HOG_LENGTH:
        st.warning(t("features.hog.too_long", n=n, limit=f"{MAX_HOG_LENGTH:,}"), icon=":material/timer:")
        return
    with st.spinner(t("features.computing")):
        _, vis = cached_hog(image, orient, ppc, cpb)
    (cy, cx), (by, bx) = grid.cells, grid.blocks
    sentence = "features.hog.length_cells" if cpb == 1 else "features.hog.length_blocks"
    st.markdown(t(sentence, w=w, h=h, ppc=ppc, cx=cx, cy=cy, bx=bx, by=by, cpb=cpb, bins=orient, n=n))
    st.caption(t("features.hog.lecture", n=f"{feat.hog_length(240, 320):,}"))
    # The cell studied below, marked on the picture (its sliders sit under it, within the image).
    S.set(row=min(S["row"], cy - 1), col=min(S["col"], cx - 1))
    row, col = S["row"], S["col"]
    picture = pictures.hog_picture(image, vis, overlay=overlay)
    shown, caption = (picture, "overlay_caption") if overlay else (image, "image_caption")
    caption = f"{t(f'features.hog.{caption}')} · {t('features.hog.marked', row=row, col=col)}"
    left, right = st.columns(2, gap="large")
    left.image(marked(shown, row * ppc, col * ppc, ppc), caption=caption, width="stretch", clamp=True)
    if not overlay:
        right.image(picture, caption=t("features.hog.vis_caption"), width="stretch", clamp=True)
    cell_section(image, grid, orient, ppc)


def cell_section(image, grid: pictures.HogGrid, orient: int, ppc: int) -> None:
    """One cell up close: its pixels and its orientation histogram."""
    st.subheader(t("features.hog.cell_title"))
    c1, c2 = st.columns(2)
    cy, cx = grid.cells
    row = S.draw("row", c1, bounds=(0, max(cy - 1, 1)), disabled=cy == 1)
    col = S.draw("col", c2, bounds=(0, max(cx - 1, 1)), disabled=cx == 1)
    _, mags, hist = feat.cell_histogram(image, row, col, orientations=orient, pixels_per_cell=ppc)
    left, right = st.columns([1, 2], gap="large")
    caption = t("features.hog.cell_caption", row=row, col=col, y=row * ppc, x=col * ppc)
    zoom = pictures.cell_zoom(image, row, col, pixels_per_cell=ppc)
    left.image(zoom, caption=caption, clamp=True, width=200)
    labels = [f"{int(180 * k / orient)}°" for k in range(orient)]
    chart(
        right,
        figure(
            plots.bars,
            labels,
            {t("features.hog.strength"): hist},
            title=t("features.hog.cell_hist_title"),
            x_label=t("features.hog.angle"),
            y_label=t("features.hog.strength"),
            height=280,
        ),
    )
    strongest = labels[int(np.argmax(hist))] if hist.max() > 0 else "—"
    st.caption(t("features.hog.cell_note", strongest=strongest, mean=fmt(float(mags.mean()), 3)))


def bow_section(image) -> None:
    st.markdown(t("features.bow.intro"))
    c1, c2, c3 = st.columns(3)
    k, patch, seed = S.draw("k", c1), S.draw("patch", c2), S.draw("bseed", c3)
    names = ["current", *[s for s in BOW_SAMPLES if s != S["img"]][:3]]
    images = (image, *tuple(sample(s) for s in names[1:]))
    try:
        with st.spinner(t("features.computing")):
            bow = cached_bow(images, patch, k, seed)
    except ValueError:
        st.error(t("features.bow.too_small", patch=patch), icon=":material/block:")
        return
    left, right = st.columns([1, 2], gap="large")
    codebook = numbered_tiles(bow.centers)  # core's mosaic of the k words, each numbered
    left.image(codebook, caption=t("features.bow.codebook", k=k), width="stretch", clamp=True)
    labels = [t("features.bow.this_image")] + [t(f"features.sample.{s}") for s in names[1:]]
    words = [str(w) for w in range(k)]
    series = {label: bow.histograms[i] / bow.histograms[i].sum() for i, label in enumerate(labels)}
    chart(
        right,
        figure(
            plots.bars,
            words,
            series,
            title=t("features.bow.hist_title"),
            x_label=t("features.bow.word"),
            y_label=t("features.bow.share"),
            height=380,
        ),
    )
    st.caption(t("features.bow.note"))


def versus_section(_image) -> None:
    st.markdown(t("features.versus.intro"))
    seed = S.draw("lseed")
    with st.spinner(t("features.versus.training")):
        comp, faces = cached_versus(seed)
    kinds = list(feat.FEATURE_KINDS)
    names = [t(f"features.versus.{k}") for k in kinds]
    for col, k, name in zip(st.columns(len(kinds)), kinds, names, strict=True):
        col.metric(name, percent(comp.accuracy[k], 1), help=t("features.versus.dims", d=comp.dims[k]))
    left, right = st.columns([3, 2], gap="large")
    with left:
        series = {  # in percent, as the metrics and the table show them
            t("features.versus.test"): [100 * comp.accuracy[k] for k in kinds],
            t("features.versus.train"): [100 * comp.train_accuracy[k] for k in kinds],
        }
        chart(
            st,
            figure(
                plots.bars,
                names,
                series,
                title=t("features.versus.title_plot"),
                x_label="",
                y_label=t("features.versus.accuracy"),
                text="{:.1f} %",
            ),
        )
    with right:
        strip = pictures.example_rows(faces[:6], faces[-6:])
        st.image(strip, caption=t("features.versus.examples"), width="stretch", clamp=True)
    # Under both columns: four columns of numbers ran past the narrow right one.
    header = ["", t("features.versus.length"), t("features.versus.train"), t("features.versus.test")]
    rows = [
        [name, str(comp.dims[k]), percent(comp.train_accuracy[k], 1), percent(comp.accuracy[k], 1)]
        for k, name in zip(kinds, names, strict=True)
    ]
    st.markdown(markdown_table(header, rows, wrap_header=True))  # wrapped headers fit a narrow screen too
    st.caption(t("features.versus.split", n_train=comp.n_train, n_test=comp.n_test))
    labels = {k: t(f"features.pipeline.{k}") for k in plots.PIPELINE_LABELS}
    st.graphviz_chart(figure(plots.pipelines, labels))  # catalog text only, made safe for DOT
    st.caption(t("features.versus.note"))


def predict_section(image) -> None:
    predict.chapter_tab(
        S, "features", {"image": image, **{k: S[k] for k in ("orient", "ppc", "cpb", "bins")}}
    )


def code_section(_image) -> None:
    functions = (feat.hog_length, feat.hog, feat.color_histogram, feat.bag_of_words, feat.features_vs_pixels)
    show_code(*functions, expander=False)


# ---- the page -------------------------------------------------------------------------------------------

S.start()
chapter.header(S)
SECTIONS = (color_section, hog_section, bow_section, versus_section, predict_section, code_section)
chapter.open_tab(S, dict(zip(TABS, SECTIONS, strict=True)), image_picker(S))
S.sync()

"""Chapter 4: image features. Colour histograms, HoG, bags of visual words, and features vs pixels."""

from __future__ import annotations

import numpy as np
import skimage.data
import streamlit as st

from core import features as feat
from ui.i18n import t
from ui.images import SAMPLES, decode_upload, marked, numbered_tiles, sample
from ui.numbers import percent
from ui.plots import features as plots
from ui.state import bool_field, choice_field, int_field, load_page, read_widgets, save_page, widget_key
from ui.widgets import (
    chart,
    figure,
    fmt,
    lazy_tabs,
    markdown_table,
    show_code,
    show_problems,
    whole_number_input,
)

PAGE = "features"
TABS = ("color", "hog", "bow", "versus", "code")
UPLOAD = f"_{PAGE}.upload"
FIELDS = (
    choice_field("img", "chelsea", (*SAMPLES, "upload")),
    choice_field("tab", "color", TABS, widget=False),
    int_field("bins", 10, 4, 64),
    int_field("orient", 9, 4, 18),
    int_field("ppc", 8, 4, 32),
    int_field("cpb", 1, 1, 4),
    bool_field("overlay", False),
    int_field("row", 10, 0, 1000),
    int_field("col", 20, 0, 1000),
    int_field("k", 16, 4, 32),
    int_field("patch", 8, 4, 16),
    int_field("bseed", 0, 0, 10_000),
    int_field("lseed", 0, 0, 10_000),
)
BOW_SAMPLES = ("chelsea", "coffee", "astronaut", "rocket")
MAX_HOG_LENGTH = 2_000_000  # a per-session cost cap: longer HoG vectors are not computed


# ---- cached computations (keyed by the image bytes and the settings) ------------------------------------


@st.cache_data(max_entries=16, show_spinner=False)
def cached_hog(image, orient: int, ppc: int, cpb: int):
    return feat.hog(image, orientations=orient, pixels_per_cell=ppc, cells_per_block=cpb)


@st.cache_data(max_entries=32, show_spinner=False)
def cached_histograms(image, bins: int):
    return feat.color_histogram(image, bins=bins, space="hsv"), feat.color_histogram(
        image, bins=bins, space="rgb"
    )


@st.cache_data(max_entries=8, show_spinner=False)
def cached_bow(images: tuple, patch: int, k: int, seed: int):
    return feat.bag_of_words(list(images), patch=patch, k=k, seed=seed)


@st.cache_data(max_entries=8, show_spinner=False)
def cached_versus(seed: int):
    faces = skimage.data.lfw_subset()  # 100 faces, then 100 non-faces, 25 x 25
    labels = np.array([1] * 100 + [0] * 100)
    return feat.features_vs_pixels(faces, labels, seed=seed), faces, labels


# ---- the image ------------------------------------------------------------------------------------------


def receive_upload() -> None:
    """Decode a new upload; a refused one leaves the previous image in place."""
    file = st.session_state.get(f"{PAGE}.file")
    if file is None:
        return
    decoded = decode_upload(file.getvalue())
    if decoded.image is None:
        st.session_state[f"_{PAGE}.upload_error"] = decoded.error
        return
    st.session_state[UPLOAD] = decoded
    st.session_state[f"_{PAGE}.upload_error"] = None
    st.session_state[widget_key(PAGE, "img")] = "upload"


def image_picker(values: dict):
    """The current image as uint8, with the picker and the upload box."""
    options = SAMPLES + (("upload",) if UPLOAD in st.session_state else ())
    key = widget_key(PAGE, "img")
    if st.session_state.get(key) not in options:
        st.session_state[key] = "chelsea"
    c1, c2 = st.columns([1, 2])
    c1.selectbox(
        t("features.image.pick"),
        options,
        key=key,
        format_func=lambda k: t(f"features.sample.{k}"),
        on_change=st.session_state.pop,
        args=(f"_{PAGE}.upload_error", None),
    )
    c2.file_uploader(
        t("features.image.upload"),
        type=["png", "jpg", "jpeg", "webp", "bmp", "gif"],
        key=f"{PAGE}.file",
        on_change=receive_upload,
        help=t("features.image.upload_help"),
    )
    error = st.session_state.get(f"_{PAGE}.upload_error")
    if error:
        st.error(t(f"features.upload.{error}"), icon=":material/block:")
    values = read_widgets(PAGE, FIELDS, values)
    if values["img"] == "upload":
        decoded = st.session_state[UPLOAD]
        if decoded.downscaled_from:
            w, h = decoded.downscaled_from
            st.info(
                t(
                    "features.upload.downscaled",
                    w=w,
                    h=h,
                    w2=decoded.image.shape[1],
                    h2=decoded.image.shape[0],
                ),
                icon=":material/compress:",
            )
        return decoded.image, values
    return sample(values["img"]), values


# ---- sections -------------------------------------------------------------------------------------------


def color_section(image, values: dict) -> dict:
    st.markdown(t("features.color.intro"))
    st.slider(t("features.color.bins"), 4, 64, key=widget_key(PAGE, "bins"))
    values = read_widgets(PAGE, FIELDS, values)
    hue, rgb = cached_histograms(image, values["bins"])
    left, right = st.columns([2, 3], gap="large")
    left.image(image, width="stretch")
    bins = values["bins"]
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
    return values


def hog_section(image, values: dict) -> dict:
    st.markdown(t("features.hog.intro"))
    c1, c2, c3, c4 = st.columns(4)
    c1.slider(t("features.hog.orient"), 4, 18, key=widget_key(PAGE, "orient"))
    c2.slider(t("features.hog.ppc"), 4, 32, key=widget_key(PAGE, "ppc"))
    c3.slider(t("features.hog.cpb"), 1, 4, key=widget_key(PAGE, "cpb"))
    c4.toggle(t("features.hog.overlay"), key=widget_key(PAGE, "overlay"))
    values = read_widgets(PAGE, FIELDS, values)
    h, w = image.shape[:2]
    ppc, cpb, orient = values["ppc"], values["cpb"], values["orient"]
    try:
        length = feat.hog_length(h, w, orientations=orient, pixels_per_cell=ppc, cells_per_block=cpb)
    except ValueError:
        st.error(t("features.hog.too_small", h=h, w=w), icon=":material/block:")
        return values
    if length > MAX_HOG_LENGTH:
        st.warning(t("features.hog.too_long", n=f"{length:,}", limit=f"{MAX_HOG_LENGTH:,}"),
                   icon=":material/timer:")
        return values
    with st.spinner(t("features.computing")):
        features, vis = cached_hog(image, orient, ppc, cpb)
    cells_y, cells_x = h // ppc, w // ppc
    blocks_y, blocks_x = cells_y - cpb + 1, cells_x - cpb + 1
    if cpb == 1:
        st.markdown(
            t(
                "features.hog.length_cells",
                w=w,
                h=h,
                ppc=ppc,
                cx=cells_x,
                cy=cells_y,
                bins=orient,
                n=f"{length:,}",
            )
        )
    else:
        st.markdown(
            t(
                "features.hog.length_blocks",
                w=w,
                h=h,
                ppc=ppc,
                cx=cells_x,
                cy=cells_y,
                bx=blocks_x,
                by=blocks_y,
                cpb=cpb,
                bins=orient,
                n=f"{length:,}",
            )
        )
    st.caption(t("features.hog.lecture", n=f"{feat.hog_length(240, 320):,}"))
    vis_img = vis / vis.max() if vis.max() > 0 else vis
    gray = feat.to_gray(image)
    # The cell studied below, marked on the picture (its sliders sit under it; their values are known).
    row, col = min(values["row"], cells_y - 1), min(values["col"], cells_x - 1)
    mark = t("features.hog.marked", row=row, col=col)
    left, right = st.columns(2, gap="large")
    if values["overlay"]:
        left.image(
            marked(np.clip(0.45 * gray + vis_img, 0, 1), row * ppc, col * ppc, ppc),
            caption=t("features.hog.overlay_caption") + " · " + mark,
            width="stretch",
            clamp=True,
        )
    else:
        left.image(marked(image, row * ppc, col * ppc, ppc),
                   caption=t("features.hog.image_caption") + " · " + mark, width="stretch", clamp=True)
        right.image(vis_img, caption=t("features.hog.vis_caption"), width="stretch", clamp=True)
    st.subheader(t("features.hog.cell_title"))
    c1, c2 = st.columns(2)
    for name, limit, col in (("row", cells_y - 1, c1), ("col", cells_x - 1, c2)):
        key = widget_key(PAGE, name)
        st.session_state[key] = min(st.session_state.get(key, 0), limit)
        col.slider(t(f"features.hog.cell_{name}"), 0, max(limit, 1), key=key, disabled=limit == 0)
    values = read_widgets(PAGE, FIELDS, values)
    row, col = min(values["row"], cells_y - 1), min(values["col"], cells_x - 1)
    angles, mags, hist = feat.cell_histogram(image, row, col, orientations=orient, pixels_per_cell=ppc)
    left, right = st.columns([1, 2], gap="large")
    crop = gray[row * ppc : (row + 1) * ppc, col * ppc : (col + 1) * ppc]
    zoom = np.kron(crop, np.ones((max(1, 160 // ppc), max(1, 160 // ppc))))
    left.image(
        zoom,
        caption=t("features.hog.cell_caption", row=row, col=col, y=row * ppc, x=col * ppc),
        clamp=True,
        width=200,
    )
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
    st.caption(
        t(
            "features.hog.cell_note",
            strongest=labels[int(np.argmax(hist))] if hist.max() > 0 else "—",
            mean=fmt(float(mags.mean()), 3),
        )
    )
    return values


def bow_section(image, values: dict) -> dict:
    st.markdown(t("features.bow.intro"))
    c1, c2, c3 = st.columns(3)
    c1.slider(t("features.bow.k"), 4, 32, key=widget_key(PAGE, "k"))
    c2.slider(t("features.bow.patch"), 4, 16, key=widget_key(PAGE, "patch"))
    whole_number_input(c3, t("features.bow.seed"), 0, 10_000, page=PAGE, name="bseed")
    values = read_widgets(PAGE, FIELDS, values)
    names = ["current"] + [s for s in BOW_SAMPLES if s != values["img"]][:3]
    images = (image,) + tuple(sample(s) for s in names[1:])
    try:
        with st.spinner(t("features.computing")):
            bow = cached_bow(images, values["patch"], values["k"], values["bseed"])
    except ValueError:
        st.error(t("features.bow.too_small", patch=values["patch"]), icon=":material/block:")
        return values
    left, right = st.columns([1, 2], gap="large")
    left.image(
        numbered_tiles(bow.centers.reshape(-1, bow.patch, bow.patch)),
        caption=t("features.bow.codebook", k=values["k"]),
        width="stretch",
        clamp=True,
    )
    labels = [t("features.bow.this_image")] + [t(f"features.sample.{s}") for s in names[1:]]
    words = [str(w) for w in range(values["k"])]
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
    return values


def versus_section(values: dict) -> dict:
    st.markdown(t("features.versus.intro"))
    whole_number_input(st, t("features.versus.seed"), 0, 10_000, page=PAGE, name="lseed")
    values = read_widgets(PAGE, FIELDS, values)
    with st.spinner(t("features.versus.training")):
        comp, faces, labels = cached_versus(values["lseed"])
    kinds = list(feat.FEATURE_KINDS)
    names = [t(f"features.versus.{k}") for k in kinds]
    m = st.columns(len(kinds))
    for col, k, name in zip(m, kinds, names, strict=True):
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
        strip = np.concatenate(
            [np.concatenate(list(faces[:6]), axis=1), np.concatenate(list(faces[-6:]), axis=1)]
        )
        st.image(strip, caption=t("features.versus.examples"), width="stretch", clamp=True)
    rows = [  # under both columns: four columns of numbers ran past the narrow right one
        [
            name,
            str(comp.dims[k]),
            percent(comp.train_accuracy[k], 1),
            percent(comp.accuracy[k], 1),
        ]
        for k, name in zip(kinds, names, strict=True)
    ]
    st.markdown(
        markdown_table(
            ["", t("features.versus.length"), t("features.versus.train"), t("features.versus.test")],
            rows,
            wrap_header=True,  # on a narrow screen too
        )
    )
    st.caption(t("features.versus.split", n_train=comp.n_train, n_test=comp.n_test))
    labels = {k: t(f"features.pipeline.{k}") for k in plots.PIPELINE_LABELS}
    st.graphviz_chart(figure(plots.pipelines, labels))  # catalog text only, made safe for DOT
    st.caption(t("features.versus.note"))
    return values


@st.fragment
def open_section(image) -> None:
    """The open tab: a tab switch or a change inside it reruns only this part of the page."""
    values = read_widgets(PAGE, FIELDS, dict(st.session_state[f"_state.{PAGE}"]))
    values["tab"], open_tab = lazy_tabs(PAGE, TABS, values["tab"])
    with open_tab:
        if values["tab"] == "color":
            values = color_section(image, values)
        elif values["tab"] == "hog":
            values = hog_section(image, values)
        elif values["tab"] == "bow":
            values = bow_section(image, values)
        elif values["tab"] == "versus":
            values = versus_section(values)
        else:
            show_code(feat.hog_length, feat.hog, feat.color_histogram, feat.bag_of_words,
                      feat.features_vs_pixels, expander=False)
    # Uploads are not put in the URL: a shared link opens the default sample instead.
    save_page(PAGE, FIELDS, dict(values, img="chelsea") if values["img"] == "upload" else values,
              full_run=False)


# ---- the page -------------------------------------------------------------------------------------------

values = read_widgets(PAGE, FIELDS, load_page(PAGE, FIELDS))  # the latest widget values, early
st.title(t("features.title"))
st.markdown(t("features.intro"))
show_problems(PAGE)
image, values = image_picker(values)
open_section(image)
save_page(PAGE, FIELDS, st.session_state[f"_state.{PAGE}"])  # the full run records the widgets it showed

"""The picture the features page studies: one of scikit-image's samples, or one uploaded here.

The upload stays in the session (never in the URL); a refused upload is explained and the
previous picture kept. The choice is the page's ``img`` setting, whose options gain "your
upload" once there is one.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui.i18n import t
from ui.images import SAMPLES, UPLOAD, decode_upload, sample
from ui.settings.page import PageSettings

TYPES = ["png", "jpg", "jpeg", "webp", "bmp", "gif"]


def _keys(settings: PageSettings) -> tuple[str, str, str]:
    """The upload box's key, the last good upload's and the latest refusal's."""
    page = settings.page
    return f"{page}.file", f"_{page}.upload", f"_{page}.upload_error"


def _receive(settings: PageSettings) -> None:
    """Decode a new upload; a refused one leaves the previous picture in place."""
    box, kept, refused = _keys(settings)
    file = st.session_state.get(box)
    if file is None:
        return
    decoded = decode_upload(file.getvalue())
    st.session_state[refused] = decoded.error
    if decoded.image is not None:
        st.session_state[kept] = decoded
        settings.set(img=UPLOAD)


def image_picker(settings: PageSettings) -> np.ndarray:
    """The picker and the upload box side by side; returns the chosen picture (uint8)."""
    box, kept, refused = _keys(settings)
    options = SAMPLES + ((UPLOAD,) if kept in st.session_state else ())
    if settings["img"] not in options:  # a link that says "upload" opens the default sample
        settings.set(img=settings.fields["img"].default)
    c1, c2 = st.columns([1, 2])
    name = settings.draw("img", c1, options=options, on_change=st.session_state.pop, args=(refused, None))
    c2.file_uploader(
        t("features.image.upload"),
        type=TYPES,
        key=box,
        on_change=_receive,
        args=(settings,),
        help=t("features.image.upload_help"),
    )
    if st.session_state.get(refused):
        st.error(t(f"features.upload.{st.session_state[refused]}"), icon=":material/block:")
    if name != UPLOAD:
        return sample(name)
    decoded = st.session_state[kept]
    if decoded.downscaled_from:
        (w, h), (h2, w2) = decoded.downscaled_from, decoded.image.shape[:2]
        st.info(t("features.upload.downscaled", w=w, h=h, w2=w2, h2=h2), icon=":material/compress:")
    return decoded.image

"""Share this page: a "copy link" button, a QR code of the same link, the keyboard shortcuts.

The link is the page's exact state: every setting a page keeps lives in its query string
(ui/settings/page.py), so the address plus the query string opens the same page with the same
table and options. Parameters in ``PRIVATE`` (the class instructor's secret) never leave: not in a
copied link, not in a QR code.

- ``copy_button`` is a small ``st.components.v2`` component (inline, no iframe; share.js): in the
  browser it reads ``window.location.href`` at the moment of the click, so it copies the address
  even after a fragment rerun changed the query string.
- ``qr_image`` draws a QR code with segno (pure Python) as an SVG for ``st.image``. The sidebar's
  "QR code" button opens it in a dialog, large in presenter mode; the link is built on the server
  from ``st.context.url`` (address and page path) and ``st.query_params`` at that run.
- ``sidebar`` draws them under the language and presenter toggles: copy link and QR code in a row,
  the "Keyboard shortcuts" popover (ui/shortcuts.py) under them. app.py mounts it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno
import streamlit as st

from ui import shortcuts
from ui.i18n import t
from ui.plots import theme
from ui.settings.page import APP

HERE = Path(__file__).resolve().parent
PRIVATE = ("teach",)  # query parameters that never appear in a shared link or QR code
QR_WIDTH = {False: 280, True: 460}  # pixels on screen; presenter mode (big) for the back of a room
QR_BORDER = 4  # the quiet zone a scanner needs, in modules


def shared_link(base: str, params: Mapping[str, str | Iterable[str]]) -> str:
    """The address ``base`` with the query string ``params`` minus ``PRIVATE``.

    Parameters
    ----------
    base : str
        The page's address without a query string (``st.context.url``): scheme, host, path.
    params : mapping of str to str or list of str
        The query parameters, a list for a repeated name (``st.query_params``).

    Returns
    -------
    str
        ``base?query``, or ``base`` when nothing is left; an address with no path gets ``/``.

    >>> shared_link("http://lab:8501/losses", {"lang": "ko", "teach": "s3cret", "reg": "0.1"})
    'http://lab:8501/losses?lang=ko&reg=0.1'
    >>> shared_link("http://lab:8501", {"teach": "s3cret"})
    'http://lab:8501/'
    """
    parts = urlsplit(base)
    kept = [(k, [v] if isinstance(v, str) else list(v)) for k, v in params.items() if k not in PRIVATE]
    query = urlencode(kept, doseq=True)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def page_link() -> str | None:
    """This page's link at this run, or None while the browser has not told the server its address."""
    base = st.context.url
    if not base:
        return None
    return shared_link(base, {name: st.query_params.get_all(name) for name in st.query_params})


@lru_cache(maxsize=32)
def qr_code(url: str) -> segno.QRCode:
    """The QR code (never a Micro QR) of ``url``; raises ``ValueError`` if it is too long for one.

    >>> qr_code("http://lab:8501/losses?lang=ko").version
    2
    """
    if not isinstance(url, str) or not url:
        raise ValueError(f"url must be a non-empty string, got {url!r}")
    try:
        return segno.make_qr(url)
    except segno.DataOverflowError as exc:
        raise ValueError(f"a link of {len(url)} characters does not fit in a QR code") from exc


def qr_image(url: str, *, big: bool) -> str:
    """The QR code of ``url`` as SVG text for ``st.image``: black on white, sharp at any size,
    ``QR_WIDTH[big]`` pixels wide (``big``: presenter mode). Raises ``ValueError`` for a link too
    long for a QR code."""
    code = qr_code(url)
    scale = QR_WIDTH[bool(big)] / code.symbol_size(scale=1, border=QR_BORDER)[0]
    return code.svg_inline(scale=scale, border=QR_BORDER, dark=theme.QR_DARK, light=theme.QR_LIGHT)


@cache
def _copy_component():
    js = (HERE / "share.js").read_text(encoding="utf-8")
    css = (HERE / "share.css").read_text(encoding="utf-8")
    return st.components.v2.component("losslab_copy_link", html="", css=css, js=js)


def copy_button(url: str | None, *, key: str, label: str | None = None) -> None:
    """A button that copies ``url`` (None: this page's address as the browser shows it at the
    click, minus ``PRIVATE``) to the clipboard and says "Copied" in place."""
    data = {
        "url": url,
        "private": list(PRIVATE),
        "label": label or t("share.copy"),
        "help": t("share.copy_help"),
        "copied": t("share.copied"),
        "failed": t("share.copy_failed"),
    }
    _copy_component()(key=key, data=data, height="content")


def show_qr(url: str | None, *, big: bool) -> None:
    """For a dialog: the QR code of ``url`` (the link beside it when ``big``, under it otherwise)
    and a copy button; for an unknown or too long link, a message saying why there is no QR code."""
    if url is None:
        st.info(t("share.qr_unknown"), icon=":material/info:")
        return
    try:
        image = qr_image(url, big=big)
    except ValueError:
        st.warning(t("share.qr_too_long", chars=len(url)), icon=":material/warning:")
        image = None
    if image is not None and big:
        picture, words = st.columns([3, 2], vertical_alignment="center")
        picture.image(image, width="content")
    else:
        if image is not None:
            st.image(image, width="content")
        words = st.container()
    with words:
        if image is not None:
            st.caption(t("share.qr_caption"))
        st.code(url, language=None, wrap_lines=True)  # text, never HTML
        copy_button(url, key="share.dialog_copy")


def _qr_dialog(big: bool) -> None:
    link = page_link()
    st.dialog(t("share.qr_title"), width="large" if big else "small")(show_qr)(link, big=big)


def sidebar() -> None:
    """The sidebar's share controls: copy link and QR code in a row, the keyboard shortcuts under it."""
    with st.sidebar.container(horizontal=True, gap="small", key="share"):
        copy_button(None, key="share.copy")  # stretches: with width="content" 1.67 draws no widget
        if st.button(t("share.qr"), key="share.qr", icon=":material/qr_code_2:", help=t("share.qr_help")):
            _qr_dialog(APP["present"])
    with st.sidebar.popover(
        t("share.keys_title"), icon=":material/keyboard:", help=t("share.keys_help"), key="share.keys"
    ):
        st.markdown(shortcuts.help_markdown())
        st.caption(t("share.keys_note"))

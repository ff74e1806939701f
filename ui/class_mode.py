"""Class mode: the instructor asks the room a question, every student answers, then the app reveals.

Who is who lives in the session: the instructor holds the class's secret token (from "Start a
class", or from opening the secret instructor link ``?teach=<token>``, which is read once and never
kept in the URL); a student holds only the join code, which is the app setting ``join`` (so it
stays in the URL and a reload rejoins). ``classroom`` (the store, no Streamlit) checks every action
again: a wrong token is refused there too, whatever the page shows.

``sidebar()`` draws the start / join / leave controls; ``banner()`` draws, above the page, the
student's live question (a fragment the browser reruns when the class changes, ``ui.class_watch``)
or the instructor's class bar.
``ui.class_poll`` draws the instructor's controls inside a question card.
"""

from __future__ import annotations

import contextlib
import secrets
import time

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from streamlit.errors import StreamlitInvalidLayoutContextError

from classroom.store import Store, TooManyAttempts, open_store
from ui import class_poll, voter
from ui.class_watch import version, watch_url
from ui.i18n import t
from ui.settings.base import Problem, shorten
from ui.settings.page import APP
from ui.widgets import md_escape, presenting

ROLE, CODE, TOKEN = "class.role", "class.code", "_class.token"
STORE_RETRY_SECONDS = 1.0  # a student's box asks the store again this often while it is away


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """One store per server process ($LOSSLAB_DATABASE_URL, or the SQLite file in data/)."""
    return open_store()


def role() -> str | None:
    """ "teacher", "student" or None."""
    return st.session_state.get(ROLE)


def code() -> str | None:
    return st.session_state.get(CODE)


def pretty(class_code: str | None) -> str:
    """A join code as people read it aloud and type it: ``ABCD-EFGH``."""
    text = class_code or ""
    return f"{text[:4]}-{text[4:]}" if len(text) == 8 else text


def token() -> str | None:
    """The instructor's secret, in this session only (never in a URL or on a student's page)."""
    return st.session_state.get(TOKEN) if role() == "teacher" else None


def address() -> str:
    """The network address the browser comes from. Behind our nginx (the server sees a loopback
    peer) that is the X-Real-IP header nginx sets; a header from anywhere else is not trusted."""
    peer = st.context.ip_address
    peer = peer if isinstance(peer, str) and 0 < len(peer) <= 45 else "?"
    if peer in ("127.0.0.1", "::1"):
        forwarded = st.context.headers.get("X-Real-Ip") or ""
        if 0 < len(forwarded) <= 45:
            return forwarded
    return peer


def client() -> str:
    """Who a wrong join code counts against: this session (a random id kept in it) at its address.
    The store allows a session 10 wrong codes in 10 minutes and an address 100, so a lecture hall
    behind one NAT address has room for its typos while new sessions buy a guesser nothing."""
    if "_class.session" not in st.session_state:
        st.session_state["_class.session"] = secrets.token_hex(8)
    return f"{address()}/{st.session_state['_class.session']}"


# ---- joining, starting, leaving ---------------------------------------------------------------------------


def start() -> None:
    """On a session's first run: take the instructor link's token, or the join code in the URL."""
    if "_class.started" in st.session_state:
        return
    st.session_state["_class.started"] = True
    secret = APP.link().get("teach")
    if secret:
        try:
            _teach(store().class_of(secret), secret)
        except (PermissionError, LookupError, ValueError):
            st.session_state["_class.notice"] = "class.bad_link"
        return
    if APP["join"]:
        _join(APP["join"], from_link=True)


def _teach(class_code: str, secret: str) -> None:
    st.session_state.update({ROLE: "teacher", CODE: class_code, TOKEN: secret})
    APP.set(join="")


def _join(typed: str, *, from_link: bool = False) -> None:
    """Join the class ``typed`` names. A code that names none is reported where it came from: with
    the link's other refused values (``?join=``), or under the box it was typed in."""
    try:
        joined = store().join(typed, client(), address())
    except (LookupError, ValueError, TooManyAttempts) as refused:
        reason = "too_many_codes" if isinstance(refused, TooManyAttempts) else "no_class"
        if from_link:
            APP.report(Problem("join", shorten(typed), reason))
        else:
            st.session_state["_class.notice"] = f"state.reason.{reason}"
        APP.set(join="")
        return
    st.session_state.update({ROLE: "student", CODE: joined, "_class.notice": None})
    st.session_state.pop(TOKEN, None)
    APP.set(join=joined)


def _start_class() -> None:
    class_code, secret = store().create_class()
    _teach(class_code, secret)
    st.session_state["_class.show_secret"] = True


def _join_typed() -> None:
    _join(st.session_state.get("class.typed", ""))


def leave() -> None:
    """Leave the class (a student), or stop controlling it from this session (the instructor)."""
    for key in (ROLE, CODE, TOKEN, "_class.show_secret"):
        st.session_state.pop(key, None)
    APP.set(join="")


def _end_class() -> None:
    with contextlib.suppress(PermissionError, LookupError):  # already ended or expired: just leave
        store().end(token())
    leave()


def ended() -> None:
    """The class is gone (ended by the instructor, or expired): leave it and say so."""
    leave()
    st.session_state["_class.notice"] = "class.ended"


# ---- links ------------------------------------------------------------------------------------------


def base_url() -> str:
    """The app's address as the browser sees it, without path or query."""
    url = str(st.context.url or "")
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}" if rest else ""


def join_link(class_code: str) -> str:
    return f"{base_url()}/?join={class_code}"


def instructor_link(secret: str) -> str:
    return f"{base_url()}/?teach={secret}"


# ---- drawing -----------------------------------------------------------------------------------------


def sidebar() -> None:
    """The class controls in the sidebar: start or join; or the class you are in, and leave."""
    notice = st.session_state.get("_class.notice")
    box = st.sidebar.expander(t("class.title"), expanded=bool(role() or notice) and not presenting())
    with box:
        if notice:
            text = t(notice)
            st.warning(text[:1].upper() + text[1:], icon=":material/info:")
        if role() is None:
            st.button(t("class.start"), key="class.start", on_click=_start_class, width="stretch")
            with st.form("class.join_form", border=False):
                st.text_input(t("class.code_label"), key="class.typed", max_chars=20, placeholder="ABCD-EFGH")
                st.form_submit_button(t("class.join"), on_click=_join_typed, width="stretch")
            return
        st.markdown(t(f"class.you_are.{role()}"))
        if role() == "teacher":
            class_poll.share_join(join_link(code()), pretty(code()), big=False)
            with st.popover(t("class.secret"), width="stretch"):
                st.caption(t("class.secret_help"))
                st.code(instructor_link(token()), language=None, wrap_lines=True)
            st.button(t("class.end"), key="class.end", on_click=_end_class, width="stretch")
        else:
            st.markdown(t("class.code_is", code=md_escape(pretty(code()))))
            st.button(t("class.leave"), key="class.leave", on_click=leave, width="stretch")


def banner() -> None:
    """Above the page: a student's live question, or the instructor's class bar and join QR."""
    if role() == "student":
        student_poll()
    elif role() == "teacher":
        try:
            store().class_of(token())
        except PermissionError:  # the class expired (or was ended from another tab)
            ended()
            st.rerun()
        class_poll.teacher_bar(store(), pretty(code()), join_link(code()))


@st.fragment
def student_poll() -> None:
    """The question the instructor put to the class. The student's browser watches the class
    (``ui.class_watch``) and reruns this fragment when the question, or its state, changes."""
    if role() != "student":
        return
    try:
        poll = store().current(code())
    except LookupError:
        ended()
        st.rerun(scope="app")
        return
    except SQLAlchemyError:  # the database is away for a moment: say so, and keep watching
        st.warning(t("class.store_down"), icon=":material/sync_problem:")
        voter.voter_id(watch_url(code()), "")  # any version differs: the next check reruns this
        return
    me = voter.voter_id(watch_url(code()), version(poll))
    try:
        class_poll.student_view(store(), code(), poll, me)
    except SQLAlchemyError:
        # Away between two reads: the browser was told the page shows this version, so it will
        # not ask again; this box asks, once a second, until the store answers.
        st.warning(t("class.store_down"), icon=":material/sync_problem:")
        time.sleep(STORE_RETRY_SECONDS)
        try:
            st.rerun(scope="fragment")
        except StreamlitInvalidLayoutContextError:  # this is the page's full run, not the box's own
            st.rerun()


def card_controls(question, inputs, facts, revealed=None) -> None:
    """The instructor's class controls under a question card (nothing for anyone else); ``revealed``
    as in ``ui.class_poll.controls``."""
    if token():
        class_poll.controls(store(), token(), question, inputs, facts, revealed)

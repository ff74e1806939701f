"""How a student's page learns that the class's question changed, without running the page.

Every WATCH_SECONDS the student's browser (ui/voter/voter.js) asks this server's route for the
class's version: the current question's id and state ("open", "closed", "revealed"), "none"
before the first question, "ended" once the class is gone. Only when the version differs from the
one the page drew does the browser rerun the page's poll (``ui.class_mode.student_poll``). A room
of quiet students then costs the server one small HTTP answer per student a second, not one
script run (``make loadtest`` measures both).

The route names the join code and its signature, an HMAC of the code under the server's cookie
secret (which every replica shares). The page gets the signed address from the server once the
student has joined; a code the server did not sign is refused before the store is asked, so the
route cannot be used to guess codes. Each process asks the store about a class about once every
CACHE_SECONDS, however many of its students watch (requests at the same instant may each ask).
When the store does not answer, the route says 503 for that interval, and the browser asks again.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import time

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from classroom.store import Store, open_store

WATCH_SECONDS = 1.0  # the browser's interval; a new question shows within this plus one short run
CACHE_SECONDS = 0.5
PATH = "/_losslab/class/{code}/{signature}"
NO_STORE = {"Cache-Control": "no-store"}
_LOG = logging.getLogger(__name__)


def signature(code: str) -> str:
    key = str(st.config.get_option("server.cookieSecret")).encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()[:32]


def watch_url(code: str) -> str:
    """The address a joined student's browser watches. Streamlit serves routes of our own at the
    server's root, outside ``server.baseUrlPath``."""
    return PATH.format(code=code, signature=signature(code))


def version(poll) -> str:
    """What the page shows of the class's question: which one; open, closed or revealed; and once
    revealed, which answer (an instructor may reveal again after changing the table)."""
    if poll is None:
        return "none"
    if poll.state != "revealed":
        return f"{poll.id}:{poll.state}"
    shown = json.dumps([poll.answer, poll.facts], sort_keys=True, default=str).encode()
    return f"{poll.id}:revealed:{hashlib.sha256(shown).hexdigest()[:12]}"


@functools.cache
def _store() -> Store:
    """The route's own store (the same database as the pages'); one per process."""
    return open_store()


DOWN = None  # the store did not answer (kept for the tick like an answer: no storm of retries)


@functools.lru_cache(maxsize=1024)
def _version_at(code: str, tick: int) -> str | None:
    """The class's version, asked once per ``tick`` (CACHE_SECONDS) per class in this process."""
    try:
        return version(_store().current(code))
    except LookupError:  # ended or expired
        return "ended"
    except SQLAlchemyError as error:
        _LOG.warning("class watch: the store did not answer: %s", type(error).__name__)
        return DOWN


def watch(request: Request) -> JSONResponse:
    code, signed = request.path_params["code"], request.path_params["signature"]
    if not (len(code) <= 16 and hmac.compare_digest(signature(code).encode(), signed.encode())):
        return JSONResponse({"error": "not a class this server signed"}, status_code=404, headers=NO_STORE)
    tick = int(time.monotonic() / CACHE_SECONDS)
    now = _version_at(code, tick)
    if now is DOWN:  # the browser tries again in a second (voter.js ignores an answer not ok)
        return JSONResponse({"error": "the class store is away"}, status_code=503, headers=NO_STORE)
    return JSONResponse({"v": now}, headers=NO_STORE)


ROUTES = [Route(PATH, watch, methods=["GET"])]

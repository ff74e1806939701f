"""Class mode's watch route (ui.class_watch): what a student's browser asks every second.

The route answers only for a code the server signed (so it cannot be used to find codes), says
the class's version as the page draws it, "ended" once the class is gone, and asks the store
about a class at most once per CACHE_SECONDS. Over a real server: tests/browser/test_class_browser.py
(a student's page shows a new question within 2 s) and test_server_config (server.py serves it).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest
from starlette.requests import Request

from classroom.store import open_store
from tests.browser.helpers import StreamlitServer
from ui import class_watch


@pytest.fixture
def room(monkeypatch, tmp_path):
    """A store of the test's own, the one the route reads; (store, code, instructor token)."""
    monkeypatch.delenv("LOSSLAB_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOSSLAB_DATA_DIR", str(tmp_path))
    routes_store = class_watch._store  # (a test may replace it)
    routes_store.cache_clear()
    class_watch._version_at.cache_clear()
    store = open_store()
    code, secret = store.create_class()
    yield store, code, secret
    store.dispose()
    routes_store().dispose()
    routes_store.cache_clear()


def ask_route(code: str, signature: str) -> tuple[int, dict]:
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}
    scope["path_params"] = {"code": code, "signature": signature}
    response = class_watch.watch(Request(scope))
    assert response.headers["cache-control"] == "no-store"
    return response.status_code, json.loads(response.body)


def fresh(code: str) -> dict:
    """The route's answer after the cache's interval (the next tick asks the store again)."""
    time.sleep(class_watch.CACHE_SECONDS)
    return ask_route(code, class_watch.signature(code))[1]


def test_the_version_follows_the_question_asked_closed_revealed_and_the_class_ended(room):
    store, code, secret = room
    assert fresh(code) == {"v": "none"}
    question = store.ask(secret, "losses.q1", ["0", "2", "5.27"])
    assert fresh(code) == {"v": f"{question}:open"}
    store.close(secret, question)
    assert fresh(code) == {"v": f"{question}:closed"}
    store.end(secret)
    assert fresh(code) == {"v": "ended"}


def test_the_page_and_the_route_name_a_version_the_same_way(room):
    store, code, secret = room
    question = store.ask(secret, "losses.q1", ["0", "2"])
    assert class_watch.version(store.current(code)) == f"{question}:open" == fresh(code)["v"]
    assert class_watch.version(None) == "none"


@pytest.mark.parametrize(
    "code",
    ["ABCDEFGH", "abcdefgh", "", "A" * 17, "<script>alert(1)</script>", "x' OR '1'='1", "ΑΒΓΔ"],
)
def test_a_code_the_server_did_not_sign_is_refused_before_the_store_is_asked(room, monkeypatch, code):
    _, real, _ = room
    monkeypatch.setattr(class_watch, "_store", lambda: pytest.fail("the store was asked"))
    for signature in ("", "0" * 32, class_watch.signature(real), "<b>x</b>", "é" * 32):
        status, body = ask_route(code, signature)
        assert status == 404
        assert "v" not in body
    assert ask_route(real, class_watch.signature(real)[:-1] + "x")[0] == 404


def test_many_students_cost_the_store_one_question_per_interval(room, monkeypatch):
    store, code, secret = room
    store.ask(secret, "losses.q1", ["0", "2"])
    asked = []
    real = class_watch._store()
    monkeypatch.setattr(class_watch, "_store", lambda: asked.append(1) or real)
    time.sleep(class_watch.CACHE_SECONDS)
    for _ in range(50):  # a lecture hall's browsers, within one interval
        ask_route(code, class_watch.signature(code))
    assert len(asked) <= 2  # one tick, or two if the interval turned over during the loop


def test_the_watch_address_is_signed_and_at_the_servers_root(monkeypatch):
    url = class_watch.watch_url("ABCDEFGH")
    assert url == f"/_losslab/class/ABCDEFGH/{class_watch.signature('ABCDEFGH')}"
    assert class_watch.signature("ABCDEFGH") != class_watch.signature("ABCDEFGJ")
    real = class_watch.st.config.get_option
    monkeypatch.setattr(
        class_watch.st.config,
        "get_option",
        lambda name: "/lecture/" if name == "server.baseUrlPath" else real(name),
    )
    assert class_watch.watch_url("ABCDEFGH") == url  # st.App serves our routes outside the base path


def test_a_second_reveal_with_another_answer_is_a_new_version(room):
    store, code, secret = room
    question = store.ask(secret, "losses.q1", ["0", "2"])
    store.reveal(secret, question, "2", {"why": "whatif.q1.answer"})
    first = class_watch.version(store.current(code))
    store.reveal(secret, question, "0", {"why": "whatif.q1.answer"})
    assert class_watch.version(store.current(code)) != first
    assert first.startswith(f"{question}:revealed:")


def test_server_py_serves_the_app_and_the_route():
    with StreamlitServer("server.py") as server:
        with urllib.request.urlopen(f"{server.url}/losses") as page:
            assert page.status == 200
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{server.url}/_losslab/class/ABCDEFGH/{'0' * 32}")
        assert refused.value.code == 404


def test_a_store_away_is_a_503_for_the_tick_then_the_version_again(room, monkeypatch):
    from sqlalchemy.exc import OperationalError

    store, code, secret = room
    question = store.ask(secret, "losses.q1", ["0", "2"])
    real = class_watch._store()
    asked = []

    class Away:
        def current(self, _code):
            asked.append(1)
            raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(class_watch, "_store", Away)
    time.sleep(class_watch.CACHE_SECONDS)
    for _ in range(20):  # a room's browsers in one tick: the store is asked once, not 20 times
        status, body = ask_route(code, class_watch.signature(code))
        assert status == 503
        assert "v" not in body
    assert len(asked) <= 2
    monkeypatch.setattr(class_watch, "_store", lambda: real)
    assert fresh(code) == {"v": f"{question}:open"}

"""Hostile strings in every argument: stored and given back as data, or refused with a ValueError that
names the argument; never another exception, never SQL."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classroom import checks as ck
from classroom.schema import classes, votes

HOSTILE = [
    "'; DROP TABLE classroom_votes; --",
    '" OR 1=1 --',
    "Robert'); DELETE FROM classroom_classes WHERE ('1'='1",
    "<script>alert('x')</script>",
    "<b>bold</b> &amp; &lt;",
    "%s %(x)s {0} $1 ? :name",
    "\\x00 \\' \\\\",
    "손실 함수 🐱🚗🐸 ≈ ∑ ĉ",
    "\u202egnp.exe",
    "a\tb\nc\rd",
    " ",
]
REFUSED = ["", "nul\x00byte", "lone \ud800 surrogate", None, 3, 2.5, b"bytes", ["list"]]


def test_hostile_question_and_options_are_data(store, room):
    code, token, _, _ = room
    for text in HOSTILE:
        options = [text[:80], "other"]
        qid = store.ask(token, text, options)
        store.vote(code, qid, text, text[:80])
        poll = store.current(code)
        assert (poll.question, poll.options) == (text, tuple(options))
        assert store.tally(code, qid) == {text[:80]: 1, "other": 0}
        assert store.my_vote(code, qid, text) == text[:80]
        store.reveal(token, qid, text, {text: text})
        assert (store.current(code).answer, store.current(code).facts) == (text, {text: text})
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(classes)).scalar_one() == 1
        assert conn.execute(sa.select(sa.func.count()).select_from(votes)).scalar_one() == len(HOSTILE)


@pytest.mark.parametrize("bad", REFUSED, ids=repr)
def test_malformed_text_is_refused_with_value_error_naming_the_argument(store, room, bad):
    code, token, qid, _ = room
    calls = {
        "question": lambda: store.ask(token, bad, ["a", "b"]),
        "options[1]": lambda: store.ask(token, "q?", ["a", bad]),
        "voter": lambda: store.vote(code, qid, bad, "0"),
        "answer": lambda: store.vote(code, qid, "ana", bad),
        "question_id": lambda: store.tally(code, bad),
        "instructor_token": lambda: store.close(bad, qid),
        "client": lambda: store.join(code, bad),
        "code": lambda: store.join(bad, "client"),
    }
    for name, call in calls.items():
        with pytest.raises(ValueError, match="^" + re.escape(name)):
            call()
    assert sum(store.tally(code, qid).values()) == 0


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda s, c, t, q: s.ask(t, "q" * 201, ["a", "b"]), "question"),
        (lambda s, c, t, q: s.ask(t, "q?", [str(i) for i in range(13)]), "options"),
        (lambda s, c, t, q: s.ask(t, "q?", ["a"]), "options"),
        (lambda s, c, t, q: s.ask(t, "q?", ["a", "a"]), "options"),
        (lambda s, c, t, q: s.ask(t, "q?", "ab"), "options"),
        (lambda s, c, t, q: s.ask(t, "q?", ["a", "o" * 81]), r"options\[1\]"),
        (lambda s, c, t, q: s.vote(c, q, "v" * 65, "0"), "voter"),
        (lambda s, c, t, q: s.vote(c, q, "ana", "0" * 10_000), "answer"),
        (lambda s, c, t, q: s.vote("A" * 10_000, q, "ana", "0"), "code"),
        (lambda s, c, t, q: s.join(None, "client"), "code"),
        (lambda s, c, t, q: s.tally(c, "q" * 10_000), "question_id"),
        (lambda s, c, t, q: s.reveal(t, q, "2", {"loss": float("nan")}), "facts"),
        (lambda s, c, t, q: s.reveal(t, q, "2", {"loss": [1, 2]}), "facts"),
        (lambda s, c, t, q: s.reveal(t, q, "2", {"ok": True}), "facts"),
        (lambda s, c, t, q: s.reveal(t, q, "2", "loss=2"), "facts"),
        (lambda s, c, t, q: s.reveal(t, q, "a" * 201, {}), "answer"),
        (lambda s, c, t, q: s.create_class(hours=-1), "hours"),
        (lambda s, c, t, q: s.create_class(hours=float("inf")), "hours"),
        (lambda s, c, t, q: s.create_class(hours="12; DROP"), "hours"),
    ],
)
def test_absurd_arguments_are_refused_with_value_error(store, room, call, name):
    code, token, qid, _ = room
    with pytest.raises(ValueError, match=rf"^{name}"):
        call(store, code, token, qid)
    assert store.current(code).state == "open"


@pytest.mark.parametrize(
    "code", [c for c in HOSTILE if len(c) <= 32] + ["ABCD-EFG0", "ABCDEFGHI", "ABCD EFGL"]
)
def test_hostile_codes_are_unknown_classes(store, room, code):
    _, _, qid, _ = room
    with pytest.raises(LookupError):
        store.join(code, "client")
    with pytest.raises(LookupError):
        store.vote(code, qid, "ana", "0")
    with pytest.raises(LookupError):
        store.current(code)


def storable(text: str, limit: int) -> bool:
    """What the store takes: 1 to ``limit`` characters, no NUL, no lone surrogate."""
    return 0 < len(text) <= limit and "\x00" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=90)  # surrogates and controls included


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ANY_TEXT, voter=ANY_TEXT)
def test_any_text_is_stored_exactly_or_refused_with_value_error(store, room, text, voter):
    """Whatever Unicode comes in (NUL, lone surrogates, quotes, too long, empty): it comes back exactly
    as given, or the call raises ValueError; nothing else."""
    code, token, _, _ = room
    options = [text, text + "?"]
    if not storable(text, ck.MAX_OPTION - 1):
        with pytest.raises(ValueError, match=r"^(question|options)"):
            store.ask(token, text, options)
        return
    qid = store.ask(token, text, options)
    poll = store.current(code)
    assert (poll.id, poll.question, poll.options) == (qid, text, tuple(options))
    if not storable(voter, ck.MAX_VOTER):
        with pytest.raises(ValueError, match=r"^voter"):
            store.vote(code, qid, voter, options[1])
        return
    store.vote(code, qid, voter, options[1])
    assert store.my_vote(code, qid, voter) == options[1]
    assert store.tally(code, qid) == {options[0]: 0, options[1]: 1}

"""Issue 14's store contract and every error it names, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest

from classroom import Poll, TooManyAttempts, shown
from classroom.checks import ALPHABET


def test_create_class_gives_a_code_from_the_unambiguous_alphabet_and_a_long_token(store):
    code, token = store.create_class()
    assert len(code) == 8
    assert set(code) <= set(ALPHABET)
    assert not set("0O1IL") & set(ALPHABET)
    assert len(token) >= 43
    assert store.class_of(token) == code
    assert store.create_class()[0] != code


def test_a_vote_is_counted_and_the_tally_lists_every_option_in_order(store, room):
    code, _, qid, options = room
    assert store.tally(code, qid) == dict.fromkeys(options, 0)
    store.vote(code, qid, "ana", "2")
    store.vote(code, qid, "ben", "2.9")
    store.vote(code, qid, "cho", "2")
    tally = store.tally(code, qid)
    assert list(tally) == options
    assert tally == {"0": 0, "1": 0, "2": 2, "2.9": 1}


def test_a_new_vote_replaces_the_voters_earlier_one(store, room):
    code, _, qid, _ = room
    store.vote(code, qid, "ana", "0")
    assert store.my_vote(code, qid, "ana") == "0"
    store.vote(code, qid, "ana", "2")
    assert store.tally(code, qid) == {"0": 0, "1": 0, "2": 1, "2.9": 0}
    assert store.my_vote(code, qid, "ana") == "2"
    assert store.my_vote(code, qid, "ben") is None


@pytest.mark.parametrize(
    "typed", [str.lower, shown, lambda c: f"  {c[:4].lower()} {c[4:]} ", lambda c: "-".join(c)]
)
def test_codes_are_read_in_any_case_with_or_without_dash_or_spaces(store, room, typed):
    code, _, qid, _ = room
    assert store.join(typed(code), "client") == code
    store.vote(typed(code), qid, "ana", "1")
    assert store.tally(typed(code), qid)["1"] == 1
    assert store.current(typed(code)).id == qid


def test_a_wrong_instructor_token_is_refused_with_permission_error(store, room):
    code, token, qid, _ = room
    _, other_token = store.create_class()
    for forged in ("x" * 43, token[:-1] + ("A" if token[-1] != "A" else "B"), other_token):
        with pytest.raises(PermissionError):
            store.ask(forged, "q?", ["a", "b"]) if forged != other_token else store.close(forged, qid)
    with pytest.raises(PermissionError):
        store.reveal(other_token, qid, "0", {})
    with pytest.raises(PermissionError):
        store.class_of("not-a-token")
    with pytest.raises(PermissionError):
        store.end("not-a-token")
    assert store.current(code).state == "open"


def test_unknown_classes_and_questions_raise_lookup_error(store, room):
    code, token, qid, _ = room
    other = "ABCDEFGH" if code != "ABCDEFGH" else "HGFEDCBA"
    with pytest.raises(LookupError):
        store.vote(other, qid, "ana", "0")
    with pytest.raises(LookupError):
        store.tally(other, qid)
    with pytest.raises(LookupError):
        store.current("ZZ")
    for call in (
        lambda: store.vote(code, "no-such-question", "ana", "0"),
        lambda: store.tally(code, "no-such-question"),
        lambda: store.my_vote(code, "no-such-question", "ana"),
        lambda: store.close(token, "no-such-question"),
        lambda: store.reveal(token, "no-such-question", "0", {}),
    ):
        with pytest.raises(LookupError):
            call()


def test_a_question_of_another_class_is_unknown_in_this_one(store, room):
    code, _, qid, _ = room
    other_code, other_token = store.create_class()
    with pytest.raises(LookupError):
        store.vote(other_code, qid, "ana", "0")
    with pytest.raises(LookupError):
        store.tally(other_code, qid)
    with pytest.raises(PermissionError):  # another class's instructor cannot close it
        store.close(other_token, qid)
    assert store.current(code).state == "open"


def test_an_answer_not_among_the_options_is_refused(store, room):
    code, _, qid, _ = room
    for answer in ("3", "2.90", " 2", "0 "):
        with pytest.raises(ValueError, match="answer must be one of"):
            store.vote(code, qid, "ana", answer)
    assert sum(store.tally(code, qid).values()) == 0


def test_close_ends_voting_and_keeps_the_votes(store, room):
    code, token, qid, _ = room
    store.vote(code, qid, "ana", "1")
    store.close(token, qid)
    with pytest.raises(ValueError, match="closed"):
        store.vote(code, qid, "ana", "2")
    with pytest.raises(ValueError, match="closed"):
        store.vote(code, qid, "ben", "2")
    assert store.tally(code, qid)["1"] == 1
    assert store.my_vote(code, qid, "ana") == "1"
    assert store.current(code).state == "closed"


def test_reveal_closes_and_shows_the_answer_and_facts_to_everyone(store, room):
    code, token, qid, options = room
    store.vote(code, qid, "ana", "2")
    facts = {"loss": 2.0, "classes": 3, "why": "each wrong class adds max(0, 0 - 0 + 1) = 1"}
    store.reveal(token, qid, "2", facts)
    poll = store.current(code)
    assert poll == Poll(qid, poll.question, tuple(options), "revealed", "2", facts, poll.asked_at)
    with pytest.raises(ValueError, match="closed"):
        store.vote(code, qid, "ben", "2")
    store.close(token, qid)  # closing a revealed question does not hide the answer
    assert store.current(code).state == "revealed"


def test_current_is_the_latest_question_and_poll_is_frozen(store, clock):
    code, token = store.create_class()
    assert store.current(code) is None
    first = store.ask(token, "first?", ["a", "b"])
    second = store.ask(token, "second?", ["c", "d", "e"])  # same clock reading: the order of asking decides
    poll = store.current(code)
    assert (poll.id, poll.question, poll.options, poll.state) == (second, "second?", ("c", "d", "e"), "open")
    assert (poll.answer, poll.facts, poll.asked_at) == (None, {}, clock.now)
    assert first != second
    with pytest.raises(dataclasses.FrozenInstanceError):
        poll.state = "closed"


def test_end_deletes_the_class_and_its_votes(store, room):
    code, token, qid, _ = room
    store.vote(code, qid, "ana", "1")
    store.end(token)
    with pytest.raises(LookupError):
        store.tally(code, qid)
    with pytest.raises(LookupError):
        store.join(code, "client")
    with pytest.raises(PermissionError):
        store.class_of(token)
    with pytest.raises(PermissionError):
        store.ask(token, "again?", ["a", "b"])


def test_too_many_attempts_is_a_permission_error():
    assert issubclass(TooManyAttempts, PermissionError)

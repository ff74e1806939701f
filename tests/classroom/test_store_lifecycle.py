"""A class's life: its hours, expiry and purge, the join rate limit, and a token that is never stored."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from classroom import TooManyAttempts
from classroom.schema import attempts, classes, metadata, questions, votes
from classroom.store import MAX_ADDRESS_FAILURES, MAX_FAILURES, WINDOW_S


def rows(store, table) -> list:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(table)).all()


def test_a_class_lives_its_hours_then_is_unknown(store, clock, room):
    code, token, qid, _ = room
    store.vote(code, qid, "ana", "1")
    clock.advance(12 * 3600 - 1)
    assert store.join(code, "client") == code
    clock.advance(1)
    for call in (
        lambda: store.join(code, "client"),
        lambda: store.vote(code, qid, "ana", "2"),
        lambda: store.tally(code, qid),
        lambda: store.current(code),
        lambda: store.my_vote(code, qid, "ana"),
    ):
        with pytest.raises(LookupError):
            call()
    with pytest.raises(PermissionError):
        store.class_of(token)
    with pytest.raises(PermissionError):
        store.ask(token, "q?", ["a", "b"])


def test_hours_come_from_the_argument_or_the_environment(store, clock, monkeypatch):
    code, _ = store.create_class(hours=0.5)
    monkeypatch.setenv("LOSSLAB_CLASS_HOURS", "2")
    env_code, _ = store.create_class()
    clock.advance(1800)
    with pytest.raises(LookupError):
        store.join(code, "client")
    assert store.join(env_code, "client") == env_code
    clock.advance(5400)
    with pytest.raises(LookupError):
        store.join(env_code, "client")
    monkeypatch.setenv("LOSSLAB_CLASS_HOURS", "forever")
    with pytest.raises(ValueError, match="LOSSLAB_CLASS_HOURS"):
        store.create_class()


def test_expired_classes_are_deleted_with_their_questions_and_votes(store, clock, room):
    code, _, qid, _ = room
    store.vote(code, qid, "ana", "1")
    clock.advance(6 * 3600)
    young, young_token = store.create_class()
    young_q = store.ask(young_token, "still here?", ["yes", "no"])
    store.vote(young, young_q, "ben", "yes")
    clock.advance(6 * 3600)
    assert store.purge_expired() == 1
    assert [r.code for r in rows(store, classes)] == [young]
    assert [r.id for r in rows(store, questions)] == [young_q]
    assert [r.voter for r in rows(store, votes)] == ["ben"]
    assert store.purge_expired() == 0
    clock.advance(6 * 3600)
    store.create_class()  # creating a class purges too
    assert young not in {r.code for r in rows(store, classes)}
    assert rows(store, votes) == []


def test_the_instructor_token_is_stored_only_as_its_sha256(store):
    _, token = store.create_class()
    with store.engine.connect() as conn:
        dump = [
            str(v) for table in metadata.sorted_tables for row in conn.execute(sa.select(table)) for v in row
        ]
    assert not any(token in v for v in dump)
    assert hashlib.sha256(token.encode()).hexdigest() in dump


def test_a_client_that_fails_ten_times_must_wait_ten_minutes(store, clock, room):
    code, _, _, _ = room
    for k in range(MAX_FAILURES):
        with pytest.raises(LookupError):
            store.join(f"WRNGCD{k:02d}".replace("0", "A").replace("1", "B"), "guesser")
        clock.advance(1)
    with pytest.raises(TooManyAttempts):
        store.join(code, "guesser")  # even the right code
    with pytest.raises(TooManyAttempts):
        store.vote(code, "any", "guesser", "0")
    assert store.join(code, "someone-else") == code
    clock.advance(WINDOW_S - MAX_FAILURES)
    assert store.join(code, "guesser") == code  # the first failure has aged out


def test_new_client_ids_from_one_address_do_not_buy_more_guesses(store, clock, room):
    code, _, _, _ = room
    for k in range(MAX_ADDRESS_FAILURES):  # a fresh client id every few guesses, all from one address
        with pytest.raises(LookupError):
            store.join("ZZZZ-ZZZZ", f"session-{k // 5}", "203.0.113.7")
    with pytest.raises(TooManyAttempts):
        store.join(code, "a-brand-new-session", "203.0.113.7")  # even the right code
    assert store.join(code, "a-brand-new-session", "198.51.100.2") == code  # other addresses join
    assert store.join(code, "no-address-given") == code
    clock.advance(WINDOW_S)
    assert store.join(code, "a-brand-new-session", "203.0.113.7") == code


def test_the_limit_is_shared_by_every_store_on_the_database(store, url, clock):
    from classroom import open_store

    other = open_store(url, clock=clock)
    try:
        for k in range(MAX_FAILURES):
            with pytest.raises(LookupError):
                (store if k % 2 else other).join("ZZZZZZZZ", "guesser")
        with pytest.raises(TooManyAttempts):
            other.join("ZZZZZZZZ", "guesser")
    finally:
        other.dispose()


def test_a_vote_with_an_unknown_code_is_a_failed_attempt_of_the_voter(store, room):
    code, _, qid, _ = room
    for _ in range(MAX_FAILURES):
        with pytest.raises(LookupError):
            store.vote("ZZZZ-ZZZZ", qid, "mallory", "0")
    with pytest.raises(TooManyAttempts):
        store.vote(code, qid, "mallory", "0")
    with pytest.raises(TooManyAttempts):
        store.join(code, "mallory")
    store.vote(code, qid, "ana", "0")  # other voters are not affected


def test_old_failed_attempts_are_purged(store, clock):
    with pytest.raises(LookupError):
        store.join("ZZZZZZZZ", "guesser")
    assert len(rows(store, attempts)) == 1
    clock.advance(WINDOW_S)
    store.purge_expired()
    assert rows(store, attempts) == []

"""Many voters at the same moment from several processes (each its own store, as several server
processes would have): every voter's last answer counts exactly once, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter

from tests.classroom.crowd import final, timed, vote_at_once

PROCESSES, VOTERS = 4, 50


def test_every_voters_last_answer_counts_once_across_processes(store, url, room):
    code, _, qid, options = room
    cast, _ = vote_at_once(url, code, qid, options, processes=PROCESSES, voters=VOTERS)
    assert cast == 2 * PROCESSES * VOTERS
    expected = Counter(final(options, k, v) for k in range(PROCESSES) for v in range(VOTERS))
    assert store.tally(code, qid) == {option: expected[option] for option in options}
    assert sum(store.tally(code, qid).values()) == PROCESSES * VOTERS
    for k, v in ((0, 0), (3, 49), (2, 17)):
        assert store.my_vote(code, qid, f"p{k}-v{v}") == final(options, k, v)


def test_one_store_serves_many_threads(store, room):
    code, _, qid, options = room
    errors = []

    def voter(k: int) -> None:
        try:
            for answer in (options[k % 4], options[(k + 1) % 4]):
                store.vote(code, qid, f"t{k}", answer)
            store.tally(code, qid)
        except Exception as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=voter, args=(k,)) for k in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert store.tally(code, qid) == dict.fromkeys(options, 4)


def test_a_timed_crowd_counts_each_voter_once(url):
    """What ``make bench`` times: processes changing votes as fast as they can for a while."""
    result = timed(url, processes=2, seconds=1.0, voters=5)
    assert result["votes"] >= 2 * 5  # every voter voted at least once, most of them many times
    assert result["voters"] == 2 * 5
    assert result["votes_per_s"] == result["votes"] / result["seconds"]
    assert 1.0 <= result["seconds"] < 10

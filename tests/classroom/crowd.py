"""A class voting at once from several processes, each with its own store, as several server processes
would: the concurrency tests count the result, ``make bench`` times it.

Voter ``v`` of process ``k`` is ``p{k}-v{v}``. Without ``seconds`` every voter votes
``options[(k + v) % n]``, then, once all of that process's voters have, changes to ``final(k, v)``.
With ``seconds`` the process votes for that long (and until each of its voters has voted once), voter
after voter, changing answers as it goes.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
import traceback

from classroom import open_store

OPTIONS = ("0", "1", "2", "2.9")


def final(options, k: int, v: int) -> str:
    """The answer voter ``v`` of process ``k`` ends on (without ``seconds``)."""
    return options[(k + v + 1) % len(options)]


def _votes(store, code, qid, options, k: int, voters: int, seconds: float | None) -> int:
    if seconds is None:
        for round_ in (0, 1):
            for v in range(voters):
                store.vote(code, qid, f"p{k}-v{v}", options[(k + v + round_) % len(options)])
        return 2 * voters
    count, end = 0, time.perf_counter() + seconds
    while count < voters or time.perf_counter() < end:  # every voter votes at least once
        store.vote(code, qid, f"p{k}-v{count % voters}", options[count % len(options)])
        count += 1
    return count


def _worker(url, code, qid, options, k, voters, seconds, barrier, results) -> None:
    try:
        store = open_store(url)
        barrier.wait(timeout=120)  # every process has its store: they start together
        started = time.perf_counter()
        count = _votes(store, code, qid, options, k, voters, seconds)
        results.put((k, count, time.perf_counter() - started, ""))
        store.dispose()
    except Exception:
        results.put((k, 0, 0.0, traceback.format_exc()))


def _result(results, procs) -> tuple:
    """The next process's result; AssertionError once every process has ended and none is left."""
    while True:
        try:
            return results.get(timeout=1)
        except queue.Empty:
            if all(p.exitcode is not None for p in procs) and results.empty():
                raise AssertionError(
                    f"a voting process died: exit codes {[p.exitcode for p in procs]}"
                ) from None


def vote_at_once(
    url: str, code: str, qid: str, options, processes: int = 4, voters: int = 50, seconds: float | None = None
) -> tuple[int, float]:
    """``processes`` fresh processes vote on question ``qid`` of class ``code`` at once; returns the votes
    cast and the longest process's seconds. A process's error is raised here with its traceback."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(processes), ctx.Queue()
    args = (url, code, qid, list(options))
    procs = [
        ctx.Process(target=_worker, args=(*args, k, voters, seconds, barrier, results))
        for k in range(processes)
    ]
    for p in procs:
        p.start()
    try:
        done = [_result(results, procs) for _ in procs]
    finally:
        for p in procs:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    errors = [error for *_, error in done if error]
    if errors:
        raise AssertionError("a voting process failed:\n" + "\n".join(errors))
    return sum(count for _, count, *_ in done), max(wall for _, _, wall, _ in done)


def timed(url: str, processes: int = 4, seconds: float = 4.0, voters: int = 50) -> dict:
    """A new class's question on ``url`` takes votes from ``processes`` processes for ``seconds``: the
    votes cast, the seconds, votes per second, and how many voters the tally counts."""
    store = open_store(url)
    try:
        code, token = store.create_class()
        qid = store.ask(token, "At initialization all s ≈ 0: what is the SVM loss?", list(OPTIONS))
        cast, wall = vote_at_once(url, code, qid, OPTIONS, processes, voters, seconds)
        counted = sum(store.tally(code, qid).values())
    finally:
        store.dispose()
    return {"votes": cast, "seconds": wall, "votes_per_s": cast / wall, "voters": counted}

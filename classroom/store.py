"""The class-mode store: classes, their questions and one vote per student, on SQLite or PostgreSQL.

A wrong or dead instructor token raises ``PermissionError``; an unknown or expired class or question
``LookupError``; an answer not among the options, a vote on a closed question, or a malformed argument
``ValueError`` naming it. Every value goes to the database as a bound parameter, never as SQL.

>>> import tempfile
>>> store = open_store(f"sqlite:///{tempfile.mkdtemp()}/doctest.sqlite3")
>>> code, token = store.create_class()
>>> q = store.ask(token, "At initialization all s ≈ 0: what is the SVM loss (3 classes)?", ["0", "1", "2"])
>>> store.vote(code.lower(), q, "student-1", "2")
>>> store.tally(code, q)
{'0': 0, '1': 0, '2': 1}
"""

from __future__ import annotations

import hmac
import os
import secrets
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from classroom import checks as ck
from classroom.backend import WRITE, make_engine
from classroom.schema import Poll, attempts, classes, questions, votes
from core.checks import number

DEFAULT_HOURS, MAX_HOURS = 12.0, 24.0 * 7
MAX_FAILURES, WINDOW_S = 10, 600.0  # failed joins a client may make in the window before it must wait
MAX_ADDRESS_FAILURES = 100  # failed joins from one network address in the window (all its clients)


class TooManyAttempts(PermissionError):
    """The client failed ``MAX_FAILURES`` times in the last ``WINDOW_S`` seconds; it must wait."""


def open_store(url: str | None = None, *, clock: Callable[[], float] = time.time) -> Store:
    """A store on ``url`` (None: ``$LOSSLAB_DATABASE_URL`` or the SQLite default file), tables created
    on first use. ``clock`` gives the time in seconds (tests move it to expire classes)."""
    return Store(make_engine(url), clock)


class Store:
    """The store's operations; one per process is enough (its engine's pool serves many threads)."""

    def __init__(self, engine: sa.Engine, clock: Callable[[], float] = time.time):
        self.engine, self.clock = engine, clock
        self._writer = engine.execution_options(**WRITE)
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    def dispose(self) -> None:
        """Closes the pool's connections (a test's or a benchmark's end)."""
        self.engine.dispose()

    # The instructor's side

    def create_class(self, hours: float | None = None) -> tuple[str, str]:
        """A new class for ``hours`` (default ``$LOSSLAB_CLASS_HOURS`` or 12): its join code (8
        characters, shown as ``ABCD-EFGH``) and the instructor token, which only the caller ever sees."""
        name = "hours" if hours is not None else "LOSSLAB_CLASS_HOURS"
        if hours is None:
            hours = os.environ.get("LOSSLAB_CLASS_HOURS") or DEFAULT_HOURS
        hours = number(name, hours, low=0, high=MAX_HOURS, low_open=True)
        self.purge_expired()
        token, now = ck.new_token(), self.clock()
        with self._writer.begin() as conn:
            while True:  # a taken code (one in 8.5e11 per live class) is drawn again
                code = ck.new_code()
                if conn.execute(sa.select(classes.c.code).where(classes.c.code == code)).first() is None:
                    break
            row = {"code": code, "token_hash": ck.token_hash(token), "created_at": now}
            conn.execute(classes.insert().values(**row, expires_at=now + hours * 3600))
        return code, token

    def class_of(self, instructor_token: str) -> str:
        """The join code of the live class ``instructor_token`` opened; PermissionError if none."""
        with self.engine.connect() as conn:
            return self._owned(conn, instructor_token)

    def ask(self, instructor_token: str, question: str, options: list[str]) -> str:
        """Puts ``question`` with its ``options`` (2 to 12) to the class; returns the question's id."""
        question = ck.text("question", question, ck.MAX_QUESTION)
        options = ck.options(options)
        qid = secrets.token_urlsafe(12)
        with self._writer.begin() as conn:
            row = {"id": qid, "code": self._owned(conn, instructor_token), "question": question}
            conn.execute(
                questions.insert().values(
                    **row, options=list(options), state="open", facts={}, asked_at=self.clock()
                )
            )
        return qid

    def close(self, instructor_token: str, question_id: str) -> None:
        """No more votes on the question (closing a closed or revealed one changes nothing)."""
        self._set(instructor_token, question_id, questions.c.state == "open", state="closed")

    def reveal(self, instructor_token: str, question_id: str, answer: str, facts: dict) -> None:
        """Closes the question and shows everyone ``answer`` and ``facts`` (text or numbers, as the
        instructor's page computed them)."""
        answer = ck.text("answer", answer, ck.MAX_QUESTION)
        self._set(
            instructor_token, question_id, sa.true(), state="revealed", answer=answer, facts=ck.facts(facts)
        )

    def end(self, instructor_token: str) -> None:
        """Ends the class now: it, its questions and their votes are deleted."""
        with self._writer.begin() as conn:
            self._delete(conn, classes.c.code == self._owned(conn, instructor_token))

    def purge_expired(self) -> int:
        """Deletes expired classes (with their questions and votes) and failed attempts older than the
        window; returns how many classes went."""
        now = self.clock()
        with self._writer.begin() as conn:
            conn.execute(attempts.delete().where(attempts.c.at <= now - WINDOW_S))
            return self._delete(conn, classes.c.expires_at <= now)

    # The students' side

    def join(self, code: str, client: str, address: str | None = None) -> str:
        """The normalised code of the live class ``code`` names (any case, dashes and spaces ignored).
        A code that names none is a failed attempt of ``client`` (LookupError); ``MAX_FAILURES`` of them
        in ``WINDOW_S`` seconds and every join of the client raises TooManyAttempts until they age.
        ``address`` (the network address the client comes from) has its own, larger allowance,
        ``MAX_ADDRESS_FAILURES``: new client ids from one machine do not buy more guesses, while a
        lecture hall behind one address has room for its typos."""
        client = ck.text("client", client, ck.MAX_ID)
        keys = [(client, MAX_FAILURES)]
        if address is not None:
            keys.append((f"address:{ck.text('address', address, ck.MAX_ID - 8)}", MAX_ADDRESS_FAILURES))
        normal = ck.normalise_code(code)
        with self.engine.connect() as conn:
            for key, allowed in keys:
                self._check_rate(conn, key, allowed)
            if normal is not None and self._live(conn, normal):
                return normal
        for key, _ in keys:
            self._fail(key)
        raise LookupError(f"no class has the code {code!r} (or it has ended)")

    def vote(self, code: str, question_id: str, voter: str, answer: str) -> None:
        """Records ``voter``'s answer to an open question, replacing their earlier one. An unknown code
        is a failed attempt of ``voter``, as in ``join``."""
        question_id = ck.text("question_id", question_id, ck.MAX_ID)
        voter = ck.text("voter", voter, ck.MAX_VOTER)
        answer = ck.text("answer", answer, ck.MAX_OPTION)
        normal = ck.normalise_code(code)
        with self._writer.begin() as conn:  # one transaction: a close waits for it, or it sees the close
            self._check_rate(conn, voter)
            live = questions.c.id == question_id, *self._alive(normal)
            query = sa.select(questions.c.options, questions.c.state).join(classes).where(*live)
            row = conn.execute(query.with_for_update(read=True, of=questions)).first() if normal else None
            if row is not None:
                if row.state != "open":
                    raise ValueError("the question is closed: no more votes")
                if answer not in row.options:
                    raise ValueError(f"answer must be one of {row.options!r}, got {answer!r}")
                stmt = self._insert(votes).values(question_id=question_id, voter=voter, answer=answer)
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["question_id", "voter"], set_={"answer": answer}
                    )
                )
                return
            if normal is not None and self._live(conn, normal):
                raise LookupError(f"class {ck.shown(normal)} has no question {question_id!r}")
        self._fail(voter)
        raise LookupError(f"no class has the code {code!r} (or it has ended)")

    def tally(self, code: str, question_id: str) -> dict[str, int]:
        """Votes per option, every option in the order asked, zeros included."""
        with self.engine.connect() as conn:
            options = self._poll_row(conn, code, question_id).options
            counts = conn.execute(
                sa.select(votes.c.answer, sa.func.count())
                .where(votes.c.question_id == question_id)
                .group_by(votes.c.answer)
            )
            counted = dict(counts.all())
        return {option: counted.get(option, 0) for option in options}

    def current(self, code: str) -> Poll | None:
        """The class's latest question, or None before the first. One query while the class has a
        question (every student's page asks this whenever the class changes)."""
        normal = ck.normalise_code(code)
        latest = (
            sa.select(questions)
            .join(classes)
            .where(*self._alive(normal))
            .order_by(questions.c.n.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(latest).first() if normal else None
            if row is None:
                self._known(conn, code)  # no question yet, or no such class (LookupError)
                return None
        return Poll(
            row.id, row.question, tuple(row.options), row.state, row.answer, dict(row.facts), row.asked_at
        )

    def my_vote(self, code: str, question_id: str, voter: str) -> str | None:
        """``voter``'s answer to the question, or None if they have not voted. One query (every
        student's page asks this once per question)."""
        voter = ck.text("voter", voter, ck.MAX_VOTER)
        question_id = ck.text("question_id", question_id, ck.MAX_ID)
        normal = ck.normalise_code(code)
        mine = sa.and_(votes.c.question_id == questions.c.id, votes.c.voter == voter)
        query = (
            sa.select(questions.c.id, votes.c.answer)
            .select_from(questions.join(classes).outerjoin(votes, mine))
            .where(questions.c.id == question_id, *self._alive(normal))
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first() if normal else None
            if row is None:
                self._poll_row(conn, code, question_id)  # LookupError: no such class, or no such question
            return row.answer if row else None

    # Helpers: each takes an open connection, so a caller's checks and writes share one transaction

    def _owned(self, conn: sa.Connection, instructor_token: str) -> str:
        digest = ck.token_hash(ck.text("instructor_token", instructor_token, ck.MAX_ID))
        row = conn.execute(
            sa.select(classes.c.code, classes.c.token_hash).where(
                classes.c.token_hash == digest, classes.c.expires_at > self.clock()
            )
        ).first()
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            raise PermissionError("the instructor token does not open a live class")
        return row.code

    def _alive(self, normal: str) -> tuple:
        """The conditions on ``classes`` of the live class ``normal`` (not ended, not expired)."""
        return classes.c.code == normal, classes.c.expires_at > self.clock()

    def _live(self, conn: sa.Connection, code: str) -> bool:
        return conn.execute(sa.select(classes.c.code).where(*self._alive(code))).first() is not None

    def _known(self, conn: sa.Connection, code: str) -> str:
        normal = ck.normalise_code(code)
        if normal is None or not self._live(conn, normal):
            raise LookupError(f"no class has the code {code!r} (or it has ended)")
        return normal

    def _question(self, normal: str, question_id: str, *columns) -> sa.Select:
        return sa.select(*columns).where(questions.c.id == question_id, questions.c.code == normal)

    def _poll_row(self, conn: sa.Connection, code: str, question_id: str):
        question_id = ck.text("question_id", question_id, ck.MAX_ID)
        normal = self._known(conn, code)
        row = conn.execute(self._question(normal, question_id, questions.c.options)).first()
        if row is None:
            raise LookupError(f"class {ck.shown(normal)} has no question {question_id!r}")
        return row

    def _set(self, instructor_token: str, question_id: str, when, **values) -> None:
        question_id = ck.text("question_id", question_id, ck.MAX_ID)
        with self._writer.begin() as conn:
            code = self._owned(conn, instructor_token)
            asked_in = conn.execute(sa.select(questions.c.code).where(questions.c.id == question_id)).scalar()
            if asked_in is None:
                raise LookupError(f"class {ck.shown(code)} has no question {question_id!r}")
            if not hmac.compare_digest(asked_in, code):
                raise PermissionError(
                    "the instructor token is not the one of the class that asked this question"
                )
            mine = questions.c.id == question_id, questions.c.code == code
            conn.execute(questions.update().where(*mine, when).values(**values))

    def _delete(self, conn: sa.Connection, which) -> int:
        codes = sa.select(classes.c.code).where(which)
        asked = sa.select(questions.c.id).where(questions.c.code.in_(codes))
        conn.execute(votes.delete().where(votes.c.question_id.in_(asked)))
        conn.execute(questions.delete().where(questions.c.code.in_(codes)))
        return conn.execute(classes.delete().where(which)).rowcount

    def _check_rate(self, conn: sa.Connection, client: str, allowed: int = MAX_FAILURES) -> None:
        mine = attempts.c.client == client, attempts.c.at > self.clock() - WINDOW_S
        failures = conn.execute(sa.select(sa.func.count()).where(*mine)).scalar_one()
        if failures >= allowed:
            raise TooManyAttempts(
                f"{failures} wrong codes in {WINDOW_S / 60:.0f} minutes: wait and try again"
            )

    def _fail(self, client: str) -> None:
        with self._writer.begin() as conn:
            conn.execute(attempts.insert().values(client=client, at=self.clock()))

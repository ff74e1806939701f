"""The store under test, on SQLite (a file in tmp_path) and on PostgreSQL (a server this session starts,
a fresh schema for each test). The PostgreSQL cases are marked ``server`` (``make test-fast`` leaves
them out); without Debian's PostgreSQL they are skipped, unless ``REQUIRE_POSTGRES=1`` (CI): then they
fail.
"""

from __future__ import annotations

import itertools
import os

import pytest
import sqlalchemy as sa

from classroom import open_store
from tests.classroom.postgres import PostgresServer, find_postgres

_schemas = itertools.count()


class Clock:
    """A clock the test moves: ``clock()`` is the time, ``clock.advance(seconds)`` moves it on."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def postgres_server():
    bindir, why = find_postgres()
    if bindir is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but {why}", pytrace=False)
        pytest.skip(why)
    with PostgresServer(bindir, durable=False) as server:
        yield server


def fresh_schema(server: PostgresServer) -> str:
    """A URL on ``server`` whose connections see only a new, empty schema (cheaper than a database)."""
    name = f"test_{os.getpid()}_{next(_schemas)}"
    admin = sa.create_engine(server.url.replace("postgresql://", "postgresql+psycopg://"))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))  # a name made here, not data
    admin.dispose()
    return f"{server.url}?options=-csearch_path%3D{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.server)])
def url(request, tmp_path) -> str:
    """A database URL with nothing in it yet, on each back end."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'classroom.sqlite3'}"
    return fresh_schema(request.getfixturevalue("postgres_server"))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(url, clock):
    store = open_store(url, clock=clock)
    yield store
    store.dispose()


@pytest.fixture
def room(store):
    """A class with one open question: (code, token, question id, options)."""
    code, token = store.create_class()
    options = ["0", "1", "2", "2.9"]
    qid = store.ask(token, "At initialization all s ≈ 0: what is the SVM loss?", options)
    return code, token, qid, options

"""Which database a store uses and how it connects: SQLite by default, PostgreSQL by URL.

``database_url(None)`` is ``$LOSSLAB_DATABASE_URL`` or SQLite at ``$LOSSLAB_DATA_DIR/classroom.sqlite3``
(default ``<repo>/data``). ``postgresql://`` URLs run on psycopg 3. On SQLite every connection is in WAL
mode (readers never wait for a writer; several processes on one machine share the file) with a busy
timeout, and the store's writes begin with ``BEGIN IMMEDIATE``, so concurrent writers queue for the
lock instead of failing half-way through a read-then-write transaction.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from classroom.schema import metadata

REPO = Path(__file__).resolve().parent.parent
BUSY_TIMEOUT_S = 30.0
WRITE = {"classroom_write": True}  # execution option: this transaction writes
_SCHEMA_LOCK = 1_414_000_014  # a PostgreSQL advisory lock key: one process creates the tables at a time


def database_url(url: str | None = None) -> str:
    """The SQLAlchemy URL for ``url``; None means ``$LOSSLAB_DATABASE_URL`` or the SQLite default file
    (its directory created). ``postgresql://`` and ``postgres://`` become ``postgresql+psycopg://``.

    >>> database_url("postgresql://u@db:5432/losslab")
    'postgresql+psycopg://u@db:5432/losslab'
    """
    url = url or os.environ.get("LOSSLAB_DATABASE_URL") or None
    if url is None:
        folder = Path(os.environ.get("LOSSLAB_DATA_DIR") or REPO / "data")
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / 'classroom.sqlite3'}"
    if not isinstance(url, str):
        raise ValueError(f"url must be a database URL string, got {type(url).__name__}")
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    if not url.startswith(("sqlite:///", "postgresql+psycopg://")):
        raise ValueError(f"url must start with sqlite:/// or postgresql://, got {url.split(':', 1)[0]!r}:…")
    return url


def make_engine(url: str) -> sa.Engine:
    """An engine for ``database_url(url)``, its pool shared by threads, the tables created if missing."""
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    with engine.execution_options(**WRITE).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        metadata.create_all(conn)
    return engine


def _sqlite_connect(dbapi_connection, _record) -> None:
    """WAL, foreign keys, and transactions left to ``_sqlite_begin`` (the driver's own are off)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(
        "PRAGMA synchronous = NORMAL"
    )  # WAL's usual setting: a power cut may undo the last commits
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    """A writing transaction takes the write lock first (waiting up to the busy timeout)."""
    conn.exec_driver_sql(
        "BEGIN IMMEDIATE" if conn.get_execution_options().get("classroom_write") else "BEGIN"
    )

"""Section "store": votes per second the class-mode store takes, 4 processes voting at once for 4 s
(tests.classroom.crowd), on SQLite and a throwaway PostgreSQL server. The value: wall seconds a vote."""

from __future__ import annotations

import tempfile

from bench.report import Row, skipped_row
from tests.classroom.crowd import timed
from tests.classroom.postgres import PostgresServer, find_postgres

MEASURE = "votes per second, {}: 4 processes at once (wall s per vote)"


def run() -> tuple[list, dict]:
    """A row a back end, no target: even 50 votes a second take a hall of 300 students' answers in 6 s."""
    bindir, why = find_postgres()
    with tempfile.TemporaryDirectory() as tmp:
        details = {"SQLite": timed(f"sqlite:///{tmp}/bench.sqlite3")}
    if bindir:
        with PostgresServer(bindir) as server:
            details["PostgreSQL"] = timed(server.url)
    rows = [skipped_row("store", MEASURE.format("PostgreSQL"), "", why)] if why else []
    for name, d in details.items():
        note = f"{d['votes_per_s']:.0f} votes/s ({d['votes']} votes in {d['seconds']:.1f} s)"
        rows.append(Row("store", MEASURE.format(name), d["seconds"] / d["votes"], None, None, "", None, note))
    return rows, details

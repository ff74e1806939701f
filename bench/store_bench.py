"""Section "store": votes per second the class-mode store takes, 4 processes voting at once for 4 s
(tests.classroom.crowd), on SQLite and a throwaway PostgreSQL server. The value: wall seconds a vote."""

from __future__ import annotations

import tempfile

from bench.report import absolute_row, skipped_row, table
from tests.classroom.crowd import timed
from tests.classroom.postgres import PostgresServer, find_postgres

MEASURE = "votes per second, {}: 4 processes at once (wall s per vote)"


def run() -> tuple[list, dict]:
    """A row a back end, against 0.01 s a vote (100 votes/s: a lecture hall of 200 within 2 s)."""
    bindir, why = find_postgres()
    with tempfile.TemporaryDirectory() as tmp:
        details = {"SQLite": timed(f"sqlite:///{tmp}/bench.sqlite3")}
    if bindir:
        with PostgresServer(bindir) as server:
            details["PostgreSQL"] = timed(server.url)
    rows = [skipped_row("store", MEASURE.format("PostgreSQL"), "<= 0.01 s", why)] if why else []
    for name, d in details.items():
        rows.append(absolute_row("store", MEASURE.format(name), d["seconds"] / d["votes"], 0.01))
        rows[-1].note = f"{d['votes_per_s']:.0f} votes/s ({d['votes']} votes in {d['seconds']:.1f} s)"
    return rows, details


if __name__ == "__main__":
    print(table(run()[0]))

"""Class mode's store: classes, the questions put to them and one vote per student; no Streamlit.

``open_store()`` gives a ``Store`` on SQLite (a file under ``$LOSSLAB_DATA_DIR``, default ``data/``) or,
with ``LOSSLAB_DATABASE_URL=postgresql://…``, on PostgreSQL, so server processes on one machine (SQLite)
or several (PostgreSQL) share one class. See ``classroom.store`` for the operations and their errors.

Guessing a join code. A code is 8 characters from a 31-character alphabet (no 0/O, 1/I/L): 31**8, about
8.5e11 codes. A client (the id the UI passes to ``join``; a vote's voter id counts too) may fail 10
times in 10 minutes, then must wait: at most 60 guesses an hour, 720 in a class's 12 hours. With 100
classes live at once a guess hits one with odds 100 / 8.5e11 = 1.2e-10, so one client's 12 hours of
guessing finds a class with odds of about 1 in 12 million. The limit counts per client id, so it holds
as far as the caller's ids cannot be multiplied at will; there is no limit across all clients (one
would let anyone lock every student out). Where ids are cheap (a new browser session), the bound is
the code space and the server's speed: 100 guesses a second for 12 hours (4.3e6) against 100 live
classes still finds one with odds of only 5e-4 (1 in 2,000).

The instructor token is ``secrets.token_urlsafe(32)`` (256 random bits); the store keeps only its
SHA-256, so a copy of the database opens no class.
"""

from classroom.checks import shown
from classroom.store import Poll, Store, TooManyAttempts, open_store

__all__ = ["Poll", "Store", "TooManyAttempts", "open_store", "shown"]

"""Class mode's store: classes, the questions put to them and one vote per student; no Streamlit.

``open_store()`` gives a ``Store`` on SQLite (a file under ``$LOSSLAB_DATA_DIR``, default ``data/``) or,
with ``LOSSLAB_DATABASE_URL=postgresql://…``, on PostgreSQL, so server processes on one machine (SQLite)
or several (PostgreSQL) share one class. See ``classroom.store`` for the operations and their errors.

Guessing a join code. A code is 8 characters from a 31-character alphabet (no 0/O, 1/I/L): 31**8, about
8.5e11 codes. A client (the id the UI passes to ``join``; a vote's voter id counts too) may fail 10
times in 10 minutes, then must wait: at most 60 guesses an hour, 720 in a class's 12 hours. With 100
classes live at once a guess hits one with odds 100 / 8.5e11 = 1.2e-10, so one client's 12 hours of
guessing finds a class with odds of about 1 in 12 million. Client ids are cheap (the UI makes one per
browser session), so ``join`` also takes the network address the client comes from, which may fail
100 times in 10 minutes whatever ids it uses: 14,400 guesses a day from one address, odds of about
1 in 600,000 of finding one of 100 live classes in a class's 12 hours (room enough for a lecture
hall's typos behind one NAT address). There is no limit across all addresses: one would let anyone
lock every student out.

The instructor token is ``secrets.token_urlsafe(32)`` (256 random bits); the store keeps only its
SHA-256, so a copy of the database opens no class.
"""

from classroom.checks import shown
from classroom.store import Poll, Store, TooManyAttempts, open_store

__all__ = ["Poll", "Store", "TooManyAttempts", "open_store", "shown"]

"""The store's four tables (SQLAlchemy Core), created on first use by ``metadata.create_all``.

``classes`` holds a join code and the SHA-256 of its instructor token (never the token); a class's
``questions`` and their ``votes`` go when it ends or expires; ``attempts`` records failed joins per
client for the rate limit, so every server process sharing the database shares the limit. A
question row reaches the pages as a ``Poll``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

metadata = sa.MetaData()

classes = sa.Table(
    "classroom_classes",
    metadata,
    sa.Column("code", sa.String(8), primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False, index=True),
)

questions = sa.Table(
    "classroom_questions",
    metadata,
    sa.Column("n", sa.Integer, primary_key=True, autoincrement=True),  # order of asking
    sa.Column("id", sa.String(32), nullable=False, unique=True),
    sa.Column("code", sa.ForeignKey(classes.c.code, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("options", sa.JSON, nullable=False),  # a list of texts, in the order shown
    sa.Column("state", sa.String(8), nullable=False),  # open, closed, revealed
    sa.Column("answer", sa.Text),
    sa.Column("facts", sa.JSON, nullable=False),
    sa.Column("asked_at", sa.Float, nullable=False),
)

votes = sa.Table(
    "classroom_votes",
    metadata,
    sa.Column("question_id", sa.ForeignKey(questions.c.id, ondelete="CASCADE"), primary_key=True),
    sa.Column("voter", sa.String(64), primary_key=True),  # one answer per (question, voter)
    sa.Column("answer", sa.Text, nullable=False),
)

attempts = sa.Table(
    "classroom_attempts",
    metadata,
    sa.Column("n", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client", sa.String(64), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Index("classroom_attempts_client_at", "client", "at"),
)


@dataclass(frozen=True)
class Poll:
    """A class's question as every page shows it; ``answer`` and ``facts`` are set by ``reveal``."""

    id: str
    question: str
    options: tuple[str, ...]
    state: str  # "open", "closed" or "revealed"
    answer: str | None
    facts: dict
    asked_at: float  # the store's clock, seconds

"""The store's entry checks: join codes, instructor tokens, and every text argument.

Each check returns the value (normalised where it says so) or raises ``ValueError`` naming the
argument, what is allowed and what it got, so the UI can show the message as it is.

>>> normalise_code("abcd-efgh")
'ABCDEFGH'
>>> shown("ABCDEFGH")
'ABCD-EFGH'
>>> text("voter", "", 64)
Traceback (most recent call last):
...
ValueError: voter must be a non-empty string of at most 64 characters, got ''
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets

# No 0/O, 1/I/L: what a student reads off a projector and types is what the store holds.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_QUESTION, MAX_OPTIONS, MAX_OPTION, MAX_VOTER = 200, 12, 80, 64
MAX_ID = 64  # question ids, clients, tokens (a token is 43 characters)
MAX_FACTS, MAX_FACT = 32, 400  # reveal's facts: entries, characters of a key or a text value
_SEPARATORS = re.compile(r"[\s\-]+")


def new_code() -> str:
    """A random join code: ``CODE_LENGTH`` characters of ``ALPHABET`` (31**8, about 8.5e11 codes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    """A random instructor token (32 bytes, URL-safe base64): only its ``token_hash`` is stored."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """SHA-256 of the token, hex: what the store keeps and looks up."""
    return hashlib.sha256(token.encode()).hexdigest()


def shown(code: str) -> str:
    """A code as it is shown and read out: ``ABCD-EFGH``."""
    return f"{code[:4]}-{code[4:]}"


def normalise_code(code) -> str | None:
    """``code`` in upper case without dashes or spaces; None if that cannot be a code (a typo counts as
    a failed attempt, like a wrong code); ValueError if it is not text or absurdly long."""
    text("code", code, 32)
    code = _SEPARATORS.sub("", code).upper()
    ok = len(code) == CODE_LENGTH and all(c in ALPHABET for c in code)
    return code if ok else None


def text(name: str, value, limit: int) -> str:
    """``value`` if it is a non-empty string of at most ``limit`` characters that a database can hold
    (no NUL byte, no lone surrogate), else ValueError."""
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        shown_value = value if not isinstance(value, str) else value[:40] + "…" * (len(value) > 40)
        raise ValueError(
            f"{name} must be a non-empty string of at most {limit} characters, got {shown_value!r}"
        )
    if "\x00" in value:
        raise ValueError(f"{name} must not contain a NUL character")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise ValueError(f"{name} must be valid Unicode text (it holds a lone surrogate)") from None
    return value


def options(value) -> tuple[str, ...]:
    """``value`` as a tuple of 2 to ``MAX_OPTIONS`` distinct option texts, each at most ``MAX_OPTION``."""
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        raise ValueError(f"options must be a list of strings, got {type(value).__name__}")
    if not 2 <= len(value) <= MAX_OPTIONS:
        raise ValueError(f"options must hold 2 to {MAX_OPTIONS} choices, got {len(value)}")
    out = tuple(text(f"options[{i}]", v, MAX_OPTION) for i, v in enumerate(value))
    if len(set(out)) != len(out):
        raise ValueError(f"options must be distinct, got {list(out)!r}")
    return out


def facts(value) -> dict:
    """``value`` if it is a dict of at most ``MAX_FACTS`` entries, text keys, and values that are text or
    finite numbers (what JSON holds exactly), else ValueError."""
    if not isinstance(value, dict) or len(value) > MAX_FACTS:
        raise ValueError(f"facts must be a dict of at most {MAX_FACTS} entries, got {type(value).__name__}")
    for key, v in value.items():
        text("facts key", key, MAX_FACT)
        if isinstance(v, str):
            text(f"facts[{key!r}]", v, MAX_FACT)
        elif isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ValueError(f"facts[{key!r}] must be text or a finite number, got {v!r}")
    return dict(value)

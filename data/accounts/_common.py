"""What the accounts modules share: the error they raise, the password hasher, the clock, and text that is
safe to store and to show."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher

# Longer than any token or session cookie this package hands out: refused without a query.
MAX_SECRET = 200
# A session's last_seen_at and a token's last_used_at are written at most this often, not on every request.
TOUCH_EVERY = timedelta(seconds=60)

_hasher = PasswordHasher()


class AccountError(ValueError):
    """A refused account operation; the message is one Chinese line fit to show a person."""


# --- text that is safe to store and to show --------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _clean(text: object, limit: int) -> str | None:
    """``text`` as a column can hold it: valid UTF-8, no control characters, at most ``limit`` characters."""
    if text is None:
        return None
    text = str(text).encode("utf-8", "replace").decode("utf-8")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc")
    return text[:limit] or None


def _shown(text: object) -> str:
    """A value quoted in a message: printable (a control character shows as �), and short even when what was
    typed was not."""
    text = str(text)[:41].encode("utf-8", "replace").decode("utf-8")
    text = "".join("\ufffd" if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return text if len(text) <= 40 else text[:40] + "…"


def _storable(text: object, limit: int) -> bool:
    """Whether ``text`` can be compared with a column without the database refusing it (PostgreSQL refuses
    NUL; neither driver can send a lone surrogate)."""
    return isinstance(text, str) and 0 < len(text) <= limit and _clean(text, limit) == text


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _password_bytes(password: str) -> bytes:
    # Passwords typed at the terminal or set in the environment may carry undecodable bytes as surrogates.
    return password.encode("utf-8", "surrogatepass")

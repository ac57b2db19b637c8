"""Signing in: authentication, the throttle on failed attempts, and the sessions behind the cookie."""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, func, insert, select
from sqlalchemy import update as sql_update

from data.accounts._common import (
    MAX_SECRET,
    TOUCH_EVERY,
    AccountError,
    _clean,
    _digest,
    _hasher,
    _now,
    _password_bytes,
    _utc,
)
from data.accounts.audit import MAX_ADDRESS, MAX_SUBJECT, _record
from data.accounts.checks import MAX_PASSWORD
from data.accounts.users import Account, _account, _require, _row
from data.schema import account, audit_event, login_session
from data.writes import try_write

# Sign-in throttling: this many failures for one username or from one address within the window close it.
THROTTLE_FAILURES = 5
THROTTLE_WINDOW = timedelta(minutes=10)

WRONG_CREDENTIALS = "用户名或密码错误"


class Throttled(AccountError):
    """Too many failed sign-ins for this username or from this address; ``wait_seconds`` until the next try."""

    def __init__(self, wait_seconds: int) -> None:
        self.wait_seconds = max(1, int(wait_seconds))
        if self.wait_seconds >= 60:
            when = f"{math.ceil(self.wait_seconds / 60)} 分钟"
        else:
            when = f"{self.wait_seconds} 秒"
        super().__init__(f"登录失败次数过多，请 {when}后再试")


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_bytes(16))


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, _password_bytes(password))
    except (VerificationError, InvalidHashError):
        return False


def _throttle_wait(conn: Connection, subject: str | None, address: str | None, now: datetime) -> int:
    """Seconds until the oldest of the last THROTTLE_FAILURES failures (by username, by address) leaves the
    window; 0 when fewer failures lie in the window."""
    wait = 0
    for column, value in ((audit_event.c.subject, subject), (audit_event.c.address, address)):
        if value is None:
            continue
        times = conn.scalars(
            select(audit_event.c.at)
            .where(
                audit_event.c.event == "login_failed",
                column == value,
                audit_event.c.at > now - THROTTLE_WINDOW,
            )
            .order_by(audit_event.c.at.desc())
            .limit(THROTTLE_FAILURES)
        ).all()
        if len(times) >= THROTTLE_FAILURES:
            left = (_utc(times[-1]) + THROTTLE_WINDOW - now).total_seconds()
            wait = max(wait, math.ceil(left))
    return wait


def _one_at_a_time(conn: Connection, username: str | None, address: str | None) -> None:
    """Attempts for one username or from one address take turns until their caller commits: counted failures
    and the check against them are then one step (30 wrong passwords sent at once were 8 checked, not 5).
    PostgreSQL: an advisory lock per username and per address; SQLite: its write lock, taken now."""
    if conn.dialect.name == "postgresql":
        keys = sorted({f"login:{k}" for k in (username, address) if k})
        for key in keys:
            conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))
    else:
        # A write that changes nothing: SQLite takes its write lock at a transaction's first write.
        conn.execute(sql_update(account).where(account.c.id == -1).values(last_login_at=None))


def authenticate(conn: Connection, username: str, password: str, *, address: str | None) -> Account:
    """The account whose password this is, or AccountError (``用户名或密码错误``) or :class:`Throttled`.

    Unknown and disabled accounts fail exactly like a wrong password, and cost the same hashing time. Every
    outcome is in the audit log (never the password); commit after a failure too, or it is not counted.
    """
    tried, where = _clean(username, MAX_SUBJECT), _clean(address, MAX_ADDRESS)
    _one_at_a_time(conn, tried, where)
    now = _now()
    wait = _throttle_wait(conn, tried, where, now)
    if wait > 0:
        raise Throttled(wait)
    row = _row(conn, username)
    if not isinstance(password, str) or len(password) > MAX_PASSWORD:
        reason = "password_too_long"
    elif row is None:
        _verify(_dummy_hash(), password)
        reason = "unknown_user"
    elif not _verify(row.password_hash, password):
        reason = "wrong_password"
    else:
        reason = "disabled" if row.disabled else None
    if reason is not None:
        _record(conn, "login_failed", None, where, tried, reason=reason)
        raise AccountError(WRONG_CREDENTIALS)
    values: dict[str, Any] = {"last_login_at": now}
    if _hasher.check_needs_rehash(row.password_hash):
        # New parameters, same password: password_changed_at stays, so no session ends.
        values["password_hash"] = _hasher.hash(_password_bytes(password))
    conn.execute(sql_update(account).where(account.c.id == row.id).values(**values))
    _record(conn, "login_ok", row.username, where, None)
    return _account(_require(conn, row.username))


def start_session(conn: Connection, account: Account, *, address: str | None) -> str:
    """A new session for ``account``: the token for the cookie (only its SHA-256 is stored)."""
    token = secrets.token_urlsafe(32)
    now = _now()
    conn.execute(
        insert(login_session).values(
            account_id=account.id,
            token_hash=_digest(token),
            created_at=now,
            last_seen_at=now,
            address=_clean(address, MAX_ADDRESS),
        )
    )
    return token


# Read on every request of a signed-in reader: built once.
_SESSION = (
    select(account, login_session.c.id.label("session_id"), login_session.c.created_at.label("started"))
    .add_columns(login_session.c.last_seen_at, login_session.c.ended_at)
    .join(login_session, login_session.c.account_id == account.c.id)
    .where(login_session.c.token_hash == bindparam("token_hash"))
)


def session_account(conn: Connection, token: str, *, idle_seconds: float) -> Account | None:
    """The account signed in with this session token, or None: unknown, ended, idle too long, the account
    disabled, or its password changed since the session began."""
    if not isinstance(token, str) or not 0 < len(token) <= MAX_SECRET:
        return None
    found = conn.execute(_SESSION, {"token_hash": _digest(token)}).first()
    if found is None or found.ended_at is not None or found.disabled:
        return None
    now = _now()
    seen = _utc(found.last_seen_at)
    if (now - seen).total_seconds() > idle_seconds:
        return None
    if _utc(found.password_changed_at) > _utc(found.started):
        return None
    if now - seen > TOUCH_EVERY:
        # left for the next request while a publish holds the store (data/writes.py)
        try_write(
            conn,
            sql_update(login_session).where(login_session.c.id == found.session_id).values(last_seen_at=now),
        )
    return _account(found)


def end_session(conn: Connection, token: str, *, address: str | None = None) -> None:
    """Sign out: the session ends and the audit log says so. An unknown or ended session is left alone."""
    if not isinstance(token, str) or not 0 < len(token) <= MAX_SECRET:
        return
    found = conn.execute(
        select(login_session.c.id, account.c.username)
        .join(account, login_session.c.account_id == account.c.id)
        .where(login_session.c.token_hash == _digest(token), login_session.c.ended_at.is_(None))
    ).first()
    if found is None:
        return
    conn.execute(sql_update(login_session).where(login_session.c.id == found.id).values(ended_at=_now()))
    _record(conn, "logout", found.username, _clean(address, MAX_ADDRESS), None)

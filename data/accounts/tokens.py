"""API tokens for the JSON interface: created and shown once, listed, revoked, and resolved to their account."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select
from sqlalchemy import update as sql_update

from data.accounts._common import MAX_SECRET, TOUCH_EVERY, AccountError, _digest, _now, _shown, _utc
from data.accounts.audit import _record, _via
from data.accounts.users import Account, _account, _require
from data.schema import account, api_token
from data.writes import try_write

# A token lives at most ten years: more is a typo, and a huge number would overflow the date arithmetic.
MAX_TOKEN_DAYS = 3650
TOKEN_PREFIX = "fzt_"


@dataclass(frozen=True)
class TokenInfo:
    """An API token as it may be listed: never the token itself, which only its creator saw once."""

    id: int
    username: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "已吊销"
        if self.expires_at is not None and self.expires_at <= _now():
            return "已过期"
        return "有效"


def create_token(
    conn: Connection,
    username: str,
    *,
    days: int | None = None,
    actor: str | None = None,
    address: str | None = None,
) -> tuple[int, str]:
    """A new API token for ``username``, valid ``days`` days (None: until revoked): (its id, the token).

    The token is shown this once; only its SHA-256 is stored.
    """
    if days is not None and (
        isinstance(days, bool) or not isinstance(days, int) or not 0 < days <= MAX_TOKEN_DAYS
    ):
        raise AccountError(f"令牌有效期应为 1 到 {MAX_TOKEN_DAYS} 天")
    row = _require(conn, username)
    if row.disabled:
        raise AccountError(f"账号 “{row.username}” 已停用，不能创建令牌")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = _now()
    expires = None if days is None else now + timedelta(days=days)
    result = conn.execute(
        insert(api_token).values(
            account_id=row.id, token_hash=_digest(token), created_at=now, expires_at=expires
        )
    )
    token_id = result.inserted_primary_key[0]
    expiry = None if expires is None else expires.isoformat(timespec="seconds")
    _record(
        conn,
        "token_create",
        actor,
        address,
        row.username,
        token_id=token_id,
        expires_at=expiry,
        **_via(actor),
    )
    return token_id, token


def list_tokens(conn: Connection, username: str | None = None) -> list[TokenInfo]:
    """Every token (or ``username``'s), oldest first."""
    query = select(api_token, account.c.username).join(account, api_token.c.account_id == account.c.id)
    if username is not None:
        query = query.where(account.c.id == _require(conn, username).id)
    return [
        TokenInfo(
            id=row.id,
            username=row.username,
            created_at=_utc(row.created_at),
            expires_at=_utc(row.expires_at),
            revoked_at=_utc(row.revoked_at),
            last_used_at=_utc(row.last_used_at),
        )
        for row in conn.execute(query.order_by(api_token.c.id))
    ]


def revoke_token(
    conn: Connection, token_id: int, *, actor: str | None = None, address: str | None = None
) -> None:
    """Revoke a token for good (a revoked token is never valid again)."""
    # Beyond a 32-bit id the drivers refuse the number instead of finding nothing.
    valid = isinstance(token_id, int) and not isinstance(token_id, bool) and 0 < token_id < 2**31
    found = None
    if valid:
        found = conn.execute(
            select(api_token.c.id, api_token.c.revoked_at, account.c.username)
            .join(account, api_token.c.account_id == account.c.id)
            .where(api_token.c.id == token_id)
        ).first()
    if found is None:
        raise AccountError(f"令牌 {_shown(token_id)} 不存在")
    if found.revoked_at is not None:
        raise AccountError(f"令牌 {token_id} 已经吊销")
    conn.execute(sql_update(api_token).where(api_token.c.id == token_id).values(revoked_at=_now()))
    _record(conn, "token_revoke", actor, address, found.username, token_id=token_id, **_via(actor))


def token_account(conn: Connection, token: str) -> Account | None:
    """The account an API token acts for, or None: unknown, revoked, expired, or the account disabled."""
    if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX) or len(token) > MAX_SECRET:
        return None
    found = conn.execute(
        select(account, api_token.c.id.label("token_id"))
        .add_columns(api_token.c.expires_at, api_token.c.revoked_at, api_token.c.last_used_at)
        .join(api_token, api_token.c.account_id == account.c.id)
        .where(api_token.c.token_hash == _digest(token))
    ).first()
    if found is None or found.revoked_at is not None or found.disabled:
        return None
    now = _now()
    if found.expires_at is not None and _utc(found.expires_at) <= now:
        return None
    used = _utc(found.last_used_at)
    if used is None or now - used > TOUCH_EVERY:
        # left for the next request while a publish holds the store (data/writes.py)
        try_write(
            conn, sql_update(api_token).where(api_token.c.id == found.token_id).values(last_used_at=now)
        )
    return _account(found)

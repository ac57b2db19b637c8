"""Which registers an account's API token may publish itself, without a reviewer (a business system's feed)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from data.accounts import record
from data.registers import REGISTERS
from data.schema import account, auto_publish


class FeedError(ValueError):
    """A Chinese sentence: the account or the register does not exist."""


def _account_id(conn: Connection, username: str) -> int:
    found = conn.scalar(select(account.c.id).where(account.c.username == username[:64]))
    if found is None:
        raise FeedError(f"没有用户 {username[:64]}")
    return found


def _register(name: str) -> str:
    if name not in REGISTERS:
        raise FeedError(f"没有登记簿 {name[:40]}；可选：{'、'.join(REGISTERS)}")
    return name


def allowed(conn: Connection, username: str | None, register: str | None) -> bool:
    if username is None or register is None:
        return False
    query = (
        select(auto_publish.c.register)
        .join(account, account.c.id == auto_publish.c.account_id)
        .where(
            account.c.username == username, auto_publish.c.register == register, account.c.disabled.is_(False)
        )
    )
    return conn.scalar(query) is not None


def allow(conn: Connection, username: str, register: str, actor: str | None = None) -> None:
    account_id, register = _account_id(conn, username), _register(register)
    if not allowed(conn, username, register):
        conn.execute(insert(auto_publish).values(account_id=account_id, register=register))
        record(conn, "feed_allow", actor=actor, subject=username, register=register)


def deny(conn: Connection, username: str, register: str, actor: str | None = None) -> None:
    account_id, register = _account_id(conn, username), _register(register)
    gone = conn.execute(
        delete(auto_publish).where(
            auto_publish.c.account_id == account_id, auto_publish.c.register == register
        )
    )
    if gone.rowcount:
        record(conn, "feed_deny", actor=actor, subject=username, register=register)


def listing(conn: Connection) -> list[tuple[str, str]]:
    query = (
        select(account.c.username, auto_publish.c.register)
        .join(account, account.c.id == auto_publish.c.account_id)
        .order_by(account.c.username, auto_publish.c.register)
    )
    return [tuple(r) for r in conn.execute(query)]

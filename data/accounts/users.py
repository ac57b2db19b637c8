"""Accounts: create, read, change a password, disable, enable, change a role or tie, and the scope a role
gives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import EllipsisType

from sqlalchemy import Connection, Row, func, insert, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError

from data.access import ROLE_SCOPE, ROLES, Scope
from data.accounts._common import AccountError, _hasher, _now, _password_bytes, _shown, _utc
from data.accounts.audit import _record, _via
from data.accounts.checks import (
    MAX_DISPLAY_NAME,
    USERNAME_PATTERN,
    _check_role,
    _check_ties,
    check_name,
    check_new_user,
    check_password,
)
from data.schema import account, department, login_session


@dataclass(frozen=True)
class Account:
    """An account as the rest of the app sees it (never its password hash)."""

    id: int
    username: str
    # the display name (显示名); the username when none was given
    name: str
    role: str
    department: str | None
    township: str | None
    disabled: bool
    created_at: datetime
    last_login_at: datetime | None

    @property
    def role_name(self) -> str:
        return ROLES.get(self.role, self.role)


def _account(row: Row) -> Account:
    return Account(
        id=row.id,
        username=row.username,
        name=row.display_name,
        role=row.role,
        department=row.department_code,
        township=row.township_code,
        disabled=bool(row.disabled),
        created_at=_utc(row.created_at),
        last_login_at=_utc(row.last_login_at),
    )


def _row(conn: Connection, username: object) -> Row | None:
    if not isinstance(username, str) or not USERNAME_PATTERN.fullmatch(username):
        return None
    return conn.execute(select(account).where(account.c.username == username)).first()


def _require(conn: Connection, username: object) -> Row:
    row = _row(conn, username)
    if row is None:
        raise AccountError(f"用户名 “{_shown(username)}” 不存在")
    return row


def require_user(conn: Connection, username: str) -> Account:
    """The account, or an AccountError saying it does not exist."""
    return _account(_require(conn, username))


def add_user(
    conn: Connection,
    username: str,
    password: str,
    role: str,
    *,
    department: str | None = None,
    township: str | None = None,
    name: str | None = None,
    actor: str | None = None,
    address: str | None = None,
) -> Account:
    """Create an account; the display name defaults to the username."""
    check_new_user(conn, username, role, department=department, township=township, name=name)
    check_password(password, username)
    now = _now()
    values = {
        "username": username,
        "display_name": name if name is not None else username[:MAX_DISPLAY_NAME],
        "role": role,
        "department_code": department,
        "township_code": township,
        "password_hash": _hasher.hash(_password_bytes(password)),
        "disabled": False,
        "created_at": now,
        "password_changed_at": now,
    }
    try:
        conn.execute(insert(account).values(values))
    except IntegrityError:
        # Another session added the same name since the check: the transaction is lost, the message is not.
        raise AccountError(f"用户名 “{username}” 已存在") from None
    _record(
        conn,
        "user_add",
        actor,
        address,
        username,
        role=role,
        department=department,
        township=township,
        **_via(actor),
    )
    return _account(_require(conn, username))


def get_user(conn: Connection, username: str) -> Account | None:
    row = _row(conn, username)
    return None if row is None else _account(row)


def list_users(conn: Connection) -> list[Account]:
    return [_account(row) for row in conn.execute(select(account).order_by(account.c.username))]


def _end_sessions(conn: Connection, account_id: int, now: datetime) -> None:
    conn.execute(
        sql_update(login_session)
        .where(login_session.c.account_id == account_id, login_session.c.ended_at.is_(None))
        .values(ended_at=now)
    )


def set_password(
    conn: Connection, username: str, password: str, *, actor: str | None = None, address: str | None = None
) -> None:
    """Change a password; the account's sessions end (its API tokens stay valid)."""
    check_password(password, username)
    row = _require(conn, username)
    now = _now()
    conn.execute(
        sql_update(account)
        .where(account.c.id == row.id)
        .values(password_hash=_hasher.hash(_password_bytes(password)), password_changed_at=now)
    )
    _end_sessions(conn, row.id, now)
    _record(conn, "user_passwd", actor, address, row.username, **_via(actor))


def _keep_an_admin(conn: Connection, row: Row) -> None:
    """Refuse to take away the last enabled admin: nobody could then manage accounts from the web."""
    if row.role != "admin" or row.disabled:
        return
    others = conn.scalar(
        select(func.count())
        .select_from(account)
        .where(account.c.role == "admin", account.c.disabled.is_(False), account.c.id != row.id)
    )
    if not others:
        raise AccountError(f"“{row.username}” 是最后一个可用的管理员账号：请先让另一个账号成为管理员")


def disable(conn: Connection, username: str, *, actor: str | None = None, address: str | None = None) -> None:
    """Disable an account: its sessions end, and its API tokens stop working while it stays disabled."""
    row = _require(conn, username)
    if row.disabled:
        raise AccountError(f"账号 “{row.username}” 已经停用")
    _keep_an_admin(conn, row)
    now = _now()
    conn.execute(sql_update(account).where(account.c.id == row.id).values(disabled=True))
    _end_sessions(conn, row.id, now)
    _record(conn, "user_disable", actor, address, row.username, **_via(actor))


def enable(conn: Connection, username: str, *, actor: str | None = None, address: str | None = None) -> None:
    """Enable a disabled account again (its unrevoked, unexpired tokens work again too)."""
    row = _require(conn, username)
    if not row.disabled:
        raise AccountError(f"账号 “{row.username}” 没有停用")
    conn.execute(sql_update(account).where(account.c.id == row.id).values(disabled=False))
    _record(conn, "user_enable", actor, address, row.username, **_via(actor))


def update(
    conn: Connection,
    username: str,
    *,
    role: str | None = None,
    department: str | None | EllipsisType = ...,
    township: str | None | EllipsisType = ...,
    name: str | None = None,
    actor: str | None = None,
    address: str | None = None,
) -> Account:
    """Change an account's role, department, township or display name (``...``: unchanged).

    A tie the old role had and the new one does not is dropped; a tie given explicitly must fit the role.
    Sessions end when the role or a tie changes, so nobody keeps a scope they no longer have.
    """
    row = _require(conn, username)
    new_role = row.role if role is None else _check_role(role)
    tie = ROLE_SCOPE[new_role]
    dept = row.department_code if department is ... else department
    town = row.township_code if township is ... else township
    if department is ... and tie != "department":
        dept = None
    if township is ... and tie != "township":
        town = None
    dept, town = _check_ties(conn, new_role, dept, town)
    new_name = row.display_name if name is None else check_name(name)
    if new_role != "admin":
        _keep_an_admin(conn, row)
    before = {"role": row.role, "department": row.department_code, "township": row.township_code}
    after = {"role": new_role, "department": dept, "township": town}
    changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if new_name != row.display_name:
        changed["name"] = [row.display_name, new_name]
    if not changed:
        return _account(row)
    conn.execute(
        sql_update(account)
        .where(account.c.id == row.id)
        .values(role=new_role, department_code=dept, township_code=town, display_name=new_name)
    )
    if before != after:
        _end_sessions(conn, row.id, _now())
    _record(conn, "user_update", actor, address, row.username, changed=changed, **_via(actor))
    return _account(_require(conn, row.username))


def scope_of(conn: Connection, account: Account) -> Scope:
    """What ``account`` may read, with its department's name (the catalog names responsible departments)."""
    name = None
    if account.department is not None:
        name = conn.scalar(select(department.c.name).where(department.c.code == account.department))
    return Scope(
        role=account.role, department=account.department, township=account.township, department_name=name
    )

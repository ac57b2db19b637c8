"""Kiosk links for wall displays: a revocable token that opens /screen only, with public indicators only.

A wall has nobody to sign in, so the link itself is the credential. Like an API token (data/accounts/tokens.py)
it is shown once and only its SHA-256 is stored; unlike one it acts for nobody, and what it pins (screens,
rotation, year, a township or a department) is kept here and applied by the server, not taken from the URL.

Screen names are not checked here: the screens are declared in layouts/screens.py, which this layer must not
import; `dashboard kiosk create` checks them. Transactions are the caller's, as in data/accounts.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Row, insert, or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError

from data.accounts import audit
from data.accounts._common import MAX_SECRET, AccountError, _clean, _digest, _now, _shown, _storable, _utc
from data.accounts.checks import _code_exists
from data.schema import department as department_table
from data.schema import township as township_table
from data.schema_screen import kiosk_link
from data.writes import try_write

MAX_NAME = kiosk_link.c.name.type.length
MAX_SCREENS = 400
MIN_YEAR, MAX_YEAR = 2000, 2100
# The rotation a link may pin, as layouts/screens.py allows it in the URL (EVERY_MIN, EVERY_MAX).
MIN_EVERY, MAX_EVERY = 5, 3600
# A wall checks every 30 s: writing last_seen_at each time would make a hundred walls a steady write load.
SEEN_EVERY = timedelta(minutes=10)
# A screen's name as layouts/screens.py spells them; anything else could not be stored comma-separated.
_SCREEN = re.compile(r"[a-z][a-z0-9_-]{0,39}")


class KioskError(AccountError):
    """A refused kiosk-link operation; the message is one Chinese line fit to show a person."""


@dataclass(frozen=True)
class KioskLink:
    """A kiosk link as it may be listed: never its token, which only its creator saw once."""

    id: int
    name: str
    # the screens it rotates through, in order; empty: every screen
    screens: tuple[str, ...]
    every: int | None
    year: int | None
    township: str | None
    department: str | None
    created_by: str | None
    created_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None
    revoked_by: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def status(self) -> str:
        return "已停用" if self.revoked else "有效"


def _link(row: Row) -> KioskLink:
    return KioskLink(
        id=row.id,
        name=row.name,
        screens=tuple(s for s in (row.screens or "").split(",") if s),
        every=row.every,
        year=row.year,
        township=row.township_code,
        department=row.department_code,
        created_by=row.created_by,
        created_at=_utc(row.created_at),
        revoked_at=_utc(row.revoked_at),
        last_seen_at=_utc(row.last_seen_at),
        revoked_by=row.revoked_by,
    )


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise KioskError("大屏链接的名称不能为空")
    name = name.strip()
    if len(name) > MAX_NAME:
        raise KioskError(f"大屏链接的名称最多 {MAX_NAME} 个字符，当前有 {len(name):,} 个")
    # isprintable also refuses lone surrogates, which neither driver can send.
    if not name.isprintable():
        raise KioskError("大屏链接的名称不能含换行等控制字符或无法识别的字符")
    return name


def _check_number(value: object, low: int, high: int, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise KioskError(f"{what}应为 {low} 到 {high} 之间的整数，当前为 {_shown(value)}")
    return value


def _check_screens(screens: Iterable[str]) -> tuple[str, ...]:
    if isinstance(screens, str):
        screens = screens.split(",")
    kept: list[str] = []
    for screen in screens:
        if not isinstance(screen, str) or not _SCREEN.fullmatch(screen):
            raise KioskError(f"大屏名称 “{_shown(screen)}” 无效")
        if screen not in kept:
            kept.append(screen)
    if len(",".join(kept)) > MAX_SCREENS:
        raise KioskError(f"大屏列表太长：最多 {MAX_SCREENS} 个字符")
    return tuple(kept)


def _by_name(conn: Connection, name: object) -> Row | None:
    if not isinstance(name, str) or not _storable(name.strip(), MAX_NAME):
        return None
    return conn.execute(select(kiosk_link).where(kiosk_link.c.name == name.strip())).first()


def create_link(
    conn: Connection,
    name: str,
    *,
    screens: Iterable[str] = (),
    every: int | None = None,
    year: int | None = None,
    township: str | None = None,
    department: str | None = None,
    actor: str | None = None,
    address: str | None = None,
) -> tuple[KioskLink, str]:
    """A new kiosk link: (the link, its token). The token is shown this once; only its SHA-256 is stored.
    ``actor`` and ``address``: who asked and from where, for the audit log (None: the command line)."""
    name = _check_name(name)
    shown = _check_screens(screens)
    every = _check_number(every, MIN_EVERY, MAX_EVERY, "轮播间隔（秒）")
    year = _check_number(year, MIN_YEAR, MAX_YEAR, "年度")
    if township is not None and department is not None:
        raise KioskError("大屏链接只能固定一个乡镇或一个部门，不能同时指定")
    if township is not None and not _code_exists(conn, township_table, township):
        raise KioskError(f"乡镇代码 “{_shown(township)}” 不存在")
    if department is not None and not _code_exists(conn, department_table, department):
        raise KioskError(f"部门代码 “{_shown(department)}” 不存在")
    taken = f"已有名为 “{_shown(name)}” 的大屏链接，请换一个名称"
    if _by_name(conn, name) is not None:
        raise KioskError(taken)
    token = secrets.token_urlsafe(32)
    creator = _clean(actor, kiosk_link.c.created_by.type.length)
    values = {
        "name": name,
        "token_digest": _digest(token),
        "screens": ",".join(shown) or None,
        "every": every,
        "year": year,
        "township_code": township,
        "department_code": department,
        "created_by": creator,
        "created_at": _now(),
    }
    try:
        result = conn.execute(insert(kiosk_link).values(values))
    except IntegrityError:
        # Another session took the name since the check (a form sent twice): the transaction is lost, the
        # message is not.
        raise KioskError(taken) from None
    link_id = result.inserted_primary_key[0]
    pins = {"every": every, "year": year, "township": township, "department": department}
    audit.record(
        conn,
        "kiosk_created",
        actor=actor,
        address=address,
        subject=name,
        kiosk_id=link_id,
        screens=list(shown) or "全部",
        **{k: v for k, v in pins.items() if v is not None},
        **_via(actor),
    )
    return _link(conn.execute(select(kiosk_link).where(kiosk_link.c.id == link_id)).one()), token


def _via(actor: str | None) -> dict[str, str]:
    # As in data/accounts: a change without an actor came from the command line.
    return {"via": "cli"} if actor is None else {}


def list_links(conn: Connection) -> list[KioskLink]:
    """Every kiosk link, revoked ones too, newest first."""
    rows = conn.execute(select(kiosk_link).order_by(kiosk_link.c.created_at.desc(), kiosk_link.c.id.desc()))
    return [_link(row) for row in rows]


def revoke_link(
    conn: Connection, name: str, *, actor: str | None = None, address: str | None = None
) -> KioskLink:
    """Revoke a link for good: the wall showing it gets 此大屏链接已停用 at its next check."""
    row = _by_name(conn, name)
    if row is None:
        raise KioskError(f"没有名为 “{_shown(name)}” 的大屏链接")
    if row.revoked_at is not None:
        raise KioskError(f"大屏链接 “{_shown(row.name)}” 已经停用")
    conn.execute(
        sql_update(kiosk_link)
        .where(kiosk_link.c.id == row.id)
        .values(revoked_at=_now(), revoked_by=_clean(actor, kiosk_link.c.revoked_by.type.length))
    )
    audit.record(
        conn, "kiosk_revoked", actor=actor, address=address, subject=row.name, kiosk_id=row.id, **_via(actor)
    )
    return _link(conn.execute(select(kiosk_link).where(kiosk_link.c.id == row.id)).one())


def link_for_token(conn: Connection, token: str) -> KioskLink | None:
    """The link a token opens, revoked or not (the caller tells a revoked wall so); None for any other token."""
    # A huge token is refused before it is hashed: a client cannot make the server hash megabytes.
    if not isinstance(token, str) or not token or len(token) > MAX_SECRET:
        return None
    row = conn.execute(select(kiosk_link).where(kiosk_link.c.token_digest == _digest(token))).first()
    return None if row is None else _link(row)


def seen(conn: Connection, link: KioskLink, now: datetime | None = None) -> None:
    """Note that ``link``'s wall checked in at ``now``; written at most once per SEEN_EVERY per link."""
    now = _utc(now) or _now()
    if link.last_seen_at is not None and now - link.last_seen_at < SEEN_EVERY:
        return
    # Conditional, so that two workers answering the same wall at once write once, and never move it back;
    # left for the next check-in while a publish holds the store (data/writes.py).
    try_write(
        conn,
        sql_update(kiosk_link)
        .where(kiosk_link.c.id == link.id)
        .where(or_(kiosk_link.c.last_seen_at.is_(None), kiosk_link.c.last_seen_at <= now - SEEN_EVERY))
        .values(last_seen_at=now),
    )

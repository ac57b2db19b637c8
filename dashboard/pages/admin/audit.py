"""The audit log's page (/admin/audit), for the role ``admin`` only: the newest events, from a day and by or about
one account, each with its detail as one readable line. Split from dashboard/pages/admin/users.py, whose page
helpers and refusals it shares; registered after it, under /admin, so its hooks (no-store, the refusal) cover it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, Response, request
from sqlalchemy import Engine

from dashboard.pages.admin.users import ECHO_LIMIT, page, when
from dashboard.web.permissions import requires
from data import accounts
from data.access import ROLES, Action
from layouts.paths import AUDIT_PATH

AUDIT_LIMIT = 200
MAX_AUDIT_LIMIT = 5000
# Local midnight of an earlier year cannot always be turned into UTC; nothing is logged before 1970 anyway.
FIRST_YEAR = 1970
BAD_SINCE = "起始日期应为 YYYY-MM-DD 格式、1970 年以后的日期，例如 2024-05-01"
BAD_LIMIT = f"条数应为 1 到 {MAX_AUDIT_LIMIT} 之间的整数"


def _shown(key: str, value: Any) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{_shown(key, value[0])}→{_shown(key, value[1])}"
    if value is None:
        return "—"
    if key == "role" and value in ROLES:
        return ROLES[value]
    return str(value)


def readable(detail: dict[str, Any]) -> str:
    """An event's detail as one line, ``rows=15, format=csv``; a change as ``role=领导→部门负责人``."""
    parts = []
    for key, value in detail.items():
        if key == "changed" and isinstance(value, dict):
            parts += [f"{k}={_shown(k, v)}" for k, v in value.items()]
        elif key != "via" and value is not None:
            parts.append(f"{key}={_shown(key, value)}")
    return ", ".join(parts)


def _audit_query() -> tuple[date | None, int]:
    since, limit = request.args.get("since", ""), request.args.get("limit") or str(AUDIT_LIMIT)
    try:
        day = datetime.strptime(since, "%Y-%m-%d").date() if since else None
    except ValueError:
        day = date.min
    if day is not None and day.year < FIRST_YEAR:
        raise accounts.AccountError(BAD_SINCE)
    if not (len(limit) <= 6 and limit.isascii() and limit.isdigit() and 1 <= int(limit) <= MAX_AUDIT_LIMIT):
        raise accounts.AccountError(BAD_LIMIT)
    return day, int(limit)


def _audit_page(engine: Engine) -> Response:
    args = request.args
    typed = {name: args.get(name, "")[:ECHO_LIMIT] for name in ("since", "user", "limit")}
    context = {"typed": typed, "max_limit": MAX_AUDIT_LIMIT, "default_limit": AUDIT_LIMIT}
    try:
        since, limit = _audit_query()
    except accounts.AccountError as exc:
        # A date or number input shows nothing of a value it cannot read, and says so in the console.
        typed |= {"since": "", "limit": ""}
        return page("admin_audit.html", 400, message=str(exc), events=None, **context)
    with engine.connect() as conn:
        found = accounts.audit_events(conn, since=since, user=args.get("user") or None, limit=limit)
    return page("admin_audit.html", events=found, limit=limit, when=when, readable=readable, **context)


def register(server: Flask, engine: Engine) -> None:
    @server.get(AUDIT_PATH)
    @requires(Action.ADMIN)
    def admin_audit():
        return _audit_page(engine)

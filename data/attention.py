"""需关注 on a unit's own page (/mine), its print view and its monthly report: the reader's warnings (预警,
data/alerts.py) and open follow-ups (督办, data/supervision.py), as items the layouts draw.

Each item: title, unit, level (红/黄), since (a date for people), and ``supervision`` (the follow-up's id, which the
layout links to; None for a warning). Red before amber, the oldest first within a level.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from data import alerts, supervision
from data.access import Scope
from data.org import day_zh


def alert_items(conn: Connection, scope: Scope, year: int) -> list[dict]:
    """The reader's warnings for ``year``: the district's and their own unit's (alerts_in keeps to the scope)."""
    return [
        {
            "title": a.message,
            "unit": a.unit_name,
            "level": a.level,
            "since": day_zh(a.since),
            "sort": a.since.isoformat(),
            "supervision": None,
        }
        for a in alerts.alerts_in(conn, scope, year)
    ]


def supervision_items(conn: Connection, scope: Scope, today: date | None = None) -> list[dict]:
    """The reader's open follow-ups: red when past the deadline, amber until then."""
    today = today or date.today()
    return [
        {
            "title": f"督办：{s.indicator_name}（{s.label}，{s.due_zh}前办理）",
            "unit": s.unit_name,
            "level": "红" if s.overdue(today) else "黄",
            "since": day_zh(s.raised_at.date()),
            "sort": s.raised_at.date().isoformat(),
            "supervision": s.id,
        }
        for s in supervision.listing(conn, scope, open_only=True)
    ]


def attention_items(conn: Connection, scope: Scope, year: int) -> list[dict]:
    """Red before amber, the oldest first within a level."""
    items = alert_items(conn, scope, year) + supervision_items(conn, scope)
    return sorted(items, key=lambda i: (i["level"] != "红", i["sort"]))

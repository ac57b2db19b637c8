"""The wall's warning panel (预警): the year's warnings as the wall's reader may read them (data/alerts.py), red
first, each a line the room can read from a distance: level, unit, what happened. A kiosk link reads as a
visitor, so it lists the district's warnings of public indicators only; a wall pinned to a township or a
department lists the district's and that unit's. Overdue follow-ups (督办) come first, red, for a signed-in reader
who may see them (data/supervision.py): the indicator and the unit only, never the request's text; a visitor's or
a kiosk link's wall lists none.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from data import alert_rules, alerts, supervision
from data.queries.filters import Filters
from layouts.format import day
from layouts.screens import ALERT_ROWS, Panel

NO_ALERTS = "本年度没有预警"


def alert_panel(conn: Connection, panel: Panel, filters: Filters) -> dict:
    pinned = {*filters.townships, *filters.departments}
    found = [
        a
        for a in alerts.alerts_in(conn, filters.scope, filters.year)
        if not pinned or a.unit_code is None or a.unit_code in pinned
    ]
    late = overdue(conn, filters, pinned)
    rows = late + [
        {
            "level": a.level,
            "colour": a.colour,
            "unit": a.unit_name,
            "text": a.message,
            "since": day(a.since.isoformat()),
        }
        for a in found
    ]
    red = sum(r["level"] == "红" for r in rows)
    return {
        "rows": rows[:ALERT_ROWS],
        "summary": f"红色 {red} 条 · 黄色 {len(rows) - red} 条" if rows else None,
        "empty": NO_ALERTS if not rows else None,
    }


def overdue(conn: Connection, filters: Filters, pinned: set[str], today: date | None = None) -> list[dict]:
    """The open follow-ups past their deadline that the wall's reader may see, as red lines, the longest late first."""
    if not filters.scope.signed_in:
        return []
    today = today or date.today()
    late = [
        s
        for s in supervision.listing(conn, filters.scope, open_only=True)
        if s.overdue(today) and (not pinned or s.unit_code in pinned)
    ]
    return [
        {
            "level": "红",
            "colour": alert_rules.LEVELS["红"],
            "unit": s.unit_name,
            "text": f"督办逾期 {(today - s.due).days} 天：{s.indicator_name}（{s.due_zh}截止）",
            "since": day(s.due.isoformat()),
        }
        for s in sorted(late, key=lambda s: s.due)
    ]

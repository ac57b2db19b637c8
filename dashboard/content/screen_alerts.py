"""The wall's warning panel (预警): the year's warnings as the wall's reader may read them (data/alerts.py), red
first, each a line the room can read from a distance: level, unit, what happened. A kiosk link reads as a
visitor, so it lists the district's warnings of public indicators only; a wall pinned to a township or a
department lists the district's and that unit's.
"""

from __future__ import annotations

from sqlalchemy import Connection

from data import alerts
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
    red = sum(a.level == "红" for a in found)
    return {
        "rows": [
            {
                "level": a.level,
                "colour": a.colour,
                "unit": a.unit_name,
                "text": a.message,
                "since": day(a.since.isoformat()),
            }
            for a in found[:ALERT_ROWS]
        ],
        "summary": f"红色 {red} 条 · 黄色 {len(found) - red} 条" if found else None,
        "empty": NO_ALERTS if not found else None,
    }

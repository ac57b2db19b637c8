"""需关注 on one's own page (/mine): the reader's warnings (预警) and open follow-ups (督办), as the items
layouts/mine.attention draws (title, unit, level 红/黄, since, link).

Adapter only: the warnings (data/alerts.py, ``alerts_for``) and follow-ups (data/supervision.py,
``supervisions_for``) are built on their own branches. Until they are merged each function below returns [] and
the page says that nothing needs attention; at the merge the lead fills the two bodies (marked WIRE AT MERGE).
"""

from __future__ import annotations

from sqlalchemy import Connection

from data.access import Scope


def alert_items(conn: Connection, scope: Scope, year: int) -> list[dict]:
    """The reader's warnings for ``year``. WIRE AT MERGE: ``alerts_for(conn.engine, scope, year,
    department=scope.department, township=scope.township)``, each Alert as
    {title, unit, level, since, link}."""
    return []


def supervision_items(conn: Connection, scope: Scope) -> list[dict]:
    """The reader's open follow-ups. WIRE AT MERGE: ``supervisions_for(conn.engine, scope, open_only=True)``,
    each Supervision as {title, unit, level (红 when overdue, else 黄), since, link}."""
    return []


def attention_items(conn: Connection, scope: Scope, year: int) -> list[dict]:
    """Red before amber, the oldest first within a level."""
    items = alert_items(conn, scope, year) + supervision_items(conn, scope)
    return sorted(items, key=lambda i: (i.get("level") != "红", str(i.get("since", ""))))

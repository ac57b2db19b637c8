"""Comparable scope (可比口径) after a machinery reform: a merged unit's previous year counts its predecessors.

Rows keep the unit they were registered under (data/org.py), so a unit that absorbed another on 2026-03-01 has
no 2025 rows of the other's; compared with its own 2025 alone its 同比 would read as growth that is only the
merger. The comparison year's filters therefore name the predecessors too, and a card says so (含原区XX局).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Connection, select, union_all

from data.queries.filters import Filters
from data.schema import department, township

_MERGED = union_all(
    *(
        select(t.c.code, t.c.name, t.c.merged_into).where(t.c.merged_into.is_not(None))
        for t in (department, township)
    )
)


def _merged(conn: Connection) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in conn.execute(_MERGED)]


def predecessors(conn: Connection, codes: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    """For each of ``codes``, the units merged into it, directly or through others: (code, name)."""
    if not codes:
        return {}
    merged = _merged(conn)
    if not merged:
        return {}
    out: dict[str, list[tuple[str, str]]] = {}
    for code in codes:
        found, todo = [], [code]
        while todo:
            current = todo.pop()
            for old, name, into in merged:
                if into == current and all(old != f[0] for f in found):
                    found.append((old, name))
                    todo.append(old)
        if found:
            out[code] = found
    return out


def comparison_filters(conn: Connection, filters: Filters) -> Filters | None:
    """The filters of the comparison year when some filtered unit has predecessors, else None (the same)."""
    extra = predecessors(conn, (*filters.departments, *filters.townships))
    if not extra:
        return None
    departments = set(filters.departments)
    townships = set(filters.townships)
    for code, found in extra.items():
        target = departments if code in departments else townships
        target.update(old for old, _ in found)
    return replace(filters, departments=tuple(departments), townships=tuple(townships))


def includes_note(conn: Connection, filters: Filters) -> str | None:
    """What a card says under a 同比 that counts predecessors: 同比含原区信访局、原青山乡; None when none."""
    extra = predecessors(conn, (*filters.departments, *filters.townships))
    names = [name for found in extra.values() for _, name in found]
    return "同比含原" + "、原".join(names) if names else None

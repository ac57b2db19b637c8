"""Comparable scope (可比口径) after a machinery reform: a merged unit's previous year counts its predecessors.

Rows keep the unit they were registered under (data/org.py), so a unit that absorbed another on 2026-03-01 has
no 2025 rows of the other's; compared with its own 2025 alone its 同比 would read as growth that is only the
merger. The comparison year's filters therefore name the predecessors too, and a card says so (含原区XX局).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Connection, select, union_all

from data.catalog import Indicator
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


@dataclass(frozen=True)
class Comparison:
    """The comparison year's filters, and the predecessors they add by dimension (names, for the note)."""

    filters: Filters
    departments: tuple[str, ...]
    townships: tuple[str, ...]

    def note(self, ind: Indicator) -> str | None:
        """含原区信访局 where the indicator is split by a dimension that gained predecessors; else None."""
        names = [
            *(self.departments if ind.applies_department else ()),
            *(self.townships if ind.applies_township else ()),
        ]
        return "含原" + "、原".join(names) if names else None


def comparison(conn: Connection, filters: Filters) -> Comparison | None:
    """The comparison year's filters when some filtered unit has predecessors, else None (the same filters)."""
    if not (filters.departments or filters.townships):
        return None
    extra = predecessors(conn, (*filters.departments, *filters.townships))
    if not extra:
        return None
    earlier = comparison_filters(filters, extra)
    named = {
        dimension: tuple(name for code in codes if code in extra for _, name in extra[code])
        for dimension, codes in (("departments", filters.departments), ("townships", filters.townships))
    }
    return Comparison(earlier, named["departments"], named["townships"])


def comparison_filters(filters: Filters, extra: dict[str, list[tuple[str, str]]]) -> Filters:
    """``filters`` with the filtered units' predecessors (``extra``, from :func:`predecessors`) added."""
    departments = set(filters.departments)
    townships = set(filters.townships)
    for code, found in extra.items():
        target = departments if code in departments else townships
        target.update(old for old, _ in found)
    return replace(filters, departments=tuple(departments), townships=tuple(townships))

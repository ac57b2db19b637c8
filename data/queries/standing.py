"""Where one department or township stands among all of them, figure by figure: its value, its rank and the
median of all members, from the same breakdowns the area pages draw."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace

from sqlalchemy import Connection

from data.catalog import Indicator, load
from data.queries.dimensions import UNASSIGNED
from data.queries.filters import Filters
from data.queries.series import breakdown

# The pseudo members (区本级, 未归属部门) are no one to be ranked against.
PSEUDO = {u.code for u in UNASSIGNED.values()}


@dataclass(frozen=True)
class Standing:
    code: str
    name: str
    unit: str
    value: float | int | None
    # 1 is the best: the largest value, or the smallest for a figure that should go down
    rank: int | None
    members: int
    median: float | int | None
    direction: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def counts_rows_of(ind: Indicator, by: str) -> bool:
    """Whether ``ind`` is counted from register rows that name a ``by`` (department or township)."""
    if ind.source_kind == "reported":
        return False
    return ind.applies_department if by == "department" else ind.applies_township


def standing(conn: Connection, codes: list[str], filters: Filters, by: str, member: str) -> list[Standing]:
    """For each of ``codes``: ``member``'s value among all members ``by`` department or township, under
    ``filters`` with that dimension's filter lifted (so every member is compared)."""
    cat = load()
    wider = replace(filters, departments=()) if by == "department" else replace(filters, townships=())
    out = []
    for code in codes:
        ind = cat[code]
        if not filters.scope.sees(ind) or not counts_rows_of(ind, by):
            continue
        rows = [r for r in breakdown(conn, code, wider, by=by) if r["code"] not in PSEUDO]
        rows = [r for r in rows if r["value"] is not None]
        values = [r["value"] for r in rows]
        middle = round(statistics.median(values), 2) if values else None
        own = next((r["value"] for r in rows if r["code"] == member), None)
        members = len(rows)
        if own is None and not ind.is_rate:
            # a count with no rows of its own is a zero, and ranks like one
            own, members = 0, members + 1
        place = None
        if own is not None:
            # members with the same value share a rank: 1 + those strictly better
            better = [v for v in values if (v < own if ind.direction == "down" else v > own)]
            place = len(better) + 1
        out.append(Standing(code, ind.name, ind.unit, own, place, members, middle, ind.direction))
    return out

"""Monthly series and breakdowns by township or department of one indicator, rates from their parts."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from sqlalchemy import Connection, Select, bindparam, func, select

from data.catalog import Indicator, load
from data.queries.comparable import comparison
from data.queries.dimensions import UNASSIGNED
from data.queries.figures import coverage, in_year, rate, tidy
from data.queries.filters import Filters, Shape, bound
from data.schema import department, indicator_fact, township


class NotApplicable(ValueError):
    """The indicator cannot be split that way (a reported figure, or a dimension it has no data for)."""


def _parts(ind: Indicator, cat: dict[str, Indicator]) -> list[Indicator]:
    if ind.is_rate:
        return [cat[ind.numerator], cat[ind.denominator]]
    if ind.source_kind == "register":
        return [ind]
    raise NotApplicable(f"{ind.code} 是填报数字，没有按月或分乡镇、部门的登记数据")


def _combine(ind: Indicator, sums: dict[str, dict], key) -> float | None:
    if ind.is_rate:
        return tidy(rate(sums[ind.numerator].get(key, 0.0), sums[ind.denominator].get(key, 0.0)), ind)
    return tidy(sums[ind.code].get(key, 0.0), ind)


def monthly(conn: Connection, code: str, filters: Filters) -> dict[int, list[float | None]]:
    """Month-by-month values (index 0 = January) for the filtered year and the year before it."""
    cat = load()
    ind = cat[code]
    filters.scope.check(ind)
    parts = _parts(ind, cat)
    covered = coverage(conn)
    filters = in_year(filters, covered)
    years = (filters.year, filters.year - 1)
    sums: dict[str, dict] = defaultdict(dict)
    # 可比口径, as the card's 同比 (data/queries/figures.py): the year before counts a filtered unit's predecessors
    compared = comparison(conn, filters)
    asked = [(filters, years)] if compared is None else [(filters, years[:1]), (compared.filters, years[1:])]
    for chosen, wanted in asked:
        shape, values = bound(chosen, ind, wanted)
        for part, year, month, total in conn.execute(
            _monthly(shape), {**values, "codes": [p.code for p in parts]}
        ):
            sums[part][(int(year), int(month))] = float(total)
    first, last = filters.month_range(ind)
    out: dict[int, list[float | None]] = {}
    for year in years:
        if year not in covered:
            continue
        out[year] = [
            _combine(ind, sums, (year, m)) if first <= m <= min(last, covered[year]) else None
            for m in range(1, 13)
        ]
    return out


def compared_note(conn: Connection, code: str, filters: Filters) -> str | None:
    """What a monthly chart of ``code`` says when its year before counts predecessors (2025年含原区信访局: 可比口径,
    as :func:`monthly` counts them), else None."""
    compared = comparison(conn, filters)
    note = compared.note(load()[code]) if compared else None
    return f"{filters.year - 1}年{note}" if note else None


def breakdown(conn: Connection, code: str, filters: Filters, by: str) -> list[dict]:
    """The indicator for each township or department (``by``), largest first, with names; the rows that name
    none are one more member (区本级, 未归属部门), so that the members add up to the district's figure."""
    cat = load()
    ind = cat[code]
    filters.scope.check(ind)
    parts = _parts(ind, cat)
    applies = ind.applies_township if by == "township" else ind.applies_department
    if by not in {"township", "department"} or not applies:
        raise NotApplicable(f"{ind.name}不分{'乡镇' if by == 'township' else '部门'}统计")
    filters = in_year(filters, coverage(conn))
    unassigned = UNASSIGNED[f"{by}_code"]
    sums: dict[str, dict] = defaultdict(dict)
    shape, values = bound(filters, ind)
    for part, member, total in conn.execute(_split(shape, by), {**values, "codes": [p.code for p in parts]}):
        sums[part][unassigned.code if member is None else member] = float(total)
    names = dict(conn.execute(_NAMES[by]).all()) | {unassigned.code: unassigned.name}
    members = set().union(*(s.keys() for s in sums.values())) if sums else set()
    rows = [{"code": m, "name": names.get(m, m), "value": _combine(ind, sums, m)} for m in members]
    return sorted(rows, key=lambda r: (-(r["value"] or 0), r["code"]))


# Built once per shape of the filters (data/queries/filters.py, Shape) and executed with each request's values.
@lru_cache(maxsize=64)
def _monthly(shape: Shape) -> Select:
    f = indicator_fact
    return (
        select(f.c.indicator_code, f.c.year, f.c.month, func.sum(f.c.value))
        .where(f.c.indicator_code.in_(bindparam("codes", expanding=True)), shape.clause(f))
        .group_by(f.c.indicator_code, f.c.year, f.c.month)
    )


@lru_cache(maxsize=64)
def _split(shape: Shape, by: str) -> Select:
    f = indicator_fact
    key = f.c.township_code if by == "township" else f.c.department_code
    return (
        select(f.c.indicator_code, key, func.sum(f.c.value))
        .where(f.c.indicator_code.in_(bindparam("codes", expanding=True)), shape.clause(f))
        .group_by(f.c.indicator_code, key)
    )


_NAMES = {
    by: select(dim.c.code, dim.c.name) for by, dim in (("township", township), ("department", department))
}

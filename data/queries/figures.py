"""Figures: an indicator's value for a year and filters, with last year's value and the change.

Register-backed values are sums over the monthly summary table; rates are recomputed from their numerator and
denominator at the filtered level (never an average of rates); reported figures come from the reported table.
"""

from __future__ import annotations

import calendar as cal
import weakref
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import date
from functools import lru_cache

from sqlalchemy import Connection, Select, bindparam, func, select

from data import catalog
from data.catalog import Indicator
from data.queries.comparable import Comparison, comparison
from data.queries.filters import Filters, Shape, bound
from data.queries.targets import target_unit, targets_for
from data.reporting_note import indicator_register, register_notes
from data.schema import REGISTER_NAMES_ZH, indicator_fact, reported_figure
from data.schema import calendar as calendar_table


@dataclass(frozen=True)
class Figure:
    code: str
    area: str
    name: str
    unit: str
    value: float | int | None
    previous: float | int | None
    yoy_pct: float | None
    # For a percentage (a rate, a coverage) the change that matters is in points: 99.90% -> 99.96% is +0.06.
    yoy_points: float | None
    applies: dict[str, bool]
    as_of: str | None
    source: str
    # the target for the year viewed: the one filtered unit's, else the district's, else the catalog's
    target: float | None = None
    # 可比口径: the previous year also counts these predecessors of a filtered unit (含原区信访局); None: none
    compared_with: str | None = None
    # 报送未齐: some unit owing the figure's register has not sent a month of the period (data/reporting_note.py)
    reporting: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


# What coverage read, by connection, with the transaction it read in: a page's panels share one connection and
# each query function asks, so it is read once per request; a later transaction (after a write) reads again.
_covered: weakref.WeakKeyDictionary[Connection, tuple[weakref.ref, dict[int, int]]] = (
    weakref.WeakKeyDictionary()
)


_COVERAGE = select(calendar_table.c.year, func.max(calendar_table.c.month)).group_by(calendar_table.c.year)


def coverage(conn: Connection) -> dict[int, int]:
    """Each year in the store and the last month it holds data for."""
    known = _covered.get(conn)
    if known is not None and known[0]() is conn.get_transaction():
        return known[1]
    rows = conn.execute(_COVERAGE)
    covered = {int(y): int(m) for y, m in rows}
    transaction = conn.get_transaction()
    if transaction is not None:
        _covered[conn] = (weakref.ref(transaction), covered)
    return covered


def in_year(filters: Filters, covered: dict[int, int]) -> Filters:
    """For a year still in progress, compare the same months of both years."""
    last = covered.get(filters.year)
    if filters.months is None and last is not None and last < 12:
        return replace(filters, months=(1, last))
    return filters


def tidy(value: float | None, ind: Indicator) -> float | int | None:
    if value is None:
        return None
    if ind.is_rate or ind.unit == "%":
        return round(value, 2)
    return int(value) if float(value).is_integer() else round(value, 2)


def yoy(value: float | None, previous: float | None) -> float | None:
    """Change against last year in percent, one decimal as the report writes it."""
    if value is None or previous in (None, 0):
        return None
    return round((value - previous) / previous * 100, 1)


def points(value: float | None, previous: float | None) -> float | None:
    if value is None or previous is None:
        return None
    return round(value - previous, 2)


def register_sums(
    conn: Connection, inds: list[Indicator], filters: Filters, years: tuple[int, ...]
) -> dict[tuple[str, int], float]:
    """Sums of register-backed indicators by (code, year), one query per distinct way the filters apply."""
    groups: dict[tuple, list[Indicator]] = defaultdict(list)
    for ind in inds:
        groups[(filters.uses_department(ind), filters.uses_township(ind), filters.month_range(ind))].append(
            ind
        )
    sums: dict[tuple[str, int], float] = {}
    for members in groups.values():
        shape, values = bound(filters, members[0], years)
        for code, year, total in conn.execute(_sums(shape), {**values, "codes": [m.code for m in members]}):
            sums[(code, int(year))] = float(total)
    return sums


@lru_cache(maxsize=64)
def _sums(shape: Shape) -> Select:
    f = indicator_fact
    return (
        select(f.c.indicator_code, f.c.year, func.sum(f.c.value))
        .where(f.c.indicator_code.in_(bindparam("codes", expanding=True)), shape.clause(f))
        .group_by(f.c.indicator_code, f.c.year)
    )


_REPORTED = select(
    reported_figure.c.indicator_code,
    reported_figure.c.year,
    reported_figure.c.value,
    reported_figure.c.as_of,
    reported_figure.c.source,
).where(
    reported_figure.c.indicator_code.in_(bindparam("codes", expanding=True)),
    reported_figure.c.year.in_(bindparam("years", expanding=True)),
)


def _reported(conn: Connection, codes: list[str], years: tuple[int, ...]) -> dict[tuple[str, int], tuple]:
    rows = conn.execute(_REPORTED, {"codes": codes, "years": list(years)})
    return {(code, int(year)): (value, as_of, source) for code, year, value, as_of, source in rows}


def rate(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator * 100


def _as_of(year: int, last_month: int | None) -> str | None:
    if last_month is None:
        return None
    return date(year, last_month, cal.monthrange(year, last_month)[1]).isoformat()


def _source(ind: Indicator, cat: dict[str, Indicator]) -> str:
    if ind.source_kind == "register":
        return f"{REGISTER_NAMES_ZH[ind.register]}（按登记实时汇总）"
    if ind.is_rate:
        return f"由“{cat[ind.numerator].name}”与“{cat[ind.denominator].name}”计算"
    return ""


def _sums_of_both_years(
    conn: Connection, inds: list[Indicator], filters: Filters, compared: Comparison | None
) -> dict[tuple[str, int], float]:
    """This year's and last year's sums; last year's over the filtered units and their predecessors (可比口径)."""
    if compared is None:
        return register_sums(conn, inds, filters, (filters.year, filters.year - 1))
    return register_sums(conn, inds, filters, (filters.year,)) | register_sums(
        conn, inds, compared.filters, (filters.year - 1,)
    )


def _unsent(
    conn: Connection, filters: Filters, covered: dict[int, int], today: date | None
) -> dict[str, str]:
    """register -> 报送未齐 note over the months the figures cover (none for a year the store lacks)."""
    if filters.year not in covered:
        return {}
    first, last = filters.months or (1, 12)
    return register_notes(
        conn, filters.year, (first, min(last, covered[filters.year])), today or date.today()
    )


def figures(
    conn: Connection,
    filters: Filters,
    codes: list[str] | None = None,
    area: str | None = None,
    cat: dict[str, Indicator] | None = None,
    today: date | None = None,
) -> list[Figure]:
    """The figures of the catalog (or of ``codes``, or of one ``area``) for ``filters``, in catalog order;
    only those the reader may see (``filters.scope``); ``today`` decides which months are over (报送)."""
    cat = cat or catalog.load()
    chosen = [cat[c] for c in codes] if codes is not None else list(cat.values())
    chosen = [i for i in chosen if filters.scope.sees(i)]
    if area is not None:
        chosen = [i for i in chosen if i.area == area]
    covered = coverage(conn)
    filters = in_year(filters, covered)
    years = (filters.year, filters.year - 1)

    parts = {i.code: i for i in chosen if i.source_kind == "register"}
    for ind in chosen:
        if ind.is_rate:
            parts.setdefault(ind.numerator, cat[ind.numerator])
            parts.setdefault(ind.denominator, cat[ind.denominator])
    compared = comparison(conn, filters) if parts else None
    sums = _sums_of_both_years(conn, list(parts.values()), filters, compared) if parts else {}
    reported = _reported(conn, [i.code for i in chosen if i.source_kind == "reported"], years)

    def register_value(code: str, year: int) -> float | None:
        # A year the store holds counts as zero where no row matched; a year it lacks has no value.
        return sums.get((code, year), 0.0) if year in covered else None

    goals = targets_for(conn, chosen, filters.year, target_unit(filters))
    unsent = _unsent(conn, filters, covered, today) if parts else {}
    out = []
    for ind in chosen:
        values: dict[int, float | None] = {}
        as_of = None
        source = _source(ind, cat)
        for year in years:
            if ind.source_kind == "reported":
                value, reported_as_of, reported_source = reported.get((ind.code, year), (None, None, None))
                values[year] = value
                if year == filters.year:
                    as_of = reported_as_of.isoformat() if reported_as_of else None
                    source = reported_source or "未填报"
            elif ind.is_rate:
                values[year] = rate(
                    register_value(ind.numerator, year), register_value(ind.denominator, year)
                )
            else:
                values[year] = register_value(ind.code, year)
        if ind.source_kind != "reported" and filters.year in covered:
            last = filters.month_range(ind)[1]
            as_of = _as_of(filters.year, min(last, covered[filters.year]))
        value, previous = tidy(values[filters.year], ind), tidy(values[filters.year - 1], ind)
        out.append(
            Figure(
                code=ind.code,
                area=ind.area,
                name=ind.name,
                unit=ind.unit,
                value=value,
                previous=previous,
                yoy_pct=yoy(value, previous),
                yoy_points=points(value, previous) if ind.unit == "%" else None,
                applies={"department": ind.applies_department, "township": ind.applies_township},
                as_of=as_of,
                source=source,
                target=goals[ind.code],
                compared_with=compared.note(ind) if compared and ind.source_kind != "reported" else None,
                reporting=unsent.get(indicator_register(ind, cat) or ""),
            )
        )
    return out

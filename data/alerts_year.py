"""One year's figures for the warning rules: the district's and each department's and township's, read at once.

The monthly summary table (indicator_fact) is read in a few grouped queries, not one per figure, so that
evaluating every rule after a publish stays fast on a big store; reported figures, the units active in the
year and their targets come with them. data/alerts_compute.py then only compares. Kept apart because this is
the part that queries, and the part a benchmark (scripts/bench_alerts.py) times.

The year-to-date view is the desk's: for a year still in progress both years are compared over the same months.
"""

from __future__ import annotations

import calendar as cal
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, func, select

from data import catalog
from data.catalog import Indicator
from data.org import units
from data.queries.figures import rate
from data.schema import calendar as calendar_table
from data.schema import indicator_fact, reported_figure
from data.schema_alerts import DISTRICT_UNIT
from data.schema_district import WHOLE_DISTRICT, indicator_target

DIMENSIONS = {"department": indicator_fact.c.department_code, "township": indicator_fact.c.township_code}


@dataclass
class YearData:
    """One year's figures by unit: (code, year, unit kind, unit code) -> value; None where nothing applies."""

    year: int
    last_month: int
    previous_held: bool
    sums: dict[tuple, float] = field(default_factory=dict)
    reported: dict[tuple[str, int], float] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)  # unit kind -> codes active in the year
    targets: dict[tuple[str, str], float] = field(default_factory=dict)  # (code, unit code) -> target

    def last(self, ind: Indicator) -> int:
        return min(self.last_month, ind.months[1])

    def complete(self, ind: Indicator) -> bool:
        return ind.source_kind == "reported" or self.last_month >= ind.months[1]

    def as_of(self, ind: Indicator) -> date:
        month = self.last(ind)
        return date(self.year, month, cal.monthrange(self.year, month)[1])

    def value(self, ind: Indicator, year: int, kind: str, unit: str) -> float | None:
        if year != self.year and not self.previous_held:
            return None
        if ind.source_kind == "reported":
            return self.reported.get((ind.code, year)) if kind == "district" else None
        if ind.is_rate:
            cat = catalog.load()
            num = self.value(cat[ind.numerator], year, kind, unit)
            return rate(num, self.value(cat[ind.denominator], year, kind, unit))
        return self.sums.get((ind.code, year, kind, unit), 0.0)

    def target(self, ind: Indicator, kind: str, unit: str) -> float | None:
        """The unit's own target; a percentage also takes the district's (a count's district total is no
        unit's target); the district's, else the catalog's, for the district."""
        own = self.targets.get((ind.code, unit)) if kind != "district" else None
        if own is not None:
            return own
        if kind == "district" or ind.unit == "%" or ind.is_rate:
            whole = self.targets.get((ind.code, WHOLE_DISTRICT))
            return whole if whole is not None else ind.target
        return None


def coverage(conn: Connection) -> dict[int, int]:
    """Each year the store holds and its last month, read afresh: the evaluation runs inside the transaction
    that has just changed them (data/queries/figures.coverage keeps what it read for the transaction)."""
    query = select(calendar_table.c.year, func.max(calendar_table.c.month)).group_by(calendar_table.c.year)
    return {int(y): int(m) for y, m in conn.execute(query)}


def load_year(conn: Connection, year: int) -> YearData | None:
    """The year's figures, with the year before's over the same months; None for a year the store holds no data for."""
    covered = coverage(conn)
    if year not in covered:
        return None
    data = YearData(year, covered[year], (year - 1) in covered)
    cat = catalog.load()
    counted = [i for i in cat.values() if i.source_kind == "register"]
    for period_last in sorted({min(data.last_month, i.months[1]) for i in counted}):
        codes = [i.code for i in counted if min(data.last_month, i.months[1]) == period_last]
        _sum_facts(conn, data, codes, period_last)
    rows = conn.execute(
        select(reported_figure.c.indicator_code, reported_figure.c.year, reported_figure.c.value).where(
            reported_figure.c.year.in_([year, year - 1])
        )
    )
    data.reported = {(code, int(y)): float(v) for code, y, v in rows}
    start, end = date(year, 1, 1), date(year, 12, 31)
    for unit in units(conn):
        if (unit.valid_from is None or unit.valid_from <= end) and (
            unit.valid_to is None or unit.valid_to > start
        ):
            data.members.setdefault(unit.kind, []).append(unit.code)
    rows = conn.execute(
        select(
            indicator_target.c.indicator_code, indicator_target.c.unit_code, indicator_target.c.value
        ).where(indicator_target.c.year == year)
    )
    data.targets = {(code, unit): float(v) for code, unit, v in rows}
    return data


def _sum_facts(conn: Connection, data: YearData, codes: list[str], last: int) -> None:
    f = indicator_fact
    where = (f.c.indicator_code.in_(codes), f.c.year.in_([data.year, data.year - 1]), f.c.month <= last)
    for code, year, total in conn.execute(
        select(f.c.indicator_code, f.c.year, func.sum(f.c.value))
        .where(*where)
        .group_by(f.c.indicator_code, f.c.year)
    ):
        data.sums[(code, int(year), "district", DISTRICT_UNIT)] = float(total)
    for kind, column in DIMENSIONS.items():
        query = (
            select(f.c.indicator_code, f.c.year, column, func.sum(f.c.value))
            .where(*where, column.is_not(None))
            .group_by(f.c.indicator_code, f.c.year, column)
        )
        for code, year, unit, total in conn.execute(query):
            data.sums[(code, int(year), kind, unit)] = float(total)

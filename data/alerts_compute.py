"""What the warning rules (data/alert_rules.py) find in one year's data: the figures of the district and of each
department and township, from the monthly summary table in a few grouped queries (not one per figure, so that
evaluating every rule after a publish stays fast on a big store), then one function per kind of rule.

The year-to-date view is the desk's: for a year still in progress both years are compared over the same months.
"""

from __future__ import annotations

import calendar as cal
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Connection, func, select

from data import catalog, catalog_sql
from data.alert_rules import Rule
from data.catalog import Indicator
from data.org import day_zh, units
from data.queries.figures import rate
from data.schema import REGISTERS as TABLES
from data.schema import calendar as calendar_table
from data.schema import indicator_fact, reported_figure
from data.schema_alerts import DISTRICT_UNIT
from data.schema_district import WHOLE_DISTRICT, indicator_target

DIMENSIONS = {"department": indicator_fact.c.department_code, "township": indicator_fact.c.township_code}


@dataclass(frozen=True)
class Found:
    rule: Rule
    ind: Indicator
    unit_kind: str
    unit_code: str  # DISTRICT_UNIT for the district
    numbers: dict
    message: str


def number_zh(value: float | None, ind: Indicator) -> str:
    if value is None:
        return "无数据"
    if ind.unit == "%" or ind.is_rate:
        return f"{value:.2f}%"
    shown = int(value) if float(value).is_integer() else round(value, 2)
    return f"{shown:,}{ind.unit}"


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


def applies(ind: Indicator, kind: str) -> bool:
    if kind == "district":
        return True
    if ind.source_kind == "reported":
        return False
    return ind.applies_department if kind == "department" else ind.applies_township


def _places(data: YearData, rule: Rule):
    """(indicator, unit kind, unit code) the rule looks at, in catalog order."""
    cat = catalog.load()
    chosen = [cat[c] for c in rule.indicators] if rule.indicators else list(cat.values())
    for ind in chosen:
        for kind in rule.units:
            if not applies(ind, kind):
                continue
            for unit in [DISTRICT_UNIT] if kind == "district" else data.members.get(kind, []):
                yield ind, kind, unit


def target_rules(data: YearData, rule: Rule) -> list[Found]:
    out = []
    for ind, kind, unit in _places(data, rule):
        goal, value = data.target(ind, kind, unit), data.value(ind, data.year, kind, unit)
        if goal is None or value is None or ind.direction == "neutral":
            continue
        numbers = {"value": round(value, 2), "target": goal, "as_of": data.as_of(ind).isoformat()}
        shown, aim = number_zh(value, ind), number_zh(goal, ind)
        if rule.kind == "target":
            if ind.direction == "down" and value > goal * (1 + rule.threshold / 100):
                out.append(Found(rule, ind, kind, unit, numbers, f"{ind.name}{shown}，超过目标上限 {aim}"))
            elif ind.direction == "up" and data.complete(ind) and value < goal * (1 - rule.threshold / 100):
                out.append(Found(rule, ind, kind, unit, numbers, f"{ind.name}{shown}，未达到目标 {aim}"))
        elif ind.direction == "up" and not data.complete(ind):
            share = 1.0 if ind.unit == "%" or ind.is_rate else data.last(ind) / ind.months[1]
            expected = goal * share
            if value < expected * (1 - rule.threshold / 100):
                numbers["expected"] = round(expected, 2)
                out.append(
                    Found(
                        rule,
                        ind,
                        kind,
                        unit,
                        numbers,
                        f"{ind.name}截至{data.last(ind)}月 {shown}，落后于序时进度 {number_zh(expected, ind)}"
                        f"（全年目标 {aim}）",
                    )
                )
    return out


def yoy_rules(data: YearData, rule: Rule) -> list[Found]:
    percent = rule.kind == "yoy_points"
    out = []
    for ind, kind, unit in _places(data, rule):
        if ind.direction == "neutral" or (ind.unit == "%" or ind.is_rate) != percent:
            continue
        value, previous = data.value(ind, data.year, kind, unit), data.value(ind, data.year - 1, kind, unit)
        if value is None or previous is None or (not percent and previous <= 0):
            continue
        change = value - previous if percent else (value - previous) / previous * 100
        worse = -change if ind.direction == "up" else change
        if worse <= rule.threshold:
            continue
        word = "下降" if change < 0 else "上升"
        amount = f"{abs(change):.2f}个百分点" if percent else f"{abs(change):.1f}%"
        numbers = {"value": round(value, 2), "previous": round(previous, 2), "change": round(change, 2)}
        message = (
            f"{ind.name}{number_zh(value, ind)}，同比{word}{amount}（上年同期 {number_zh(previous, ind)}）"
        )
        out.append(Found(rule, ind, kind, unit, numbers, message))
    return out


def last_place_rules(data: YearData, rule: Rule) -> list[Found]:
    by: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    cat = catalog.load()
    for ind, kind, unit in _places(data, rule):
        if kind == "district" or ind.direction == "neutral":
            continue
        # Peers are the units the figure is counted for: a department with no online transactions at all is
        # not last in them, and a rate needs something to count it over.
        counted = cat[ind.denominator] if ind.is_rate else ind
        if (counted.code, data.year, kind, unit) not in data.sums:
            continue
        value = data.value(ind, data.year, kind, unit)
        if value is not None:
            by[(ind.code, kind)][unit] = value
    out = []
    for (code, kind), values in by.items():
        ind = cat[code]
        if len(values) < rule.threshold or len(set(values.values())) < 2:
            continue
        worst = max(values.values()) if ind.direction == "down" else min(values.values())
        for unit, value in values.items():
            if value == worst:
                numbers = {"value": round(value, 2), "rank": len(values), "members": len(values)}
                peers = "部门" if kind == "department" else "乡镇（街道）"
                message = f"{ind.name}{number_zh(value, ind)}，在 {len(values)} 个{peers}中排末位"
                out.append(Found(rule, ind, kind, unit, numbers, message))
    return out


def overdue_rules(conn: Connection, data: YearData, rule: Rule) -> list[Found]:
    ind = catalog.load()[rule.indicators[0]]
    table = TABLES[ind.register]
    as_of = data.as_of(ind)
    cutoff = as_of - timedelta(days=int(rule.threshold))
    columns = [table.c[c] for c in ("department_code", "township_code") if c in table.c]
    query = (
        select(*columns, func.count())
        .where(
            table.c.year == data.year,
            table.c.occurred_on < cutoff,
            catalog_sql.condition_expr(table, ind.condition),
            catalog_sql.condition_expr(table, rule.open_when),
        )
        .group_by(*columns)
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in conn.execute(query):
        *codes, n = row
        counts[("district", DISTRICT_UNIT)] += n
        for column, code in zip(columns, codes, strict=True):
            if code is not None:
                counts[(column.name.removesuffix("_code"), code)] += n
    out = []
    for (kind, unit), n in counts.items():
        if kind in rule.units and n:
            numbers = {"overdue": n, "limit_days": int(rule.threshold), "as_of": as_of.isoformat()}
            message = f"截至{day_zh(as_of)}，{rule.name}{n}件（超过{int(rule.threshold)}天）"
            out.append(Found(rule, ind, kind, unit, numbers, message))
    return out


def compute(conn: Connection, year: int, rules: list[Rule]) -> list[Found]:
    """Every warning the rules raise for ``year``; none for a year the store holds no data for."""
    data = load_year(conn, year)
    if data is None:
        return []
    out: list[Found] = []
    for rule in rules:
        if rule.kind in ("target", "pace"):
            out += target_rules(data, rule)
        elif rule.kind in ("yoy", "yoy_points"):
            out += yoy_rules(data, rule)
        elif rule.kind == "last":
            out += last_place_rules(data, rule)
        else:
            out += overdue_rules(conn, data, rule)
    return out

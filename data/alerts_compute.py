"""What the warning rules (data/alert_rules.py) find in one year's data (data/alerts_year.py reads it): the
figures of the district and of each department and township compared, one function per kind of rule.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection, func, select

from data import catalog, catalog_sql
from data.alert_rules import Rule
from data.alerts_year import YearData, load_year
from data.catalog import Indicator
from data.org import day_zh
from data.schema import REGISTERS as TABLES
from data.schema_alerts import DISTRICT_UNIT


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
                out.append(Found(rule, ind, kind, unit, numbers, f"{ind.name}{shown}，超过目标上限（{aim}）"))
            elif ind.direction == "up" and data.complete(ind) and value < goal * (1 - rule.threshold / 100):
                out.append(Found(rule, ind, kind, unit, numbers, f"{ind.name}{shown}，未达到目标（{aim}）"))
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
                        f"{ind.name}截至{data.last(ind)}月{shown}，落后于序时进度（{number_zh(expected, ind)}，"
                        f"全年目标{aim}）",
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

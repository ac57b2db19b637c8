"""Targets by year, for the district or for one of its units; the catalog's target is the default of a year
without one.

A figure's target for a year is, in order: the target set for the one unit its filters name, the target set
for the whole district, the catalog's. Every change is audited in the caller's transaction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from data import alerts, catalog
from data.accounts.audit import record
from data.org import by_code
from data.schema_district import WHOLE_DISTRICT, indicator_target
from data.store import bump_data_version

# The years a target may be set for: those a register may hold dates of (data/imports/template.py DATE_RANGE).
YEARS = range(2000, 2101)


class TargetError(Exception):
    """A target refused, in one Chinese sentence; nothing was changed."""


@dataclass(frozen=True)
class Target:
    code: str
    name: str
    year: int
    unit_code: str | None  # None: the whole district
    unit_name: str
    value: float
    unit: str  # the indicator's unit of measure


def _indicator(code: str) -> catalog.Indicator:
    ind = catalog.load().get(code)
    if ind is None:
        raise TargetError(f"没有代码为 {code} 的指标（指标目录见 /api/v1/indicators）")
    return ind


def _unit_name(conn: Connection, unit_code: str | None, kind: str | None = None) -> str:
    if unit_code is None:
        return "全区"
    unit = by_code(conn).get(unit_code)
    if unit is None or (kind is not None and unit.kind != kind):
        what = {"department": "部门", "township": "乡镇（街道）", None: "部门或乡镇（街道）"}[kind]
        raise TargetError(f"没有代码为 {unit_code} 的{what}：dashboard org list 查看全部单位")
    return unit.name


def check_value(ind: catalog.Indicator, value: float, year: int) -> None:
    if year not in YEARS:
        raise TargetError(f"年度 {year} 超出范围：应在 {YEARS.start} 到 {YEARS.stop - 1} 之间")
    if not math.isfinite(value):
        raise TargetError(f"目标值应为数字，当前为 {value!r}")
    if value < 0:
        raise TargetError(f"目标值不能为负数（{ind.name}，当前为 {value:g}）")
    if (ind.unit == "%" or ind.is_rate) and value > 100:
        raise TargetError(f"“{ind.name}”是百分比，目标值应在 0 到 100 之间，当前为 {value:g}")


def set_target(
    conn: Connection,
    code: str,
    year: int,
    value: float,
    unit_code: str | None = None,
    kind: str | None = None,
    actor: str | None = None,
) -> Target:
    """Set (or replace) the target of ``code`` for ``year``, for the district or one unit (of ``kind``)."""
    ind = _indicator(code)
    check_value(ind, value, year)
    unit_name = _unit_name(conn, unit_code, kind)
    key = unit_code or WHOLE_DISTRICT
    where = _key(code, year, key)
    before = conn.scalar(select(indicator_target.c.value).where(*where))
    conn.execute(delete(indicator_target).where(*where))
    conn.execute(insert(indicator_target).values(indicator_code=code, year=year, unit_code=key, value=value))
    record(
        conn, "target_set", actor=actor, subject=code, year=year, unit=unit_code, value=value, before=before
    )
    bump_data_version(conn)
    alerts.evaluate(conn, [year])  # a target missed (or no longer) is a warning raised (or gone) at once
    return Target(code, ind.name, year, unit_code, unit_name, value, ind.unit)


def unset_target(
    conn: Connection, code: str, year: int, unit_code: str | None = None, actor: str | None = None
) -> float:
    """Remove a target; returns the value it had. The catalog's default applies again."""
    ind = _indicator(code)
    where = _key(code, year, unit_code or WHOLE_DISTRICT)
    before = conn.scalar(select(indicator_target.c.value).where(*where))
    if before is None:
        whose = f"{unit_code} 的" if unit_code else "全区"
        raise TargetError(f"{year} 年没有为“{ind.name}”设置{whose}目标")
    conn.execute(delete(indicator_target).where(*where))
    record(conn, "target_unset", actor=actor, subject=code, year=year, unit=unit_code, before=before)
    bump_data_version(conn)
    alerts.evaluate(conn, [year])
    return float(before)


def _key(code: str, year: int, unit_code: str) -> tuple:
    return (
        indicator_target.c.indicator_code == code,
        indicator_target.c.year == year,
        indicator_target.c.unit_code == unit_code,
    )


def list_targets(conn: Connection, year: int | None = None) -> list[Target]:
    """Every target set, by year, catalog order, the district's first."""
    cat = catalog.load()
    order = {code: i for i, code in enumerate(cat)}
    names = {u.code: u.name for u in by_code(conn).values()}
    query = select(indicator_target)
    if year is not None:
        query = query.where(indicator_target.c.year == year)
    out = [
        Target(
            r.indicator_code,
            cat[r.indicator_code].name if r.indicator_code in cat else r.indicator_code,
            r.year,
            r.unit_code or None,
            names.get(r.unit_code, r.unit_code) if r.unit_code else "全区",
            r.value,
            cat[r.indicator_code].unit if r.indicator_code in cat else "",
        )
        for r in conn.execute(query)
    ]
    return sorted(out, key=lambda t: (t.year, order.get(t.code, 0), t.unit_code or ""))

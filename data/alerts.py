"""Warnings (预警): evaluated when data is published (data/imports/publish.py, `dashboard alert evaluate`), stored
in the ``alert`` table, and read by everyone else through ONE function, :func:`alerts_for`, under the reader's
scope: leaders and admins read every unit's; a department head or clerk the district's and their department's;
a township head the district's and their township's; a visitor or a kiosk link the district's, of public
indicators only. Every reader sees only the indicators Scope.sees allows.

The contract the other faces build on (keep it):

    alerts_for(engine, scope, year, department=None, township=None) -> list[Alert]
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import Connection, Engine, and_, delete, insert, or_, select

from data import alert_rules, catalog
from data.access import Forbidden, Scope
from data.alerts_compute import compute
from data.alerts_year import coverage
from data.org import by_code
from data.schema_alerts import DISTRICT_UNIT, alert
from data.store import bump_data_version


@dataclass(frozen=True)
class Alert:
    year: int
    indicator_code: str
    indicator_name: str
    unit_kind: str  # district | department | township
    unit_code: str | None  # None: the whole district
    unit_name: str
    level: str  # 红 | 黄
    since: date  # the day it was first raised
    numbers: dict  # the figures that raised it (value, target, previous, change, rank, overdue, ...)
    rule_id: str
    rule_name: str
    message: str  # one Chinese sentence

    @property
    def colour(self) -> str:
        return alert_rules.LEVELS[self.level]

    def to_dict(self) -> dict:
        out = asdict(self)
        out["since"] = self.since.isoformat()
        out["colour"] = self.colour
        return out


def _visible_units(scope: Scope) -> set[tuple[str, str]] | None:
    """The (unit kind, unit code) pairs ``scope`` reads warnings of; None: every unit."""
    if scope.everything:
        return None
    mine = {("district", DISTRICT_UNIT)}
    if scope.department:
        mine.add(("department", scope.department))
    elif scope.township:
        mine.add(("township", scope.township))
    return mine


def alerts_in(
    conn: Connection, scope: Scope, year: int, department: str | None = None, township: str | None = None
) -> list[Alert]:
    """As :func:`alerts_for`, on an open connection."""
    visible = _visible_units(scope)
    asked = [(k, c) for k, c in (("department", department), ("township", township)) if c]
    if visible is not None and any(pair not in visible for pair in asked):
        raise Forbidden("只能查看全区和本单位的预警")
    query = select(alert).where(alert.c.year == year)
    if asked:
        query = query.where(or_(*(and_(alert.c.unit_kind == k, alert.c.unit_code == c) for k, c in asked)))
    cat = catalog.load()
    order = {code: i for i, code in enumerate(cat)}
    declared = alert_rules.declared()
    names = {u.code: u.name for u in by_code(conn).values()}
    out = []
    for r in conn.execute(query):
        ind = cat.get(r.indicator_code)
        if ind is None or not scope.sees(ind):
            continue
        if visible is not None and (r.unit_kind, r.unit_code) not in visible:
            continue
        rule = declared.get(r.rule_id)
        out.append(
            Alert(
                year=r.year,
                indicator_code=r.indicator_code,
                indicator_name=ind.name,
                unit_kind=r.unit_kind,
                unit_code=r.unit_code or None,
                unit_name=names.get(r.unit_code, r.unit_code) if r.unit_code else "全区",
                level=r.level,
                since=r.since,
                numbers=json.loads(r.numbers),
                rule_id=r.rule_id,
                rule_name=rule.name if rule else r.rule_id,
                message=r.message,
            )
        )
    kinds = list(alert_rules.UNIT_KINDS)
    return sorted(
        out,
        key=lambda a: (
            list(alert_rules.LEVELS).index(a.level),
            kinds.index(a.unit_kind),
            order.get(a.indicator_code, 0),
            a.unit_code or "",
            a.rule_id,
        ),
    )


def alerts_for(
    engine: Engine, scope: Scope, year: int, department: str | None = None, township: str | None = None
) -> list[Alert]:
    """The warnings of ``year`` that ``scope`` may read (the module's docstring says whose), red first, the
    district's before the units', in catalog order; only ``department``'s and ``township``'s if either is
    named (Forbidden if the reader may not read that unit's)."""
    with engine.connect() as conn:
        return alerts_in(conn, scope, year, department, township)


def evaluate(conn: Connection, years: Iterable[int] | None = None, today: date | None = None) -> int:
    """Evaluate every rule for ``years`` (default: every year the store holds, and forget the others) in the
    caller's transaction; a warning raised again keeps the day it was first raised. Returns how many stand."""
    today = today or date.today()
    held = set(coverage(conn))
    if years is None:
        years = held
        conn.execute(delete(alert).where(alert.c.year.not_in(sorted(held) or [-1])))
    rules = alert_rules.rules(conn)
    total = 0
    for year in sorted(set(years)):
        since = {
            (r.rule_id, r.indicator_code, r.unit_kind, r.unit_code): r.since
            for r in conn.execute(select(alert).where(alert.c.year == year))
        }
        conn.execute(delete(alert).where(alert.c.year == year))
        rows = [
            {
                "year": year,
                "rule_id": f.rule.id,
                "indicator_code": f.ind.code,
                "unit_kind": f.unit_kind,
                "unit_code": f.unit_code,
                "level": f.rule.level,
                "since": since.get((f.rule.id, f.ind.code, f.unit_kind, f.unit_code), today),
                "numbers": json.dumps(f.numbers, ensure_ascii=False),
                "message": f.message,
            }
            for f in (compute(conn, year, rules) if year in held else [])
        ]
        if rows:
            conn.execute(insert(alert), rows)
        total += len(rows)
    # the wall and the desk cache by data version: a change of rules shows at once
    bump_data_version(conn)
    return total


def affected_years(conn: Connection, years: Iterable[int]) -> list[int]:
    """The years a change to ``years``' data touches: those years and the next ones (their 同比)."""
    return sorted({y for year in years for y in (year, year + 1)} & set(coverage(conn)) | set(years))

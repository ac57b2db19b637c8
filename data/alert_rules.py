"""The warning rules (预警规则) as data: ``alert_rules.csv`` beside this module declares each rule once (its kind,
the units it looks at, its default threshold and level, the bounds an admin may set); an admin's change of a
threshold or level is kept in ``alert_rule_setting`` and audited. data/alerts.py evaluates the rules.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select

from data import catalog, catalog_sql
from data.accounts.audit import record
from data.registers import REGISTERS
from data.schema import REGISTERS as TABLES
from data.schema_alerts import alert_rule_setting

RULES_CSV = Path(__file__).with_name("alert_rules.csv")

# The two levels, worst first; the wall and the pages colour them red and amber.
LEVELS: dict[str, str] = {"红": "red", "黄": "amber"}
# What each kind of rule compares (data/alerts.py has one function per kind).
KINDS: dict[str, str] = {
    "target": "目标未完成",
    "pace": "落后于序时进度",
    "yoy": "同比变差（百分比）",
    "yoy_points": "比率同比变差（百分点）",
    "last": "同级末位",
    "overdue": "超期未办结",
}
UNIT_KINDS: dict[str, str] = {"district": "全区", "department": "部门", "township": "乡镇（街道）"}


class RuleError(ValueError):
    """A rule or a change to one refused, in one Chinese sentence; nothing was changed."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    name: str
    indicators: tuple[str, ...]  # empty: every indicator the kind applies to
    units: tuple[str, ...]
    threshold: float
    threshold_unit: str
    level: str
    minimum: float
    maximum: float
    definition: str
    open_when: str | None  # overdue rules: the condition of a register row still open

    @property
    def register(self) -> str | None:
        """The register an overdue rule counts rows of: its indicator's."""
        if self.kind != "overdue":
            return None
        return catalog.load()[self.indicators[0]].register


def _parse(row: dict[str, str]) -> Rule:
    rid = row["id"].strip()
    try:
        rule = Rule(
            id=rid,
            kind=row["kind"],
            name=row["name"],
            indicators=tuple(c for c in row["indicators"].split(";") if c),
            units=tuple(u for u in row["units"].split(";") if u),
            threshold=float(row["threshold"]),
            threshold_unit=row["threshold_unit"],
            level=row["level"],
            minimum=float(row["minimum"]),
            maximum=float(row["maximum"]),
            definition=row["definition"],
            open_when=row["open_when"].strip() or None,
        )
    except (KeyError, ValueError) as exc:
        raise RuleError(f"{rid}: {exc}") from None
    _check(rule)
    return rule


def _check(rule: Rule) -> None:
    cat = catalog.load()
    problems = [
        rule.kind not in KINDS and f"kind {rule.kind!r}",
        rule.level not in LEVELS and f"level {rule.level!r}",
        any(u not in UNIT_KINDS for u in rule.units) and f"units {rule.units!r}",
        any(c not in cat for c in rule.indicators) and f"indicators {rule.indicators!r}",
        not rule.minimum <= rule.threshold <= rule.maximum and "threshold out of its bounds",
        (rule.kind == "overdue") != bool(rule.open_when) and "open_when is for overdue rules only",
        rule.kind == "overdue" and len(rule.indicators) != 1 and "an overdue rule names one indicator",
    ]
    wrong = [p for p in problems if p]
    if not wrong and rule.kind == "overdue":
        ind = cat[rule.indicators[0]]
        if ind.source_kind != "register" or ind.register not in REGISTERS:
            wrong.append("an overdue rule's indicator is counted from a register")
        else:
            catalog_sql.condition_expr(TABLES[ind.register], rule.open_when)
    if wrong:
        raise RuleError(f"{rule.id}: " + "; ".join(wrong))


@cache
def declared(path: Path = RULES_CSV) -> dict[str, Rule]:
    """The rules file, checked, in file order."""
    with path.open(encoding="utf-8", newline="") as fh:
        rules = [_parse(row) for row in csv.DictReader(fh)]
    out = {r.id: r for r in rules}
    if len(out) != len(rules):
        raise RuleError("alert_rules.csv: a rule id appears twice")
    return out


def rules(conn: Connection) -> list[Rule]:
    """The declared rules with the admin's thresholds and levels."""
    changed = {r.rule_id: r for r in conn.execute(select(alert_rule_setting))}
    out = []
    for rule in declared().values():
        row = changed.get(rule.id)
        out.append(replace(rule, threshold=row.threshold, level=row.level) if row else rule)
    return out


def parse_threshold(rule: Rule, raw: object) -> float:
    """A threshold as typed in a form or on the command line, checked against the rule's bounds."""
    text = str(raw).strip() if raw is not None else ""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise RuleError(f"“{rule.name}”的阈值应为数字，收到“{text[:20]}”")
    if not rule.minimum <= value <= rule.maximum:
        raise RuleError(
            f"“{rule.name}”的阈值应在 {rule.minimum:g} 到 {rule.maximum:g}{rule.threshold_unit} 之间，收到 {value:g}"
        )
    return value


def set_rule(conn: Connection, rule_id: str, threshold: object, level: str, actor: str | None) -> Rule:
    """Change one rule's threshold and level (audited); the caller re-evaluates the warnings."""
    rule = declared().get(rule_id)
    if rule is None:
        raise RuleError(f"没有编号为 {str(rule_id)[:40]} 的预警规则")
    value = parse_threshold(rule, threshold)
    if level not in LEVELS:
        raise RuleError(f"预警级别应为“红”或“黄”，收到“{str(level)[:10]}”")
    before = next((r for r in rules(conn) if r.id == rule_id), rule)
    conn.execute(delete(alert_rule_setting).where(alert_rule_setting.c.rule_id == rule_id))
    conn.execute(
        insert(alert_rule_setting).values(
            rule_id=rule_id, threshold=value, level=level, updated_by=actor, updated_at=datetime.now(UTC)
        )
    )
    record(
        conn,
        "alert_rule_set",
        actor=actor,
        subject=rule_id,
        threshold=value,
        level=level,
        before={"threshold": before.threshold, "level": before.level},
    )
    return replace(rule, threshold=value, level=level)

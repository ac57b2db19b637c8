"""Warnings (预警): the admin's changes to the declared rules (data/alert_rules.csv) and the warnings the rules
raised when data was last published (data/alerts.py evaluates them; pages and the API only read them).

Kept apart from data/schema.py, on its metadata, like data/schema_district.py; data/schema.py imports it last.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    false,
    true,
)

from data.metadata import metadata
from data.schema import REGISTERS

# The unit_code of a warning about the whole district: a key column cannot be NULL, and no unit's code is empty.
DISTRICT_UNIT = ""

# An admin's threshold and level for one declared rule; a rule without a row here has the CSV's.
alert_rule_setting = Table(
    "alert_rule_setting",
    metadata,
    Column("rule_id", String(40), primary_key=True),
    Column("threshold", Float, nullable=False),
    Column("level", String(4), nullable=False),
    Column("updated_by", String(64), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

alert = Table(
    "alert",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("year", Integer, nullable=False),
    Column("rule_id", String(40), nullable=False),
    Column("indicator_code", String(64), nullable=False),
    Column("unit_kind", String(16), nullable=False),  # district | department | township
    Column("unit_code", String(32), nullable=False),
    Column("level", String(4), nullable=False),
    # the day the warning was first raised; kept while later evaluations raise it again
    Column("since", Date, nullable=False),
    Column("numbers", Text, nullable=False),  # JSON: the figures that raised it
    Column("message", Text, nullable=False),
    UniqueConstraint("year", "rule_id", "indicator_code", "unit_kind", "unit_code", name="uq_alert_key"),
    Index("ix_alert_year_unit", "year", "unit_kind", "unit_code"),
)


def _open_rows(register: str, *where: ColumnElement[bool]) -> Index:
    """A partial index of a register's rows still open: the overdue rules (data/alert_rules.csv, open_when)
    count them by year and date, and a big register holds few of them, so an evaluation reads a handful of
    index entries instead of the year's rows. The rule's conditions must read exactly as these (tested)."""
    table = REGISTERS[register]
    keys = [table.c[c] for c in ("year", "occurred_on", "department_code", "township_code") if c in table.c]
    clause = and_(*where)
    return Index(f"ix_{register}_open", *keys, postgresql_where=clause, sqlite_where=clause)


_HOTLINE, _RECONSIDERATION = REGISTERS["hotline_request"], REGISTERS["reconsideration_application"]
OPEN_ROWS: dict[str, Index] = {
    "hotline_request": _open_rows("hotline_request", _HOTLINE.c.completed.is_(false())),
    "reconsideration_application": _open_rows(
        "reconsideration_application",
        _RECONSIDERATION.c.accepted.is_(true()),
        _RECONSIDERATION.c.closed_on.is_(None),
    ),
}

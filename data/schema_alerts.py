"""Warnings (预警): the admin's changes to the declared rules (data/alert_rules.csv) and the warnings the rules
raised when data was last published (data/alerts.py evaluates them; pages and the API only read them).

Kept apart from data/schema.py, on its metadata, like data/schema_district.py; data/schema.py imports it last.
The partial indexes of the registers' open rows that the overdue rules count are with the registers' other
indexes, in data/schema.py (OPEN_ROWS).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Float, Index, Integer, String, Table, Text, UniqueConstraint

from data.metadata import metadata

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

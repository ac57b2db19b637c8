"""A district's own settings as data: targets by year and unit (data/targets.py), and which unit owes which
register by which day of the following month (data/reporting.py).

Kept apart from data/schema.py, on its metadata, like data/schema_present.py; data/schema.py imports it last.
Departments' and townships' codes never collide (data/org.py refuses it), so one ``unit_code`` column names
either kind.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, String, Table

from data.metadata import metadata

# The unit_code of a target for the whole district: a key column cannot be NULL, and no unit's code is empty.
WHOLE_DISTRICT = ""

indicator_target = Table(
    "indicator_target",
    metadata,
    Column("indicator_code", String(64), ForeignKey("indicator.code"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("unit_code", String(32), primary_key=True),
    Column("value", Float, nullable=False),
)

# The day of the following month a register may be due: one every month has; the default where a duty names
# none is the configured one (DASHBOARD_REPORT_DAY, dashboard/config.py), itself by default this.
DUE_DAYS = range(1, 29)
DEFAULT_DUE_DAY = 10

report_duty = Table(
    "report_duty",
    metadata,
    Column("unit_code", String(32), primary_key=True),
    Column("register", String(40), primary_key=True),
    # the day of the following month the register is due; NULL: the configured default (DASHBOARD_REPORT_DAY)
    Column("due_day", Integer, nullable=True),
)

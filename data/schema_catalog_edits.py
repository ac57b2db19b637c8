"""A district's edits of the indicator catalog (data/catalog_edits.py): per indicator, the name it shows, who may
see it and the department responsible, over the catalog file's values; and the history of every change, which
the 撤销 (undo) of /admin/catalog walks back.

Kept apart from data/schema.py, on its metadata, like data/schema_district.py; data/schema.py imports it last.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table, Text

from data.metadata import metadata

# The longest display name a district may give an indicator (the catalog's own names are under 30 characters).
MAX_DISPLAY_NAME = 60

# NULL in a column: the catalog file's value applies.
indicator_edit = Table(
    "indicator_edit",
    metadata,
    Column("indicator_code", String(64), ForeignKey("indicator.code"), primary_key=True),
    Column("display_name", String(MAX_DISPLAY_NAME), nullable=True),
    Column("visibility", String(16), nullable=True),
    # a department's code (data/org.py); the catalog's ``responsible`` is that department's name
    Column("department_code", String(32), nullable=True),
)

# One row per change of one indicator (its fields and its district targets by year), as JSON before and after.
indicator_edit_log = Table(
    "indicator_edit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_code", String(64), ForeignKey("indicator.code"), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=True),
    Column("before", Text, nullable=False),
    Column("after", Text, nullable=False),
    # an undone change is kept (the audit log tells of both) and skipped by the next undo
    Column("undone", Boolean, nullable=False, default=False),
)

"""Follow-ups (督办): a leader asks a unit about one indicator by a date; the unit replies, with attachments; the
leader accepts (办结) or returns it (退回). data/supervision.py reads and writes them.

Kept apart from data/schema.py, on its metadata, like data/schema_district.py; data/schema.py imports it last.
Departments' and townships' codes never collide (data/org.py refuses it), so ``unit_code`` with ``unit_kind``
names the unit.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text

from data.metadata import metadata

supervision = Table(
    "supervision",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_code", String(64), ForeignKey("indicator.code"), nullable=False),
    Column("unit_kind", String(16), nullable=False),  # "department" | "township"
    Column("unit_code", String(32), nullable=False),
    Column("due", Date, nullable=False),
    Column("request", Text, nullable=False),
    # the username of who raised it; NULL: the command line
    Column("raised_by", String(64), nullable=True),
    Column("raised_at", DateTime(timezone=True), nullable=False),
    # a data/supervision.State value
    Column("state", String(16), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    # a unit's own list and its inbox count read by unit and state
    Index("ix_supervision_unit_code_state", "unit_code", "state"),
)

# The thread: the unit's replies, and the leader's words when returning or accepting (``kind``).
supervision_entry = Table(
    "supervision_entry",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("supervision_id", Integer, ForeignKey("supervision.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # "reply" | "close" | "return"
    Column("author", String(64), nullable=True),  # username; NULL: the command line
    Column("at", DateTime(timezone=True), nullable=False),
    Column("text", Text, nullable=False),
)

# A reply's files, stored under the instance folder by their sha256 (data/supervision_files.py).
supervision_attachment = Table(
    "supervision_attachment",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", Integer, ForeignKey("supervision_entry.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(8), nullable=False),  # a data/supervision_files.KINDS key
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
)

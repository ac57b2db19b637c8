"""The presenter's table: frozen snapshots of a deck (data/snapshots.py).

Kept apart from data/schema.py, on its metadata, like data/schema_screen.py; data/schema.py imports it last.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Table, Text

from data.metadata import metadata

# A deck's content as it was shown (every figure, chart series and talking point, as JSON), the data version
# and the time it was taken: it never changes when the data does.
deck_snapshot = Table(
    "deck_snapshot",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False),
    Column("deck", String(40), nullable=False),
    Column("year", Integer, nullable=False),
    Column("township_code", String(32), nullable=True),
    Column("department_code", String(32), nullable=True),
    Column("content", Text, nullable=False),
    Column("data_version", Integer, nullable=False),
    Column("created_by", String(64), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

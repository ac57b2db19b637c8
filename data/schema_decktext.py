"""The presenter's words as data (issue 21): the text slides of a deck (工作亮点, 存在的问题, 下一步工作安排 and any
free text slide), kept per deck, year and place, and edited on the presenter's list page or with
`dashboard deck text` (data/deck_text.py); and which of a deck's slides are hidden and in what order
(/present/<deck>/edit, data/deck_layout.py).

Kept apart from data/schema.py, on its metadata, like data/schema_present.py; data/schema.py imports it last.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table, Text

from data.metadata import metadata

# One text slide: its bullet lines, one a line (``body``), for one deck, year and place. ``unit_code`` is a
# department's or township's code, or "" for the whole district (a key column cannot be NULL; no unit's code is
# empty, as in data/schema_district.py). ``created_at`` orders the free slides a deck does not declare.
deck_text = Table(
    "deck_text",
    metadata,
    Column("deck", String(40), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("unit_code", String(32), primary_key=True),
    Column("slide", String(40), primary_key=True),
    Column("body", Text, nullable=False),
    Column("updated_by", String(64), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# A deck's slides in the order and with the visibility its editor chose, by the slide's key (dashboard/content/
# deck.py: "title", "overview", "area:mediation", "text:存在的问题", "closing"). A slide with no row keeps its
# declared place after the slide before it.
deck_layout = Table(
    "deck_layout",
    metadata,
    Column("deck", String(40), primary_key=True),
    Column("slide_key", String(60), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("hidden", Boolean, nullable=False),
    Column("updated_by", String(64), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

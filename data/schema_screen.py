"""The big screen's tables: the district's township boundaries (data/geo.py) and kiosk links (data/kiosk.py).

Kept apart from data/schema.py, on its metadata; data/schema.py imports this module last so that the migrations
test and Alembic see these tables too.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, ForeignKey, Integer, String, Table, Text

from data.metadata import metadata

# One township's boundary as `dashboard geo import` checked and simplified it: a GeoJSON geometry (Polygon or
# MultiPolygon, lon/lat) and the point inside it where the screen's map writes its name and value.
township_geo = Table(
    "township_geo",
    metadata,
    Column("township_code", String(32), ForeignKey("township.code"), primary_key=True),
    Column("geometry", Text, nullable=False),
    Column("label_lon", Float, nullable=False),
    Column("label_lat", Float, nullable=False),
)

# A wall's link: a revocable token that opens /screen only, with public indicators only. Only the token's
# SHA-256 is kept; what the link pins (screens, rotation, year, township or department) is applied by the server.
kiosk_link = Table(
    "kiosk_link",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(60), nullable=False, unique=True),
    Column("token_digest", String(64), nullable=False, unique=True),
    # comma-separated screen names (layouts/screens.py); NULL: every screen
    Column("screens", String(400), nullable=True),
    Column("every", Integer, nullable=True),
    Column("year", Integer, nullable=True),
    Column("township_code", String(32), nullable=True),
    Column("department_code", String(32), nullable=True),
    Column("created_by", String(64), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_by", String(64), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_seen_at", DateTime(timezone=True), nullable=True),
)

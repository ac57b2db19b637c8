"""Monthly reports delivered (月报): each unit's and the district's, kept for its readers to download, and the
group-robot channels (WeCom, DingTalk) a summary is pushed to (data/delivery.py).

Kept apart from data/schema.py, on its metadata, like data/schema_district.py; data/schema.py imports it last.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, LargeBinary, String, Table, UniqueConstraint

from data.metadata import metadata

# The unit_code of the district's own report (a key column cannot be NULL, and no unit's code is empty).
DISTRICT_REPORT = ""
# the kinds of unit a report is for
REPORT_UNITS = ("department", "township", "district")
# the group robots a channel may be
CHANNEL_KINDS = {"wecom": "企业微信", "dingtalk": "钉钉"}

delivered_report = Table(
    "delivered_report",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # YYYY-MM: the month reported on
    Column("month", String(7), nullable=False),
    Column("unit_kind", String(12), nullable=False),
    Column("unit_code", String(32), nullable=False),
    Column("unit_name", String(120), nullable=False),
    Column("title", String(200), nullable=False),
    # the print view as PDF; NULL where no browser could print it (the Word report is always made)
    Column("pdf", LargeBinary, nullable=True),
    Column("docx", LargeBinary, nullable=False),
    Column("made_at", DateTime(timezone=True), nullable=False),
    # a second run for the same month replaces the unit's report
    UniqueConstraint("month", "unit_code"),
)

robot_channel = Table(
    "robot_channel",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("kind", String(12), nullable=False),
    # the robot's address, key included: shown and logged only with the key replaced (data/delivery.redact)
    Column("webhook", String(1000), nullable=False),
    # the unit whose report it is sent; NULL: the district's
    Column("unit_code", String(32), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

"""a real district: units' validity and merges, targets by year and unit, reporting duties

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UNITS = ("department", "township")


def upgrade() -> None:
    for table in UNITS:
        op.add_column(table, sa.Column("valid_from", sa.Date(), nullable=True))
        op.add_column(table, sa.Column("valid_to", sa.Date(), nullable=True))
        op.add_column(table, sa.Column("merged_into", sa.String(length=32), nullable=True))
    op.create_table(
        "indicator_target",
        sa.Column("indicator_code", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_code"], ["indicator.code"], name="fk_indicator_target_indicator_code_indicator"
        ),
        sa.PrimaryKeyConstraint("indicator_code", "year", "unit_code", name="pk_indicator_target"),
    )
    op.create_table(
        "report_duty",
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("register", sa.String(length=40), nullable=False),
        sa.Column("due_day", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("unit_code", "register", name="pk_report_duty"),
    )


def downgrade() -> None:
    op.drop_table("report_duty")
    op.drop_table("indicator_target")
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35+ and PostgreSQL): a batch copy would drop and recreate
    # the table, which the registers' and accounts' foreign keys to it refuse.
    for table in UNITS:
        for column in ("merged_into", "valid_to", "valid_from"):
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")

"""the catalog as a district edits it: display names, visibility, responsible department, and their history

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator_edit",
        sa.Column("indicator_code", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=True),
        sa.Column("visibility", sa.String(length=16), nullable=True),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_code"], ["indicator.code"], name="fk_indicator_edit_indicator_code_indicator"
        ),
        sa.PrimaryKeyConstraint("indicator_code", name="pk_indicator_edit"),
    )
    op.create_table(
        "indicator_edit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("indicator_code", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("undone", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_code"], ["indicator.code"], name="fk_indicator_edit_log_indicator_code_indicator"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_indicator_edit_log"),
    )
    op.create_index("ix_indicator_edit_log_indicator_code", "indicator_edit_log", ["indicator_code"])


def downgrade() -> None:
    op.drop_index("ix_indicator_edit_log_indicator_code", table_name="indicator_edit_log")
    op.drop_table("indicator_edit_log")
    op.drop_table("indicator_edit")

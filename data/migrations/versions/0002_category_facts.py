"""category facts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "category_fact",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("indicator_code", sa.String(length=64), nullable=False),
        sa.Column("column_name", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category_fact")),
    )
    with op.batch_alter_table("category_fact", schema=None) as batch_op:
        batch_op.create_index(
            "ix_category_fact_lookup",
            ["indicator_code", "column_name", "year", "township_code", "department_code"],
            unique=False,
        )

    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("categories", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_column("categories")

    with op.batch_alter_table("category_fact", schema=None) as batch_op:
        batch_op.drop_index("ix_category_fact_lookup")

    op.drop_table("category_fact")

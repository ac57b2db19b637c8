"""meetings: the text slides of a deck (工作亮点, 存在的问题, 下一步工作安排, free ones) per deck, year and place;
a deck's hidden slides and their order

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deck_text",
        sa.Column("deck", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("slide", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("deck", "year", "unit_code", "slide", name="pk_deck_text"),
    )
    op.create_table(
        "deck_layout",
        sa.Column("deck", sa.String(length=40), nullable=False),
        sa.Column("slide_key", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("deck", "slide_key", name="pk_deck_layout"),
    )


def downgrade() -> None:
    op.drop_table("deck_layout")
    op.drop_table("deck_text")

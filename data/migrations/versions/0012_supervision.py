"""follow-ups (督办): the follow-up, its thread and its attachments

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supervision",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("indicator_code", sa.String(length=64), nullable=False),
        sa.Column("unit_kind", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("raised_by", sa.String(length=64), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_code"], ["indicator.code"], name="fk_supervision_indicator_code_indicator"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_supervision"),
    )
    op.create_index("ix_supervision_unit_code_state", "supervision", ["unit_code", "state"])
    op.create_table(
        "supervision_entry",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("supervision_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supervision_id"], ["supervision.id"], name="fk_supervision_entry_supervision_id_supervision"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_supervision_entry"),
    )
    op.create_index("ix_supervision_entry_supervision_id", "supervision_entry", ["supervision_id"])
    op.create_table(
        "supervision_attachment",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["supervision_entry.id"],
            name="fk_supervision_attachment_entry_id_supervision_entry",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_supervision_attachment"),
    )
    op.create_index("ix_supervision_attachment_entry_id", "supervision_attachment", ["entry_id"])


def downgrade() -> None:
    op.drop_table("supervision_attachment")
    op.drop_table("supervision_entry")
    op.drop_table("supervision")

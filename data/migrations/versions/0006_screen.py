"""the big screen: township boundaries for its map, and kiosk links for walls

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "township_geo",
        sa.Column("township_code", sa.String(length=32), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("label_lon", sa.Float(), nullable=False),
        sa.Column("label_lat", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["township_code"], ["township.code"], name="fk_township_geo_township_code_township"
        ),
        sa.PrimaryKeyConstraint("township_code", name="pk_township_geo"),
    )
    op.create_table(
        "kiosk_link",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("screens", sa.String(length=400), nullable=True),
        sa.Column("every", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(length=64), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_kiosk_link"),
        sa.UniqueConstraint("name", name="uq_kiosk_link_name"),
        sa.UniqueConstraint("token_digest", name="uq_kiosk_link_token_digest"),
    )


def downgrade() -> None:
    op.drop_table("kiosk_link")
    op.drop_table("township_geo")

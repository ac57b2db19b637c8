"""warnings (预警): rule settings and the warnings raised at publish

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UNIT = ["year", "occurred_on", "department_code", "township_code"]
OPEN_ROWS = [
    ("hotline_request", UNIT, "completed IS false", "completed IS 0"),
    (
        "reconsideration_application",
        UNIT,
        "accepted IS true AND closed_on IS NULL",
        "accepted IS 1 AND closed_on IS NULL",
    ),
]


def upgrade() -> None:
    op.create_table(
        "alert_rule_setting",
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("rule_id", name="pk_alert_rule_setting"),
    )
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("indicator_code", sa.String(length=64), nullable=False),
        sa.Column("unit_kind", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("numbers", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_alert"),
        sa.UniqueConstraint(
            "year", "rule_id", "indicator_code", "unit_kind", "unit_code", name="uq_alert_key"
        ),
    )
    op.create_index("ix_alert_year_unit", "alert", ["year", "unit_kind", "unit_code"])
    # the overdue rules' open rows (data/schema_alerts.py OPEN_ROWS), as partial indexes
    for register, columns, postgresql, sqlite in OPEN_ROWS:
        op.create_index(
            f"ix_{register}_open",
            register,
            columns,
            postgresql_where=sa.text(postgresql),
            sqlite_where=sa.text(sqlite),
        )


def downgrade() -> None:
    for register, *_ in OPEN_ROWS:
        op.drop_index(f"ix_{register}_open", table_name=register)
    op.drop_index("ix_alert_year_unit", table_name="alert")
    op.drop_table("alert")
    op.drop_table("alert_rule_setting")

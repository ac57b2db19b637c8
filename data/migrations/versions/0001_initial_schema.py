"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", "month", name=op.f("pk_calendar")),
    )
    op.create_table(
        "department",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("short_name", sa.String(length=40), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_department")),
    )
    op.create_table(
        "indicator",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=100), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("applies_department", sa.Boolean(), nullable=False),
        sa.Column("applies_township", sa.Boolean(), nullable=False),
        sa.Column("visibility", sa.String(length=12), nullable=False),
        sa.Column("source_kind", sa.String(length=12), nullable=False),
        sa.Column("register", sa.String(length=40), nullable=True),
        sa.Column("measure", sa.String(length=60), nullable=True),
        sa.Column("condition", sa.String(length=200), nullable=True),
        sa.Column("numerator", sa.String(length=64), nullable=True),
        sa.Column("denominator", sa.String(length=64), nullable=True),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_indicator")),
    )
    op.create_table(
        "indicator_fact",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("indicator_code", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_fact")),
    )
    with op.batch_alter_table("indicator_fact", schema=None) as batch_op:
        batch_op.create_index(
            "ix_indicator_fact_by_department",
            ["indicator_code", "year", "department_code", "township_code", "month", "value"],
            unique=False,
        )
        batch_op.create_index(
            "ix_indicator_fact_by_township",
            ["indicator_code", "year", "township_code", "department_code", "month", "value"],
            unique=False,
        )

    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.create_table(
        "township",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_township")),
    )
    op.create_table(
        "administrative_case",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["township_code"], ["township.code"], name=op.f("fk_administrative_case_township_code_township")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_administrative_case")),
    )
    with op.batch_alter_table("administrative_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_administrative_case_year_month"), ["year", "month"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_administrative_case_year_township_code"), ["year", "township_code"], unique=False
        )

    op.create_table(
        "court_appearance",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("case_type", sa.String(length=20), nullable=False),
        sa.Column("head_appeared", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["department.code"],
            name=op.f("fk_court_appearance_department_code_department"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_court_appearance")),
    )
    with op.batch_alter_table("court_appearance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_court_appearance_year_department_code"), ["year", "department_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_court_appearance_year_month"), ["year", "month"], unique=False)

    op.create_table(
        "detention",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["township_code"], ["township.code"], name=op.f("fk_detention_township_code_township")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_detention")),
    )
    with op.batch_alter_table("detention", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_detention_year_month"), ["year", "month"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_detention_year_township_code"), ["year", "township_code"], unique=False
        )

    op.create_table(
        "dispute_case",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("dispute_type", sa.String(length=20), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_code"], ["department.code"], name=op.f("fk_dispute_case_department_code_department")
        ),
        sa.ForeignKeyConstraint(
            ["township_code"], ["township.code"], name=op.f("fk_dispute_case_township_code_township")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_case")),
    )
    with op.batch_alter_table("dispute_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dispute_case_year_department_code"), ["year", "department_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dispute_case_year_month"), ["year", "month"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dispute_case_year_township_code"), ["year", "township_code"], unique=False
        )

    op.create_table(
        "enforcement_case",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("case_type", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["department.code"],
            name=op.f("fk_enforcement_case_department_code_department"),
        ),
        sa.ForeignKeyConstraint(
            ["township_code"], ["township.code"], name=op.f("fk_enforcement_case_township_code_township")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enforcement_case")),
    )
    with op.batch_alter_table("enforcement_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enforcement_case_year_department_code"), ["year", "department_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_enforcement_case_year_month"), ["year", "month"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_enforcement_case_year_township_code"), ["year", "township_code"], unique=False
        )

    op.create_table(
        "enterprise_visit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("enterprise", sa.String(length=100), nullable=False),
        sa.Column("requests_raised", sa.Integer(), nullable=False),
        sa.Column("requests_resolved", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["department.code"],
            name=op.f("fk_enterprise_visit_department_code_department"),
        ),
        sa.ForeignKeyConstraint(
            ["township_code"], ["township.code"], name=op.f("fk_enterprise_visit_township_code_township")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_visit")),
    )
    with op.batch_alter_table("enterprise_visit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enterprise_visit_year_department_code"), ["year", "department_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_enterprise_visit_year_month"), ["year", "month"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_enterprise_visit_year_township_code"), ["year", "township_code"], unique=False
        )

    op.create_table(
        "hotline_request",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["department.code"],
            name=op.f("fk_hotline_request_department_code_department"),
        ),
        sa.ForeignKeyConstraint(
            ["township_code"], ["township.code"], name=op.f("fk_hotline_request_township_code_township")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotline_request")),
    )
    with op.batch_alter_table("hotline_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hotline_request_year_department_code"), ["year", "department_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_hotline_request_year_month"), ["year", "month"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_hotline_request_year_township_code"), ["year", "township_code"], unique=False
        )

    op.create_table(
        "inspection",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("enterprise", sa.String(length=100), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_code"], ["department.code"], name=op.f("fk_inspection_department_code_department")
        ),
        sa.ForeignKeyConstraint(
            ["township_code"], ["township.code"], name=op.f("fk_inspection_township_code_township")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection")),
    )
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_year_department_code"), ["year", "department_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inspection_year_month"), ["year", "month"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inspection_year_township_code"), ["year", "township_code"], unique=False
        )

    op.create_table(
        "police_incident",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("solved", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["township_code"], ["township.code"], name=op.f("fk_police_incident_township_code_township")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_police_incident")),
    )
    with op.batch_alter_table("police_incident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_police_incident_year_month"), ["year", "month"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_police_incident_year_township_code"), ["year", "township_code"], unique=False
        )

    op.create_table(
        "publicity_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("event_type", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("audience", sa.Integer(), nullable=False),
        sa.Column("materials", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["department.code"],
            name=op.f("fk_publicity_event_department_code_department"),
        ),
        sa.ForeignKeyConstraint(
            ["township_code"], ["township.code"], name=op.f("fk_publicity_event_township_code_township")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publicity_event")),
    )
    with op.batch_alter_table("publicity_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publicity_event_year_department_code"), ["year", "department_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_publicity_event_year_month"), ["year", "month"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_publicity_event_year_township_code"), ["year", "township_code"], unique=False
        )

    op.create_table(
        "reconsideration_application",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("matter_type", sa.String(length=20), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["department.code"],
            name=op.f("fk_reconsideration_application_department_code_department"),
        ),
        sa.ForeignKeyConstraint(
            ["township_code"],
            ["township.code"],
            name=op.f("fk_reconsideration_application_township_code_township"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reconsideration_application")),
    )
    with op.batch_alter_table("reconsideration_application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reconsideration_application_year_department_code"),
            ["year", "department_code"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_reconsideration_application_year_month"), ["year", "month"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reconsideration_application_year_township_code"),
            ["year", "township_code"],
            unique=False,
        )

    op.create_table(
        "reported_figure",
        sa.Column("indicator_code", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_code"], ["indicator.code"], name=op.f("fk_reported_figure_indicator_code_indicator")
        ),
        sa.PrimaryKeyConstraint("indicator_code", "year", name=op.f("pk_reported_figure")),
    )
    op.create_table(
        "service_transaction",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("item", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("rating", sa.String(length=4), nullable=True),
        sa.Column("complaint", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_code"],
            ["department.code"],
            name=op.f("fk_service_transaction_department_code_department"),
        ),
        sa.ForeignKeyConstraint(
            ["township_code"], ["township.code"], name=op.f("fk_service_transaction_township_code_township")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_transaction")),
    )
    with op.batch_alter_table("service_transaction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_transaction_year_department_code"),
            ["year", "department_code"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_service_transaction_year_month"), ["year", "month"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_transaction_year_township_code"), ["year", "township_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("service_transaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_transaction_year_township_code"))
        batch_op.drop_index(batch_op.f("ix_service_transaction_year_month"))
        batch_op.drop_index(batch_op.f("ix_service_transaction_year_department_code"))

    op.drop_table("service_transaction")
    op.drop_table("reported_figure")
    with op.batch_alter_table("reconsideration_application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reconsideration_application_year_township_code"))
        batch_op.drop_index(batch_op.f("ix_reconsideration_application_year_month"))
        batch_op.drop_index(batch_op.f("ix_reconsideration_application_year_department_code"))

    op.drop_table("reconsideration_application")
    with op.batch_alter_table("publicity_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publicity_event_year_township_code"))
        batch_op.drop_index(batch_op.f("ix_publicity_event_year_month"))
        batch_op.drop_index(batch_op.f("ix_publicity_event_year_department_code"))

    op.drop_table("publicity_event")
    with op.batch_alter_table("police_incident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_police_incident_year_township_code"))
        batch_op.drop_index(batch_op.f("ix_police_incident_year_month"))

    op.drop_table("police_incident")
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_year_township_code"))
        batch_op.drop_index(batch_op.f("ix_inspection_year_month"))
        batch_op.drop_index(batch_op.f("ix_inspection_year_department_code"))

    op.drop_table("inspection")
    with op.batch_alter_table("hotline_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hotline_request_year_township_code"))
        batch_op.drop_index(batch_op.f("ix_hotline_request_year_month"))
        batch_op.drop_index(batch_op.f("ix_hotline_request_year_department_code"))

    op.drop_table("hotline_request")
    with op.batch_alter_table("enterprise_visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enterprise_visit_year_township_code"))
        batch_op.drop_index(batch_op.f("ix_enterprise_visit_year_month"))
        batch_op.drop_index(batch_op.f("ix_enterprise_visit_year_department_code"))

    op.drop_table("enterprise_visit")
    with op.batch_alter_table("enforcement_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enforcement_case_year_township_code"))
        batch_op.drop_index(batch_op.f("ix_enforcement_case_year_month"))
        batch_op.drop_index(batch_op.f("ix_enforcement_case_year_department_code"))

    op.drop_table("enforcement_case")
    with op.batch_alter_table("dispute_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispute_case_year_township_code"))
        batch_op.drop_index(batch_op.f("ix_dispute_case_year_month"))
        batch_op.drop_index(batch_op.f("ix_dispute_case_year_department_code"))

    op.drop_table("dispute_case")
    with op.batch_alter_table("detention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_detention_year_township_code"))
        batch_op.drop_index(batch_op.f("ix_detention_year_month"))

    op.drop_table("detention")
    with op.batch_alter_table("court_appearance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_court_appearance_year_month"))
        batch_op.drop_index(batch_op.f("ix_court_appearance_year_department_code"))

    op.drop_table("court_appearance")
    with op.batch_alter_table("administrative_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_administrative_case_year_township_code"))
        batch_op.drop_index(batch_op.f("ix_administrative_case_year_month"))

    op.drop_table("administrative_case")
    op.drop_table("township")
    op.drop_table("meta")
    with op.batch_alter_table("indicator_fact", schema=None) as batch_op:
        batch_op.drop_index("ix_indicator_fact_by_township")
        batch_op.drop_index("ix_indicator_fact_by_department")

    op.drop_table("indicator_fact")
    op.drop_table("indicator")
    op.drop_table("department")
    op.drop_table("calendar")

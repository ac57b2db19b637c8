"""register numbers, and the tables of imports: staged batches, their rows, published versions, archived rows

Every register row gets a register number (登记编号), unique within its register: an import matches the rows of
a department's file to the published ones by it. Rows already in the store are numbered ``R<id>``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

REGISTERS = (
    "service_transaction",
    "inspection",
    "enforcement_case",
    "enterprise_visit",
    "dispute_case",
    "reconsideration_application",
    "court_appearance",
    "police_incident",
    "administrative_case",
    "detention",
    "hotline_request",
    "publicity_event",
)


def upgrade() -> None:
    for table in REGISTERS:
        op.add_column(table, sa.Column("register_no", sa.String(length=40), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET register_no = 'R' || CAST(id AS VARCHAR(20))"))  # noqa: S608
        with op.batch_alter_table(table) as batch:
            batch.alter_column("register_no", existing_type=sa.String(length=40), nullable=False)
        op.create_index(f"uq_{table}_register_no", table, ["register_no"], unique=True)

    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("register", sa.String(length=40), nullable=True),
        sa.Column("department_code", sa.String(length=32), nullable=True),
        sa.Column("township_code", sa.String(length=32), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=120), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("stored_as", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Text(), nullable=True),
        sa.Column("preview", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=64), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    op.create_index("ix_import_batch_status", "import_batch", ["status", "id"])
    op.create_table(
        "staged_row",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_staged_row_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("batch_id", "row_no", name=op.f("pk_staged_row")),
    )
    op.create_table(
        "published_version",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("published_by", sa.String(length=64), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("rolled_back_by", sa.String(length=64), nullable=True),
        sa.Column("rolled_back_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_published_version_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_version")),
        sa.UniqueConstraint("batch_id", name=op.f("uq_published_version_batch_id")),
    )
    op.create_table(
        "archived_row",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["published_version.id"],
            name=op.f("fk_archived_row_version_id_published_version"),
        ),
        sa.PrimaryKeyConstraint("version_id", "seq", name=op.f("pk_archived_row")),
    )
    op.create_table(
        "auto_publish",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("register", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_auto_publish_account_id_account")
        ),
        sa.PrimaryKeyConstraint("account_id", "register", name=op.f("pk_auto_publish")),
    )


def downgrade() -> None:
    for name in ("auto_publish", "archived_row", "published_version", "staged_row"):
        op.drop_table(name)
    op.drop_index("ix_import_batch_status", table_name="import_batch")
    op.drop_table("import_batch")
    for table in REGISTERS:
        op.drop_index(f"uq_{table}_register_no", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("register_no")

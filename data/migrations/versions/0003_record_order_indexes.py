"""register indexes end in the record order (occurred_on, id)

The records (明细) of a figure are paged by keyset on (occurred_on, id) instead of OFFSET: each register's
indexes by year, by year and department, and by year and township now end in those two columns, so that a page
is read in order straight from the index wherever it lies. The index by (year, month) served no query (figures
read the summary tables) and is replaced by the one by year.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# register: (has a department column, has a township column), as of this revision
REGISTERS = {
    "service_transaction": (True, True),
    "inspection": (True, True),
    "enforcement_case": (True, True),
    "enterprise_visit": (True, True),
    "dispute_case": (True, True),
    "reconsideration_application": (True, True),
    "court_appearance": (True, False),
    "police_incident": (False, True),
    "administrative_case": (False, True),
    "detention": (False, True),
    "hotline_request": (True, True),
    "publicity_event": (True, True),
}


def _pairs(table: str, department: bool, township: bool) -> list[tuple[str, list[str], str, list[str]]]:
    """(old name, old columns, new name, new columns) of each index of ``table``."""
    pairs = [
        (f"ix_{table}_year_month", ["year", "month"], f"ix_{table}_by_year", ["year", "occurred_on", "id"])
    ]
    for has, column, word in (
        (department, "department_code", "department"),
        (township, "township_code", "township"),
    ):
        if has:
            pairs.append(
                (
                    f"ix_{table}_year_{column}",
                    ["year", column],
                    f"ix_{table}_by_{word}",
                    ["year", column, "occurred_on", "id"],
                )
            )
    return pairs


def upgrade() -> None:
    for table, (department, township) in REGISTERS.items():
        for old, _old_columns, new, columns in _pairs(table, department, township):
            op.drop_index(old, table_name=table)
            op.create_index(new, table, columns)


def downgrade() -> None:
    for table, (department, township) in REGISTERS.items():
        for old, old_columns, new, _columns in _pairs(table, department, township):
            op.drop_index(new, table_name=table)
            op.create_index(old, table, old_columns)

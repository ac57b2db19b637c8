"""Writing the demo's rows, emptying the store before a regeneration, and telling whether it holds data."""

from __future__ import annotations

from psycopg import sql as pgsql
from sqlalchemy import Connection, Table, delete, func, insert, select

from data.demo.places import _tied
from data.schema import (
    REGISTERS,
    account,
    category_fact,
    department,
    indicator_fact,
    reported_figure,
    township,
)
from data.schema import calendar as calendar_table


def bulk_insert(conn: Connection, table: Table, rows: list[tuple]) -> None:
    """Insert tuples in the table's column order (without ``id``): COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    columns = [c.name for c in table.c if c.name != "id"]
    if conn.dialect.name == "postgresql":
        statement = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
            pgsql.Identifier(table.name), pgsql.SQL(", ").join(map(pgsql.Identifier, columns))
        )
        with conn.connection.driver_connection.cursor() as cur, cur.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def holds_data(conn: Connection) -> bool:
    return conn.scalar(select(func.count()).select_from(department)) > 0


def clear(conn: Connection) -> None:
    """Remove every register row, figure and dimension (the catalog stays).

    A department or township an account is tied to stays: deleting it would break the account's tie (the
    foreign key refuses it). :func:`generate` writes the demo's names over the ones that stay.
    """
    for table in [*REGISTERS.values(), indicator_fact, category_fact, reported_figure, calendar_table]:
        conn.execute(delete(table))
    for table, column in ((department, account.c.department_code), (township, account.c.township_code)):
        conn.execute(delete(table).where(table.c.code.not_in(_tied(column))))

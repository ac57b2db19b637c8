"""Writing many rows at once: COPY on PostgreSQL, executemany elsewhere."""

from __future__ import annotations

from collections.abc import Iterable

from psycopg import sql as pgsql
from sqlalchemy import Connection, Table, insert


def bulk_insert(
    conn: Connection, table: Table, rows: Iterable[tuple], columns: list[str] | None = None
) -> None:
    """Insert tuples in the table's column order (without ``id``): COPY on PostgreSQL, executemany elsewhere."""
    columns = columns or [c.name for c in table.c if c.name != "id"]
    if conn.dialect.name == "postgresql":
        statement = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
            pgsql.Identifier(table.name), pgsql.SQL(", ").join(map(pgsql.Identifier, columns))
        )
        with conn.connection.driver_connection.cursor() as cur, cur.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        batch = [dict(zip(columns, row, strict=True)) for row in rows]
        if batch:
            conn.execute(insert(table), batch)

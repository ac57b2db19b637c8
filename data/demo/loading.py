"""Writing the demo's rows, emptying the store before a regeneration, and telling whether it holds data."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, select

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
from data.schema_screen import township_geo


def holds_data(conn: Connection) -> bool:
    return conn.scalar(select(func.count()).select_from(department)) > 0


def clear(conn: Connection) -> None:
    """Remove every register row, figure and dimension (the catalog stays).

    A department or township an account is tied to stays: deleting it would break the account's tie (the
    foreign key refuses it). :func:`generate` writes the demo's names over the ones that stay.
    """
    conn.execute(delete(township_geo))  # the boundaries point at the townships deleted below
    for table in [*REGISTERS.values(), indicator_fact, category_fact, reported_figure, calendar_table]:
        conn.execute(delete(table))
    for table, column in ((department, account.c.department_code), (township, account.c.township_code)):
        conn.execute(delete(table).where(table.c.code.not_in(_tied(column))))

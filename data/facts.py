"""The monthly summary tables that every standard query reads.

Registers can hold millions of rows; a figure for a year and a few townships must not scan them. After any
change to a register, :func:`refresh` recomputes that register's indicators into ``indicator_fact`` (one row
per indicator, year, month, department and township: a few thousand rows per indicator and year at most), and
into ``category_fact`` the same totals split by the register columns the catalog names (dispute types, ...).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    Table,
    case,
    delete,
    func,
    insert,
    literal,
    null,
    select,
    true,
)

from data import catalog, catalog_sql
from data import years as calendar_years
from data.bulk import bulk_insert
from data.catalog import Indicator
from data.schema import REGISTERS, category_fact, indicator_fact
from data.store import bump_data_version

KEYS = ["year", "month", "department_code", "township_code"]


def _summary(ind: Indicator, table: Table, extra: list[ColumnElement]) -> Select:
    """SELECT code, [extra], year, month, department, township, measure ... GROUP BY year, month and the keys
    the register has (the caller adds the extra columns it groups by)."""
    present = [table.c[k] for k in ("department_code", "township_code") if k in table.c]
    dept = table.c.department_code if "department_code" in table.c else null().cast(String(32))
    town = table.c.township_code if "township_code" in table.c else null().cast(String(32))
    return (
        select(
            literal(ind.code, String(64)),
            *extra,
            table.c.year,
            table.c.month,
            dept,
            town,
            catalog_sql.measure_expr(table, ind.measure),
        )
        .where(catalog_sql.condition_expr(table, ind.condition))
        .group_by(table.c.year, table.c.month, *present)
    )


def _write_facts(conn: Connection, table: Table, indicators: list[Indicator], within: ColumnElement) -> int:
    """Every indicator of one register in one pass over its rows: per group, how many rows meet each
    indicator's condition and its measure over them. A group is written for an indicator only where some row
    meets its condition, as a separate ``WHERE condition GROUP BY`` would."""
    present = [table.c[k] for k in ("department_code", "township_code") if k in table.c]
    dept = table.c.department_code if "department_code" in table.c else null().cast(String(32))
    town = table.c.township_code if "township_code" in table.c else null().cast(String(32))
    aggregates = []
    for ind in indicators:
        condition = catalog_sql.condition_expr(table, ind.condition)
        aggregates.append(func.count(case((condition, 1))))
        if ind.measure == "count":
            aggregates.append(func.count(case((condition, 1))))
        else:
            column = table.c[ind.measure.removeprefix("sum:")]
            aggregates.append(func.coalesce(func.sum(case((condition, column))), 0))
    query = (
        select(table.c.year, table.c.month, dept, town, *aggregates)
        .where(within)
        .group_by(table.c.year, table.c.month, *present)
    )
    rows = []
    for year, month, department, township, *values in conn.execute(query):
        for i, ind in enumerate(indicators):
            if values[2 * i]:
                rows.append((ind.code, year, month, department, township, float(values[2 * i + 1])))
    bulk_insert(conn, indicator_fact, rows, columns=["indicator_code", *KEYS, "value"])
    return len(rows)


def refresh(
    conn: Connection, registers: Iterable[str] | None = None, years: Iterable[int] | None = None
) -> int:
    """Rebuild the facts of the given registers (all by default), of the given years only if given (a publish
    touches a period); returns the number of fact rows written."""
    wanted = set(REGISTERS) if registers is None else set(registers)
    unknown = wanted - set(REGISTERS)
    if unknown:
        raise ValueError(f"unknown registers: {sorted(unknown)}")
    indicators = [i for i in catalog.load().values() if i.source_kind == "register" and i.register in wanted]
    if not indicators:
        return 0
    codes = [i.code for i in indicators]
    only = sorted(set(years)) if years is not None else None
    for fact in (indicator_fact, category_fact):
        gone = delete(fact).where(fact.c.indicator_code.in_(codes))
        conn.execute(gone if only is None else gone.where(fact.c.year.in_(only)))
    written = 0
    for register in sorted({i.register for i in indicators}):
        table = REGISTERS[register]
        within = true() if only is None else table.c.year.in_(only)
        mine = [i for i in indicators if i.register == register]
        written += _write_facts(conn, table, mine, within)
        for ind in mine:
            for column in ind.category_columns:
                # The category label is the column's value as text, so yes/no columns read 0/1 or true/false.
                query = _summary(ind, table, [literal(column, String(40)), table.c[column].cast(String(40))])
                query = query.where(within).group_by(table.c[column])
                result = conn.execute(
                    insert(category_fact).from_select(
                        ["indicator_code", "column_name", "category", *KEYS, "value"], query
                    )
                )
                written += result.rowcount or 0
    calendar_years.sync(conn, only)
    bump_data_version(conn)
    return written

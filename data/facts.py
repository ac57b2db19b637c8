"""The monthly summary table that every standard query reads.

Registers can hold millions of rows; a figure for a year and a few townships must not scan them. After any
change to a register, :func:`refresh` recomputes that register's indicators into ``indicator_fact``: one row per
indicator, year, month, department and township, a few thousand rows per indicator and year at most.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, String, delete, insert, literal, null, select

from data import catalog
from data.schema import REGISTERS, indicator_fact
from data.store import bump_data_version


def refresh(conn: Connection, registers: Iterable[str] | None = None) -> int:
    """Rebuild the facts of the given registers (all by default); returns the number of fact rows written."""
    wanted = set(REGISTERS) if registers is None else set(registers)
    unknown = wanted - set(REGISTERS)
    if unknown:
        raise ValueError(f"unknown registers: {sorted(unknown)}")
    indicators = [
        ind for ind in catalog.load().values() if ind.source_kind == "register" and ind.register in wanted
    ]
    if not indicators:
        return 0
    conn.execute(
        delete(indicator_fact).where(indicator_fact.c.indicator_code.in_([i.code for i in indicators]))
    )
    written = 0
    for ind in indicators:
        table = REGISTERS[ind.register]
        keys = [table.c[k] for k in ("department_code", "township_code") if k in table.c]
        dept = table.c.department_code if "department_code" in table.c else null().cast(String(32))
        town = table.c.township_code if "township_code" in table.c else null().cast(String(32))
        query = (
            select(
                literal(ind.code, String(64)),
                table.c.year,
                table.c.month,
                dept,
                town,
                catalog.measure_expr(table, ind.measure),
            )
            .where(catalog.condition_expr(table, ind.condition))
            .group_by(table.c.year, table.c.month, *keys)
        )
        result = conn.execute(
            insert(indicator_fact).from_select(
                ["indicator_code", "year", "month", "department_code", "township_code", "value"], query
            )
        )
        written += result.rowcount or 0
    bump_data_version(conn)
    return written

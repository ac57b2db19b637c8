"""A catalog row's measure and condition as SQLAlchemy expressions, over the register's known columns only.

``count`` or ``sum:<column>``, and ``column=value;column!=null``: the catalog (data/catalog.py) checks every row
with these when it loads, and the summaries, previews, records and warnings query with them. Kept apart from
the catalog's file and its edits because this is the one place where catalog text becomes SQL, and it must
never paste text into it: only known columns and bound values.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, and_, false, func, literal, true
from sqlalchemy.types import Boolean


class CatalogError(ValueError):
    """The catalog file contradicts itself or the schema."""


def measure_expr(table: Table, measure: str | None) -> ColumnElement:
    """The aggregate a register-backed indicator computes over its rows."""
    if measure == "count":
        return func.count()
    if measure and measure.startswith("sum:"):
        column = measure[4:]
        if column not in table.c:
            raise CatalogError(f"measure column {column!r} is not in {table.name}")
        return func.coalesce(func.sum(table.c[column]), 0)
    raise CatalogError(f"unknown measure {measure!r}")


def condition_expr(table: Table, condition: str | None) -> ColumnElement[bool]:
    """``column=value;column!=null`` as a SQL expression with bound values."""
    if not condition:
        return true()
    clauses = []
    for part in condition.split(";"):
        negate = "!=" in part
        name, _, raw = part.partition("!=" if negate else "=")
        name = name.strip()
        if name not in table.c or name in {"id", "year", "month"}:
            raise CatalogError(f"condition column {name!r} is not in {table.name}")
        column = table.c[name]
        if raw == "null":
            clauses.append(column.is_not(None) if negate else column.is_(None))
            continue
        if isinstance(column.type, Boolean):
            if raw not in {"0", "1"}:
                raise CatalogError(f"condition {part!r}: a yes/no column takes 0 or 1")
            value = true() if raw == "1" else false()
            clauses.append(column.is_not(value) if negate else column.is_(value))
        else:
            clauses.append(column != literal(raw) if negate else column == literal(raw))
    return and_(*clauses)

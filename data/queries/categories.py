"""An indicator split by one register column (dispute types, service channels), from the category summary."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Connection, Select, bindparam, func, select

from data.catalog import load
from data.queries.figures import coverage, in_year, tidy
from data.queries.filters import Filters, Shape, bound
from data.queries.series import NotApplicable
from data.schema import category_fact

# How a yes/no column's values read in a breakdown.
YES_NO = {"true": "是", "false": "否", "1": "是", "0": "否"}


def categories(conn: Connection, code: str, filters: Filters, column: str) -> list[dict]:
    """``{"name", "value"}`` per value of ``column`` among the rows behind ``code``, largest first."""
    ind = load()[code]
    filters.scope.check(ind)
    if column not in ind.category_columns:
        raise NotApplicable(f"{ind.name}不按“{column}”分类统计")
    filters = in_year(filters, coverage(conn))
    shape, values = bound(filters, ind)
    rows = conn.execute(_statement(shape), {**values, "code": code, "column": column}).all()
    out = [
        {"name": YES_NO.get(str(name).lower(), name) if name is not None else "未填", "value": tidy(v, ind)}
        for name, v in rows
    ]
    return sorted(out, key=lambda r: (-(r["value"] or 0), str(r["name"])))


@lru_cache(maxsize=64)
def _statement(shape: Shape) -> Select:
    """Built once per shape of the filters and executed with each request's values."""
    c = category_fact
    return (
        select(c.c.category, func.sum(c.c.value))
        .where(
            c.c.indicator_code == bindparam("code"), c.c.column_name == bindparam("column"), shape.clause(c)
        )
        .group_by(c.c.category)
    )

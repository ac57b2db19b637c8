"""The register rows behind a figure: a page at a time for the grid, or all of them for a download."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Select, Table, func, select

from data.catalog import Indicator, condition_expr, load
from data.queries.figures import coverage, in_year
from data.queries.filters import Filters, where
from data.queries.series import NotApplicable
from data.schema import REGISTERS, department, township

MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class RecordPage:
    register: str
    total: int
    page: int
    page_size: int
    columns: list[str]
    rows: list[dict]


def _behind(
    conn: Connection, code: str, filters: Filters
) -> tuple[Indicator, Table, tuple[ColumnElement, ...]]:
    """The register indicator behind ``code`` (for a rate: its denominator), its table and the row filter."""
    cat = load()
    ind = cat[code]
    if ind.is_rate:
        ind = cat[ind.denominator]
    if ind.source_kind != "register":
        raise NotApplicable(f"{ind.name}是填报数字，没有登记明细")
    table = REGISTERS[ind.register]
    filters = in_year(filters, coverage(conn))
    return ind, table, (where(table, filters, ind), condition_expr(table, ind.condition))


def _rows_query(table: Table, clause: tuple[ColumnElement, ...]) -> Select:
    """The rows, oldest first, with department and township names beside their codes."""
    query = select(*[c for c in table.c if c.name not in {"year", "month"}])
    if "department_code" in table.c:
        query = query.add_columns(department.c.name.label("department_name")).outerjoin(
            department, department.c.code == table.c.department_code
        )
    if "township_code" in table.c:
        query = query.add_columns(township.c.name.label("township_name")).outerjoin(
            township, township.c.code == table.c.township_code
        )
    return query.where(*clause).order_by(table.c.occurred_on, table.c.id)


def records(conn: Connection, code: str, filters: Filters, page: int = 1, page_size: int = 50) -> RecordPage:
    """One page of the rows behind ``code``, with the number of all of them."""
    ind, table, clause = _behind(conn, code, filters)
    page = max(1, page)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    total = conn.scalar(select(func.count()).select_from(table).where(*clause))
    result = conn.execute(_rows_query(table, clause).limit(page_size).offset((page - 1) * page_size))
    rows = [dict(row._mapping) for row in result]
    return RecordPage(ind.register, int(total), page, page_size, list(result.keys()), rows)


def all_records(conn: Connection, code: str, filters: Filters, limit: int = 1_000_000) -> RecordPage:
    """Every row behind ``code`` (up to ``limit``) in one query, for a download of what the figure counts."""
    ind, table, clause = _behind(conn, code, filters)
    result = conn.execute(_rows_query(table, clause).limit(limit))
    rows = [dict(row._mapping) for row in result]
    return RecordPage(ind.register, len(rows), 1, len(rows), list(result.keys()), rows)

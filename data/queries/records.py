"""The register rows behind a figure, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from data.catalog import condition_expr, load
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


def records(conn: Connection, code: str, filters: Filters, page: int = 1, page_size: int = 50) -> RecordPage:
    """Rows of the register behind ``code`` (for a rate: behind its denominator), oldest first."""
    cat = load()
    ind = cat[code]
    if ind.is_rate:
        ind = cat[ind.denominator]
    if ind.source_kind != "register":
        raise NotApplicable(f"{ind.name}是填报数字，没有登记明细")
    page = max(1, page)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    table = REGISTERS[ind.register]
    filters = in_year(filters, coverage(conn))
    clause = (where(table, filters, ind), condition_expr(table, ind.condition))
    total = conn.scalar(select(func.count()).select_from(table).where(*clause))

    columns = [c for c in table.c if c.name not in {"year", "month"}]
    query = select(*columns)
    if "department_code" in table.c:
        query = query.add_columns(department.c.name.label("department_name")).outerjoin(
            department, department.c.code == table.c.department_code
        )
    if "township_code" in table.c:
        query = query.add_columns(township.c.name.label("township_name")).outerjoin(
            township, township.c.code == table.c.township_code
        )
    query = (
        query.where(*clause)
        .order_by(table.c.occurred_on, table.c.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    result = conn.execute(query)
    rows = [dict(row._mapping) for row in result]
    return RecordPage(
        register=ind.register,
        total=int(total),
        page=page,
        page_size=page_size,
        columns=list(result.keys()),
        rows=rows,
    )


def all_records(conn: Connection, code: str, filters: Filters, limit: int = 1_000_000) -> RecordPage:
    """Every row behind ``code`` (up to ``limit``), for a download of exactly what the figure counts."""
    first = records(conn, code, filters, page=1, page_size=1)
    rows: list[dict] = []
    page = 1
    while len(rows) < min(first.total, limit):
        chunk = records(conn, code, filters, page=page, page_size=MAX_PAGE_SIZE)
        if not chunk.rows:
            break
        rows += chunk.rows
        page += 1
    return RecordPage(first.register, first.total, 1, len(rows), first.columns, rows[:limit])

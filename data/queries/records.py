"""The register rows behind a figure: a block at a time for the grid, or all of them for a download.

The rows are listed by (occurred_on, id), an order with no ties. A block is read by keyset: the rows after the
last row of the block before it, the rows before the first row of the block after it, or the rows from either
end of the list. The registers' indexes end in (occurred_on, id), so each of these reads only the block's own
rows: page 1000 costs what page 1 costs. Only a block with no known neighbour (a jump into the middle) is
found by OFFSET, counted from the nearer end of the list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice

from sqlalchemy import ColumnElement, Connection, Result, Select, Table, func, literal, select, tuple_

from data.access import SIGN_IN_FOR_ROWS, Forbidden, Scope
from data.catalog import Indicator, load
from data.catalog_sql import condition_expr
from data.queries.dimensions import DISTRICT_LEVEL, NO_DEPARTMENT
from data.queries.figures import coverage, in_year
from data.queries.filters import Filters, where
from data.queries.series import NotApplicable
from data.schema import REGISTERS, department, indicator_fact, township

MAX_PAGE_SIZE = 500
# One download holds at most this many rows; the dialog says so before offering it (the 12345 register of the
# whole district for a year is about 73,000 rows in the demo).
MAX_DOWNLOAD_ROWS = 200_000
STREAM_BATCH = 2000

# A row's place in the list: its date and id.
Key = tuple[date, int]


@dataclass(frozen=True)
class RecordPage:
    register: str
    total: int
    page: int
    page_size: int
    columns: list[str]
    rows: list[dict]
    # the place of the first row in the whole list (0-based)
    start: int = 0
    # "keyset" when the rows were read from a known row or an end of the list, "offset" after a jump
    method: str = "keyset"

    @property
    def first_key(self) -> Key | None:
        return (self.rows[0]["occurred_on"], self.rows[0]["id"]) if self.rows else None

    @property
    def last_key(self) -> Key | None:
        return (self.rows[-1]["occurred_on"], self.rows[-1]["id"]) if self.rows else None


@dataclass(frozen=True)
class _Behind:
    """The register indicator behind a figure (for a rate: its denominator), its table, and the filters as the
    figure applies them (a year in progress: the months it holds)."""

    ind: Indicator
    table: Table
    filters: Filters

    @property
    def clause(self) -> tuple[ColumnElement, ...]:
        return (
            where(self.table, self.filters, self.ind),
            condition_expr(self.table, self.ind.condition),
            self.filters.scope.rows(self.table, self.ind),
        )


def has_records(code: object, scope: Scope) -> bool:
    """Whether ``code`` names a figure with register rows behind it (a reported figure has none) that the reader
    may read: the figure and, for a rate, both its parts visible to them."""
    cat = load()
    if not isinstance(code, str) or code not in cat or not scope.reads_rows:
        return False
    ind = cat[code]
    if ind.source_kind == "reported":
        return False
    parts = [ind, cat[ind.numerator], cat[ind.denominator]] if ind.is_rate else [ind]
    return all(scope.sees(p) for p in parts)


def _behind(conn: Connection, code: str, filters: Filters) -> _Behind:
    """What the rows of ``code`` are read from, once the reader may read them: the figure and (for a rate) both
    its parts visible to them; which rows, ``filters.scope`` says in the clause."""
    cat = load()
    ind = cat[code]
    scope = filters.scope
    if not scope.reads_rows:
        raise Forbidden(SIGN_IN_FOR_ROWS)
    scope.check(ind)
    if ind.is_rate:
        scope.check(cat[ind.numerator])
        ind = cat[ind.denominator]
        scope.check(ind)
    if ind.source_kind != "register":
        raise NotApplicable(f"{ind.name}是填报数字，没有登记明细")
    return _Behind(ind, REGISTERS[ind.register], in_year(filters, coverage(conn)))


def _total(conn: Connection, behind: _Behind) -> int:
    """The number of rows. A counted indicator's summary holds it already (it is the figure on the card);
    a summed one's rows are counted through the register's index."""
    if behind.ind.measure == "count":
        f = indicator_fact
        query = select(func.sum(f.c.value)).where(
            f.c.indicator_code == behind.ind.code,
            where(f, behind.filters, behind.ind),
            # the summary's department and township columns are the register's, where it has them
            behind.filters.scope.rows(behind.table, behind.ind, f),
        )
    else:
        query = select(func.count()).select_from(behind.table).where(*behind.clause)
    return int(conn.scalar(query) or 0)


def _rows_query(table: Table, clause: tuple[ColumnElement, ...], descending: bool = False) -> Select:
    """The rows in list order (or reversed), with department and township names beside their codes."""
    query = select(*[c for c in table.c if c.name not in {"year", "month"}])
    if "department_code" in table.c:
        name = func.coalesce(department.c.name, literal(NO_DEPARTMENT.name))
        query = query.add_columns(name.label("department_name")).outerjoin(
            department, department.c.code == table.c.department_code
        )
    if "township_code" in table.c:
        name = func.coalesce(township.c.name, literal(DISTRICT_LEVEL.name))
        query = query.add_columns(name.label("township_name")).outerjoin(
            township, township.c.code == table.c.township_code
        )
    order = (table.c.occurred_on, table.c.id)
    return query.where(*clause).order_by(*(c.desc() for c in order) if descending else order)


def _key(table: Table) -> ColumnElement:
    return tuple_(table.c.occurred_on, table.c.id)


def _bound(table: Table, key: Key) -> ColumnElement:
    return tuple_(literal(key[0], table.c.occurred_on.type), literal(int(key[1]), table.c.id.type))


def block(
    conn: Connection,
    code: str,
    filters: Filters,
    start: int,
    size: int,
    *,
    after: Key | None = None,
    before: Key | None = None,
    total: int | None = None,
) -> RecordPage:
    """Rows ``start`` to ``start + size`` of the list behind ``code``.

    ``after``: the key of row ``start - 1``; ``before``: the key of row ``start + size``; ``total``: the number
    of rows, when the caller knows it (else it is counted). With neither key, the block is read from the nearer
    end of the list: by keyset when it touches that end, by OFFSET otherwise.
    """
    behind = _behind(conn, code, filters)
    table, clause = behind.table, behind.clause
    start, size = max(0, start), min(max(1, size), MAX_PAGE_SIZE)
    if total is None:
        total = _total(conn, behind)
    wanted = min(size, total - start)
    method, descending, offset = "keyset", False, 0
    if wanted <= 0:
        query = None
    elif after is not None:
        query = _rows_query(table, (*clause, _key(table) > _bound(table, after)))
    elif before is not None:
        query, descending = _rows_query(table, (*clause, _key(table) < _bound(table, before)), True), True
    elif start <= total - (start + wanted):
        query, offset = _rows_query(table, clause), start
    else:
        query, descending = _rows_query(table, clause, True), True
        offset = total - (start + wanted)
    rows: list[dict] = []
    if query is not None:
        result = conn.execute(query.limit(wanted).offset(offset or None))
        rows = [dict(row._mapping) for row in result]
        method = "offset" if offset else method
    if descending:
        rows.reverse()
    columns = list(_rows_query(table, clause).selected_columns.keys())
    return RecordPage(behind.ind.register, total, start // size + 1, size, columns, rows, start, method)


def records(conn: Connection, code: str, filters: Filters, page: int = 1, page_size: int = 50) -> RecordPage:
    """One page of the rows behind ``code``, with the number of all of them."""
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    return block(conn, code, filters, (max(1, page) - 1) * page_size, page_size)


def count_records(conn: Connection, code: str, filters: Filters) -> int:
    """The number of rows behind ``code``: what a download of them would hold."""
    return _total(conn, _behind(conn, code, filters))


def stream_records(conn: Connection, code: str, filters: Filters) -> tuple[list[str], Iterator[dict]]:
    """Every row behind ``code`` in list order, read in batches as they are consumed (a server-side cursor on
    PostgreSQL), so that a download of many rows never holds them all in memory."""
    result = _stream(conn, _behind(conn, code, filters))
    return list(result.keys()), (dict(row._mapping) for row in result)


def _stream(conn: Connection, behind: _Behind) -> Result:
    return conn.execution_options(yield_per=STREAM_BATCH).execute(_rows_query(behind.table, behind.clause))


def all_records(conn: Connection, code: str, filters: Filters, limit: int = MAX_DOWNLOAD_ROWS) -> RecordPage:
    """Every row behind ``code`` (up to ``limit``) in one list, for tests that compare it with the pages."""
    behind = _behind(conn, code, filters)
    result = _stream(conn, behind)
    rows = [dict(row._mapping) for row in islice(result, limit)]
    result.close()
    return RecordPage(behind.ind.register, len(rows), 1, len(rows), list(result.keys()), rows)

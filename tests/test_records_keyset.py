"""Records (明细) paged by keyset on (occurred_on, id): the same rows in the same order as OFFSET paging, on both
engines, whichever way the pages are reached; the grid's callback reads each next, previous and last page by
keyset, and still answers rightly when the cache that holds its cursors is gone."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import sign_in
from flask import Flask
from flask_caching import Cache
from sqlalchemy import event, text

from callbacks.common import Context
from callbacks.records import rows_response
from data.access import OPERATOR
from data.queries.dimensions import DISTRICT_LEVEL, NO_DEPARTMENT
from data.queries.filters import Filters
from data.queries.records import all_records, block
from layouts import records as view

CASES = [
    # a few months, so that walking every page three ways stays quick
    ("hotline_requests", Filters(2024, townships=("qingshan", "baisha"), months=(1, 3), scope=OPERATOR)),
    (
        "service_transactions",
        Filters(2024, townships=(DISTRICT_LEVEL.code, "xinhua"), months=(3, 4), scope=OPERATOR),
    ),
    ("mediation_success_rate", Filters(2024, departments=(NO_DEPARTMENT.code, "SFJ"), scope=OPERATOR)),
    # summed, not counted: the number of rows comes from the register, not from the summary
    ("enterprise_resolution_rate", Filters(2025, townships=("qingshan",), scope=OPERATOR)),
    # a year in progress (its months so far), a condition (visited callers), a rate's denominator
    ("hotline_satisfaction_rate", Filters(2025, townships=("qingshan",), scope=OPERATOR)),
]
SIZE = 37  # not a divisor of any total here: the last page is a short one


def ids(page) -> list[int]:
    return [r["id"] for r in page.rows]


def offset_pages(conn, code: str, filters: Filters, total: int) -> list[list[int]]:
    """Every page read by plain OFFSET, in list order (the reference)."""
    from data.queries.records import _behind, _rows_query

    behind = _behind(conn, code, filters)
    query = _rows_query(behind.table, behind.clause)
    return [[r.id for r in conn.execute(query.limit(SIZE).offset(start))] for start in range(0, total, SIZE)]


@pytest.mark.slow  # pages through whole registers (4–7 s each)
@pytest.mark.parametrize(("code", "filters"), CASES, ids=[c for c, _ in CASES])
def test_keyset_pages_are_the_offset_pages(demo_engine, code, filters):
    with demo_engine.connect() as conn:
        first = block(conn, code, filters, 0, SIZE)
        total = first.total
        reference = offset_pages(conn, code, filters, total)
        assert sum(map(len, reference)) == total > SIZE * 3 and len(reference[-1]) < SIZE
        # Forward, each page from the last row of the one before.
        forward, page = [ids(first)], first
        while len(forward) < len(reference):
            page = block(conn, code, filters, page.start + SIZE, SIZE, after=page.last_key, total=total)
            assert page.method == "keyset"
            forward.append(ids(page))
        assert forward == reference
        # Backward from the last page (read from the end of the list), each page from the first row of the next.
        last = block(conn, code, filters, (len(reference) - 1) * SIZE, SIZE)
        assert last.method == "keyset" and ids(last) == reference[-1] and last.total == total
        backward, page = [ids(last)], last
        while page.start > 0:
            page = block(conn, code, filters, page.start - SIZE, SIZE, before=page.first_key, total=total)
            backward.insert(0, ids(page))
        assert backward == reference
        # A jump with no neighbour: OFFSET from the nearer end, same rows.
        for n in (1, len(reference) // 2, len(reference) - 2):
            jump = block(conn, code, filters, n * SIZE, SIZE)
            assert jump.method == "offset" and ids(jump) == reference[n]
        # The rows themselves, not only their ids, are the download's rows.
        everything = all_records(conn, code, filters)
        assert [
            r for p in range(len(reference)) for r in block(conn, code, filters, p * SIZE, SIZE).rows
        ] == (everything.rows)


def test_pages_break_inside_a_day(demo_engine):
    """Many rows share a date: pages end between two rows of the same day, where the id decides."""
    code, filters = CASES[0]
    with demo_engine.connect() as conn:
        page, inside = block(conn, code, filters, 0, SIZE), 0
        for _ in range(20):
            following = block(
                conn, code, filters, page.start + SIZE, SIZE, after=page.last_key, total=page.total
            )
            inside += page.last_key[0] == following.first_key[0]
            page = following
    assert inside >= 10


def test_a_block_past_the_end_is_empty_and_costs_no_row_query(demo_engine):
    statements: list[str] = []
    event.listen(demo_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    code, filters = CASES[0]
    with demo_engine.connect() as conn:
        total = block(conn, code, filters, 0, 1).total
        statements.clear()
        page = block(conn, code, filters, 2**70, SIZE, total=total)
    assert page.rows == [] and page.total == total
    assert not [s for s in statements if "hotline_request" in s]


def skips_rows(statement: str, params) -> bool:
    """Whether a statement reads rows only to skip them: an OFFSET (SQLite writes "OFFSET 0" when there is none)."""
    if "OFFSET" not in statement:
        return False
    return isinstance(params, dict) or params[-1] != 0


# A working cache, and a Redis that is not there (nothing listens on port 1): every use of it fails.
CACHES = {
    "working": {"CACHE_TYPE": "SimpleCache"},
    "down": {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://127.0.0.1:1/0"},
}


@pytest.mark.parametrize("cache", ["working", "down"])
def test_the_grid_reads_next_previous_and_last_pages_by_keyset(demo_engine, cache):
    code, filters = (
        "service_transactions",
        Filters(2024, townships=(DISTRICT_LEVEL.code, "xinhua"), scope=OPERATOR),
    )
    store = {"code": code, "filters": {"year": 2024, "township": list(filters.townships)}}
    context = Context(demo_engine, Cache(Flask(__name__), config=CACHES[cache]), scope=lambda: OPERATOR)
    statements: list[tuple] = []
    event.listen(demo_engine, "before_cursor_execute", lambda *a: statements.append((a[2], a[3])))

    def grid(start: int) -> list[dict]:
        statements.clear()
        body = rows_response(context, {"startRow": start, "endRow": start + 50}, store)
        assert body["rowCount"] == total
        return body["rowData"]

    with demo_engine.connect() as conn:
        reference = all_records(conn, code, filters)
    total = reference.total
    columns = view.shown_columns(reference.columns)
    expected = [view.row(r, columns) for r in reference.rows]
    last = (total - 1) // 50 * 50
    # first page, next pages, the last page, then back from it
    for start in (0, 50, 100, 150, last, last - 50, last - 100):
        assert grid(start) == expected[start : start + 50]
        row_queries = [(s, p) for s, p in statements if "FROM service_transaction" in s]
        assert len(row_queries) == 1
        # The first and the last page start from an end; the others from a neighbour, unless the cache is down.
        keyset = start in (0, last) or cache == "working"
        assert skips_rows(*row_queries[0]) != keyset, (start, row_queries[0])
    assert len(grid(total)) == 0


@pytest.mark.postgres
def test_the_indexes_serve_keyset_pages_in_order_on_postgresql(demo_urls):
    """With sequential scans and sorts priced out, each keyset query still has a plan without a Sort: an index
    gives its rows in list order, whichever filter applies."""
    from data.engine import open_engine
    from data.queries.records import _behind, _bound, _key, _rows_query

    engine = open_engine(demo_urls["postgresql"])
    shapes = [
        Filters(2024, scope=OPERATOR),
        Filters(2024, townships=("qingshan",), scope=OPERATOR),
        Filters(2024, townships=("qingshan", "baisha"), scope=OPERATOR),
        Filters(2024, townships=(DISTRICT_LEVEL.code,), scope=OPERATOR),
        Filters(2024, departments=("SFJ",), scope=OPERATOR),
        Filters(2024, departments=(NO_DEPARTMENT.code,), scope=OPERATOR),
    ]
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        conn.execute(text("SET enable_bitmapscan = off"))
        conn.execute(text("SET enable_sort = off"))
        for filters in shapes:
            for descending in (False, True):
                behind = _behind(conn, "disputes_mediated", filters)
                cursor = _key(behind.table) < _bound(behind.table, (date(2024, 7, 1), 1))
                query = _rows_query(behind.table, (*behind.clause, cursor), descending).limit(50)
                compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
                plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}"))
                assert "Sort" not in plan and "Index Scan" in plan, (filters, descending, plan)
    engine.dispose()


@pytest.mark.browser
def test_the_grid_pages_to_the_last_and_back_in_a_browser(page, base_url, demo_urls):
    """In Chromium: the records of 区本级 (chosen in the link), the last page, the one before it, the first."""
    from playwright.sync_api import expect

    from data.engine import open_engine

    engine = open_engine(demo_urls["sqlite"])
    with engine.connect() as conn:
        expected = [
            r["id"]
            for r in all_records(
                conn, "service_transactions", Filters(2024, townships=("_district",), scope=OPERATOR)
            ).rows
        ]
    engine.dispose()
    sign_in(page, base_url, "leader")
    page.goto(f"{base_url}/service?year=2024&township={DISTRICT_LEVEL.code}")
    page.locator('.kpi-card[data-code="service_transactions"] .kpi-drill').click()
    page.wait_for_selector("#records-grid .ag-row")
    assert f"共 {len(expected)} 条" in page.locator("#records-summary").inner_text()

    def shows_first(index: int) -> None:
        """The page starting at row ``index`` is shown, its first row the list's row ``index`` (waits for it)."""
        cell = page.locator(f'#records-grid .ag-row[row-index="{index}"] [col-id="id"]')
        expect(cell).to_have_text(str(expected[index]))

    shows_first(0)
    last = (len(expected) - 1) // view.PAGE_SIZE * view.PAGE_SIZE
    for button, index in (
        ("末页", last),
        ("上一页", last - view.PAGE_SIZE),
        ("首页", 0),
        ("下一页", view.PAGE_SIZE),
    ):
        page.get_by_role("button", name=button).click()
        shows_first(index)
    assert page.problems == []

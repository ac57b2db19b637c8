"""The query layer: filters, rates, series, breakdowns and records, checked against the registers."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from data.access import OPERATOR
from data.queries.dimensions import DISTRICT_LEVEL, NO_DEPARTMENT
from data.queries.figures import figures
from data.queries.filters import Filters
from data.queries.records import block, records
from data.queries.series import NotApplicable, breakdown, monthly
from data.schema import dispute_case, reconsideration_application


def one(conn, code, filters):
    (fig,) = figures(conn, filters, codes=[code])
    return fig


def test_a_department_filter_counts_that_departments_rows(demo_engine):
    r = reconsideration_application
    with demo_engine.connect() as conn:
        for dept in ("SCJGJ", "ZRZYJ"):
            expected = conn.scalar(
                select(func.count()).select_from(r).where(r.c.year == 2024, r.c.department_code == dept)
            )
            assert (
                one(
                    conn, "reconsideration_applications", Filters(2024, departments=(dept,), scope=OPERATOR)
                ).value
                == expected
            )
        both = one(
            conn,
            "reconsideration_applications",
            Filters(2024, departments=("SCJGJ", "ZRZYJ"), scope=OPERATOR),
        ).value
        assert both == sum(
            one(conn, "reconsideration_applications", Filters(2024, departments=(d,), scope=OPERATOR)).value
            for d in ("SCJGJ", "ZRZYJ")
        )


def test_filter_values_are_bound_not_pasted(demo_engine):
    hostile = ("x' OR '1'='1", "qingshan'; DROP TABLE dispute_case; --")
    with demo_engine.connect() as conn:
        assert one(conn, "disputes_mediated", Filters(2024, townships=hostile, scope=OPERATOR)).value == 0
        assert conn.scalar(select(func.count()).select_from(dispute_case)) > 0


def test_a_panel_statement_is_built_once_per_shape_of_the_filters_and_only_its_values_change(demo_engine):
    """Building and compiling a select cost several times what these summary queries take in the database: the
    statement is kept per shape (which filters apply, whether 未归属 is asked for) and executed with new values."""
    statements = []

    def note(_conn, statement, *_args):
        statements.append(statement)

    event.listen(demo_engine, "before_execute", note)
    try:
        with demo_engine.connect() as conn:
            values = [
                one(conn, "disputes_mediated", Filters(2024, townships=towns, scope=OPERATOR)).value
                for towns in (("qingshan",), ("baisha",), ("baisha", "qingshan"))
            ]
    finally:
        event.remove(demo_engine, "before_execute", note)
    sums = [s for s in statements if "indicator_fact" in str(s) and "sum" in str(s)]
    assert len(sums) == 3 and sums[0] is sums[1] is sums[2]
    assert values[2] == values[0] + values[1] and values[0] != values[1]


def test_a_year_outside_the_store_has_no_value_but_an_empty_selection_is_zero(demo_engine):
    with demo_engine.connect() as conn:
        first = one(conn, "disputes_mediated", Filters(2022, scope=OPERATOR))
        assert first.value > 0 and first.previous is None and first.yoy_pct is None
        assert one(conn, "disputes_mediated", Filters(2021, scope=OPERATOR)).value is None
        assert (
            one(conn, "mediation_success_rate", Filters(2024, townships=("nowhere",), scope=OPERATOR)).value
            is None
        )


def test_in_year_view_compares_the_same_months(demo_engine):
    with demo_engine.connect() as conn:
        h1 = one(conn, "disputes_mediated", Filters(2024, months=(1, 6), scope=OPERATOR))
        series = monthly(conn, "disputes_mediated", Filters(2024, scope=OPERATOR))
    assert h1.value == sum(series[2024][:6])
    assert h1.previous == sum(series[2023][:6])
    assert h1.as_of == "2024-06-30"


def test_a_first_half_indicator_only_counts_january_to_june(demo_engine):
    with demo_engine.connect() as conn:
        fig = one(conn, "court_cases", Filters(2024, scope=OPERATOR))
        series = monthly(conn, "court_cases", Filters(2024, scope=OPERATOR))
        rate = one(conn, "agency_head_court_appearance_rate", Filters(2024, scope=OPERATOR))
    assert fig.value == 20 and fig.as_of == "2024-06-30"
    assert series[2024][6:] == [None] * 6
    assert rate.value == 20.0


def test_monthly_series_add_up_and_rates_come_from_monthly_parts(demo_engine):
    with demo_engine.connect() as conn:
        counts = monthly(conn, "disputes_mediated", Filters(2024, townships=("qingshan",), scope=OPERATOR))
        wins = monthly(conn, "disputes_resolved", Filters(2024, townships=("qingshan",), scope=OPERATOR))
        rates = monthly(
            conn, "mediation_success_rate", Filters(2024, townships=("qingshan",), scope=OPERATOR)
        )
        total = one(conn, "disputes_mediated", Filters(2024, townships=("qingshan",), scope=OPERATOR)).value
    assert sum(counts[2024]) == total
    for m in range(12):
        assert rates[2024][m] == round(wins[2024][m] / counts[2024][m] * 100, 2)


def test_breakdowns_are_sorted_named_and_honest_about_dimensions(demo_engine):
    with demo_engine.connect() as conn:
        rows = breakdown(conn, "criminal_alerts", Filters(2024, scope=OPERATOR), by="township")
        assert len(rows) == 16
        assert [r["value"] for r in rows] == sorted((r["value"] for r in rows), reverse=True)
        assert sum(r["value"] for r in rows) == 937
        assert all(r["name"].endswith(("镇", "乡", "街道", "园区")) for r in rows)
        with pytest.raises(NotApplicable, match="不分部门"):
            breakdown(conn, "criminal_alerts", Filters(2024, scope=OPERATOR), by="department")
        with pytest.raises(NotApplicable, match="填报"):
            breakdown(conn, "service_center_items", Filters(2024, scope=OPERATOR), by="township")
        depts = breakdown(
            conn, "reconsideration_applications", Filters(2024, scope=OPERATOR), by="department"
        )
        assert sum(r["value"] for r in depts) == 223


def test_records_page_through_exactly_the_rows_behind_a_figure(demo_engine):
    filters = Filters(2024, townships=("qingshan", "baisha"), scope=OPERATOR)
    with demo_engine.connect() as conn:
        count = one(conn, "disputes_mediated", filters).value
        seen = []
        page = 1
        while True:
            got = records(conn, "disputes_mediated", filters, page=page, page_size=100)
            assert got.total == count
            if not got.rows:
                break
            seen += got.rows
            page += 1
        assert len(seen) == count == len({r["id"] for r in seen})
        assert {r["township_name"] for r in seen} == {"青山镇", "白沙镇"}
        rate_rows = records(conn, "mediation_success_rate", filters, page_size=5)
        assert rate_rows.total == count and len(rate_rows.rows) == 5
        with pytest.raises(NotApplicable):
            records(conn, "service_center_items", filters)


def test_standard_queries_use_indexes_not_table_scans(demo_urls):
    """On SQLite, every statement the standard queries run is answered through an index."""
    from data.engine import open_engine

    engine = open_engine(demo_urls["sqlite"])
    statements = []
    event.listen(
        engine,
        "before_cursor_execute",
        lambda c, cur, stmt, params, ctx, many: statements.append((stmt, params)),
    )
    filters = Filters(2024, townships=("qingshan",), departments=("SFJ",), scope=OPERATOR)
    with engine.connect() as conn:
        figures(conn, filters)
        monthly(conn, "mediation_success_rate", filters)
        breakdown(conn, "hotline_requests", Filters(2024, scope=OPERATOR), by="department")
        breakdown(
            conn, "service_transactions", Filters(2024, departments=("XZSPJ",), scope=OPERATOR), by="township"
        )
        records(conn, "hotline_requests", Filters(2024, townships=("qingshan",), scope=OPERATOR), page=3)
        # Records by keyset: the next page after a row, the page before a row, the last page (read backwards),
        # under each kind of filter, 区本级 and 未归属部门 (IS NULL) included; a summed indicator's row count.
        for code, keyset_filters in [
            ("hotline_requests", Filters(2024, scope=OPERATOR)),
            ("hotline_requests", Filters(2024, townships=("qingshan", "baisha"), scope=OPERATOR)),
            ("service_transactions", Filters(2024, townships=(DISTRICT_LEVEL.code,), scope=OPERATOR)),
            (
                "service_transactions",
                Filters(2024, townships=(DISTRICT_LEVEL.code, "xinhua"), scope=OPERATOR),
            ),
            ("mediation_success_rate", Filters(2024, departments=(NO_DEPARTMENT.code,), scope=OPERATOR)),
            (
                "enterprise_resolution_rate",
                Filters(2025, departments=("SFJ", "SWJ"), townships=("qingshan",), scope=OPERATOR),
            ),
        ]:
            first = block(conn, code, keyset_filters, 0, 50)
            block(conn, code, keyset_filters, 50, 50, after=first.last_key, total=first.total)
            block(conn, code, keyset_filters, 0, 50, before=first.last_key, total=first.total)
            block(conn, code, keyset_filters, (first.total - 1) // 50 * 50, 50, total=first.total)
        scans = []
        for stmt, params in list(statements):
            if not stmt.lstrip().upper().startswith("SELECT"):
                continue
            for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + stmt, params).all():
                detail = row[-1]
                # the district's own small tables (its units, calendar, settings, who reports what) and no table
                small = any(
                    t in detail
                    for t in (
                        "calendar",
                        "department",
                        "township",
                        "meta",
                        "indicator ",
                        "report_duty",
                        "CONSTANT ROW",
                    )
                )
                if detail.startswith("SCAN") and "INDEX" not in detail and not small:
                    scans.append((detail, stmt))
    engine.dispose()
    assert scans == []


def test_a_year_in_progress_is_compared_with_the_same_months_of_last_year():
    from data.queries.figures import in_year

    assert in_year(Filters(2025, scope=OPERATOR), {2024: 12, 2025: 6}).months == (1, 6)
    assert in_year(Filters(2024, scope=OPERATOR), {2024: 12, 2025: 6}).months is None
    assert in_year(Filters(2025, months=(1, 3), scope=OPERATOR), {2025: 6}).months == (1, 3)


@pytest.mark.parametrize(
    ("code", "column"),
    [
        ("disputes_mediated", "dispute_type"),
        ("disputes_mediated", "level"),
        ("criminal_alerts", "category"),
        ("service_transactions", "channel"),
        ("reconsideration_applications", "outcome"),
    ],
)
def test_category_breakdowns_add_up_to_the_figure(demo_engine, code, column):
    from data.queries.categories import categories

    for filters in (
        Filters(2024, scope=OPERATOR),
        Filters(2024, townships=("qingshan",), departments=("SFJ", "RSJ"), scope=OPERATOR),
    ):
        with demo_engine.connect() as conn:
            parts = categories(conn, code, filters, column)
            total = one(conn, code, filters).value
        assert sum(p["value"] for p in parts) == total
    with demo_engine.connect() as conn, pytest.raises(NotApplicable):
        categories(conn, "hotline_satisfied", Filters(2024, scope=OPERATOR), "category")


def test_a_download_holds_the_same_rows_as_the_pages(demo_engine):
    from data.queries.records import all_records

    filters = Filters(2024, townships=("qingshan",), scope=OPERATOR)
    with demo_engine.connect() as conn:
        everything = all_records(conn, "mediation_success_rate", filters)
        paged = [
            r for p in (1, 2, 3, 4, 5) for r in records(conn, "mediation_success_rate", filters, p, 50).rows
        ]
        total = one(conn, "disputes_mediated", filters).value
    assert everything.total == len(everything.rows) == total
    assert [r["id"] for r in everything.rows] == [r["id"] for r in paged]


def test_coverage_is_read_once_per_transaction_and_again_after_a_write(empty_url):
    from data.engine import open_engine
    from data.queries.figures import coverage
    from data.schema import calendar
    from data.store import migrate

    engine = open_engine(empty_url, create=True)
    migrate(engine)
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with engine.connect() as conn:
        conn.execute(calendar.insert(), [{"year": 2024, "month": m} for m in (1, 2)])
        conn.commit()
        statements.clear()
        assert coverage(conn) == {2024: 2}
        assert coverage(conn) == {2024: 2}
        assert len(statements) == 1
        conn.commit()
        conn.execute(calendar.insert(), [{"year": 2024, "month": 3}])
        assert coverage(conn) == {2024: 3}
    engine.dispose()

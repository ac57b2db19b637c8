"""Who may read what, in the query layer itself: indicator visibility and row scope on both engines."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from data import catalog
from data.access import ANONYMOUS, OPERATOR, Forbidden, Scope
from data.queries.figures import figures
from data.queries.filters import Filters
from data.queries.records import all_records, count_records, has_records, records
from data.queries.series import breakdown, monthly
from data.queries.standing import standing
from data.schema import court_appearance, police_incident, reconsideration_application

LEADER = Scope(role="leader")
JUSTICE = Scope(role="department", department="SFJ", department_name="区司法局")
MARKET = Scope(role="department", department="SCJGJ", department_name="区市场监督管理局")
POLICE = Scope(role="department", department="GAFJ", department_name="区公安分局")
MARKET_CLERK = Scope(role="clerk", department="SCJGJ", department_name="区市场监督管理局")
QINGSHAN = Scope(role="township", township="qingshan")


@pytest.fixture
def restricted(monkeypatch) -> str:
    """The catalog with one figure restricted (the shipped catalog has none): 区司法局 is responsible for it."""
    code = "reconsideration_applications"
    cat = catalog.load()
    monkeypatch.setitem(cat, code, replace(cat[code], visibility="restricted"))
    return code


def codes(conn, scope: Scope) -> set[str]:
    return {f.code for f in figures(conn, Filters(2024, scope=scope))}


def test_filters_default_to_the_anonymous_reader_so_a_forgotten_scope_shows_less():
    assert Filters(2024).scope == ANONYMOUS
    assert not ANONYMOUS.reads_rows


def test_internal_figures_are_for_signed_in_readers_only(demo_engine, internal):
    with demo_engine.connect() as conn:
        assert not codes(conn, ANONYMOUS) & internal
        for scope in (LEADER, JUSTICE, QINGSHAN, MARKET_CLERK):
            assert codes(conn, scope) >= internal
        with pytest.raises(Forbidden):
            monthly(conn, "complaints", Filters(2024))
        with pytest.raises(Forbidden):
            breakdown(conn, "complaints", Filters(2024), by="township")
        assert monthly(conn, "complaints", Filters(2024, scope=QINGSHAN))[2024]


def test_a_restricted_figure_is_for_leaders_and_its_responsible_department(demo_engine, restricted):
    with demo_engine.connect() as conn:
        for scope in (LEADER, OPERATOR, JUSTICE):
            assert restricted in codes(conn, scope)
        for scope in (ANONYMOUS, MARKET, QINGSHAN, MARKET_CLERK):
            assert restricted not in codes(conn, scope)
            with pytest.raises(Forbidden):
                monthly(conn, restricted, Filters(2024, scope=scope))
        # a rate counted from it is readable, its rows are not
        assert not has_records("reconsideration_applications", MARKET)
        assert has_records("reconsideration_applications", JUSTICE)


def test_anonymous_visitors_read_no_rows(demo_engine):
    with demo_engine.connect() as conn:
        assert not has_records("disputes_mediated", ANONYMOUS)
        with pytest.raises(Forbidden):
            records(conn, "disputes_mediated", Filters(2024))
        with pytest.raises(Forbidden):
            count_records(conn, "disputes_mediated", Filters(2024))


def test_a_department_head_reads_only_their_departments_rows(demo_engine):
    r = reconsideration_application
    with demo_engine.connect() as conn:
        own = conn.scalar(
            select(func.count()).select_from(r).where(r.c.year == 2024, r.c.department_code == "SCJGJ")
        )
        assert own > 0
        for scope in (MARKET, MARKET_CLERK):
            page = all_records(conn, "reconsideration_applications", Filters(2024, scope=scope))
            assert page.total == own
            assert {row["department_code"] for row in page.rows} == {"SCJGJ"}
            # the total the dialog shows comes from the summary table: it must agree with the rows
            assert count_records(conn, "reconsideration_applications", Filters(2024, scope=scope)) == own
        # asking for another department's rows gives none of them
        other = Filters(2024, departments=("ZRZYJ",), scope=MARKET)
        assert count_records(conn, "reconsideration_applications", other) == 0
        # the figures by department stay visible to every signed-in reader, for comparison
        split = {
            r["code"]: r["value"]
            for r in breakdown(
                conn, "reconsideration_applications", Filters(2024, scope=MARKET), by="department"
            )
        }
        assert split["ZRZYJ"] > 0


def test_a_township_head_reads_only_their_townships_rows(demo_engine):
    with demo_engine.connect() as conn:
        page = all_records(conn, "disputes_mediated", Filters(2024, scope=QINGSHAN))
        assert page.total > 0
        assert {row["township_code"] for row in page.rows} == {"qingshan"}
        assert count_records(conn, "disputes_mediated", Filters(2024, scope=QINGSHAN)) == page.total
        # a register without a township column belongs to no township
        assert count_records(conn, "court_head_appearances", Filters(2024, scope=QINGSHAN)) == 0


def test_a_register_without_departments_belongs_to_the_department_responsible_for_it(demo_engine):
    p = police_incident
    with demo_engine.connect() as conn:
        everyone = conn.scalar(
            select(func.count()).select_from(p).where(p.c.year == 2024, p.c.kind == "刑事")
        )
        assert everyone > 0
        mine = count_records(conn, "criminal_alerts", Filters(2024, scope=POLICE))
        assert mine == everyone == count_records(conn, "criminal_alerts", Filters(2024, scope=LEADER))
        assert count_records(conn, "criminal_alerts", Filters(2024, scope=JUSTICE)) == 0
        assert all_records(conn, "criminal_alerts", Filters(2024, scope=JUSTICE)).rows == []


def test_a_rates_rows_need_both_its_parts_to_be_visible(demo_engine):
    c = court_appearance
    with demo_engine.connect() as conn:
        assert not has_records("agency_head_court_appearance_rate", ANONYMOUS)
        assert has_records("agency_head_court_appearance_rate", JUSTICE)
        every = count_records(
            conn, "agency_head_court_appearance_rate", Filters(2024, scope=Scope(role="leader"))
        )
        got = count_records(conn, "agency_head_court_appearance_rate", Filters(2024, scope=JUSTICE))
        # 司法局 is responsible for the rate: it reads every case behind it, not only those naming it
        assert got == every > 0
        # another department reads only the cases naming it
        named = conn.scalar(
            select(func.count()).select_from(c).where(c.c.year == 2024, c.c.department_code == "SCJGJ")
        )
        market = count_records(conn, "agency_head_court_appearance_rate", Filters(2024, scope=MARKET))
        assert market <= named < conn.scalar(select(func.count()).select_from(c).where(c.c.year == 2024))


def test_standing_ranks_a_department_among_all_with_ties_sharing_a_rank(demo_engine):
    with demo_engine.connect() as conn:
        (row,) = standing(
            conn, ["reconsideration_applications"], Filters(2024, scope=MARKET), "department", "SCJGJ"
        )
        split = [
            r
            for r in breakdown(
                conn, "reconsideration_applications", Filters(2024, scope=MARKET), by="department"
            )
            if not r["code"].startswith("_")
        ]
    values = sorted((r["value"] for r in split), reverse=True)
    assert row.members == len(split)
    assert row.rank == values.index(row.value) + 1
    assert row.median == pytest.approx(
        sorted(values)[len(values) // 2]
        if len(values) % 2
        else (sorted(values)[len(values) // 2 - 1] + sorted(values)[len(values) // 2]) / 2
    )


def test_a_scope_needs_the_department_or_township_its_role_is_tied_to():
    with pytest.raises(ValueError):
        Scope(role="department")
    with pytest.raises(ValueError):
        Scope(role="township")
    with pytest.raises(ValueError):
        Scope(role="superuser")
    with pytest.raises(Forbidden):
        MARKET.check_filter(("ZRZYJ",), ())
    with pytest.raises(Forbidden):
        QINGSHAN.check_filter((), ("chengguan",))
    MARKET.check_filter(("SCJGJ",), ("qingshan",))
    QINGSHAN.check_filter(("SCJGJ",), ("qingshan",))
    LEADER.check_filter(("ZRZYJ",), ("chengguan",))

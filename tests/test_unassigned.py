"""Rows that name no township (区本级) or no department (未归属部门): listed, split and filtered like any member,
so that the members of every split add up to the district's figure, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from data import catalog
from data.access import OPERATOR
from data.queries.dimensions import DISTRICT_LEVEL, NO_DEPARTMENT, dimensions
from data.queries.figures import figures
from data.queries.filters import Filters
from data.queries.records import all_records, records
from data.queries.series import breakdown
from data.schema import REGISTERS, dispute_case, service_transaction

SPLITS = {"township": "townships", "department": "departments"}


def split_indicators(by: str) -> list[catalog.Indicator]:
    """The register-backed indicators and rates that can be split ``by`` township or department."""
    return [
        i
        for i in catalog.load().values()
        if i.source_kind != "reported" and (i.applies_township if by == "township" else i.applies_department)
    ]


@pytest.mark.parametrize("by", list(SPLITS))
@pytest.mark.parametrize(
    "base",
    [
        Filters(2024, scope=OPERATOR),
        Filters(2025, scope=OPERATOR),  # a year in progress: the months it holds
        Filters(
            2024,
            departments=("XZSPJ", NO_DEPARTMENT.code),
            townships=(DISTRICT_LEVEL.code, "qingshan"),
            scope=OPERATOR,
        ),
    ],
    ids=["2024", "2025", "other-filter"],
)
def test_every_split_adds_up_to_the_district_figure(demo_engine, by, base):
    """Counts: the members' values add up to the figure on the card. Every member, 区本级 and 未归属部门
    included, has the value the card shows when filtered by it (for rates: recomputed, not averaged)."""
    inds = split_indicators(by)
    codes = [i.code for i in inds]
    # The split is drawn over every member, with the other dimension's filter kept.
    wider = Filters(
        base.year, **{f: getattr(base, f) for f in SPLITS.values() if f != SPLITS[by]}, scope=OPERATOR
    )
    with demo_engine.connect() as conn:
        card = {f.code: f.value for f in figures(conn, wider, codes=codes)}
        members = [m["code"] for m in getattr(dimensions(conn), SPLITS[by])]
        filtered = {
            m: {
                f.code: f.value
                for f in figures(
                    conn, Filters(wider.year, **_also(wider, by, m), scope=OPERATOR), codes=codes
                )
            }
            for m in members
        }
        for ind in inds:
            rows = breakdown(conn, ind.code, wider, by=by)
            assert {r["code"] for r in rows} <= set(members), ind.code
            for r in rows:
                assert r["value"] == filtered[r["code"]][ind.code], (ind.code, r["code"])
            if not ind.is_rate:
                assert sum(r["value"] for r in rows) == card[ind.code], ind.code
                continue
            # A rate from the members' parts is the card's rate.
            parts = {
                p: sum(r["value"] for r in breakdown(conn, p, wider, by=by))
                for p in (ind.numerator, ind.denominator)
            }
            assert (
                card[ind.numerator] == parts[ind.numerator]
                and card[ind.denominator] == parts[ind.denominator]
            )
            expected = (
                round(parts[ind.numerator] / parts[ind.denominator] * 100, 2)
                if parts[ind.denominator]
                else None
            )
            assert card[ind.code] == expected, ind.code


def _also(filters: Filters, by: str, member: str) -> dict:
    kept = {f: getattr(filters, f) for f in SPLITS.values() if f != SPLITS[by]}
    return kept | {SPLITS[by]: (member,)}


def test_the_demo_holds_rows_of_both_kinds_and_the_splits_show_them(demo_engine):
    s, d = service_transaction, dispute_case
    with demo_engine.connect() as conn:
        hall = conn.scalar(
            select(func.count()).select_from(s).where(s.c.year == 2024, s.c.township_code.is_(None))
        )
        village = conn.scalar(
            select(func.count()).select_from(d).where(d.c.year == 2024, d.c.department_code.is_(None))
        )
        towns = {
            r["code"]: r
            for r in breakdown(conn, "service_transactions", Filters(2024, scope=OPERATOR), by="township")
        }
        depts = {
            r["code"]: r
            for r in breakdown(conn, "disputes_mediated", Filters(2024, scope=OPERATOR), by="department")
        }
    assert hall > 1000 and village > 1000
    assert towns[DISTRICT_LEVEL.code] == {"code": DISTRICT_LEVEL.code, "name": "区本级", "value": hall}
    assert depts[NO_DEPARTMENT.code] == {"code": NO_DEPARTMENT.code, "name": "未归属部门", "value": village}


def test_the_dimensions_list_the_members_once_and_their_codes_are_reserved(demo_engine):
    with demo_engine.connect() as conn:
        dims = dimensions(conn)
        stored = {
            c
            for table in REGISTERS.values()
            for col in ("township_code", "department_code")
            if col in table.c
            for c in conn.scalars(select(table.c[col]).distinct())
        }
    assert dims.townships[0] == {"code": DISTRICT_LEVEL.code, "name": "区本级", "kind": "区本级"}
    assert dims.departments[-1]["code"] == NO_DEPARTMENT.code and dims.departments[-1]["name"] == "未归属部门"
    codes = [t["code"] for t in dims.townships] + [d["code"] for d in dims.departments]
    assert len(codes) == len(set(codes))
    assert DISTRICT_LEVEL.code not in stored and NO_DEPARTMENT.code not in stored


def test_an_empty_store_lists_the_members_too(empty_url):
    """The rule is the schema's (a register may hold rows without a township), not what the store holds now."""
    from data.engine import open_engine
    from data.store import migrate

    engine = open_engine(empty_url, create=True)
    migrate(engine)
    with engine.connect() as conn:
        dims = dimensions(conn)
    engine.dispose()
    assert [t["code"] for t in dims.townships] == [DISTRICT_LEVEL.code]
    assert [d["code"] for d in dims.departments] == [NO_DEPARTMENT.code]


def test_records_filtered_by_the_members(demo_engine):
    s, d = service_transaction, dispute_case
    with demo_engine.connect() as conn:
        hall = records(
            conn,
            "service_transactions",
            Filters(2024, townships=(DISTRICT_LEVEL.code,), scope=OPERATOR),
            page_size=500,
        )
        assert hall.total == conn.scalar(
            select(func.count()).select_from(s).where(s.c.year == 2024, s.c.township_code.is_(None))
        )
        assert {r["township_name"] for r in hall.rows} == {"区本级"}
        assert {r["township_code"] for r in hall.rows} == {None}
        both = all_records(
            conn,
            "service_transactions",
            Filters(2024, townships=(DISTRICT_LEVEL.code, "qingshan"), scope=OPERATOR),
        )
        town = records(
            conn, "service_transactions", Filters(2024, townships=("qingshan",), scope=OPERATOR), page_size=1
        )
        assert both.total == hall.total + town.total
        assert {r["township_name"] for r in both.rows} == {"区本级", "青山镇"}
        village = all_records(
            conn, "mediation_success_rate", Filters(2024, departments=(NO_DEPARTMENT.code,), scope=OPERATOR)
        )
        assert village.total == conn.scalar(
            select(func.count()).select_from(d).where(d.c.year == 2024, d.c.department_code.is_(None))
        )
        assert {r["department_name"] for r in village.rows} == {"未归属部门"}
        assert {r["level"] for r in village.rows} == {"乡镇", "村居"}


@pytest.fixture
def client(demo_url, tmp_path):
    from dashboard import create_app

    return create_app({"database_url": demo_url, "instance_path": tmp_path}).server.test_client()


def test_the_api_lists_the_members_and_takes_them_as_filters(client):
    dims = client.get("/api/v1/dimensions").get_json()
    assert {"code": DISTRICT_LEVEL.code, "name": "区本级", "kind": "区本级"} in dims["townships"]
    assert {"code": NO_DEPARTMENT.code, "name": "未归属部门"} in dims["departments"]

    def value(code: str, query: str = "") -> float:
        body = client.get(f"/api/v1/values?year=2024&area=service{query}").get_json()
        return {v["code"]: v["value"] for v in body["values"]}[code]

    district = value("service_transactions")
    parts = [value("service_transactions", f"&township={t['code']}") for t in dims["townships"]]
    assert parts[0] > 0 and sum(parts) == district
    body = client.get(f"/api/v1/values?year=2024&township={DISTRICT_LEVEL.code},qingshan").get_json()
    assert body["filters"]["township"] == sorted([DISTRICT_LEVEL.code, "qingshan"])
    assert client.get("/api/v1/values?year=2024&township=district").status_code == 400


def figures_of(context, code: str) -> list:
    with context.engine.connect() as conn:
        return [f.value for f in figures(conn, Filters(2024, scope=OPERATOR), codes=[code])]


def test_the_desk_draws_the_bar_and_a_click_filters_by_it(demo_urls, tmp_path):
    """The split chart (here: a township split of the service hall's transactions) has a 区本级 bar whose
    click sets the filter, and the filter bar offers the member."""
    from flask import Flask
    from flask_caching import Cache

    from callbacks.area import clicked_filter, page_panels, split_wanted
    from callbacks.common import Context
    from data.engine import open_engine
    from layouts import ids
    from layouts.areas import AREA_PAGES, AreaPage
    from layouts.format import number

    engine = open_engine(demo_urls["sqlite"])
    context = Context(engine, Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"}))
    page = AreaPage("service-by-township", trend=None, split="township", split_code="service_transactions")

    def split_figure(page: AreaPage, filters: Filters) -> dict:
        return context.cached_all([split_wanted(page, filters)])[0]

    figure = split_figure(page, Filters(2024, scope=OPERATOR))
    bar = figure["data"][0]
    at = list(bar["customdata"]).index(DISTRICT_LEVEL.code)
    assert list(bar["y"])[at] == "区本级" and list(bar["x"])[at] > 0
    chosen = clicked_filter({"points": [{"customdata": DISTRICT_LEVEL.code}]}, [])
    assert chosen == [DISTRICT_LEVEL.code]
    marked = split_figure(page, Filters(2024, townships=tuple(chosen), scope=OPERATOR))["data"][0]["marker"][
        "color"
    ]
    assert len(set(marked)) == 2 and marked[at] != marked[at - 1 if at else at + 1]
    # The service page's cards, filtered by the click, show the bar's value.
    (service,) = [p for p in AREA_PAGES if p.area == "service"]
    shown, _unit = number(list(bar["x"])[at], "件")
    assert f"'{shown}'" in str(
        page_panels(context, service, Filters(2024, townships=tuple(chosen), scope=OPERATOR))[0]
    )
    # Its own split, by department, has more members than bars: the rest make one bar.
    by_department = split_figure(service, Filters(2024, scope=OPERATOR))["data"][0]
    (card,) = figures_of(context, "service_transactions")
    assert len(by_department["x"]) == 20 and by_department["y"][0].startswith("其他部门（")
    assert by_department["customdata"][0] is None and sum(by_department["x"]) == card
    engine.dispose()

    from dashboard import create_app

    app = create_app({"database_url": demo_urls["sqlite"], "instance_path": tmp_path})
    layout = app.server.test_client().get("/_dash-layout").get_json()
    assert {"label": "区本级", "value": DISTRICT_LEVEL.code} in options(layout, ids.TOWNSHIP)
    assert {"label": "未归属部门", "value": NO_DEPARTMENT.code} in options(layout, ids.DEPARTMENT)


def options(node: object, component_id: str) -> list:
    """The options of the component ``component_id`` in a served layout."""
    if isinstance(node, dict):
        props = node.get("props") or {}
        if props.get("id") == component_id:
            return props["options"]
        return [o for child in node.values() for o in options(child, component_id)]
    if isinstance(node, list):
        return [o for child in node for o in options(child, component_id)]
    return []


def test_monthly_series_and_categories_take_the_members(demo_engine):
    from data.queries.categories import categories
    from data.queries.series import monthly

    for code, column, filters in [
        ("service_transactions", "channel", Filters(2024, townships=(DISTRICT_LEVEL.code,), scope=OPERATOR)),
        (
            "reconsideration_applications",
            "outcome",
            Filters(2024, townships=(DISTRICT_LEVEL.code, "xinhua"), scope=OPERATOR),
        ),
        ("disputes_mediated", "level", Filters(2024, departments=(NO_DEPARTMENT.code,), scope=OPERATOR)),
    ]:
        with demo_engine.connect() as conn:
            (card,) = figures(conn, filters, codes=[code])
            by_month = monthly(conn, code, filters)[2024]
            parts = categories(conn, code, filters, column)
        assert card.value > 0 and sum(by_month) == card.value == sum(p["value"] for p in parts), code
    assert {p["name"] for p in parts} == {"乡镇", "村居"}

"""One's own working page (/mine): the page's function on both engines (a department head, a township head, the
demo and a district's own store begun with `dashboard init`), its periods, 环比, target progress and places,
the 明细 it offers, the print view, and a department head's day in Chromium."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import plotly.utils
import pytest
from conftest import client_as, pick, sign_in
from flask import Flask
from flask_caching import Cache
from org_support import DEPARTMENTS, ROWS_2025, ROWS_2026, TOWNSHIPS, fill, publish
from playwright.sync_api import Page, expect

from callbacks.common import Context
from callbacks.mine import mine_page
from dashboard.cli.commands import run as run_command
from data import alerts, supervision_changes
from data.access import ANONYMOUS, OPERATOR, Scope
from data.attention import attention_items, supervision_items
from data.engine import open_engine
from data.queries.figures import figures
from data.queries.filters import Filters
from data.queries.mine import mine_view
from data.queries.periods import Period, PeriodError, parse_period
from data.queries.records import count_records
from data.queries.standing import standing
from data.registers import column_labels
from data.supervision import Who
from layouts import mine as view
from layouts.mine_text import TIER_COLOURS, delta, tier

MARKET = Scope(role="department", department="SCJGJ", department_name="区市场监督管理局")
JUSTICE = Scope(role="department", department="SFJ", department_name="区司法局")
QINGSHAN = Scope(role="township", township="qingshan")
LEADER = Scope(role="leader")
STATE = {"year": 2024, "department": [], "township": []}


def context_for(engine, scope: Scope) -> Context:
    cache = Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"})
    return Context(engine=engine, cache=cache, scope=lambda: scope)


def page_text(engine, scope: Scope, period: str = "", state: dict = STATE) -> tuple[str, str, tuple]:
    out = mine_page(context_for(engine, scope), state, period)
    return out[0], json.dumps(out[1], cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False), out


def test_a_department_head_sees_their_responsibilities_their_rows_and_their_rank(demo_engine):
    title, text, out = page_text(demo_engine, MARKET)
    assert title == "区市场监督管理局 · 本部门工作台 · 2024年"
    assert "区市场监督管理局负责的指标（全区）" in text and '"data-code": "double_random_inspections"' in text
    with demo_engine.connect() as conn:
        (own,) = figures(
            conn, Filters(2024, departments=("SCJGJ",), scope=MARKET), codes=["reconsideration_applications"]
        )
        (ranked,) = standing(
            conn, ["reconsideration_applications"], Filters(2024, scope=MARKET), "department", "SCJGJ"
        )
    assert own.value > 0
    assert f"第 {ranked.rank} / {ranked.members} 个部门" in text
    # the page's period control offers the year, its quarters and months; the print links keep the period
    assert [o["value"] for o in out[2]][:3] == ["", "q1", "q2"] and "m12" in [o["value"] for o in out[2]]
    assert out[3] == "/mine/print?year=2024" and out[4] == "/mine/print.pdf?year=2024"
    # what needs attention: the reader's warnings (the demo has some), drawn on top
    assert "mine-attention-item" in json.dumps(out[5], cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)
    # links into the area pages keep the department
    assert "/reconsideration?year=2024&department=SCJGJ" in text


def test_a_township_head_sees_their_townships_rows_and_no_department_duties(demo_engine):
    title, text, _ = page_text(demo_engine, QINGSHAN)
    assert title == "青山镇 · 本乡镇工作台 · 2024年"
    assert "负责的指标" not in text
    assert "青山镇的登记数字" in text and "各乡镇（街道）中的位置" in text
    assert "/mediation?year=2024&township=qingshan" in text


@pytest.mark.parametrize("scope", [ANONYMOUS, LEADER])
def test_readers_tied_to_nothing_are_told_what_the_page_is_for(demo_engine, scope):
    title, text, _ = page_text(demo_engine, scope)
    assert "请用部门或乡镇负责人的账号登录" in text
    assert ("领导和管理员" in text) == scope.everything


def test_a_month_shows_its_own_value_its_change_on_last_year_and_on_the_month_before(demo_engine):
    with demo_engine.connect() as conn:
        mine = mine_view(conn, QINGSHAN, Period(2024, "month", 2))
        own = Filters(2024, townships=("qingshan",), scope=QINGSHAN)
        (feb,) = figures(
            conn, Filters(2024, townships=("qingshan",), months=(2, 2), scope=QINGSHAN), ["disputes_mediated"]
        )
        (jan,) = figures(
            conn, Filters(2024, townships=("qingshan",), months=(1, 1), scope=QINGSHAN), ["disputes_mediated"]
        )
        (ytd,) = figures(
            conn, Filters(2024, townships=("qingshan",), months=(1, 2), scope=QINGSHAN), ["disputes_mediated"]
        )
        assert own.townships == ("qingshan",)
    got = {f.code: f for f in mine.counted}["disputes_mediated"]
    assert (got.value, got.previous) == (feb.value, feb.previous) and feb.value > 0
    assert (got.mom_value, got.mom_base) == (feb.value, jan.value)
    assert got.mom_pct == round((feb.value - jan.value) / jan.value * 100, 1)
    assert got.mom_label == "2月比1月" and got.ytd == ytd.value
    # the trend is the year's months, this year's and last
    assert len(got.trend) == 12 and got.trend[1] == feb.value
    # January compares with the December before it
    with demo_engine.connect() as conn:
        january = {f.code: f for f in mine_view(conn, QINGSHAN, Period(2024, "month", 1)).counted}
    assert january["disputes_mediated"].mom_label == "1月比2023年12月"


def test_places_are_ranked_by_the_figures_direction_and_coloured_without_gold(demo_engine):
    with demo_engine.connect() as conn:
        mine = mine_view(conn, QINGSHAN, Period(2024))
    placed = [f for f in mine.counted if f.rank]
    assert placed
    for f in placed:
        values = [p.value for p in f.peers]
        # best first: the smallest first for a figure that should go down (刑事警情), else the largest
        assert values == sorted(values, reverse=f.direction != "down")
        assert [p.own for p in f.peers].count(True) == 1
    downward = [f for f in placed if f.direction == "down"]
    assert downward, "a township counts figures that should go down (police incidents)"
    assert tier(1, 7, "down") == "best" and tier(7, 7, "down") == "worst" and tier(7, 7, "up") == "worst"
    assert TIER_COLOURS["worst"] == "#b91c1c" and "gold" not in json.dumps(TIER_COLOURS).lower()
    chart = view.standing_chart([f.__dict__ | {"peers": []} for f in placed], "乡镇（街道）").figure
    colours = chart["data"][0]["marker"]["color"]
    for f, colour in zip(placed, colours, strict=True):
        assert colour == TIER_COLOURS[tier(f.rank, f.members, f.direction) or "neutral"]


def test_the_responsible_department_opens_the_rows_behind_the_districts_figure(demo_engine):
    """明细 of an indicator the department answers for (司法局: disputes the townships mediate) held 共 0 条."""
    with demo_engine.connect() as conn:
        mine = mine_view(conn, JUSTICE, Period(2024))
        everyone = count_records(conn, "disputes_mediated", Filters(2024, scope=LEADER))
        theirs = count_records(conn, "disputes_mediated", Filters(2024, scope=JUSTICE))
        # a department reads no more than its own rows of a register it is not responsible for
        market = count_records(conn, "disputes_mediated", Filters(2024, scope=MARKET))
    assert theirs == everyone > 0
    assert market < everyone
    responsible = {f.code: f for f in mine.responsible}
    assert responsible["mediation_success_rate"].drill and responsible["disputes_mediated"].drill
    # a reported figure offers no 明细, and says why
    reported = [f for f in mine.responsible if f.drill_note]
    assert reported and all(f.drill_note == "填报数字，没有登记明细" for f in reported)


def test_periods_in_a_url_or_a_command_are_checked(demo_engine):
    assert parse_period(2024, "q3").months == (7, 9) and parse_period(2024, "m12").label == "2024年12月"
    for bad in ("q5", "m0", "m13", "x1", "2024-02", "q"):
        with pytest.raises(PeriodError, match="时段"):
            parse_period(2024, bad)
    with demo_engine.connect() as conn, pytest.raises(PeriodError, match="没有2031年"):
        mine_view(conn, QINGSHAN, Period(2031))


def test_the_attention_list_holds_the_readers_warnings_red_first(demo_engine):
    with demo_engine.connect() as conn:
        items = attention_items(conn, MARKET, 2024)
        warned = alerts.alerts_in(conn, MARKET, 2024)
    # the demo's warnings the department head may see: the district's and its own, nobody else's
    assert items and {i["title"] for i in items} == {a.message for a in warned}
    assert {(a.unit_kind, a.unit_code) for a in warned} <= {("district", None), ("department", "SCJGJ")}
    levels = [i["level"] for i in items]
    assert levels == sorted(levels, key=lambda level: level != "红")
    drawn = view.attention(
        [
            {
                "title": "调处成功率未达目标",
                "unit": "青山镇",
                "level": "红",
                "since": "2024年3月1日",
                "supervision": 7,
            },
            {
                "title": "请说明办件量下降",
                "unit": "青山镇",
                "level": "黄",
                "since": "2024年3月5日",
                "supervision": None,
            },
        ]
    )
    text = json.dumps(drawn, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)
    assert text.index("level-red") < text.index("level-amber") and "自2024年3月1日起" in text
    assert '"href": "/supervise/7"' in text


def test_an_open_follow_up_is_on_its_units_list_amber_then_red_past_its_deadline(app):
    engine = app.server.extensions["dashboard.engine"]
    due = date.today() + timedelta(days=3)
    with engine.begin() as conn:
        made = supervision_changes.create(
            conn,
            Who(None, OPERATOR),
            "reconsideration_applications",
            "department",
            "SCJGJ",
            due,
            "请说明情况",
        )
    with engine.connect() as conn:
        (mine,) = [i for i in attention_items(conn, MARKET, 2024) if i["supervision"] == made]
        assert mine["level"] == "黄" and mine["unit"] == "区市场监督管理局" and "督办：" in mine["title"]
        (late,) = supervision_items(conn, MARKET, today=due + timedelta(days=1))
        assert late["level"] == "红"
        # another unit never sees it
        assert not [i for i in attention_items(conn, QINGSHAN, 2024) if i["supervision"]]


# --- a district's own store, begun with `dashboard init` ------------------------------------------------------


@pytest.fixture
def own_district(empty_url, monkeypatch, capsys, tmp_path):
    """A store from `dashboard init` (no demo) with the district's units and two years of disputes published."""
    monkeypatch.setenv("DATABASE_URL", empty_url)

    def invoke(*args: str) -> str:
        code = run_command([str(a) for a in args])
        out, err = capsys.readouterr()
        assert code == 0, (args, out, err)
        return out

    invoke("init")
    invoke("org", "template", "-o", tmp_path / "组织机构模板.xlsx")
    invoke(
        "org", "import", fill(tmp_path / "组织机构模板.xlsx", tmp_path / "组织.xlsx", DEPARTMENTS, TOWNSHIPS)
    )
    invoke("template", "dispute_case", "-o", tmp_path / "纠纷模板.xlsx")
    publish(invoke, tmp_path / "纠纷模板.xlsx", tmp_path / "纠纷2025.xlsx", ROWS_2025)
    publish(invoke, tmp_path / "纠纷模板.xlsx", tmp_path / "纠纷2026.xlsx", ROWS_2026)
    engine = open_engine(empty_url)
    yield engine
    engine.dispose()


def test_a_district_begun_empty_shows_its_heads_their_own_figures(own_district):
    state = {"year": 2026, "department": [], "township": []}
    justice = Scope(role="department", department="SFJ", department_name="区司法局")
    title, text, out = page_text(own_district, justice, "m2", state)
    assert title == "区司法局 · 本部门工作台 · 2026年2月"
    # the store holds January and February of 2026: those are the months offered
    assert [o["value"] for o in out[2]] == ["", "q1", "m1", "m2"]
    with own_district.connect() as conn:
        mine = mine_view(conn, justice, Period(2026, "month", 2))
        rows = count_records(conn, "disputes_mediated", Filters(2026, scope=justice))
    counted = {f.code: f for f in mine.counted}
    # 司法局's own rows in February 2026: J26-3 and J26-4 (J26-4 written 司法局, its short name)
    assert counted["disputes_mediated"].value == 2 and counted["disputes_mediated"].mom_base == 2
    # responsible for the district's disputes: every row of 2026 is its to open
    assert rows == 6
    title, text, _ = page_text(own_district, Scope(role="township", township="hexi"), "", state)
    assert title == "河西乡 · 本乡镇工作台 · 2026年" and "河西乡的登记数字" in text
    with own_district.connect() as conn:
        hexi = {
            f.code: f for f in mine_view(conn, Scope(role="township", township="hexi"), Period(2026)).counted
        }
    assert hexi["disputes_mediated"].value == 2 and hexi["disputes_mediated"].rank is not None


# --- the print view ------------------------------------------------------------------------------------------


def test_the_print_view_is_the_readers_own_unit_on_a4_without_navigation(app):
    client = client_as(app, "market")
    page = client.get("/mine/print?year=2024&period=m2")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "区市场监督管理局工作月报 · 2024年2月" in html and "size: A4" in html
    assert "app-nav" not in html and "filter-bar" not in html and "<script" not in html
    assert 'data-code="reconsideration_applications"' in html
    # a department cannot be chosen in the query: the page is always the reader's own
    assert client.get("/mine/print?year=2024&department=ZRZYJ").status_code == 400
    assert client.get("/mine/print?year=2024&period=m13").status_code == 400
    assert "时段" in client.get("/mine/print?year=2024&period=m13").get_data(as_text=True)
    assert client_as(app, "leader").get("/mine/print?year=2024").status_code == 403
    township = client_as(app, "qingshan").get("/mine/print?year=2024&period=q1").get_data(as_text=True)
    assert "青山镇工作月报 · 2024年第一季度" in township and "区市场监督管理局" not in township


@pytest.mark.browser
def test_the_print_view_prints_to_a_pdf(app):
    pdf = client_as(app, "qingshan").get("/mine/print.pdf?year=2024&period=m2")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "attachment" in pdf.headers["Content-Disposition"]


# --- in Chromium ---------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_a_department_head_lands_on_their_figures_and_reads_and_downloads_only_their_rows(
    page: Page, base_url
):
    sign_in(page, base_url, "market")
    expect(page).to_have_url(f"{base_url}/mine")
    page.wait_for_selector("#mine-counted .mine-figures")
    expect(page.locator("#account-name")).to_have_text("market")
    # the unit filters do not apply on one's own page, and are not shown there
    expect(page.locator(".filter-bar .filter-unit").first).to_be_hidden()
    expect(page.locator("#mine-attention .mine-attention-item").first).to_be_visible()
    page.wait_for_selector("#mine-standing .main-svg")
    # a month: the title and the print link follow
    page.locator("#mine-period").click()
    pick(page, "2月")
    expect(page.locator("#mine-title")).to_contain_text("2024年2月")
    expect(page.locator("#mine-print")).to_have_attribute("href", re.compile(r"period=m2"))
    # the figures of every department stay comparable: the split chart on an area page lists others
    page.goto(f"{base_url}/reconsideration?year=2024")
    page.locator('.kpi-card[data-code="reconsideration_applications"] .kpi-drill').click()
    page.wait_for_selector("#records-grid .ag-row")
    expect(page.locator("#records-summary")).to_contain_text("仅限本部门（区市场监督管理局）")
    names = page.locator('#records-grid .ag-row [col-id="department_name"]')
    # the grid draws its rows before it fills them: wait for the first to hold its text
    expect(names.first).to_have_text("区市场监督管理局")
    cells = names.all_inner_texts()
    assert cells and set(cells) == {"区市场监督管理局"}
    href = page.locator("#records-csv").get_attribute("href")
    download = page.request.get(base_url + href)
    assert download.status == 200
    rows = list(csv.DictReader(io.StringIO(download.body().decode("utf-8-sig"))))
    # the download heads the column with the register's own label (被申请部门)
    respondent = column_labels("reconsideration_application")["department_name"]
    assert rows and {r[respondent] for r in rows} == {"区市场监督管理局"}
    # a forged request for another department's rows, with the same session
    forged = page.request.get(
        f"{base_url}/api/v1/records?code=reconsideration_applications&year=2024&department=ZRZYJ"
    )
    assert forged.status == 403
    assert "本部门" in forged.json()["error"]
    forged_download = page.request.get(base_url + href.replace("year=2024", "year=2024&department=ZRZYJ"))
    assert forged_download.status == 403
    assert page.problems == []


@pytest.mark.browser
def test_the_justice_bureau_opens_the_districts_disputes_from_its_page(page: Page, base_url):
    sign_in(page, base_url, "justice")
    page.wait_for_selector("#mine-responsible .mine-figures")
    page.locator('#mine-responsible tr[data-code="disputes_mediated"] .kpi-drill').click()
    page.wait_for_selector("#records-grid .ag-row")
    expect(page.locator("#records-summary")).not_to_contain_text("共 0 条")
    assert page.problems == []


@pytest.mark.browser
def test_a_township_head_sees_their_page_and_its_print_view(page: Page, base_url):
    sign_in(page, base_url, "qingshan")
    page.wait_for_selector("#mine-counted .mine-figures")
    page.wait_for_selector("#mine-standing .main-svg")
    href = page.locator("#mine-print").get_attribute("href")
    page.goto(base_url + href)
    expect(page.locator("h1")).to_contain_text("青山镇工作月报")
    assert page.problems == []


def test_operator_scope_is_not_a_unit(demo_engine):
    with demo_engine.connect() as conn, pytest.raises(PeriodError):
        mine_view(conn, OPERATOR, Period(2024))


def test_a_target_shows_year_to_date_progress_against_the_months_gone(app):
    from data import targets
    from data.store import begin_write

    engine = app.server.extensions["dashboard.engine"]
    with engine.connect() as conn:
        before = {f.code: f for f in mine_view(conn, QINGSHAN, Period(2024, "month", 6)).counted}
    ytd = before["disputes_resolved"].ytd
    assert (
        ytd > 0
        and before["disputes_resolved"].target is None
        and before["disputes_resolved"].progress is None
    )
    for goal, expected in ((ytd * 4, "behind"), (ytd * 1.5, "on_track"), (ytd, "met")):
        with begin_write(engine) as conn:
            targets.set_target(conn, "disputes_resolved", 2024, goal, "qingshan", "township")
        with engine.connect() as conn:
            got = {f.code: f for f in mine_view(conn, QINGSHAN, Period(2024, "month", 6)).counted}
        figure = got["disputes_resolved"]
        # half the year gone: a quarter of the target is behind, two thirds on track
        assert (figure.target, figure.progress) == (goal, expected)
        assert figure.progress_pct == round(ytd / goal * 100, 1)
    with begin_write(engine) as conn:
        targets.set_target(conn, "mediation_success_rate", 2024, 100, "qingshan", "township")
    with engine.connect() as conn:
        rate = {f.code: f for f in mine_view(conn, QINGSHAN, Period(2024, "month", 6)).counted}[
            "mediation_success_rate"
        ]
    assert rate.progress == ("met" if rate.ytd == 100 else "behind")
    text = json.dumps(
        view.figure_table([rate.__dict__ | {"peers": []}], "乡镇（街道）"),
        cls=plotly.utils.PlotlyJSONEncoder,
        ensure_ascii=False,
    )
    assert "目标 100%" in text


def test_a_count_of_zero_is_said_as_the_report_says_it():
    """降至零 rather than 下降100%, 均为零 rather than 持平; rates keep their points."""
    assert delta("同比", -100.0, None, "down", 0) == ("▼ 同比降至零", "good")
    assert delta("同比", -100.0, None, "up", 0) == ("▼ 同比降至零", "bad")
    assert delta("环比", 0.0, None, "down", 0) == ("环比均为零", "neutral")
    assert delta("同比", None, None, "down", 0) == ("同比 —", "neutral")
    assert delta("同比", -50.0, None, "down", 2) == ("▼ 同比下降50%", "good")
    assert delta("同比", None, -1.5, "up", 0) == ("▼ 同比降低1.5个百分点", "bad")

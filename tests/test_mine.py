"""One's own figures (/mine): the page's function on both engines, and a department head's day in Chromium."""

from __future__ import annotations

import csv
import io
import json

import plotly.utils
import pytest
from conftest import sign_in
from flask import Flask
from flask_caching import Cache
from playwright.sync_api import Page, expect

from callbacks.common import Context
from callbacks.mine import mine_page
from data.access import ANONYMOUS, Scope
from data.queries.figures import figures
from data.queries.filters import Filters
from data.queries.standing import standing
from data.registers import column_labels

MARKET = Scope(role="department", department="SCJGJ", department_name="区市场监督管理局")
QINGSHAN = Scope(role="township", township="qingshan")
STATE = {"year": 2024, "department": [], "township": []}


def page_text(engine, scope: Scope) -> tuple[str, str]:
    context = Context(
        engine=engine, cache=Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"}), scope=lambda: scope
    )
    title, sections = mine_page(context, STATE)
    return title, json.dumps(sections, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def test_a_department_head_sees_their_responsibilities_their_rows_and_their_rank(demo_engine):
    title, text = page_text(demo_engine, MARKET)
    assert title == "区市场监督管理局 · 本部门数据"
    assert "区市场监督管理局负责的指标（全区）" in text and '"data-code": "double_random_inspections"' in text
    with demo_engine.connect() as conn:
        (own,) = figures(
            conn, Filters(2024, departments=("SCJGJ",), scope=MARKET), codes=["reconsideration_applications"]
        )
        (ranked,) = standing(
            conn, ["reconsideration_applications"], Filters(2024, scope=MARKET), "department", "SCJGJ"
        )
    assert own.value > 0
    assert f"{ranked.rank} / {ranked.members}" in text
    # links into the area pages keep the department
    assert "/reconsideration?year=2024&department=SCJGJ" in text


def test_a_township_head_sees_their_townships_rows_and_no_department_duties(demo_engine):
    title, text = page_text(demo_engine, QINGSHAN)
    assert title == "青山镇 · 本乡镇数据"
    assert "负责的指标" not in text
    assert "青山镇的登记数字" in text and "各乡镇（街道）中的位置" in text
    assert "/mediation?year=2024&township=qingshan" in text


@pytest.mark.parametrize("scope", [ANONYMOUS, Scope(role="leader")])
def test_readers_tied_to_nothing_are_told_what_the_page_is_for(demo_engine, scope):
    title, text = page_text(demo_engine, scope)
    assert "请用部门或乡镇负责人的账号登录" in text
    assert ("领导和管理员" in text) == scope.everything


@pytest.mark.browser
def test_a_department_head_lands_on_their_figures_and_reads_and_downloads_only_their_rows(
    page: Page, base_url
):
    sign_in(page, base_url, "market")
    expect(page).to_have_url(f"{base_url}/mine")
    page.wait_for_selector("#mine-standing")
    expect(page.locator("#account-name")).to_have_text("market")
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

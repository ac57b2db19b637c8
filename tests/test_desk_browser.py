"""The desk in a real headless Chromium: every core area, filters in the URL, click to filter, records."""

from __future__ import annotations

import csv
import json
import urllib.request

import pytest
from conftest import sign_in
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def card_value(page: Page, code: str) -> str:
    return page.locator(f'.kpi-card[data-code="{code}"] .kpi-value').inner_text()


def api_values(base: str, query: str) -> dict:
    with urllib.request.urlopen(f"{base}/api/v1/values?{query}") as resp:
        return {v["code"]: v for v in json.load(resp)["values"]}


def shown(value) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def choose(page: Page, control: str, option: str) -> None:
    page.locator(f"#{control}").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/service", {"service_center_items": "1696", "complaints": "0", "overtime_cases": "0"}),
        (
            "/business",
            {
                "double_random_inspections": "239",
                "enterprises_visited": "11836",
                "enterprise_resolution_rate": "94.78",
            },
        ),
        ("/mediation", {"disputes_mediated": "2712", "mediation_success_rate": "99.74"}),
        (
            "/reconsideration",
            {
                "reconsideration_applications": "223",
                "reconsideration_accepted": "166",
                "agency_head_court_appearance_rate": "20",
            },
        ),
        (
            "/security",
            {
                "criminal_alerts": "937",
                "criminal_cases_solved": "634",
                "administrative_cases": "3511",
                "administrative_detentions": "1474",
            },
        ),
    ],
)
def test_each_core_area_shows_the_2024_report(page: Page, base_url, path, expected):
    page.goto(f"{base_url}{path}?year=2024")
    page.wait_for_selector(".kpi-card")
    for code, value in expected.items():
        assert card_value(page, code) == value, code
    page.wait_for_selector(".js-plotly-plot .bars, .js-plotly-plot .scatterlayer .trace")
    assert page.problems == []


def test_a_township_changes_mediation_to_the_apis_figures(page: Page, base_url):
    page.goto(f"{base_url}/mediation")
    page.wait_for_selector('.kpi-card[data-code="disputes_mediated"]')
    choose(page, "filter-township", "青山镇")
    page.wait_for_url("**township=qingshan**")
    expected = api_values(base_url, "year=2024&township=qingshan&area=mediation")
    page.wait_for_function(
        f"() => document.querySelector('.kpi-card[data-code=\"disputes_mediated\"] .kpi-value')?.innerText === '{shown(expected['disputes_mediated']['value'])}'"
    )
    assert card_value(page, "mediation_success_rate") == shown(expected["mediation_success_rate"]["value"])
    assert page.problems == []


def test_a_department_changes_reconsideration_and_a_link_restores_the_view(page: Page, base_url):
    page.goto(f"{base_url}/reconsideration?year=2024")
    page.wait_for_selector('.kpi-card[data-code="reconsideration_applications"]')
    choose(page, "filter-department", "区市场监督管理局")
    page.wait_for_url("**department=SCJGJ**")
    expected = api_values(base_url, "year=2024&department=SCJGJ&area=reconsideration")
    value = shown(expected["reconsideration_applications"]["value"])
    page.wait_for_function(
        f"() => document.querySelector('.kpi-card[data-code=\"reconsideration_applications\"] .kpi-value')?.innerText === '{value}'"
    )
    link = page.url
    other = page.context.new_page()
    other.goto(link)
    other.wait_for_selector('.kpi-card[data-code="reconsideration_applications"]')
    assert card_value(other, "reconsideration_applications") == value
    assert "区市场监督管理局" in other.locator("#filter-department").inner_text()
    other.close()
    assert page.problems == []


def test_a_bad_link_is_cleaned_with_a_notice(page: Page, base_url):
    page.goto(f"{base_url}/security?year=1888&township=qingshan,nowhere&sort=1")
    page.wait_for_selector('.kpi-card[data-code="criminal_alerts"]')
    notice = page.locator("#filter-notice").inner_text()
    assert "1888" in notice and "nowhere" in notice and "sort" in notice
    assert "township=qingshan" in page.url and "nowhere" not in page.url and "year=2024" in page.url
    page.goto(f"{base_url}/no-such-page")
    page.wait_for_selector("text=没有这个页面")
    assert page.problems == []


def test_clicking_a_bar_filters_and_back_undoes_it(page: Page, base_url):
    page.goto(f"{base_url}/security?year=2024")
    page.wait_for_selector("#security-breakdown .bars .point path")
    bars = page.locator("#security-breakdown .bars .point path")
    top = bars.nth(bars.count() - 1).bounding_box()  # the last path is the top, largest bar
    page.mouse.click(top["x"] + top["width"] / 2, top["y"] + top["height"] / 2)
    page.wait_for_url("**township=chengguan**")
    expected = api_values(base_url, "year=2024&township=chengguan&area=security")
    value = shown(expected["criminal_alerts"]["value"])
    page.wait_for_function(
        f"() => document.querySelector('.kpi-card[data-code=\"criminal_alerts\"] .kpi-value')?.innerText === '{value}'"
    )
    page.go_back()
    page.wait_for_function(
        "() => document.querySelector('.kpi-card[data-code=\"criminal_alerts\"] .kpi-value')?.innerText === '937'"
    )
    assert page.problems == []


def test_records_behind_a_card_match_its_count_and_download(page: Page, base_url, tmp_path):
    sign_in(page, base_url, "leader")
    page.goto(f"{base_url}/mediation?year=2024&township=baisha")
    page.wait_for_selector('.kpi-card[data-code="disputes_mediated"]')
    count = int(card_value(page, "disputes_mediated"))
    page.locator('.kpi-card[data-code="disputes_mediated"] .kpi-drill').click()
    page.wait_for_selector("#records-grid .ag-row")
    assert f"共 {count} 条" in page.locator("#records-summary").inner_text()
    # the grid draws its rows before it knows the total: wait for the total, then read the summary
    expect(page.locator(".ag-paging-row-summary-panel")).to_contain_text(str(count))
    assert page.locator(".ag-paging-row-summary-panel").inner_text().replace(" ", "").endswith(f"/{count}")
    with page.expect_download() as download:
        page.locator("#records-csv").click()
    with open(download.value.path(), encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:2] == ["序号", "受理日期"]
    assert len(rows) - 1 == count
    assert {r[rows[0].index("乡镇（街道）")] for r in rows[1:]} == {"白沙镇"}
    with page.expect_download() as download:
        page.locator("#records-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    download.value.save_as(tmp_path / "records.xlsx")
    sheet = load_workbook(tmp_path / "records.xlsx", read_only=True).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    # the workbook opens with a title line (the figure, the year, the place, the count), then the CSV's header
    assert "白沙镇" in table[0][0] and f"共 {count:,} 条" in table[0][0]
    assert table[1] == rows[0] and len(table) - 2 == count
    assert page.problems == []


def test_moving_between_pages_keeps_the_filters(page: Page, base_url):
    page.goto(f"{base_url}/mediation?year=2023&township=baisha,qingshan")
    page.wait_for_selector('.kpi-card[data-code="disputes_mediated"]')
    page.locator("#nav-reconsideration").click()
    page.wait_for_function(
        "() => location.href.endsWith('/reconsideration?year=2023&township=baisha,qingshan')"
    )
    expected = api_values(base_url, "year=2023&township=baisha,qingshan&area=reconsideration")
    value = shown(expected["reconsideration_applications"]["value"])
    page.wait_for_function(
        f"() => document.querySelector('.kpi-card[data-code=\"reconsideration_applications\"] .kpi-value')?.innerText === '{value}'"
    )
    assert "白沙镇" in page.locator("#filter-township").inner_text()
    assert page.locator("#nav-reconsideration").get_attribute("class") == "nav-link active"
    assert page.locator("#filter-notice").inner_text() == ""
    assert page.problems == []


def test_a_visitor_sees_public_figures_and_no_records(page: Page, base_url):
    page.goto(f"{base_url}/service?year=2024")
    page.wait_for_selector('.kpi-card[data-code="service_transactions"]')
    codes = page.locator(".kpi-card").evaluate_all("cards => cards.map(c => c.dataset.code)")
    assert "service_good_rating_rate" in codes
    assert page.locator(".kpi-drill").count() == 0
    # (a figure the district made internal: tests/test_admin_catalog_browser.py)
    expect(page.locator("#account-login")).to_have_text("登录")
    assert page.problems == []

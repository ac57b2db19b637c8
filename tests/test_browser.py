"""The served app in a real headless Chromium, on the demo store."""

from __future__ import annotations

import pytest
from conftest import pick
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def card_text(page: Page, code: str) -> str:
    return page.locator(f'.kpi-card[data-code="{code}"]').inner_text()


def test_the_overview_shows_the_2024_report(page: Page, base_url):
    page.goto(base_url + "/")
    page.wait_for_selector('.kpi-card[data-code="disputes_mediated"]')
    assert page.title() == "法治政府建设数据驾驶舱"
    assert page.locator(".demo-badge").inner_text() == "示例数据"
    expected = {
        "disputes_mediated": "2712",
        "mediation_success_rate": "99.74",
        "criminal_alerts": "937",
        "hotline_requests": "7.26",
        "service_center_items": "1696",
        "enterprise_resolution_rate": "94.78",
        "reconsideration_applications": "223",
    }
    for code, value in expected.items():
        assert value in card_text(page, code), code
    assert "同比下降18.7%" in card_text(page, "criminal_alerts")
    assert "同比提高0.06个百分点" in card_text(page, "hotline_satisfaction_rate")
    assert page.locator(".kpi-card").count() >= 30
    assert page.problems == []


def test_choosing_another_year_updates_the_figures(page: Page, base_url):
    page.goto(base_url + "/")
    page.wait_for_selector('.kpi-card[data-code="criminal_alerts"]')
    page.locator("#filter-year").click()
    pick(page, "2023年")
    page.wait_for_function(
        "() => document.querySelector('.kpi-card[data-code=\"criminal_alerts\"]').innerText.includes('1153')"
    )
    assert "2603" in card_text(page, "disputes_mediated")
    assert page.problems == []

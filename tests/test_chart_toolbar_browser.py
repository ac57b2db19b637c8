"""The desk's chart tool bar in a real headless Chromium (issue 19): no "Share chart..." (an English button whose
dialog uploads the chart to a cloud service) on any chart of any page, every title in Chinese, the PNG kept."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from layouts.areas import AREA_PAGES

pytestmark = pytest.mark.browser

CHARTED = [p.path for p in AREA_PAGES if p.trend or p.split or p.extras]
BUTTONS = """() => [...document.querySelectorAll('.modebar-btn')].map(b => [b.getAttribute('data-title'),
  b.getAttribute('data-attr') || '', b.getAttribute('href') || '', b.innerHTML.includes('cloud')])"""


def test_every_desk_chart_offers_chinese_tools_and_nothing_that_uploads(page: Page, base_url):
    assert len(CHARTED) >= 4
    for path in CHARTED:
        page.goto(base_url + path)
        expect(page.locator(".js-plotly-plot .modebar-btn").first).to_be_attached()
        # the page's panels arrive one callback after another: count the charts once they all have
        page.wait_for_load_state("networkidle")
        charts = page.locator(".js-plotly-plot").count()
        buttons = page.evaluate(BUTTONS)
        titles = {title for title, *_ in buttons}
        assert "Share chart..." not in titles, path
        assert not any(cloud or "plotly" in href for *_, href, cloud in buttons), path
        assert (
            page.locator('[data-title*="Share"], [data-title*="Chart Studio"], a[href*="plot.ly"]').count()
            == 0
        )
        # every title in Chinese (the vendored zh-CN locale applied), and the PNG download on every chart
        assert all(re.search(r"[\u4e00-\u9fff]", t) for t in titles), (path, titles)
        expect(page.locator('.modebar-btn[data-title="下载图表为PNG格式"]')).to_have_count(charts)
    assert page.problems == []

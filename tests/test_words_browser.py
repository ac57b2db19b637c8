"""The words beside a figure and a department's deck, as the presenter shows them in Chromium (issue 21): the
claim 办事效率提升60% as a number with 一项主张而非统计 and no 同比, the half-year rate with 上半年，全市排名第一,
区司法局's own deck with its figures marked as the district's it answers for. Pictures kept in docs/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

SHOTS = Path(__file__).resolve().parent.parent / "docs"


def _slide(page, base_url: str, query: str, title: str):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{base_url}/present/annual?{query}")
    expect(page.locator("#number")).to_contain_text("1 / ")
    for _ in range(20):
        if page.locator(".slide.active .slide-title, .slide.active h1").first.inner_text().strip() == title:
            return page.locator(".slide.active")
        page.keyboard.press("ArrowRight")
    raise AssertionError(f"no slide {title}")


@pytest.mark.browser
def test_a_claim_is_a_number_with_its_words_and_no_change(page, base_url):
    slide = _slide(page, base_url, "year=2024", "政务服务")
    claim = slide.locator('[data-code="efficiency_gain_pct"]')
    expect(claim.locator(".fig-beside")).to_have_text("一项主张而非统计")
    expect(claim.locator(".fig-change")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "present-claim.png"))
    assert not page.problems, page.problems


@pytest.mark.browser
def test_the_department_deck_marks_what_it_answers_for(page, base_url):
    slide = _slide(page, base_url, "year=2024&department=SFJ", "行政复议（续）")
    rate = slide.locator('[data-code="agency_head_court_appearance_rate"]')
    expect(rate.locator(".fig-beside")).to_have_text("上半年，全市排名第一")
    expect(rate.locator(".fig-note")).to_have_text("全区数（本部门负责）")
    page.screenshot(path=str(SHOTS / "deck-department-sfj.png"))
    assert not page.problems, page.problems


@pytest.mark.browser
def test_the_desk_cards_carry_the_words_beside_their_figures(page, base_url):
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(f"{base_url}/reconsideration?year=2024")
    card = page.locator('.kpi-card[data-code="agency_head_court_appearance_rate"]')
    expect(card.locator(".kpi-note")).to_have_text("上半年，全市排名第一")
    page.goto(f"{base_url}/service?year=2024")
    claim = page.locator('.kpi-card[data-code="efficiency_gain_pct"]')
    expect(claim.locator(".kpi-note")).to_have_text("一项主张而非统计")
    expect(claim.locator(".kpi-status")).to_have_text("不作同比")
    claim.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "desk-claim.png"))
    assert not page.problems, page.problems

"""Phones in a real headless Chromium (issue 19): a wall or deck link opened from a chat app fits a 390-px phone
in portrait and landscape (no sideways scrolling, the whole canvas on screen), and the desk's header stays one
line with no short label broken inside."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import sign_in
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
PORTRAIT, LANDSCAPE = (390, 844), (844, 390)


def _phone(browser, size: tuple[int, int]) -> Page:
    """A phone's browser: a touch screen whose page may widen its layout viewport to fit what is too wide."""
    context = browser.new_context(
        viewport={"width": size[0], "height": size[1]},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=3,
        locale="zh-CN",
    )
    return context.new_page()


def _fits(page: Page, selector: str, size: tuple[int, int]) -> dict:
    width, height = size
    # the page is exactly the phone's width: nothing scrolls sideways, and the page was not widened
    assert page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]") == [width, width]
    box = page.locator(selector).bounding_box()
    assert box["x"] >= -0.5 and box["y"] >= -0.5, box
    assert box["x"] + box["width"] <= width + 0.5 and box["y"] + box["height"] <= height + 0.5, box
    # the canvas is as large as the phone allows: it touches two opposite edges
    assert box["width"] == pytest.approx(width, abs=1) or box["height"] == pytest.approx(height, abs=1), box
    return box


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_a_wall_link_fits_a_phone(browser, base_url, size):
    page = _phone(browser, size)
    try:
        page.goto(base_url + "/screen?year=2024")
        expect(page.locator(".screen.active .figure-number").first).not_to_have_text("")
        box = _fits(page, "#canvas", size)
        # a phone takes the plain 16:9 wall, whichever way it is held
        assert page.locator("#canvas").get_attribute("data-layout") == "standard"
        assert box["width"] / box["height"] == pytest.approx(16 / 9, rel=0.01)
        # nothing of the wall's own lies over the figures (the full-screen button is for a TV box's mouse)
        expect(page.locator("#fullscreen")).to_be_hidden()
        name = "portrait" if size == PORTRAIT else "landscape"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"screen-phone-{name}.png"))
    finally:
        page.context.close()


@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_a_deck_link_fits_a_phone(browser, base_url, size):
    page = _phone(browser, size)
    try:
        page.goto(base_url + "/present/annual?year=2024#9")
        expect(page.locator("#number")).to_have_text("9 / 12")
        _fits(page, "#stage", size)
        # the slide's own content is inside the window, not moved off it
        figure = page.locator('.slide.active [data-code="disputes_mediated"]').bounding_box()
        assert figure["x"] >= 0 and figure["x"] + figure["width"] <= size[0]
        assert figure["y"] >= 0 and figure["y"] + figure["height"] <= size[1]
        name = "portrait" if size == PORTRAIT else "landscape"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"present-phone-{name}.png"))
    finally:
        page.context.close()


# Each short label of the header on one line; and a unit such as 个百分点 never split across two lines.
LINES = """(selector) => {
  const out = [];
  for (const e of document.querySelectorAll(selector)) {
    for (const n of e.childNodes) {
      if (n.nodeType !== 3 || !n.textContent.trim() || !e.getClientRects().length) continue;
      const r = document.createRange();
      r.selectNodeContents(n);
      const size = parseFloat(getComputedStyle(e).fontSize);
      const tops = [...r.getClientRects()].filter(x => x.width > 0).map(x => x.top).sort((a, b) => a - b);
      const lines = tops.filter((t, i) => i === 0 || t - tops[i - 1] > size / 2).length;
      out.push([n.textContent.trim().slice(0, 20), lines]);
    }
  }
  return out;
}"""
UNIT_SPLIT = """(word) => {
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const at = n.textContent.indexOf(word);
    if (at < 0 || !n.parentElement.getClientRects().length) continue;
    const r = document.createRange();
    r.setStart(n, at); r.setEnd(n, at + word.length);
    const size = parseFloat(getComputedStyle(n.parentElement).fontSize);
    const tops = [...r.getClientRects()].filter(x => x.width > 0).map(x => x.top).sort((a, b) => a - b);
    if (tops.some((t, i) => i > 0 && t - tops[i - 1] > size / 2)) out.push(n.textContent);
  }
  return out;
}"""


def _one_line_header(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") == PORTRAIT[0]
    header = page.locator(".app-header").bounding_box()
    # one line: the height of one row of the header's type plus its padding, far from the first screen
    assert header["height"] <= 64, header
    broken = [(text, lines) for text, lines in page.evaluate(LINES, ".app-header *") if lines > 1]
    assert broken == [], broken


def test_the_desk_header_stays_one_line_on_a_phone(browser, base_url):
    page = _phone(browser, PORTRAIT)
    try:
        page.goto(base_url + "/")
        page.wait_for_selector('.kpi-card[data-code="hotline_satisfaction_rate"]')
        _one_line_header(page)
        assert page.get_by_role("link", name="登录").is_visible()
        assert page.evaluate(UNIT_SPLIT, "个百分点") == []

        sign_in(page, base_url, "leader", "/")
        page.wait_for_selector('.kpi-card[data-code="hotline_satisfaction_rate"]')
        _one_line_header(page)
        assert page.evaluate(UNIT_SPLIT, "个百分点") == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "desk-phone.png"))
        # what no longer fits is behind one button, not gone
        links = page.locator("#account-links")
        expect(links.get_by_role("link", name="汇报")).to_be_hidden()
        page.get_by_role("button", name="菜单").click()
        expect(links.get_by_role("link", name="汇报")).to_be_visible()
        expect(links.get_by_role("button", name="退出")).to_be_visible()
        expect(page.get_by_role("button", name="菜单")).to_have_attribute("aria-expanded", "true")
        _one_line_header(page)  # the list opens below the header, which does not grow
        page.screenshot(path=str(SHOTS / "desk-phone-menu.png"))
        page.locator("h2, .page-title").first.click()
        expect(links.get_by_role("link", name="汇报")).to_be_hidden()
    finally:
        page.context.close()


def test_a_charts_legend_and_toolbar_keep_clear_of_its_title_on_a_phone(browser, base_url):
    page = _phone(browser, PORTRAIT)
    try:
        page.goto(base_url + "/security?year=2024")
        legend = page.locator(".js-plotly-plot .legend").first
        expect(legend).to_be_attached()
        title = legend.locator("xpath=ancestor::*[contains(@class,'js-plotly-plot')]").locator(".gtitle")
        below, above = legend.bounding_box(), title.bounding_box()
        # the legend has a line of its own under the title (beside it, it ran over 接报刑事警情：逐月对比)
        assert below["y"] >= above["y"] + above["height"] - 1, (below, above)
        # and no toolbar over a long title's end (接报刑事警情：按乡镇（街道）（点击条形可筛选）)
        expect(page.locator(".js-plotly-plot .modebar-container").first).to_be_hidden()
    finally:
        page.context.close()

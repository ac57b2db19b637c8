"""The warnings in a real headless Chromium: the wall's 预警 screen as a leader's wall draws it (red and amber lines,
red first, nothing cut off, no scrollbar) and the admin's rules page; both photographed into docs/."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from conftest import sign_in
from playwright.sync_api import expect

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_warning_screen_and_the_rules_page_in_a_browser(browser, base_url):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        sign_in(page, base_url, "leader", quote("/screen?screens=alerts&year=2025&every=3600"))
        rows = page.locator(".screen.active .alert-row")
        expect(rows.first).to_be_visible(timeout=15000)
        assert rows.count() > 5
        colours = rows.evaluate_all("rs => rs.map(r => r.classList.contains('red') ? 'red' : 'amber')")
        assert colours == sorted(colours, key=["red", "amber"].index) and "red" in colours
        red = rows.first.evaluate("r => getComputedStyle(r).borderLeftColor")
        assert red == "rgb(239, 68, 68)"
        assert "红色" in page.locator(".screen.active .panel-alerts .panel-note").inner_text()
        overflow = page.evaluate("document.documentElement.scrollHeight - innerHeight")
        assert overflow <= 0
        page.wait_for_timeout(1500)  # the counters of the headline figures finish
        page.screenshot(path=str(DOCS / "screen-alerts.png"))
        context.clear_cookies()
        sign_in(page, base_url, "admin", "/admin/alerts")
        expect(page.locator("tr[data-rule]")).to_have_count(7)
        page.set_viewport_size({"width": 1400, "height": 900})
        page.screenshot(path=str(DOCS / "admin-alerts.png"), full_page=True)
        assert not problems, problems
    finally:
        context.close()

"""Labels that nothing can hover over are never cut: on the wall and on a slide (projected or printed) a figure's
name too long for its box wraps, at the wall's and the slide's smallest type, and never ends in "…" (周末亲清行联系帮扶企业和… read as a different
figure); a department's wall keeps every block whole with its 全区数 marks (docs/screen-department.png). In headless
Chromium, on the demo."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

DOCS = Path(__file__).resolve().parent.parent / "docs"

LONG = "周末亲清行联系帮扶企业和个体工商户"

# Each label: its text, whether an ellipsis is set, whether its text runs past its right edge (a glyph's ink may
# pass a line's height: that is not a cut) or the label past its container's sides.
MEASURE = """(sel) => Array.from(document.querySelectorAll(sel)).map(e => {
  const box = e.getBoundingClientRect(), outer = e.parentElement.getBoundingClientRect();
  const style = getComputedStyle(e);
  return {text: e.textContent, ellipsis: style.textOverflow === 'ellipsis',
          clipped: e.scrollWidth > e.clientWidth + 1,
          outside: box.right > outer.right + 1 || box.left < outer.left - 1,
          size: parseFloat(style.fontSize)};
})"""


def _uncut(page: Page, selector: str) -> list[dict]:
    labels = page.evaluate(MEASURE, selector)
    assert labels, selector
    for label in labels:
        assert not label["ellipsis"] and not label["clipped"] and not label["outside"], label
        assert "…" not in label["text"], label
    return labels


def test_the_walls_names_wrap_rather_than_cut_on_a_departments_wall(page: Page, base_url: str):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(base_url + "/screen?screens=overview,service&every=300&year=2024&department=SFJ")
    expect(page.locator(".screen.active .figure-number").first).not_to_have_text("")
    names = _uncut(page, ".screen.active .figure-name")
    assert next(n for n in names if n["text"] == LONG)["size"] >= 20
    # every block holds its figures with their marks: nothing runs past its bottom edge
    overflow = page.evaluate(
        """() => Array.from(document.querySelectorAll('.screen.active .area')).filter(a => {
             const bottom = a.getBoundingClientRect().bottom;
             return Array.from(a.querySelectorAll('*')).some(c => c.getBoundingClientRect().bottom > bottom + 1);
           }).map(a => a.dataset.area)"""
    )
    assert overflow == []
    assert page.locator(".screen.active .figure-note").count() > 10
    expect(page.locator("#legend")).to_have_text("标“全区数”的指标不分部门，显示的是全区的数")
    # as a wall shows it: the 全屏 button leaves once the pointer rests
    expect(page.locator("#fullscreen")).to_be_hidden(timeout=6000)
    page.screenshot(path=str(DOCS / "screen-department.png"))
    page.keyboard.press("ArrowRight")
    expect(page.locator('.screen.active[data-screen="service"] .rank-name').first).not_to_have_text("")
    _uncut(page, ".screen.active .rank-name")
    assert page.problems == []


def test_a_slides_names_wrap_rather_than_cut(page: Page, base_url: str):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(base_url + "/present/annual?year=2024")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#number")).to_have_text("2 / 12")
    names = _uncut(page, ".slide.active .fig-name")
    assert any(n["text"] == LONG for n in names)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#number")).to_have_text("4 / 12")
    assert any(n["text"] == LONG for n in _uncut(page, ".slide.active .fig-name"))
    assert page.problems == []

"""The presenter in a real headless Chromium (issue 10): a deck driven with the keys a presentation clicker
sends, nothing on any slide below 24 px, and the notes window kept in step with the slides both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

SMALLEST = """() => {
  let smallest = [1000, ''];
  for (const e of document.querySelectorAll('.slide.active *, .slide-number')) {
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !e.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(e).fontSize);
    if (size < smallest[0]) smallest = [size, e.textContent.trim().slice(0, 30)];
  }
  return smallest;
}"""


@pytest.mark.browser
def test_a_deck_answers_a_clickers_keys_and_keeps_its_type_large(page, base_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(base_url + "/present/annual?year=2024")
    number = page.locator("#number")
    expect(number).to_have_text("1 / 12")
    sizes = []
    for expected in range(2, 13):
        page.keyboard.press("ArrowRight")
        expect(number).to_have_text(f"{expected} / 12")
        sizes.append(page.evaluate(SMALLEST))
    assert min(s[0] for s in sizes) >= 24, sizes
    page.keyboard.press("ArrowRight")  # past the end: stays on the last
    expect(number).to_have_text("12 / 12")
    for key, shown in [
        ("Home", "1"),
        ("PageDown", "2"),
        (" ", "3"),
        ("PageUp", "2"),
        ("End", "12"),
        ("ArrowLeft", "11"),
    ]:
        page.keyboard.press(key)
        expect(number).to_have_text(f"{shown} / 12")
    page.keyboard.type("9")
    page.keyboard.press("Enter")
    expect(number).to_have_text("9 / 12")
    assert page.url.endswith("#9")
    page.keyboard.type("99")
    page.keyboard.press("Enter")
    expect(page.locator("#jump")).to_have_text("没有第 99 页（共 12 页）")
    expect(number).to_have_text("9 / 12")
    page.keyboard.press("b")
    expect(page.locator("#black")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#black")).to_be_hidden()
    page.keyboard.press("f")
    page.wait_for_function("!!document.fullscreenElement")
    page.keyboard.press("f")
    page.wait_for_function("!document.fullscreenElement")
    # the slide with the mediation figures shows the report's numbers
    expect(page.locator('.slide.active [data-code="disputes_mediated"] .fig-value')).to_contain_text("2712")
    scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert scroll == [1920, 1080]
    assert page.problems == []


@pytest.mark.browser
def test_the_notes_window_follows_the_slides_and_turns_them(page, base_url):
    page.goto(base_url + "/present/annual?year=2024#3")
    expect(page.locator("#number")).to_have_text("3 / 12")
    notes = page.context.new_page()
    notes.goto(base_url + "/present/annual/notes?year=2024")
    expect(notes.locator("#notes-number")).to_have_text("第 3 / 12 页")
    page.keyboard.press("ArrowRight")
    expect(notes.locator("#notes-number")).to_have_text("第 4 / 12 页")
    notes.keyboard.press("End")  # as in the slide window: the last slide, then the first
    expect(page.locator("#number")).to_have_text("12 / 12")
    notes.keyboard.press("Home")
    expect(page.locator("#number")).to_have_text("1 / 12")
    for _ in range(8):
        notes.keyboard.press("ArrowRight")
    expect(page.locator("#number")).to_have_text("9 / 12")
    expect(notes.locator("#notes-title")).to_have_text("矛盾纠纷")
    expect(notes.locator("#notes-text")).to_contain_text("共调处各类纠纷2712件，同比上升4.2%")
    expect(notes.locator("#notes-next")).to_have_text("行政复议")
    # this slide's charts as pictures: a click downloads the PNG the server prints
    links = notes.locator("#notes-charts a")
    expect(links).to_have_text(["逐月对比图（PNG）", "分类构成图（PNG）"])
    with notes.expect_download() as got:
        links.first.click()
    assert got.value.suggested_filename == "示例区2024年法治政府建设工作汇报-第9页-逐月对比图.png"
    assert Path(got.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    notes.keyboard.press("ArrowLeft")
    expect(notes.locator("#notes-charts")).to_be_visible()
    for _ in range(8):
        notes.keyboard.press("ArrowLeft")
    expect(notes.locator("#notes-charts")).to_be_hidden()  # the title slide has no chart
    assert page.problems == []

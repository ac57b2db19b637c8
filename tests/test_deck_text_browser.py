"""The text slides' editor and a text slide in a real headless Chromium (issue 21), over a private copy of the
demo store (the editor writes to it): a leader writes 存在的问题 on the list page, sees it saved, presents it, and
the screenshots in docs/ are taken from what the test drove."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import sign_in
from import_support import copy_store
from playwright.sync_api import expect
from werkzeug.serving import make_server

from dashboard import create_app

DOCS = Path(__file__).resolve().parent.parent / "docs"
PROBLEMS = [
    "少数领导运用法治思维和法治方式解决问题的能力还有所欠缺，重点领域执法问题仍较突出。",
    "普法质效还需提升：部分党员干部对普法工作认识不到位，普法针对性不强。",
    "法治政府建设特色亮点还不多，缺乏在全国、全省有影响力的工作经验。",
]


@pytest.fixture(scope="module")
def own_url(demo_urls, tmp_path_factory, pg_databases) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("decktext")
    url = copy_store(demo_urls["sqlite"], folder, pg_databases)
    app = create_app({"database_url": url, "instance_path": folder})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.server.extensions["dashboard.engine"].dispose()


@pytest.mark.browser
def test_a_leader_writes_a_text_slide_on_the_list_page_and_presents_it(browser, own_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, own_url, "leader", "/present")
    editor = page.locator("#deck-texts-annual")
    expect(editor.locator("h4")).to_have_text(["工作亮点", "存在的问题", "下一步工作安排"])
    form = editor.locator("form.present-text").nth(1)
    form.locator("textarea").fill("\n".join(PROBLEMS))
    form.get_by_role("button", name="保存").click()
    expect(page.locator("#deck-texts-annual [role=status]")).to_have_text("已保存“存在的问题”")
    assert page.url.endswith("#deck-texts-annual")
    saved = page.locator("#deck-texts-annual form.present-text").nth(1)
    expect(saved.locator("textarea")).to_have_value("\n".join(PROBLEMS))
    expect(saved).to_contain_text("最后修改：leader")
    # a line too long: the reason, and the text as typed
    fresh = page.locator("#deck-texts-annual form.present-text").last
    fresh.locator("input[name=slide]").fill("附：名词解释")
    fresh.locator("textarea").fill("长" * 151)
    fresh.get_by_role("button", name="保存").click()
    expect(page.locator("#deck-texts-annual [role=alert]")).to_contain_text("一行最多 150 个字")
    expect(page.locator("#deck-texts-annual form.present-text").last.locator("textarea")).to_have_value(
        "长" * 151
    )
    page.goto(own_url + "/present?year=2024#deck-texts-annual")
    page.locator("#deck-texts-annual").screenshot(path=str(DOCS / "present-text-editor.png"))

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(own_url + "/present/annual?year=2024")
    expect(page.locator("#number")).to_have_text("1 / 13")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    slide = page.locator(".slide.active")
    expect(slide.locator(".slide-title")).to_have_text("存在的问题")
    expect(slide.locator(".slide-text li")).to_have_text(PROBLEMS)
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.slide.active .slide-text')).fontSize)"
    )
    assert 24 <= size <= 40
    page.screenshot(path=str(DOCS / "present-text-slide.png"))
    assert problems == []
    context.close()


THUMB_TITLES = """() => ['notes-current', 'notes-upcoming'].map(id => {
  const t = document.querySelector('#' + id + ' .slide-title, #' + id + ' .slide-cover h1, #' + id + ' .thumb-end');
  return t ? t.textContent : null;
})"""


@pytest.mark.browser
def test_the_presenter_view_shows_this_and_the_next_slide_the_time_and_turns_with_home_and_end(
    browser, own_url
):
    context = browser.new_context(viewport={"width": 1600, "height": 900}, locale="zh-CN")
    slides, notes = context.new_page(), context.new_page()
    problems = []
    for pg in (slides, notes):
        pg.on("pageerror", lambda e: problems.append(str(e)))
    slides.goto(own_url + "/present/annual?year=2024#9")
    total = int(slides.locator("#number").inner_text().split("/")[1])
    notes.goto(own_url + "/present/annual/notes?year=2024")
    expect(notes.locator("#notes-number")).to_have_text(f"第 9 / {total} 页")
    assert notes.evaluate(THUMB_TITLES) == ["矛盾纠纷", "行政复议"]
    # the thumbnails are the slides scaled down whole: 16:9, their charts drawn
    box = notes.locator("#notes-current").bounding_box()
    assert abs(box["width"] / box["height"] - 16 / 9) < 0.02
    expect(notes.locator("#notes-current .slide-chart .main-svg").first).to_be_visible()
    notes.keyboard.press("End")
    expect(slides.locator("#number")).to_have_text(f"{total} / {total}")
    assert notes.evaluate(THUMB_TITLES) == ["汇报完毕，谢谢！", "（已是最后一页）"]
    notes.keyboard.press("Home")
    expect(slides.locator("#number")).to_have_text(f"1 / {total}")
    slides.keyboard.press("ArrowRight")
    expect(notes.locator("#notes-number")).to_have_text(f"第 2 / {total} 页")
    assert notes.evaluate(THUMB_TITLES) == ["总览", "政务服务"]
    # the time used counts up; the countdown starts from the chosen length and says when it is over
    expect(notes.locator("#notes-length")).to_have_value("20")
    expect(notes.locator("#notes-left")).to_have_text(re.compile(r"^19:[0-5]\d$"))
    expect(notes.locator("#notes-elapsed")).to_have_text(re.compile(r"^00:0[1-9]$"))
    notes.locator("#notes-length").fill("45")
    expect(notes.locator("#notes-left")).to_have_text(re.compile(r"^44:[0-5]\d$"))
    notes.locator("#notes-length").press("End")  # typing the length turns no slide
    expect(slides.locator("#number")).to_have_text(f"2 / {total}")
    notes.locator("#notes-length").fill("0")
    expect(notes.locator("#notes-left")).to_have_text(re.compile(r"^超时 00:\d\d$"))
    assert "over" in notes.locator("#notes-left").get_attribute("class")
    notes.locator("#notes-length").fill("30")
    notes.get_by_role("button", name="重新计时").click()
    expect(notes.locator("#notes-elapsed")).to_have_text(re.compile(r"^00:0[01]$"))
    expect(notes.locator("#notes-left")).to_have_text(re.compile(r"^(30:00|29:59)$"))
    slides.keyboard.press("9")
    slides.keyboard.press("Enter")
    expect(notes.locator("#notes-number")).to_have_text(f"第 9 / {total} 页")
    notes.wait_for_function("document.querySelectorAll('#notes-current .main-svg').length >= 2")
    notes.screenshot(path=str(DOCS / "present-presenter-view.png"))
    assert problems == []
    context.close()


@pytest.mark.browser
def test_the_slide_order_page_hides_and_moves_slides_for_the_slide_window(browser, own_url):
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, own_url, "leader", "/present")
    page.get_by_role("link", name="调整页序（隐藏、排序）").click()
    page.get_by_label("矛盾纠纷的顺序").fill("2")
    page.get_by_label("放映平安建设").uncheck()
    page.get_by_role("button", name="保存页序").click()
    expect(page.get_by_role("status")).to_have_text("已保存页序")
    expect(page.get_by_label("放映平安建设")).not_to_be_checked()
    page.screenshot(path=str(DOCS / "present-edit.png"), full_page=True)
    page.goto(own_url + "/present/annual?year=2024#3")
    expect(page.locator(".slide.active .slide-title")).to_have_text("矛盾纠纷")
    titles = page.eval_on_selector_all(".slide .slide-title", "els => els.map(e => e.textContent)")
    assert "平安建设" not in titles
    # put it back for the other tests on this store
    page.goto(own_url + "/present/annual/edit")
    page.get_by_label("放映平安建设").check()
    page.get_by_role("button", name="保存页序").click()
    expect(page.get_by_role("status")).to_have_text("已保存页序")
    context.close()

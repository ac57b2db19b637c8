"""The import's acceptance path in a real headless Chromium, on a store of its own (it publishes and rolls back):
a clerk downloads a template, uploads a workbook with errors, reads them on the batch's page and in the annotated
copy, uploads the corrected workbook and sees what it changes; a leader publishes it, sees the figure on the
desk, rolls it back on the data page and sees the old figure again."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import PASSWORD, PEOPLE, new_store_url, sign_in
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from dashboard import create_app
from data import accounts, demo
from data.engine import open_engine
from data.store import migrate

SHOTS = Path("/tmp/shots")
SHEET = "矛盾纠纷调处登记"
HEAD = ["登记编号", "受理日期", "承办单位", "乡镇（街道）", "调处层级", "纠纷类型", "调处成功", "结案日期"]
CODE = "disputes_mediated"
# The publish and the reload that follows it take a few seconds on a small store.
SLOW = 30_000


@pytest.fixture(scope="module")
def served(tmp_path_factory, pg_databases) -> Iterator[str]:
    url = new_store_url("sqlite", tmp_path_factory.mktemp("data-browser"), pg_databases)
    engine = open_engine(url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        demo.generate(conn, scale=0.02)
        for name, (role, tie) in PEOPLE.items():
            accounts.add_user(conn, name, PASSWORD, role, **tie)
    engine.dispose()
    app = create_app({"database_url": url, "instance_path": tmp_path_factory.mktemp("instance")})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()


def workbook(path: Path, *, bad: bool) -> Path:
    """Three disputes the market regulator handled in March 2024; ``bad``: 青山 without its 镇 and 可能 for a
    yes/no in the first row."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEAD)
    ws.append(
        ["SC-2024-0001", date(2024, 3, 5), "区市场监督管理局", "青山镇", "乡镇", "邻里纠纷", "是", None]
    )
    ws.append(
        ["SC-2024-0002", date(2024, 3, 6), "区市场监督管理局", "白沙镇", "村居", "合同纠纷", "否", None]
    )
    ws.append(["SC-2024-0003", "2024-03-07", "区市场监督管理局", "", "区", "其他", "是", date(2024, 3, 9)])
    if bad:
        ws["D2"] = "青山"
        ws["G2"] = "可能"
    wb.save(path)
    return path


def card_value(page: Page, code: str) -> str:
    return page.locator(f'.kpi-card[data-code="{code}"] .kpi-value').inner_text()


def desk_shows(page: Page, base: str, value: str) -> None:
    page.goto(f"{base}/mediation?year=2024")
    expect(page.locator(f'.kpi-card[data-code="{CODE}"] .kpi-value')).to_have_text(value, timeout=SLOW)


def upload(page: Page, path: Path) -> None:
    page.locator("form.data-upload input[name=file]").set_input_files(path)
    expect(page.locator(".data-drop-text")).to_have_text(f"已选择：{path.name}")
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url("**/data/batch/*")
    # the page follows the check and reloads when it is done
    expect(page.locator(".data-summary")).to_have_attribute("data-running", "0", timeout=SLOW)


@pytest.mark.browser
def test_a_clerk_fixes_an_upload_a_leader_publishes_it_and_rolls_it_back(browser, served, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    page.on("request", lambda r: r.url.startswith((served, "data:")) or problems.append(f"external: {r.url}"))
    try:
        # the desk's figure before anything is imported
        page.goto(f"{served}/mediation?year=2024")
        page.wait_for_selector(f'.kpi-card[data-code="{CODE}"]')
        before = card_value(page, CODE)

        # 1. the clerk opens the data page and downloads a template
        sign_in(page, served, "clerk", "/data")
        assert page.url.endswith("/data")
        expect(page.locator("h2.admin-title")).to_have_text("数据管理")
        page.screenshot(path=str(SHOTS / "data.png"), full_page=True)
        with page.expect_download() as got:
            page.get_by_role("link", name="矛盾纠纷调处登记").click()
        template = got.value
        assert template.suggested_filename == "矛盾纠纷调处登记-导入模板.xlsx"
        saved = tmp_path / template.suggested_filename
        template.save_as(saved)
        blank = load_workbook(saved)
        assert blank.active.title == SHEET and [c.value for c in blank.active[1]] == HEAD

        # 2. a workbook with errors: the batch's page lists them, the annotated copy marks them
        upload(page, workbook(tmp_path / "三月调处.xlsx", bad=True))
        expect(page.locator(".data-status")).to_have_text("有错误")
        errors = page.locator("table.data-errors tbody tr")
        expect(errors).to_have_count(2)
        assert "“青山”不在乡镇列表中，是否为“青山镇”？" in errors.nth(0).inner_text()
        assert "“可能”应为“是”或“否”" in errors.nth(1).inner_text()
        page.screenshot(path=str(SHOTS / "batch-errors.png"), full_page=True)
        with page.expect_download() as got:
            page.get_by_role("link", name="下载标注了错误的文件").click()
        annotated = got.value
        assert annotated.suggested_filename == "三月调处-错误标注.xlsx"
        marked_path = tmp_path / annotated.suggested_filename
        annotated.save_as(marked_path)
        ws = load_workbook(marked_path)[SHEET]
        marked = {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment}
        assert marked == {"D2": "“青山”不在乡镇列表中，是否为“青山镇”？", "G2": "“可能”应为“是”或“否”"}

        # 3. the corrected workbook is staged, with what it changes
        page.get_by_role("link", name="← 返回数据管理").click()
        page.wait_for_url("**/data")
        upload(page, workbook(tmp_path / "三月调处.xlsx", bad=False))
        expect(page.locator(".data-status")).to_have_text("待审核")
        batch_url = page.url
        expect(page.locator(".data-rows")).to_contain_text("新增 3")
        row = page.locator("table.data-figures tr.data-district", has_text="各级调委会和矛调中心调处纠纷")
        cells = row.locator("td.num")
        old, new = cells.nth(0).inner_text(), cells.nth(1).inner_text()
        assert old == f"{before}件" and new == f"{int(before) + 3}件" and cells.nth(2).inner_text() == "+3件"
        assert page.get_by_role("button", name="发布").count() == 0, "a clerk does not publish"
        page.screenshot(path=str(SHOTS / "batch.png"), full_page=True)
        page.goto(f"{served}/data")
        expect(page.locator("table.data-batches tbody tr")).to_have_count(2)
        page.screenshot(path=str(SHOTS / "data-batches.png"), full_page=True)

        # 4. the clerk signs out (from the desk), a leader signs in and publishes
        page.goto(f"{served}/")
        page.get_by_role("button", name="退出").click()
        page.wait_for_load_state()
        sign_in(page, served, "leader", batch_url.removeprefix(served))
        assert page.url == batch_url
        page.get_by_role("button", name="发布").click()
        expect(page.locator(".admin-ok")).to_have_text("正在发布，完成后本页自动刷新")
        expect(page.locator(".data-status")).to_have_text("已发布", timeout=SLOW)
        expect(page.locator("#changes h3")).to_have_text("发布时的变化")
        page.screenshot(path=str(SHOTS / "batch-published.png"), full_page=True)

        # 5. the desk shows the new figure
        desk_shows(page, served, str(int(before) + 3))

        # 6. rolled back on the data page, the desk shows the old figure again
        page.goto(f"{served}/data")
        version = page.locator("table.data-versions tbody tr").first
        expect(version).to_contain_text("有效")
        version.locator("summary", has_text="回滚").click()
        version.get_by_role("button", name="确认回滚").click()
        page.wait_for_url("**/data?notice=rolled_back")
        expect(page.locator(".admin-ok")).to_have_text("已回滚，数据恢复到该版本发布之前")
        expect(page.locator("table.data-versions tbody tr").first).to_contain_text("已回滚")
        page.screenshot(path=str(SHOTS / "data-rolled-back.png"), full_page=True)
        desk_shows(page, served, before)
        assert problems == []
    finally:
        context.close()

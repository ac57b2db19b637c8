"""A follow-up's whole cycle in a real headless Chromium, on a store of its own: a leader raises it from a
figure on the desk (its 督办 link opens the create form prefilled, as a warning's link will), the department head sees it in the header's inbox, replies
with a PDF attached, and the leader accepts it (办结). Screenshots of the follow-up, the leader's list (one overdue)
and the desk's header inbox go to /tmp/shots (docs/supervise-item.png, supervise-list.png and supervise-inbox.png
are copies)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from conftest import sign_in
from import_support import copy_store
from playwright.sync_api import Page, expect
from sqlalchemy import update
from werkzeug.serving import make_server

from dashboard import create_app
from data.access import Scope
from data.engine import open_engine
from data.schema_supervision import supervision
from data.supervision import Who
from data.supervision_changes import create
from layouts.paths import LOGOUT_PATH, SUPERVISE_NEW_PATH, SUPERVISE_PATH

SHOTS = Path("/tmp/shots")
LEADER = Who("leader", Scope(role="leader"))


@pytest.fixture(scope="module")
def served(demo_urls, tmp_path_factory, pg_databases) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("supervise-browser")
    url = copy_store(demo_urls["sqlite"], folder, pg_databases)
    # one follow-up of another department already past its deadline: the leader's list shows it in red
    engine = open_engine(url)
    with engine.begin() as conn:
        late = create(
            conn,
            LEADER,
            "double_random_inspections",
            "department",
            "SCJGJ",
            date.today(),
            "请报送检查计划执行情况",
        )
        conn.execute(
            update(supervision).where(supervision.c.id == late).values(due=date.today() - timedelta(days=3))
        )
    engine.dispose()
    app = create_app({"database_url": url, "instance_path": folder / "instance"})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()


def sign_out(page: Page) -> None:
    page.locator(f'form[action="{LOGOUT_PATH}"] button').first.click()
    page.wait_for_url(lambda url: "/login" in url or url.endswith("/"))


def test_leader_raises_department_replies_with_a_file_leader_accepts(browser, served, tmp_path):
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "request", lambda r: r.url.startswith(served) or r.url.startswith("data:") or problems.append(r.url)
    )

    # the leader raises it from a figure on the desk, filtered to the department: the form comes prefilled
    sign_in(page, served, "leader", quote("/?department=SFJ", safe="/"))
    raise_link = page.locator('.kpi-card[data-code="mediation_success_rate"] .kpi-raise')
    expect(raise_link).to_have_attribute(
        "href", f"{SUPERVISE_NEW_PATH}?indicator=mediation_success_rate&department=SFJ", timeout=20_000
    )
    page.locator('.kpi-card[data-code="mediation_success_rate"]').screenshot(
        path=str(SHOTS / "supervise-card.png")
    )
    raise_link.click()
    expect(page.locator('select[name="indicator"]')).to_have_value("mediation_success_rate")
    expect(page.locator('select[name="unit"]')).to_have_value("department:SFJ")
    page.fill('input[name="due"]', (date.today() + timedelta(days=7)).isoformat())
    page.fill('textarea[name="text"]', "司法局调处成功率在各部门中排名靠后，请说明原因并提出整改措施。")
    page.click(".supervise-form button[type=submit]")
    expect(page.locator(".admin-ok")).to_have_text("已发起督办，等待单位回复")
    item_path = urlparse(page.url).path

    # the leader's list: both open ones, the late one in red
    page.goto(served + SUPERVISE_PATH)
    expect(page.locator(".supervise-overdue")).to_have_count(1)
    expect(page.locator(".supervise-overdue .supervise-late")).to_have_text("逾期 3 天")
    page.screenshot(path=str(SHOTS / "supervise-list.png"))
    sign_out(page)

    # the department head lands on their page, sees the inbox count, opens the follow-up and replies with a PDF
    sign_in(page, served, "justice")
    expect(page.locator("#account-inbox-count")).to_have_text("1", timeout=15_000)
    page.screenshot(
        path=str(SHOTS / "supervise-inbox-desk.png"), clip={"x": 0, "y": 0, "width": 1400, "height": 200}
    )
    page.locator("#account-inbox").click()
    page.wait_for_url(lambda url: url.rstrip("/").endswith(SUPERVISE_PATH))
    expect(page.locator(".inbox-count")).to_have_text("1")
    page.screenshot(path=str(SHOTS / "supervise-inbox.png"))
    page.locator(".supervise-table a").first.click()
    pdf = tmp_path / "整改情况说明.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    page.fill(
        'textarea[name="text"]', "已组织复盘：调处成功率下降集中在物业纠纷，已建立每周调度机制，详见附件。"
    )
    # too large a file is stopped before it is sent, the text kept
    big = tmp_path / "扫描件.pdf"
    with big.open("wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(21 * 1024 * 1024)
    page.set_input_files('input[name="files"]', str(big))
    page.locator("#reply-title ~ form button[type=submit]").click()
    expect(page.locator(".supervise-file-error")).to_contain_text("超过 20 MB 的大小上限")
    expect(page.locator('textarea[name="text"]')).to_have_value(re.compile("已组织复盘"))
    page.set_input_files('input[name="files"]', str(pdf))
    page.locator("#reply-title ~ form button[type=submit]").click()
    expect(page.locator(".admin-ok")).to_have_text("已回复，等待领导审核")
    expect(page.locator("#supervise-state")).to_have_text("已回复")
    expect(page.locator(".supervise-files a")).to_have_text("整改情况说明.pdf")
    sign_out(page)

    # the leader sees it waiting in the inbox and accepts it
    sign_in(page, served, "leader", item_path)
    expect(page.locator(".inbox-count")).to_have_text("1")
    with page.expect_download() as download:
        page.locator(".supervise-files a").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-1.4")
    page.fill("#decide-title ~ .supervise-decide form:first-child textarea", "同意办结，请持续跟踪。")
    page.screenshot(path=str(SHOTS / "supervise-item.png"), full_page=True)
    page.click("#supervise-close")
    expect(page.locator("#supervise-state")).to_have_text("已办结")
    expect(page.locator(".supervise-entry")).to_have_count(2)
    expect(page.locator(".inbox-count")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "supervise-closed.png"), full_page=True)
    context.close()
    assert problems == []

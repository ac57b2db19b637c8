"""/admin/catalog in a real headless Chromium over a private copy of the demo store: a leader opens an indicator's
form, renames it and sets a target, and the table says so; no script error, no request leaves the server. Takes
the screenshot docs/admin-catalog.png."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import sign_in
from import_support import copy_store
from playwright.sync_api import expect
from werkzeug.serving import make_server

from dashboard import create_app
from data import catalog, catalog_changes
from data.engine import open_engine
from layouts.paths import CATALOG_PATH

DOCS = Path(__file__).resolve().parent.parent / "docs"
CODE = "service_center_items"


class Served(str):
    """The served address, which also knows its store's URL."""

    def __new__(cls, address: str, store: str) -> Served:
        made = super().__new__(cls, address)
        made.store = store
        return made


@pytest.fixture
def served(demo_urls, tmp_path, pg_databases):
    url = copy_store(demo_urls["sqlite"], tmp_path, pg_databases)
    app = create_app({"database_url": url, "instance_path": tmp_path})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Served(f"http://127.0.0.1:{server.server_port}", url)
    server.shutdown()
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()
    catalog.use_edits({})


def test_a_leader_edits_an_indicator_in_the_browser(browser, served):
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1600, "height": 1100}, locale="zh-CN")
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("request", lambda r: r.url.startswith(served) or problems.append(f"external: {r.url}"))
    try:
        sign_in(page, served, "leader", f"{CATALOG_PATH}?code={CODE}")
        page.fill("input[name=display_name]", "进驻中心的政务服务事项")
        page.select_option("select[name=department]", "SFJ")
        page.fill("input[name=target_2025]", "1500")
        page.click("#edit button[type=submit]")
        page.wait_for_selector(".admin-ok")
        assert "已保存“进驻中心的政务服务事项”的修改" in page.inner_text(".admin-ok")
        row = page.inner_text(f'tr[data-code="{CODE}"]')
        assert "进驻中心的政务服务事项" in row and "区司法局" in row and "1500" in row and "撤销" in row
        # the form of the edited indicator, above the table, as the screenshot shows it
        page.goto(f"{served}{CATALOG_PATH}?code={CODE}")
        assert page.input_value("input[name=display_name]") == "进驻中心的政务服务事项"
        page.screenshot(path=str(DOCS / "admin-catalog.png"))
    finally:
        context.close()
    assert problems == []


def test_figures_a_district_makes_internal_leave_a_visitors_desk(browser, served):
    """The shipped catalog is all public; a district hides 好差评 (the count, and so the rate counted from it): a
    visitor's desk shows neither card, and the chart of the count says to sign in instead of drawing it."""
    engine = open_engine(served.store)
    with engine.begin() as conn:
        for code in ("service_good_rating_rate", "service_rated"):
            catalog_changes.save(conn, code, {"visibility": "内部"}, actor="admin")
    engine.dispose()
    context = browser.new_context(viewport={"width": 1600, "height": 1100}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{served}/service?year=2024")
        page.wait_for_selector('.kpi-card[data-code="service_transactions"]')
        codes = page.locator(".kpi-card").evaluate_all("cards => cards.map(c => c.dataset.code)")
        assert "service_rated" not in codes and "service_good_rating_rate" not in codes
        expect(page.locator("#service-rating")).to_contain_text("登录后可查看")
        expect(page.locator("#account-login")).to_have_text("登录")
    finally:
        context.close()

"""报送未齐 and the organisation's forms in a real headless Chromium at 1920×1080, on a district's own store (an
empty `dashboard init`, its organisation, one bureau's register published, another's missing): an admin sets a
duty and the district's name on /admin/org, the desk's card, the wall's footer and the deck's slide say 应报 2 个单位，
已报 1 个.
DASHBOARD_SCREENSHOTS=folder keeps the screenshots (docs/admin-org-forms.png, docs/desk-reporting-note.png,
docs/screen-reporting-note.png, docs/deck-reporting-note.png)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from datetime import date

import pytest
from conftest import PASSWORD, new_store_url, sign_in
from org_support import DEPARTMENTS, TOWNSHIPS, fill, register_file
from playwright.sync_api import expect
from werkzeug.serving import make_server

from dashboard import create_app
from dashboard.cli.commands import run as run_command
from data import accounts
from data.engine import open_engine
from layouts.paths import ORG_PATH, SCREEN_PATH

NOTE = "矛盾纠纷调处登记 2月：应报 2 个单位，已报 1 个"


def _district(url: str, folder) -> None:
    """The district's first days, with the commands a district has."""
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url

    def invoke(*args: object) -> str:
        assert run_command([str(a) for a in args]) == 0, args

    try:
        invoke("init")
        invoke("org", "template", "-o", folder / "org.xlsx")
        invoke("org", "import", fill(folder / "org.xlsx", folder / "o.xlsx", DEPARTMENTS, TOWNSHIPS))
        invoke("template", "dispute_case", "-o", folder / "dispute.xlsx")
        rows = [
            ("S-1", date(2025, 1, 5), "区司法局", "城关街道", True),
            ("S-2", date(2025, 2, 6), "区司法局", "青山镇", True),
            ("S-3", date(2025, 2, 16), "区司法局", "青山镇", False),
        ]
        register_file(folder / "dispute.xlsx", folder / "sfj.xlsx", rows)
        invoke("import", folder / "sfj.xlsx", "--department", "SFJ")
        invoke("batch", "publish", "1")
        invoke("reporting", "duty", "set", "SFJ", "dispute_case")
        invoke("reporting", "duty", "set", "XFJ", "dispute_case", "--day", "5")
    finally:
        if before is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = before


@pytest.fixture(scope="module")
def served(tmp_path_factory, pg_databases) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("reporting-note-browser")
    url = new_store_url("sqlite", folder, pg_databases)
    _district(url, folder)
    engine = open_engine(url)
    with engine.begin() as conn:
        accounts.add_user(conn, "admin", PASSWORD, "admin")
    engine.dispose()
    app = create_app({"database_url": url, "instance_path": tmp_path_factory.mktemp("instance")})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()


def _keep(page, tmp_path, name: str, full: bool = False) -> None:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=full)
    if folder := os.environ.get("DASHBOARD_SCREENSHOTS"):
        shutil.copy(shot, os.path.join(folder, name))


def test_an_admin_sets_duties_and_the_desk_and_wall_say_what_is_missing(browser, served, tmp_path):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("request", lambda r: r.url.startswith(served) or problems.append(f"external: {r.url}"))
    sign_in(page, served, "admin", ORG_PATH)

    # the forms: the district's name, then a duty with its own day; a wrong day is refused in Chinese
    page.locator("#district input[name=name]").fill("新建区")
    page.locator("#district button").click()
    expect(page.get_by_text("本区名称已改为 新建区")).to_be_visible()
    duty = page.locator("#duties form.admin-form")
    duty.locator("select[name=unit]").select_option("GAFJ")
    duty.locator("select[name=register]").select_option("police_incident")
    duty.locator("input[name=day]").fill("31")
    duty.locator("button").click()
    expect(page.get_by_role("alert")).to_contain_text("报送日应为 1 到 28")
    problems.remove("Failed to load resource: the server responded with a status of 400 (BAD REQUEST)")
    page.locator("#duties form.admin-form input[name=day]").fill("15")
    page.locator("#duties form.admin-form button").click()
    expect(page.get_by_text("区公安分局每月报送“警情登记”，次月 15 日前")).to_be_visible()
    expect(page.locator(".org-duties tbody tr")).to_have_count(3)
    page.locator("#duties").scroll_into_view_if_needed()
    _keep(page, tmp_path, "admin-org-forms.png")

    # the desk's card
    page.goto(f"{served}/mediation?year=2025")
    card = page.locator('.kpi-card[data-code="disputes_mediated"]')
    expect(card.locator(".kpi-reporting")).to_contain_text(NOTE)
    _keep(page, tmp_path, "desk-reporting-note.png")

    # the wall's footer
    page.goto(f"{served}{SCREEN_PATH}?screens=mediation&year=2025")
    expect(page.locator("#reporting")).to_contain_text(NOTE)
    page.wait_for_timeout(1500)
    _keep(page, tmp_path, "screen-reporting-note.png")

    # the deck's mediation slide (in an empty district's deck: title, overview, then the areas with figures)
    page.goto(f"{served}/present/annual?year=2025")
    mediation = page.locator('.slide-figure[data-code="disputes_mediated"] .fig-reporting')
    page.keyboard.press("End")
    while not mediation.is_visible():
        page.keyboard.press("ArrowLeft")
        page.wait_for_timeout(150)
    expect(mediation).to_contain_text(NOTE)
    _keep(page, tmp_path, "deck-reporting-note.png")
    assert problems == []
    context.close()

"""The kiosk links' admin page (/admin/screens) through the Flask test client on both engines, and once in
Chromium. The stores are tests/admin_support.py's (departments, townships, the accounts of PEOPLE), copied for
each test, with two years in the calendar for the year select."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, urlsplit

import admin_support
import pytest
from admin_support import WATCH_CSP, messages, post, signed_in
from conftest import PASSWORD, sign_in
from flask.testing import FlaskClient
from sqlalchemy import insert

from dashboard.pages.admin.screens import COPY_NOW
from data import accounts, kiosk
from data.schema import calendar
from layouts.screens import SCREENS

# tests/admin_support.py's stores (one per engine, copied for each test), the app over one, its admin signed in,
# and the app served for Chromium.
admin_templates = admin_support.admin_templates
app = admin_support.app
admin = admin_support.admin
served = admin_support.served

YEARS = (2024, 2025)
NEW = {"name": "一楼大厅", "every": "", "year": "", "township": "", "department": ""}
REVOKED = "已停用大屏链接 {name}：正在使用它的大屏在下次检查时显示“此大屏链接已停用”"


@pytest.fixture
def calendar_years(app) -> None:
    """Years in the store, for the form's year select."""
    with engine(app).begin() as conn:
        conn.execute(insert(calendar), [{"year": y, "month": m} for y in YEARS for m in range(1, 13)])


def engine(app):
    return app.server.extensions["dashboard.engine"]


def make(app, name: str = "一楼大厅", **pins) -> str:
    """A link made as `dashboard kiosk create` makes it; its token."""
    with engine(app).begin() as conn:
        return kiosk.create_link(conn, name, **pins)[1]


def links(app) -> list[kiosk.KioskLink]:
    with engine(app).connect() as conn:
        return kiosk.list_links(conn)


def rows(resp) -> list[list[str]]:
    """The links' table: each row's cells as text."""
    body = resp.get_data(as_text=True)
    body = body[body.find("<tbody>") :] if "<tbody>" in body else ""
    found = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in found]
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in row] for row in cells]


def shown_url(resp) -> str:
    found = re.findall(r'<input type="text" name="url" value="([^"]*)" readonly', resp.get_data(as_text=True))
    assert len(found) == 1, resp.get_data(as_text=True)
    return html.unescape(found[0])


def version(client: FlaskClient, token: str):
    return client.get(f"/screen/version?kiosk={quote(token)}")


@pytest.mark.usefixtures("calendar_years")
def test_an_admin_sees_every_link_with_what_it_pins_and_a_form_built_from_the_declarations(app, admin):
    make(app, screens=("overview", "mediation"), every=30, year=2024, township="qingshan")
    make(app, "二楼走廊", department="SFJ")
    make(app, "旧大屏")
    with engine(app).begin() as conn:
        kiosk.revoke_link(conn, "旧大屏", actor="admin")
    resp = admin.get("/admin/screens")
    assert resp.status_code == 200 and "no-store" in resp.headers["Cache-Control"]
    listed = {row[0]: row for row in rows(resp)}
    assert listed["一楼大厅"][1:6] == [
        "总览、矛盾纠纷",
        "30 秒",
        "2024 年，青山镇（qingshan）",
        "有效",
        "命令行",
    ]
    assert listed["二楼走廊"][1:5] == ["全部大屏", "默认", "最新年度，区司法局（SFJ）", "有效"]
    assert listed["旧大屏"][4] == "已停用" and re.search(r"由 admin 停用$", listed["旧大屏"][8])
    assert [row[0] for row in rows(resp)] == ["旧大屏", "二楼走廊", "一楼大厅"]  # newest first
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[6]) and row[7] == "—" for row in listed.values()
    )
    page = resp.get_data(as_text=True)
    # a revoke button for each link in use, none for the revoked one
    assert page.count('action="/admin/screens/revoke"') == 2 and 'value="旧大屏"' not in page
    # the form: the screens as layouts/screens.py declares them, the limits of data/kiosk.py, the store's years
    for screen in SCREENS:
        assert f'name="screens" value="{screen.name}"> {screen.title}</label>' in page
    assert f'min="{kiosk.MIN_EVERY}"' in page and f'max="{kiosk.MAX_EVERY}"' in page
    assert f'maxlength="{kiosk.MAX_NAME}"' in page
    assert all(f'<option value="{year}">{year} 年</option>' in page for year in YEARS)
    assert (
        '<option value="qingshan">青山镇</option>' in page and '<option value="SFJ">区司法局</option>' in page
    )
    assert 'value="_none"' not in page and 'value="_district"' not in page
    assert "只能打开大屏（/screen），只显示公开指标" in page
    assert 'href="/admin/screens" class="is-current" aria-current="page">大屏链接</a>' in page
    assert "<script" not in page and "onclick" not in page
    # and the other admin pages link to it
    assert '<a href="/admin/screens">大屏链接</a>' in admin.get("/admin/users").get_data(as_text=True)


def test_an_empty_list_says_so(admin):
    page = admin.get("/admin/screens").get_data(as_text=True)
    assert "全部大屏链接（0）" in page and "还没有大屏链接。" in page and "<tbody>" not in page


@pytest.mark.usefixtures("calendar_years")
def test_creating_shows_the_url_once_and_the_url_opens_the_screen(app, admin):
    form = NEW | {"screens": ["mediation", "overview"], "every": "30", "year": "2024", "township": "qingshan"}
    resp = post(admin, "/admin/screens", **form)
    # answered directly: a redirect would carry the token in a URL, into the history and the request log
    assert resp.status_code == 200 and "Location" not in resp.headers
    assert "no-store" in resp.headers["Cache-Control"]
    assert messages(resp) == ["已创建大屏链接 一楼大厅"]
    page = resp.get_data(as_text=True)
    assert COPY_NOW == "请立即复制此链接：它只显示这一次，之后只能停用后重新创建" and COPY_NOW in page
    assert (
        "大屏：总览、矛盾纠纷；轮播间隔：30 秒；显示：2024 年，青山镇（qingshan），只显示公开指标。" in page
    )
    url = shown_url(resp)
    assert url.startswith("http://localhost/screen?kiosk=") and page.count(url.split("=", 1)[1]) == 1
    token = url.split("kiosk=", 1)[1]

    (link,) = links(app)
    # the screens in the order they are declared (and listed), whatever order the form sent them in
    assert (link.name, link.screens, link.every, link.year, link.township, link.department) == (
        "一楼大厅",
        ("overview", "mediation"),
        30,
        2024,
        "qingshan",
        None,
    )
    assert link.created_by == "admin" and not link.revoked
    with engine(app).connect() as conn:
        (event,) = [e for e in accounts.audit_events(conn) if e.event == "kiosk_created"]
    assert (event.actor, event.address, event.subject) == ("admin", "127.0.0.1", "一楼大厅")

    # the URL opens the screen, through the same client and through one that has signed in to nothing
    path = url.removeprefix("http://localhost")
    assert admin.get(path).status_code == 200
    wall = app.server.test_client().get(path)
    # the store holds no district name yet: the wall says 本区 until `dashboard district --name` sets it
    assert wall.status_code == 200 and "<title>本区法治政府建设数据大屏</title>" in wall.get_data(
        as_text=True
    )
    assert version(app.server.test_client(), token).status_code == 200

    # and is never shown again: not on the list, not in the audit log
    again = admin.get("/admin/screens")
    assert token not in again.get_data(as_text=True) and COPY_NOW not in again.get_data(as_text=True)
    assert rows(again)[0][:5] == [
        "一楼大厅",
        "总览、矛盾纠纷",
        "30 秒",
        "2024 年，青山镇（qingshan）",
        "有效",
    ]
    assert token not in admin.get("/admin/audit").get_data(as_text=True)


def test_no_screen_ticked_is_every_screen_and_the_url_is_the_hosts_own(app):
    # signed in at the address the browser used, which the URL then starts with
    host = {"Host": "fazhi.example.cn:8443", "Origin": "http://fazhi.example.cn:8443"}
    client = app.server.test_client()
    signing_in = client.post("/login", data={"username": "admin", "password": PASSWORD}, headers=host)
    assert signing_in.status_code == 303
    resp = client.post("/admin/screens", data=NEW | {"department": "SFJ"}, headers=host)
    assert resp.status_code == 200, messages(resp)
    assert shown_url(resp).startswith("http://fazhi.example.cn:8443/screen?kiosk=")
    assert "大屏：全部大屏；轮播间隔：默认；显示：最新年度，区司法局（SFJ）" in resp.get_data(as_text=True)
    (link,) = links(app)
    assert (link.screens, link.every, link.year, link.department) == ((), None, None, "SFJ")


@pytest.mark.usefixtures("calendar_years")
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "已有名为 “一楼大厅” 的大屏链接，请换一个名称"),
        ({"name": "乙", "township": "qingshan", "department": "SFJ"}, "大屏链接只能固定一个乡镇或一个部门"),
        ({"name": "乙", "every": "3"}, "轮播间隔（秒）应为 5 到 3600 之间的整数，当前为 3"),
        ({"name": "乙", "every": "3601"}, "轮播间隔（秒）应为 5 到 3600 之间的整数，当前为 3601"),
        ({"name": "乙", "every": "每分钟"}, "轮播间隔（秒）应为 5 到 3600 之间的整数，当前为 每分钟"),
        ({"name": "乙", "year": "1999"}, "年度应为 2000 到 2100 之间的整数"),
        ({"name": ""}, "大屏链接的名称不能为空"),
        ({"name": "甲" * 61}, "大屏链接的名称最多 60 个字符"),
        ({"name": "乙", "screens": ["security", "weather"]}, "没有名为 “weather” 的大屏"),
        ({"name": "乙", "township": "nowhere"}, "乡镇代码 “nowhere” 不存在"),
    ],
)
def test_a_refused_link_is_a_400_with_its_message_what_was_typed_and_nothing_made(
    app, admin, changes, message
):
    token = make(app)
    form = NEW | {"screens": ["security"], "every": "60", "year": "2025", "township": "qingshan"} | changes
    resp = post(admin, "/admin/screens", **form)
    assert resp.status_code == 400 and "no-store" in resp.headers["Cache-Control"]
    assert len(messages(resp)) == 1 and messages(resp)[0].startswith(message), messages(resp)
    page = resp.get_data(as_text=True)
    assert f'name="name" type="text" value="{html.escape(form["name"][:200])}"' in page
    assert f'name="every" type="number" value="{html.escape(form["every"])}"' in page
    assert 'name="screens" value="security" checked>' in page
    if form["township"] == "qingshan":
        assert '<option value="qingshan" selected>' in page
    if form["year"] == "2025":
        assert '<option value="2025" selected>2025 年</option>' in page
    assert COPY_NOW not in page and "screen?kiosk=" not in page and token not in page
    assert [link.name for link in links(app)] == ["一楼大厅"]


def test_a_name_is_shown_as_text(app, admin):
    script = "<script>alert(1)</script>"
    assert post(admin, "/admin/screens", **NEW | {"name": script}).status_code == 200
    page = admin.get("/admin/screens").get_data(as_text=True)
    assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>" in page and "<script" not in page


def test_revoking_redirects_with_a_notice_and_the_wall_stops(app, admin):
    token = make(app)
    other = make(app, "二楼走廊")
    wall = app.server.test_client()
    assert version(wall, token).status_code == 200
    resp = post(admin, "/admin/screens/revoke", name="一楼大厅")
    assert resp.status_code == 303
    assert resp.headers["Location"] == f"/admin/screens?ok=revoked&n={quote('一楼大厅')}"
    shown = admin.get(resp.headers["Location"])
    assert messages(shown) == [REVOKED.format(name="一楼大厅")]
    listed = {row[0]: row for row in rows(shown)}
    assert listed["一楼大厅"][4] == "已停用" and listed["一楼大厅"][8].endswith("由 admin 停用")
    assert listed["二楼走廊"][4] == "有效" and listed["二楼走廊"][8] == "停用"
    stopped = version(wall, token)
    assert stopped.status_code == 403 and stopped.get_json() == {"error": "此大屏链接已停用", "revoked": True}
    assert version(wall, other).status_code == 200
    with engine(app).connect() as conn:
        (event,) = [e for e in accounts.audit_events(conn) if e.event == "kiosk_revoked"]
    assert (event.actor, event.address, event.subject) == ("admin", "127.0.0.1", "一楼大厅")

    again = post(admin, "/admin/screens/revoke", name="一楼大厅")
    assert again.status_code == 400 and messages(again) == ["大屏链接 “一楼大厅” 已经停用"]
    assert '<tr class="is-disabled is-failed">' in again.get_data(as_text=True)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "三楼"}, "没有名为 “三楼” 的大屏链接"),
        ({"name": "x" * 5000}, "没有名为 “" + "x" * 40 + "…” 的大屏链接"),
        ({}, "没有名为 “” 的大屏链接"),
    ],
)
def test_revoking_an_unknown_link_is_a_400_with_a_message(app, admin, form, message):
    make(app)
    resp = post(admin, "/admin/screens/revoke", **form)
    assert resp.status_code == 400 and messages(resp) == [message]
    assert not links(app)[0].revoked


def test_a_made_up_notice_says_nothing(app, admin):
    make(app)
    make(app, "旧大屏")
    with engine(app).begin() as conn:
        kiosk.revoke_link(conn, "旧大屏")
    assert messages(admin.get("/admin/screens?ok=revoked&n=<b>nobody</b>")) == []
    assert messages(admin.get(f"/admin/screens?ok=revoked&n={quote('一楼大厅')}")) == []  # still in use
    assert messages(admin.get(f"/admin/screens?ok=whatever&n={quote('旧大屏')}")) == []
    assert messages(admin.get(f"/admin/screens?ok=revoked&n={quote('旧大屏')}")) == [
        REVOKED.format(name="旧大屏")
    ]
    assert post(admin, "/admin/screens/delete", name="一楼大厅").status_code in (404, 405)


@pytest.mark.parametrize("name", ["leader", "market", "qingshan", "clerk"])
def test_anyone_but_an_admin_is_refused_with_403(app, name):
    token = make(app)
    client = signed_in(app, name)
    for resp in (
        client.get("/admin/screens"),
        post(client, "/admin/screens", **NEW | {"name": "乙"}),
        post(client, "/admin/screens/revoke", name="一楼大厅"),
    ):
        assert resp.status_code == 403 and "需要管理员权限" in resp.get_data(as_text=True)
        assert "no-store" in resp.headers["Cache-Control"] and token not in resp.get_data(as_text=True)
    assert [(link.name, link.revoked) for link in links(app)] == [("一楼大厅", False)]


def test_a_visitor_is_sent_to_sign_in_and_comes_back(app):
    make(app)
    client = app.server.test_client()
    resp = client.get("/admin/screens")
    assert resp.status_code == 303 and resp.headers["Location"] == "/login?next=%2Fadmin%2Fscreens"
    form = post(client, "/admin/screens/revoke", name="一楼大厅")
    assert form.status_code == 303 and form.headers["Location"] == "/login?next=%2Fadmin%2Fscreens"
    assert post(client, "/admin/screens", **NEW | {"name": "乙"}).status_code == 303
    back = post(client, "/login", username="admin", password=PASSWORD, next="/admin/screens")
    assert back.headers["Location"] == "/admin/screens"
    assert client.get(back.headers["Location"]).status_code == 200
    assert [(link.name, link.revoked) for link in links(app)] == [("一楼大厅", False)]


def test_an_admin_token_reads_the_page_but_cannot_create_or_revoke(app):
    make(app)
    with engine(app).begin() as conn:
        token = accounts.create_token(conn, "admin")[1]
    client = app.server.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/admin/screens", headers=bearer).status_code == 200
    for path, form in (
        ("/admin/screens", NEW | {"name": "乙"}),
        ("/admin/screens/revoke", {"name": "一楼大厅"}),
    ):
        resp = client.post(path, data=form, headers=bearer)
        assert resp.status_code == 403 and "需要在浏览器中登录" in resp.get_data(as_text=True)
    assert [(link.name, link.revoked) for link in links(app)] == [("一楼大厅", False)]


@pytest.mark.parametrize("headers", [{}, {"Origin": "http://evil.example"}, {"Origin": "null"}])
def test_a_form_post_from_another_site_is_refused(app, admin, headers):
    make(app)
    created = admin.post("/admin/screens", data=NEW | {"name": "乙"}, headers=headers)
    assert created.status_code == 403 and "no-store" in created.headers["Cache-Control"]
    assert "screen?kiosk=" not in created.get_data(as_text=True)
    revoked = admin.post("/admin/screens/revoke", data={"name": "一楼大厅"}, headers=headers)
    assert revoked.status_code == 403
    assert [(link.name, link.revoked) for link in links(app)] == [("一楼大厅", False)]


# --- in Chromium ------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_an_admin_creates_and_revokes_a_link_through_the_forms_in_chromium(browser, served):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    page.add_init_script(WATCH_CSP)
    try:
        sign_in(page, served, "admin", "/admin/screens")
        form = page.locator("form.admin-new")
        form.locator("input[name=name]").fill("一楼大厅")
        form.get_by_label("矛盾纠纷").check()
        form.locator("input[name=every]").fill("30")
        form.locator("select[name=township]").select_option(label="青山镇")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        field = page.locator(".admin-url input")
        url = field.input_value()
        assert url.startswith(f"{served}/screen?kiosk=") and field.get_attribute("readonly") is not None
        assert page.locator(".admin-copy-now").inner_text() == COPY_NOW
        row = page.locator("tr", has=page.get_by_text("一楼大厅", exact=True))
        assert "矛盾纠纷" in row.inner_text() and "有效" in row.inner_text()
        row.get_by_role("button", name="停用").click()
        page.wait_for_url("**/admin/screens?ok=revoked*")
        assert "已停用" in row.inner_text() and urlsplit(page.url).path == "/admin/screens"
        assert url.split("kiosk=")[1] not in page.content()
        assert page.evaluate("window.__csp") == [] and problems == []
    finally:
        context.close()

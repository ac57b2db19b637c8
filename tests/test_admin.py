"""The admin pages (/admin/users, /admin/audit) through the Flask test client on both engines, and once in
Chromium. Each test gets its own copy of a small store (departments, townships and the accounts of PEOPLE):
the session's demo stores are never changed."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import admin_support
import pytest
from admin_support import OWN, WATCH_CSP, messages, post, signed_in
from conftest import PASSWORD, PEOPLE, sign_in

from data import accounts
from data.access import ROLES

NEW_PASSWORD = "另一个足够长的密码-42"

# The stores of tests/admin_support.py (one per engine, copied for each test), the app over one, its admin
# signed in, and the app served for Chromium.
admin_templates = admin_support.admin_templates
app = admin_support.app
admin = admin_support.admin
served = admin_support.served


def can_sign_in(app, name: str, password: str) -> bool:
    resp = app.server.test_client().post("/login", data={"username": name, "password": password}, headers=OWN)
    return resp.status_code == 303


def new_user(**changes: str) -> dict[str, str]:
    form = {"username": "zhangsan", "name": "张三", "role": "department", "department": "SFJ", "township": ""}
    return form | {"password": NEW_PASSWORD, "password2": NEW_PASSWORD} | changes


def usernames(app) -> list[str]:
    with app.server.extensions["dashboard.engine"].connect() as conn:
        return [a.username for a in accounts.list_users(conn)]


def audit_rows(resp) -> list[list[str]]:
    body = resp.get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", body[body.find("<tbody>") :], re.S) if "<tbody>" in body else []
    return [[html.unescape(c.strip()) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


def test_an_admin_sees_every_account_its_role_and_place_and_forms_built_from_the_limits(admin):
    resp = admin.get("/admin/users")
    assert resp.status_code == 200 and "no-store" in resp.headers["Cache-Control"]
    page = resp.get_data(as_text=True)
    for name in PEOPLE:
        assert f'<td class="admin-username">{name}</td>' in page
    assert "区市场监督管理局" in page and "青山镇" in page and "乡镇（街道）负责人" in page and "全区" in page
    assert f'maxlength="{accounts.MAX_USERNAME}"' in page and f'minlength="{accounts.MIN_PASSWORD}"' in page
    assert 'pattern="[A-Za-z0-9_.@\\-]{1,64}"' in page
    assert all(f">{label}</option>" in page for label in ROLES.values())
    # the members for rows that name no department or township are not places an account can belong to
    assert 'value="_none"' not in page and 'value="_district"' not in page
    assert "<script" not in page and "onclick" not in page


def test_an_admin_adds_a_department_head_who_can_then_sign_in(app, admin):
    resp = post(admin, "/admin/users", **new_user())
    assert resp.status_code == 303 and resp.headers["Location"] == "/admin/users?ok=added&u=zhangsan"
    shown = admin.get(resp.headers["Location"])
    assert messages(shown) == ["已新建账号 zhangsan"]
    assert "<td>张三</td>" in shown.get_data(as_text=True) and "区司法局" in shown.get_data(as_text=True)
    first = app.server.test_client().post(
        "/login", data={"username": "zhangsan", "password": NEW_PASSWORD}, headers=OWN
    )
    assert first.status_code == 303 and first.headers["Location"] == "/mine"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password": "short", "password2": "short"}, f"密码至少需要 {accounts.MIN_PASSWORD} 个字符"),
        ({"password2": "something-else-1"}, "两次输入的密码不一致"),
        ({"username": "张 三"}, "用户名 “张 三” 无效：只能包含英文字母、数字和 _ . - @"),
        ({"username": "x" * 10_000}, "用户名最多 64 个字符，当前有 10,000 个"),
        ({"username": "MARKET"}, "用户名 “market” 已存在"),
        ({"department": ""}, "角色“部门负责人”需要选择部门"),
        ({"role": "clerk", "department": ""}, "角色“数据录入员”需要选择部门"),
        ({"role": "township", "department": "SFJ"}, "角色“乡镇（街道）负责人”需要选择乡镇（街道）"),
        ({"department": "NOPE"}, "部门代码 “NOPE” 不存在"),
        ({"role": "boss"}, "没有角色 “boss”"),
        ({"name": "x" * 61}, "显示名最多 60 个字符"),
    ],
)
def test_each_wrong_input_is_refused_with_its_message_and_keeps_what_was_typed(app, admin, changes, message):
    form = new_user(**changes)
    resp = post(admin, "/admin/users", **form)
    assert resp.status_code == 400 and "no-store" in resp.headers["Cache-Control"]
    assert len(messages(resp)) == 1 and messages(resp)[0].startswith(message)
    page = resp.get_data(as_text=True)
    assert form["password"] not in page and form["password2"] not in page
    assert f'value="{form["username"][:200]}"' in page and f'value="{form["name"]}"' in page
    assert usernames(app) == sorted(PEOPLE)


def test_script_in_a_display_name_is_stored_verbatim_and_shown_as_text(app, admin):
    script = "<script>alert(1)</script>"
    refused = post(admin, "/admin/users", **new_user(name=script, password="short", password2="short"))
    assert refused.status_code == 400 and script not in refused.get_data(as_text=True)
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in refused.get_data(as_text=True)
    assert post(admin, "/admin/users", **new_user(name=script)).status_code == 303
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in page and "<script" not in page


def test_disabling_ends_the_sessions_and_sign_in_until_enabled(app, admin):
    market = signed_in(app, "market")
    assert market.get("/login").status_code == 303  # signed in: sent on to their page
    resp = post(admin, "/admin/users/market/disable")
    assert resp.headers["Location"] == "/admin/users?ok=disabled&u=market"
    page = admin.get(resp.headers["Location"])
    assert messages(page) == ["已停用账号 market：其登录已结束，令牌在停用期间无效"]
    assert market.get("/login").status_code == 200  # the session is over
    assert not can_sign_in(app, "market", PASSWORD)
    again = post(admin, "/admin/users/market/disable")
    assert again.status_code == 400 and messages(again) == ["账号 “market” 已经停用"]
    assert post(admin, "/admin/users/market/enable").headers["Location"].endswith("ok=enabled&u=market")
    assert can_sign_in(app, "market", PASSWORD)


def test_the_last_admin_can_be_neither_disabled_nor_demoted(app, admin):
    refused = post(admin, "/admin/users/admin/disable")
    assert refused.status_code == 400 and "最后一个可用的管理员" in messages(refused)[0]
    demoted = post(
        admin, "/admin/users/admin/update", role="leader", department="", township="", name="admin"
    )
    assert demoted.status_code == 400 and "最后一个可用的管理员" in messages(demoted)[0]
    assert admin.get("/admin/users").status_code == 200


def test_resetting_a_password_makes_the_old_one_fail_and_the_new_one_work(app, admin):
    short = post(admin, "/admin/users/leader/password", password="short")
    assert short.status_code == 400 and messages(short) == [f"密码至少需要 {accounts.MIN_PASSWORD} 个字符"]
    assert '<details class="admin-pop" open>' in short.get_data(as_text=True)
    resp = post(admin, "/admin/users/leader/password", password=NEW_PASSWORD)
    assert resp.status_code == 303 and resp.headers["Location"].endswith("ok=password&u=leader")
    assert not can_sign_in(app, "leader", PASSWORD)
    assert can_sign_in(app, "leader", NEW_PASSWORD)
    unknown = post(admin, "/admin/users/nobody/password", password=NEW_PASSWORD)
    assert unknown.status_code == 400 and messages(unknown) == ["用户名 “nobody” 不存在"]


def test_changing_role_and_scope_moves_the_account_and_keeps_a_refused_change_typed(app, admin):
    change = {"role": "township", "department": "SFJ", "township": "qingshan", "name": "市场局改乡镇"}
    resp = post(admin, "/admin/users/market/update", **change)
    assert resp.status_code == 303 and resp.headers["Location"].endswith("ok=updated&u=market")
    with app.server.extensions["dashboard.engine"].connect() as conn:
        moved = accounts.get_user(conn, "market")
    assert (moved.role, moved.department, moved.township, moved.name) == (
        "township",
        None,
        "qingshan",
        "市场局改乡镇",
    )
    same = post(admin, "/admin/users/market/update", **change)
    assert messages(admin.get(same.headers["Location"])) == ["账号 market 没有变化"]
    refused = post(admin, "/admin/users/market/update", **change | {"township": "", "name": "新名字"})
    assert refused.status_code == 400 and messages(refused) == [
        "角色“乡镇（街道）负责人”需要选择乡镇（街道）"
    ]
    page = refused.get_data(as_text=True)
    assert 'value="新名字"' in page and page.count('<details class="admin-pop" open>') == 1
    blank = post(admin, "/admin/users/market/update", **change | {"name": ""})
    assert blank.status_code == 400 and messages(blank) == ["显示名不能为空"]


def test_the_audit_log_lists_the_changes_with_the_admin_as_actor_and_filters(app, admin):
    post(admin, "/admin/users", **new_user())
    post(admin, "/admin/users/zhangsan/disable")
    post(admin, "/admin/users/zhangsan/enable")
    post(admin, "/admin/users/zhangsan/password", password=NEW_PASSWORD + "!")
    post(admin, "/admin/users/zhangsan/update", role="leader", department="", township="", name="张三")
    resp = admin.get("/admin/audit")
    assert resp.status_code == 200 and "no-store" in resp.headers["Cache-Control"]
    rows = audit_rows(resp)
    about = [r for r in rows if r[4] == "zhangsan"]
    assert [r[2] for r in about] == ["修改角色或范围", "修改密码", "启用账号", "停用账号", "新建账号"]
    assert {r[1] for r in about} == {"admin"} and {r[3] for r in about} == {"127.0.0.1"}
    assert about[0][5] == "department=SFJ→—, role=部门负责人→领导"
    assert about[-1][5] == "department=SFJ, role=部门负责人"
    assert rows[-1][1] == "命令行" and rows[-1][2] == "新建账号"  # PEOPLE were added at the command line
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", rows[0][0])

    only = audit_rows(admin.get("/admin/audit?user=zhangsan"))
    assert only == about
    today, tomorrow = date.today(), date.today() + timedelta(days=1)
    assert len(audit_rows(admin.get(f"/admin/audit?since={today}"))) == len(rows)
    later = admin.get(f"/admin/audit?since={tomorrow}")
    assert (
        later.status_code == 200
        and audit_rows(later) == []
        and "没有符合条件的审计记录" in later.get_data(as_text=True)
    )
    assert len(audit_rows(admin.get("/admin/audit?limit=2"))) == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2024-13-01", "起始日期应为 YYYY-MM-DD 格式"),
        ("since=yesterday", "起始日期应为 YYYY-MM-DD 格式"),
        ("since=0001-01-01", "起始日期应为 YYYY-MM-DD 格式"),
        ("limit=0", "条数应为 1 到 5000 之间的整数"),
        ("limit=5001", "条数应为 1 到 5000 之间的整数"),
        ("limit=" + "9" * 5000, "条数应为 1 到 5000 之间的整数"),
    ],
)
def test_a_bad_audit_filter_is_a_chinese_message_and_400(admin, query, message):
    resp = admin.get(f"/admin/audit?{query}")
    assert resp.status_code == 400 and messages(resp)[0].startswith(message)


@pytest.mark.parametrize("name", ["leader", "market", "qingshan", "clerk"])
def test_anyone_but_an_admin_is_refused_with_403(app, name):
    client = signed_in(app, name)
    for resp in (
        client.get("/admin/users"),
        client.get("/admin/audit"),
        post(client, "/admin/users", **new_user()),
        post(client, "/admin/users/market/disable"),
    ):
        assert resp.status_code == 403 and "需要管理员权限" in resp.get_data(as_text=True)
        assert "no-store" in resp.headers["Cache-Control"]
    assert usernames(app) == sorted(PEOPLE) and can_sign_in(app, "market", PASSWORD)


def test_a_visitor_is_sent_to_sign_in_and_comes_back(app):
    client = app.server.test_client()
    resp = client.get("/admin/audit?user=admin")
    assert (
        resp.status_code == 303 and resp.headers["Location"] == "/login?next=%2Fadmin%2Faudit%3Fuser%3Dadmin"
    )
    assert "no-store" in resp.headers["Cache-Control"]
    form = post(client, "/admin/users/market/disable")
    assert form.status_code == 303 and form.headers["Location"] == "/login?next=%2Fadmin%2Fusers"
    back = post(client, "/login", username="admin", password=PASSWORD, next="/admin/audit?user=admin")
    assert back.headers["Location"] == "/admin/audit?user=admin"
    assert client.get(back.headers["Location"]).status_code == 200


def test_an_admin_token_reads_the_pages_but_cannot_post_a_form(app):
    with app.server.extensions["dashboard.engine"].begin() as conn:
        token = accounts.create_token(conn, "admin")[1]
    client = app.server.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/admin/users", headers=bearer).status_code == 200
    assert client.get("/admin/audit", headers=bearer).status_code == 200
    resp = client.post("/admin/users/market/disable", headers=bearer)
    assert resp.status_code == 403 and "需要在浏览器中登录" in resp.get_data(as_text=True)
    assert can_sign_in(app, "market", PASSWORD)


@pytest.mark.parametrize("headers", [{}, {"Origin": "http://evil.example"}, {"Origin": "null"}])
def test_a_form_post_from_another_site_is_refused(app, admin, headers):
    resp = admin.post("/admin/users/market/disable", headers=headers)
    assert resp.status_code == 403 and "no-store" in resp.headers["Cache-Control"]
    refused = admin.post("/admin/users", data=new_user(), headers=headers)
    assert refused.status_code == 403
    assert usernames(app) == sorted(PEOPLE) and can_sign_in(app, "market", PASSWORD)


def test_an_unknown_action_is_404_and_a_made_up_notice_says_nothing(admin):
    assert post(admin, "/admin/users/market/delete").status_code == 404
    assert messages(admin.get("/admin/users?ok=added&u=<b>nobody</b>")) == []
    assert messages(admin.get("/admin/users?ok=whatever&u=market")) == []


# --- in Chromium ------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_an_admin_adds_an_account_through_the_form_in_chromium(browser, served):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    page.add_init_script(WATCH_CSP)
    try:
        sign_in(page, served, "admin", "/admin/users")
        assert page.url.endswith("/admin/users")
        form = page.locator("form.admin-new")
        form.locator("input[name=username]").fill("wangwu")
        form.locator("input[name=name]").fill("王五")
        form.locator("select[name=role]").select_option("department")
        form.locator("select[name=department]").select_option(label="区市场监督管理局")
        form.locator("input[name=password]").fill(NEW_PASSWORD)
        form.locator("input[name=password2]").fill(NEW_PASSWORD)
        form.locator("button[type=submit]").click()
        page.wait_for_url("**/admin/users?ok=added&u=wangwu")
        assert page.locator(".admin-ok").inner_text() == "已新建账号 wangwu"
        row = page.locator("tr", has=page.locator("td.admin-username", has_text="wangwu"))
        assert "王五" in row.inner_text() and "区市场监督管理局" in row.inner_text()
        row.locator("summary", has_text="修改角色与范围").click()
        assert row.locator("select[name=department]").input_value() == "SCJGJ"
        assert page.evaluate("window.__csp") == [] and problems == []
    finally:
        context.close()

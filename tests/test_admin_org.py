"""/admin/org on a store that holds only what a district put there, on both engines: the units and their states,
the workbook's upload (every error listed, nothing changed), ending and merging, each change audited with the
admin's name; other roles refused."""

from __future__ import annotations

import html
from datetime import date

import pytest
from admin_support import signed_in
from conftest import PASSWORD
from org_support import ORG_DEPARTMENTS as DEPARTMENTS
from org_support import ORG_TOWNSHIPS as TOWNSHIPS
from org_support import org_upload as upload
from org_support import org_workbook as workbook
from sqlalchemy import select

from dashboard import create_app
from data import accounts, org
from data.engine import open_engine
from data.schema import account
from data.store import migrate
from layouts.paths import ORG_END_PATH, ORG_MERGE_PATH, ORG_PATH, ORG_UPLOAD_PATH

OWN = {"Origin": "http://localhost"}


@pytest.fixture
def app(empty_url, tmp_path):
    engine = open_engine(empty_url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        accounts.add_user(conn, "admin", PASSWORD, "admin")
        accounts.add_user(conn, "leader", PASSWORD, "leader")
    engine.dispose()
    built = create_app({"database_url": empty_url, "instance_path": tmp_path})
    yield built
    built.server.extensions["dashboard.jobs"].shutdown()
    built.server.extensions["dashboard.engine"].dispose()


def units(app) -> dict[str, org.Unit]:
    with app.server.extensions["dashboard.engine"].connect() as conn:
        return org.by_code(conn)


def events(app, kind: str) -> list:
    with app.server.extensions["dashboard.engine"].connect() as conn:
        return [e for e in accounts.audit_events(conn) if e.event == kind]


def test_an_admin_imports_ends_and_merges_units(app):
    admin = signed_in(app, "admin")
    assert "还没有任何单位" in admin.get(ORG_PATH).get_data(as_text=True)
    resp = upload(admin, workbook(DEPARTMENTS, TOWNSHIPS))
    assert resp.status_code == 303
    page = html.unescape(admin.get(resp.headers["Location"]).get_data(as_text=True))
    assert "已导入组织机构：新增 5 个单位，修改 0 个，0 个无变化" in page
    assert page.count('class="admin-status on">在用') == 5
    assert [e.actor for e in events(app, "org_imported")] == ["admin"]

    resp = admin.post(ORG_END_PATH, data={"code": "hexi", "on": "2025-01-01"}, headers=OWN)
    assert resp.status_code == 303
    page = admin.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已撤销 河西乡" in page and "2025年1月1日撤销" in page
    assert units(app)["hexi"].valid_to == date(2025, 1, 1)

    with app.server.extensions["dashboard.engine"].begin() as conn:
        accounts.add_user(conn, "xf", PASSWORD, "department", department="XFJ")
    resp = admin.post(ORG_MERGE_PATH, data={"old": "XFJ", "new": "SFJ", "on": "2025-03-01"}, headers=OWN)
    assert resp.status_code == 303
    page = admin.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已合并：区信访局并入区司法局，1 个账号已转过去" in page
    assert "2025年3月1日并入区司法局" in page
    with app.server.extensions["dashboard.engine"].connect() as conn:
        assert conn.scalar(select(account.c.department_code).where(account.c.username == "xf")) == "SFJ"
    assert [e.actor for e in events(app, "org_unit_ended") + events(app, "org_unit_merged")] == ["admin"] * 2


def test_a_wrong_workbook_lists_every_error_and_changes_nothing(app):
    admin = signed_in(app, "admin")
    bad = workbook(
        [["SFJ", "区司法局", "司法局", 1], ["SFJ", "区信访局", "信访局", 2]],
        [["qing shan", "青山镇", "村", 1]],
    )
    resp = upload(admin, bad, "错的.xlsx")
    assert resp.status_code == 400
    text = html.unescape(resp.get_data(as_text=True))
    listed = text[text.index("org-errors") :]
    listed = listed[: listed.index("</section>")]
    assert "“错的.xlsx”有" in listed and "一个单位也没有导入" in listed
    # every error, as `dashboard org import` says it
    assert listed.count("<li>") == 3, listed
    assert "<li>“部门”表第3行“代码”列：代码与“部门”表第2行重复（填写的是“SFJ”）</li>" in listed
    assert "“乡镇（街道）”表第2行“代码”列：代码只能由字母、数字" in listed
    assert "“乡镇（街道）”表第2行“类别”列：类别只能是镇、乡、街道、园区之一（填写的是“村”）" in listed
    assert units(app) == {} and events(app, "org_imported") == []
    resp = upload(admin, b"not a workbook", "x.xlsx")
    assert resp.status_code == 400 and "admin-error" in resp.get_data(as_text=True)
    resp = admin.post(ORG_UPLOAD_PATH, data={}, headers=OWN)
    assert resp.status_code == 400 and "请选择组织机构工作簿" in resp.get_data(as_text=True)


def test_wrong_ends_and_merges_are_refused_in_chinese(app):
    admin = signed_in(app, "admin")
    assert upload(admin, workbook(DEPARTMENTS, TOWNSHIPS)).status_code == 303
    for path, form, fragment in [
        (ORG_END_PATH, {"code": "hexi", "on": "明天"}, "日期应为 YYYY-MM-DD"),
        (ORG_END_PATH, {"code": "NOPE", "on": "2025-01-01"}, "NOPE"),
        (ORG_MERGE_PATH, {"old": "SFJ", "new": "SFJ", "on": "2025-01-01"}, "不能把单位并入它自己"),
        (ORG_MERGE_PATH, {"old": "SFJ", "new": "qingshan", "on": "2025-01-01"}, "只能在同类单位之间合并"),
    ]:
        resp = admin.post(path, data=form, headers=OWN)
        assert resp.status_code == 400, form
        assert fragment in html.unescape(resp.get_data(as_text=True)), form
    assert all(u.valid_to is None for u in units(app).values())


def test_only_admins_reach_the_organisation(app):
    leader = signed_in(app, "leader")
    assert leader.get(ORG_PATH).status_code == 403
    assert (
        leader.post(ORG_END_PATH, data={"code": "hexi", "on": "2025-01-01"}, headers=OWN).status_code == 403
    )
    visitor = app.server.test_client().get(ORG_PATH)
    assert visitor.status_code == 303 and "/login" in visitor.headers["Location"]

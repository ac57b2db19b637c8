"""/admin/org's district name and reporting duty forms on both engines, from an empty store: the CLI's rules and
sentences, every change audited with the admin's name, refusals 400 with what was typed kept and nothing
changed, a cross-site post refused, other roles refused."""

from __future__ import annotations

import html

import pytest
from admin_support import signed_in
from conftest import PASSWORD
from org_support import ORG_DEPARTMENTS as DEPARTMENTS
from org_support import ORG_TOWNSHIPS as TOWNSHIPS
from org_support import org_upload as upload
from org_support import org_workbook as workbook

from dashboard import create_app
from data import accounts, org, reporting
from data.engine import open_engine
from data.store import get_meta, migrate
from layouts.paths import ORG_DISTRICT_PATH, ORG_DUTY_PATH, ORG_DUTY_REMOVE_PATH, ORG_PATH

OWN = {"Origin": "http://localhost"}


@pytest.fixture
def org_app(empty_url, tmp_path):
    engine = open_engine(empty_url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        accounts.add_user(conn, "admin", PASSWORD, "admin")
        accounts.add_user(conn, "leader", PASSWORD, "leader")
    engine.dispose()
    built = create_app({"database_url": empty_url, "instance_path": tmp_path, "report_day": 12})
    yield built
    built.server.extensions["dashboard.jobs"].shutdown()
    built.server.extensions["dashboard.engine"].dispose()


def read(app, what):
    with app.server.extensions["dashboard.engine"].connect() as conn:
        return what(conn)


def events(app, kind: str) -> list:
    return [e for e in read(app, accounts.audit_events) if e.event == kind]


def text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def test_an_admin_names_the_district_and_sets_and_removes_duties(org_app):
    admin = signed_in(org_app, "admin")
    assert upload(admin, workbook(DEPARTMENTS, TOWNSHIPS)).status_code == 303
    page = text(admin.get(ORG_PATH))
    assert "还没有报送责任" in page and "留空为默认 12 日" in page

    resp = admin.post(ORG_DISTRICT_PATH, data={"name": " 新建区 "}, headers=OWN)
    assert resp.status_code == 303
    assert "本区名称已改为 新建区" in text(admin.get(resp.headers["Location"]))
    assert read(org_app, org.district_name) == "新建区"
    assert [(e.actor, e.subject) for e in events(org_app, "district_renamed")] == [("admin", "新建区")]

    version = read(org_app, lambda c: int(get_meta(c, "data_version", "0")))
    resp = admin.post(
        ORG_DUTY_PATH, data={"unit": "SFJ", "register": "dispute_case", "day": "5"}, headers=OWN
    )
    assert resp.status_code == 303
    assert "区司法局每月报送“矛盾纠纷调处登记”，次月 5 日前" in text(admin.get(resp.headers["Location"]))
    # the cards' 报送未齐 depends on duties: cached faces recompute
    assert read(org_app, lambda c: int(get_meta(c, "data_version", "0"))) == version + 1
    resp = admin.post(
        ORG_DUTY_PATH, data={"unit": "qingshan", "register": "dispute_case", "day": ""}, headers=OWN
    )
    page = text(admin.get(resp.headers["Location"]))
    assert "青山镇每月报送“矛盾纠纷调处登记”，次月 12 日前" in page
    assert "次月 12 日前（默认）" in page and 'data-unit="SFJ" data-register="dispute_case"' in page
    assert [(d.unit_code, d.due_day) for d in read(org_app, reporting.duties)] == [
        ("SFJ", 5),
        ("qingshan", None),
    ]

    resp = admin.post(ORG_DUTY_REMOVE_PATH, data={"unit": "SFJ", "register": "dispute_case"}, headers=OWN)
    assert resp.status_code == 303
    assert "已删除 区司法局报送“矛盾纠纷调处登记”的责任" in text(admin.get(resp.headers["Location"]))
    assert [d.unit_code for d in read(org_app, reporting.duties)] == ["qingshan"]
    changes = events(org_app, "duty_set")
    assert [(e.actor, e.subject) for e in changes] == [
        ("admin", "SFJ"),
        ("admin", "qingshan"),
        ("admin", "SFJ"),
    ]


@pytest.mark.parametrize(
    ("path", "form", "fragment"),
    [
        (ORG_DISTRICT_PATH, {"name": ""}, "区名应为 1 到 40 个字符"),
        (ORG_DISTRICT_PATH, {"name": "区" * 41}, "区名应为 1 到 40 个字符"),
        (ORG_DISTRICT_PATH, {}, "区名应为 1 到 40 个字符"),
        (ORG_DUTY_PATH, {"unit": "NOPE", "register": "dispute_case"}, "没有代码为 NOPE 的部门或乡镇（街道）"),
        (ORG_DUTY_PATH, {"unit": "SFJ", "register": "ledger"}, "没有名为 ledger 的登记簿"),
        (ORG_DUTY_PATH, {"unit": "SFJ", "register": "dispute_case", "day": "31"}, "报送日应为 1 到 28"),
        (ORG_DUTY_PATH, {"unit": "SFJ", "register": "dispute_case", "day": "十"}, "报送日应为 1 到 28"),
        (ORG_DUTY_PATH, {"unit": "SFJ", "register": "dispute_case", "day": "-3"}, "报送日应为 1 到 28"),
        (ORG_DUTY_PATH, {}, "没有代码为"),
        (
            ORG_DUTY_REMOVE_PATH,
            {"unit": "SFJ", "register": "hotline_request"},
            "SFJ 没有报送 hotline_request 的责任",
        ),
        (ORG_DUTY_REMOVE_PATH, {"unit": "X", "register": "dispute_case"}, "没有代码为 X"),
    ],
)
def test_wrong_forms_are_refused_in_chinese_and_change_nothing(org_app, path, form, fragment):
    admin = signed_in(org_app, "admin")
    assert upload(admin, workbook(DEPARTMENTS, TOWNSHIPS)).status_code == 303
    resp = admin.post(path, data=form, headers=OWN)
    assert resp.status_code == 400
    page = text(resp)
    assert fragment in page[page.index("admin-error") :], page
    if path == ORG_DUTY_PATH and form.get("day"):
        assert f'value="{form["day"]}"' in page  # what was typed is kept
    assert read(org_app, reporting.duties) == [] and read(org_app, org.district_name) == org.UNNAMED_DISTRICT
    assert events(org_app, "duty_set") == events(org_app, "district_renamed") == []


def test_only_an_admins_own_session_changes_them(org_app):
    admin = signed_in(org_app, "admin")
    assert upload(admin, workbook(DEPARTMENTS, TOWNSHIPS)).status_code == 303
    duty = {"unit": "SFJ", "register": "dispute_case"}
    # a cross-site post (CSRF) is refused like the other admin forms
    assert admin.post(ORG_DUTY_PATH, data=duty, headers={"Origin": "https://evil.example"}).status_code == 403
    assert (
        admin.post(
            ORG_DISTRICT_PATH, data={"name": "假区"}, headers={"Origin": "https://evil.example"}
        ).status_code
        == 403
    )
    leader = signed_in(org_app, "leader")
    assert leader.post(ORG_DUTY_PATH, data=duty, headers=OWN).status_code == 403
    assert leader.post(ORG_DISTRICT_PATH, data={"name": "假区"}, headers=OWN).status_code == 403
    visitor = org_app.server.test_client().post(ORG_DUTY_REMOVE_PATH, data=duty, headers=OWN)
    assert visitor.status_code in (303, 401, 403)
    assert read(org_app, reporting.duties) == [] and read(org_app, org.district_name) == org.UNNAMED_DISTRICT

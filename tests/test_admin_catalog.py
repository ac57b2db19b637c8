"""/admin/catalog on a store that holds only what a district put there (an `init` store with an organisation), on
both engines: the indicators by area, one indicator's edit (display name, visibility, responsible department,
targets by year), every bad value refused in Chinese with nothing changed, each change audited with its
editor's name, the 撤销 of the last change; admins and leaders only."""

from __future__ import annotations

import html
import json
from datetime import date

import pytest
from conftest import PASSWORD
from sqlalchemy import select

from dashboard import create_app
from data import accounts, catalog, catalog_edits
from data.engine import open_engine
from data.schema import department
from data.schema_district import indicator_target
from data.store import migrate
from layouts.paths import CATALOG_EDIT_PATH, CATALOG_PATH, CATALOG_UNDO_PATH

OWN = {"Origin": "http://localhost"}
CODE = "service_center_items"  # public, 区行政审批局, unit 项
RATE = next(c for c, i in catalog.read().items() if i.is_rate)


@pytest.fixture
def app(empty_url, tmp_path):
    engine = open_engine(empty_url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        for code, name, sort in (("SFJ", "区司法局", 1), ("XSP", "区行政审批局", 2), ("OLD", "区旧局", 3)):
            conn.execute(department.insert().values(code=code, name=name, short_name=name[1:], sort=sort))
        conn.execute(
            department.update()
            .where(department.c.code == "OLD")
            .values(valid_to=date(2025, 1, 1), merged_into="SFJ")
        )
        accounts.add_user(conn, "admin", PASSWORD, "admin")
        accounts.add_user(conn, "leader", PASSWORD, "leader")
        accounts.add_user(conn, "sf", PASSWORD, "department", department="SFJ")
    engine.dispose()
    built = create_app({"database_url": empty_url, "instance_path": tmp_path})
    yield built
    built.server.extensions["dashboard.jobs"].shutdown()
    built.server.extensions["dashboard.engine"].dispose()
    catalog.use_edits({})


def signed_in(app, name: str):
    client = app.server.test_client()
    resp = client.post("/login", data={"username": name, "password": PASSWORD}, headers=OWN)
    assert resp.status_code == 303
    return client


def events(app, kind: str) -> list:
    with app.server.extensions["dashboard.engine"].connect() as conn:
        return [e for e in accounts.audit_events(conn) if e.event == kind]


def text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def layout(client) -> str:
    """The desk's layout as Dash sends it, decoded (Dash escapes slashes and Chinese)."""
    return json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)


def row(page: str, code: str) -> str:
    start = page.index(f'data-code="{code}"')
    return page[start : page.index("</tr>", start)]


def test_a_leader_edits_an_indicator_and_undoes_it(app):
    leader = signed_in(app, "leader")
    page = text(leader.get(CATALOG_PATH))
    # every indicator of the catalog, under its area
    assert page.count('data-code="') == len(catalog.read())
    assert all(name in page for name in catalog.AREAS.values())
    assert "区行政审批局" in row(page, CODE) and "公开" in row(page, CODE)
    form = text(leader.get(f"{CATALOG_PATH}?code={CODE}"))
    assert 'name="display_name"' in form and 'value="XSP" selected' in form

    resp = leader.post(
        CATALOG_EDIT_PATH,
        data={
            "code": CODE,
            "display_name": "进驻事项数",
            "visibility": "internal",
            "department": "SFJ",
            "new_year": "2026",
            "new_value": "120",
        },
        headers=OWN,
    )
    assert resp.status_code == 303
    page = text(leader.get(resp.headers["Location"]))
    assert "已保存“进驻事项数”的修改" in page
    mine = row(page, CODE)
    assert "进驻事项数" in mine and "目录：进驻政务服务事项数" in mine and "内部" in mine
    assert "区司法局" in mine and "120" in mine and "撤销" in mine
    # every face reads the edit: the catalog the queries, Scope.sees and the API use
    ind = catalog.load()[CODE]
    assert (ind.name, ind.visibility, ind.responsible) == ("进驻事项数", "internal", "区司法局")
    (event,) = events(app, "catalog_edited")
    assert event.actor == "leader" and event.subject == CODE
    assert event.detail["before"]["display_name"] == "进驻政务服务事项数"
    assert event.detail["after"] == {
        "display_name": "进驻事项数",
        "visibility": "internal",
        "department": "SFJ",
        "targets": {"2026": 120.0},
    }
    # saving the same values again is no change, and no audit entry
    same = {"code": CODE, "display_name": "进驻事项数", "visibility": "internal", "department": "SFJ"}
    resp = leader.post(CATALOG_EDIT_PATH, data=same | {"target_2026": "120"}, headers=OWN)
    assert "没有变化" in text(leader.get(resp.headers["Location"]))
    assert len(events(app, "catalog_edited")) == 1

    resp = leader.post(CATALOG_UNDO_PATH, data={"code": CODE}, headers=OWN)
    assert resp.status_code == 303
    page = text(leader.get(resp.headers["Location"]))
    assert "已撤销“进驻政务服务事项数”的上一次修改" in page
    ind = catalog.load()[CODE]
    assert (ind.name, ind.visibility, ind.responsible) == ("进驻政务服务事项数", "public", "区行政审批局")
    with app.server.extensions["dashboard.engine"].connect() as conn:
        assert conn.scalar(select(indicator_target.c.value)) is None
    (undone,) = events(app, "catalog_undone")
    assert undone.actor == "leader" and undone.detail["after"]["display_name"] == "进驻政务服务事项数"
    # nothing left to undo: said, not a 500
    resp = leader.post(CATALOG_UNDO_PATH, data={"code": CODE}, headers=OWN)
    assert resp.status_code == 400 and "没有可以撤销的修改" in text(resp)


@pytest.mark.parametrize(
    ("form", "fragment"),
    [
        ({"department": "NOPE"}, "没有代码为 NOPE 的部门"),
        ({"department": "OLD"}, "已撤销或并入其他部门"),
        ({"target_2026": "很多"}, "目标值应为数字"),
        ({"new_year": "1800", "new_value": "5"}, "年度 1800 超出范围"),
        ({"new_year": "明年", "new_value": "5"}, "年度应为四位数字"),
        ({"new_value": "5"}, "年度应为四位数字"),
        ({"visibility": "secret"}, "可见性应为 公开、内部、受限 之一"),
        ({"display_name": "长" * 61}, "显示名称应为不超过 60 个字"),
        ({"target_2026": "-3"}, "目标值不能为负数"),
    ],
)
def test_bad_values_are_refused_in_chinese_and_change_nothing(app, form, fragment):
    admin = signed_in(app, "admin")
    resp = admin.post(CATALOG_EDIT_PATH, data={"code": CODE, "display_name": "新名"} | form, headers=OWN)
    assert resp.status_code == 400
    page = text(resp)
    assert fragment in page
    # the form comes back with what was typed
    assert 'id="edit"' in page
    assert events(app, "catalog_edited") == [] and catalog.load()[CODE].name == "进驻政务服务事项数"


def test_a_rate_over_100_and_an_unknown_indicator_are_refused(app):
    admin = signed_in(app, "admin")
    resp = admin.post(CATALOG_EDIT_PATH, data={"code": RATE, "target_2026": "120"}, headers=OWN)
    assert resp.status_code == 400 and "目标值应在 0 到 100 之间" in text(resp)
    for path in (CATALOG_EDIT_PATH, CATALOG_UNDO_PATH):
        resp = admin.post(path, data={"code": "nope"}, headers=OWN)
        assert resp.status_code == 400 and "没有代码为 nope 的指标" in text(resp)
    assert admin.get(f"{CATALOG_PATH}?code=nope").status_code == 200
    assert events(app, "catalog_edited") == []


def test_undo_takes_back_one_step_at_a_time(app):
    admin = signed_in(app, "admin")
    for name in ("甲", "乙"):
        resp = admin.post(CATALOG_EDIT_PATH, data={"code": CODE, "display_name": name}, headers=OWN)
        assert resp.status_code == 303
    with app.server.extensions["dashboard.engine"].begin() as conn:
        # a target set since from the command line is not the edit's: the undo leaves it
        conn.execute(indicator_target.insert().values(indicator_code=CODE, year=2027, unit_code="", value=3))
    assert admin.post(CATALOG_UNDO_PATH, data={"code": CODE}, headers=OWN).status_code == 303
    with app.server.extensions["dashboard.engine"].connect() as conn:
        assert catalog_edits.state(conn, CODE)["display_name"] == "甲"
        assert catalog_edits.state(conn, CODE)["targets"] == {"2027": 3.0}
    resp = admin.post(CATALOG_UNDO_PATH, data={"code": CODE}, headers=OWN)
    assert "进驻政务服务事项数" in text(admin.get(resp.headers["Location"]))
    assert catalog.load()[CODE].name == "进驻政务服务事项数"


def test_a_rate_is_never_seen_more_widely_than_its_parts_whichever_is_changed(app):
    """With a public rate and its public numerator anyone works out the denominator (issue 19): the part can be
    made internal only after its rate, the rate made public again only after its part, and an undo that would
    bring that back is refused."""
    admin = signed_in(app, "admin")
    rate, part = "hotline_satisfaction_rate", "hotline_visited"

    def edit(code: str, visibility: str):
        return admin.post(CATALOG_EDIT_PATH, data={"code": code, "visibility": visibility}, headers=OWN)

    def both() -> tuple[str, str]:
        admin.get(CATALOG_PATH)  # each request puts the store's edits over the catalog first
        return catalog.load()[rate].visibility, catalog.load()[part].visibility

    refused = edit(part, "内部")
    assert refused.status_code == 400
    assert "本项是公开的比率“12345热线满意率”的分母，不能比它看得更窄" in text(refused)
    assert events(app, "catalog_edited") == [] and both() == ("public", "public")

    assert edit(rate, "内部").status_code == 303
    assert edit(part, "内部").status_code == 303
    assert both() == ("internal", "internal")
    refused = edit(rate, "公开")
    assert refused.status_code == 400
    assert "它的分母“12345热线回访诉求”是内部的，比率不能比它看得更广" in text(refused)
    # taking back the rate's change would make it public over an internal part
    undo = admin.post(CATALOG_UNDO_PATH, data={"code": rate}, headers=OWN)
    assert undo.status_code == 400 and "的修改不能撤销" in text(undo)
    assert both() == ("internal", "internal")
    # in the order that keeps it whole, both come back
    for code in (part, rate):
        assert admin.post(CATALOG_UNDO_PATH, data={"code": code}, headers=OWN).status_code == 303
    assert both() == ("public", "public")


def test_only_admins_and_leaders_reach_the_catalog(app):
    assert signed_in(app, "admin").get(CATALOG_PATH).status_code == 200
    clerk = signed_in(app, "sf")
    assert clerk.get(CATALOG_PATH).status_code == 403
    resp = clerk.post(CATALOG_EDIT_PATH, data={"code": CODE, "display_name": "x"}, headers=OWN)
    assert resp.status_code == 403
    assert clerk.post(CATALOG_UNDO_PATH, data={"code": CODE}, headers=OWN).status_code == 403
    # a leader reaches the catalog, not the rest of /admin
    leader = signed_in(app, "leader")
    assert leader.get("/admin/users").status_code == 403
    assert "指标目录" in text(leader.get(CATALOG_PATH))
    # the desk's header links there for those who may edit it
    assert f'"href": "{CATALOG_PATH}"' in layout(leader) and "指标目录" in layout(leader)
    assert CATALOG_PATH not in layout(clerk)
    visitor = app.server.test_client().get(CATALOG_PATH)
    assert visitor.status_code == 303 and "/login" in visitor.headers["Location"]
    # a form posted from another site is refused (the cross-site check every admin form has)
    resp = leader.post(
        CATALOG_EDIT_PATH,
        data={"code": CODE, "display_name": "x"},
        headers={"Origin": "https://evil.example"},
    )
    assert resp.status_code == 403
    assert events(app, "catalog_edited") == []

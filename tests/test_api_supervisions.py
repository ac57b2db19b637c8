"""GET /api/v1/supervisions and POST /api/v1/supervisions/{id}/replies with tokens, on both engines: scope, the
reply with attachments, and every refusal a 4xx JSON with nothing kept; the OpenAPI document describes both."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from conftest import PEOPLE

from dashboard.api.supervisions import supervision_json
from data import accounts
from data.access import Scope
from data.supervision import Who
from data.supervision_changes import create
from layouts.paths import API_SUPERVISIONS_PATH

LEADER = Who("leader", Scope(role="leader"))


@pytest.fixture
def tokens(app):
    engine = app.server.extensions["dashboard.engine"]
    with engine.begin() as conn:
        made = {name: accounts.create_token(conn, name)[1] for name in PEOPLE}
    return {name: {"Authorization": f"Bearer {token}"} for name, token in made.items()}


def _raise(app, unit=("department", "SFJ")) -> int:
    engine = app.server.extensions["dashboard.engine"]
    with engine.begin() as conn:
        return create(
            conn, LEADER, "mediation_success_rate", *unit, date.today() + timedelta(days=3), "请说明原因"
        )


def _replies(sid: int) -> str:
    return f"{API_SUPERVISIONS_PATH}/{sid}/replies"


def test_the_list_is_scoped_to_the_caller(app, tokens):
    client = app.server.test_client()
    mine, theirs = _raise(app), _raise(app, ("department", "SCJGJ"))
    listed = client.get(API_SUPERVISIONS_PATH, headers=tokens["leader"]).get_json()["supervisions"]
    assert {s["id"] for s in listed} == {mine, theirs}
    own = client.get(API_SUPERVISIONS_PATH + "?open=1", headers=tokens["justice"]).get_json()["supervisions"]
    assert [s["id"] for s in own] == [mine]
    assert own[0]["indicator"] == {"code": "mediation_success_rate", "name": "调处成功率"}
    assert own[0]["state"] == "open" and own[0]["state_text"] == "待办" and own[0]["overdue"] is False
    town = client.get(API_SUPERVISIONS_PATH, headers=tokens["qingshan"]).get_json()
    assert town == {"supervisions": []}
    visitor = client.get(API_SUPERVISIONS_PATH)
    assert visitor.status_code == 401 and "error" in visitor.get_json()
    bad = client.get(API_SUPERVISIONS_PATH + "?open=yes", headers=tokens["leader"])
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "open"


def test_a_unit_replies_with_a_token_and_a_file(app, tokens):
    sid = _raise(app)
    client = app.server.test_client()
    answer = client.post(
        _replies(sid),
        headers=tokens["justice"],
        data={"text": "已整改", "files": [(io.BytesIO(b"\x89PNG\r\n\x1a\n0000"), "现场.png")]},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["supervision"]["state"] == "replied"
    assert body["reply"]["author"] == "justice" and body["reply"]["attachments"][0]["kind"] == "png"
    got = client.get(body["reply"]["attachments"][0]["url"], headers=tokens["leader"])
    assert got.status_code == 200 and got.data.startswith(b"\x89PNG")
    # and as JSON, without files
    again = client.post(_replies(sid), headers=tokens["justice"], json={"text": "补充说明"})
    assert again.status_code == 201 and again.get_json()["reply"]["text"] == "补充说明"


@pytest.mark.parametrize(
    ("who", "body", "status", "message"),
    [
        ("market", {"text": "不是我们的"}, 404, "没有编号为"),
        ("leader", {"text": "替单位回复"}, 403, "负责人和录入员"),
        ("qingshan", {"text": "乡镇"}, 404, "没有编号为"),
        ("justice", {"text": "  "}, 400, "请填写回复内容"),
        ("justice", {}, 400, "缺少回复内容"),
        ("justice", ["text"], 400, "JSON 对象"),
    ],
)
def test_bad_replies_are_4xx_json_and_nothing_is_kept(app, tokens, who, body, status, message):
    sid = _raise(app)
    client = app.server.test_client()
    answer = client.post(_replies(sid), headers=tokens[who], json=body)
    assert answer.status_code == status and message in answer.get_json()["error"]
    listed = client.get(API_SUPERVISIONS_PATH, headers=tokens["leader"]).get_json()["supervisions"]
    assert [s["state"] for s in listed] == ["open"]


def test_an_exe_as_pdf_and_a_huge_body_are_refused(app, tokens):
    sid = _raise(app)
    client = app.server.test_client()
    exe = client.post(
        _replies(sid),
        headers=tokens["justice"],
        data={"text": "附报告", "files": [(io.BytesIO(b"MZ\x90\0" + b"\0" * 60), "报告.pdf")]},
        content_type="multipart/form-data",
    )
    assert exe.status_code == 400 and "实际是可执行程序" in exe.get_json()["error"]
    # 200 MB declared: refused on the declared length, before a byte of it is read
    huge = client.post(
        _replies(sid),
        headers=tokens["justice"],
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        environ_overrides={"CONTENT_LENGTH": str(200 * 1024 * 1024)},
    )
    assert huge.status_code == 413 and "请求体过大" in huge.get_json()["error"]
    assert client.post(_replies(999999), headers=tokens["justice"], json={"text": "x"}).status_code == 404
    listed = client.get(API_SUPERVISIONS_PATH, headers=tokens["leader"]).get_json()["supervisions"]
    assert [s["state"] for s in listed] == ["open"]


def test_the_openapi_document_describes_both_operations(app, tokens):
    document = app.server.test_client().get("/api/v1/openapi.json").get_json()
    assert document["paths"][API_SUPERVISIONS_PATH]["get"]["operationId"] == "getSupervisions"
    post = document["paths"][API_SUPERVISIONS_PATH + "/{id}/replies"]["post"]
    assert post["operationId"] == "postSupervisionReply" and "201" in post["responses"]
    sid = _raise(app)
    engine = app.server.extensions["dashboard.engine"]
    from data.supervision import get

    with engine.connect() as conn:
        shown = supervision_json(get(conn, sid, LEADER.scope))
    assert set(shown) == set(document["components"]["schemas"]["Supervision"]["properties"])


def test_a_township_head_replies_to_their_townships_follow_up(app, tokens):
    sid = _raise(app, ("township", "qingshan"))
    client = app.server.test_client()
    listed = client.get(API_SUPERVISIONS_PATH, headers=tokens["qingshan"]).get_json()["supervisions"]
    assert [(s["id"], s["unit"]["kind"], s["unit"]["code"]) for s in listed] == [
        (sid, "township", "qingshan")
    ]
    assert client.get(API_SUPERVISIONS_PATH, headers=tokens["justice"]).get_json() == {"supervisions": []}
    answer = client.post(_replies(sid), headers=tokens["qingshan"], json={"text": "镇里已专题研究"})
    assert answer.status_code == 201 and answer.get_json()["supervision"]["state"] == "replied"

"""The data page (/data, /data/batch/N, the upload, the downloads) and POST /api/v1/imports over HTTP, through
the Flask test client, on both engines.

Each engine gets its own small demo store (scale 0.02) and its own app, built once for this module: these tests
publish and roll back, and the session's demo stores must keep their figures. Every test that publishes rolls
its versions back before it ends, so each starts from the demo figures; each uses its own register numbers and
months of 2024.
"""

from __future__ import annotations

import errno
import hashlib
import html
import io
import re
import shutil
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ENGINES, PASSWORD, PEOPLE, new_store_url
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import delete, func, select

from dashboard import create_app
from data import accounts, demo
from data.engine import open_engine
from data.imports import batches, feeds, stage, versions
from data.imports.batches import Actor
from data.registers import REGISTERS
from data.schema import import_batch, staged_row
from data.store import migrate

OWN = {"Origin": "http://localhost"}
XHR = OWN | {"X-Requested-With": "XMLHttpRequest"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "矛盾纠纷调处登记"
HEAD = ["登记编号", "受理日期", "承办单位", "乡镇（街道）", "调处层级", "纠纷类型", "调处成功", "结案日期"]
TOWNS = ["青山镇", "白沙镇", "城关街道"]
# The clerk of PEOPLE works for the market regulator; the justice bureau's head is another department.
OWN_DEPARTMENT = "区市场监督管理局"
MEDIATION = ("disputes_mediated", "disputes_resolved", "mediation_success_rate")
WAIT_SECONDS = 60


# --- the store, the app, the people ----------------------------------------------------------------------


@pytest.fixture(scope="module", params=ENGINES)
def store(request, tmp_path_factory, pg_databases) -> str:
    """A small demo store of its own with the accounts of PEOPLE (about 3 s)."""
    url = new_store_url(request.param, tmp_path_factory.mktemp("data-page"), pg_databases)
    engine = open_engine(url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        demo.generate(conn, scale=0.02)
        for name, (role, tie) in PEOPLE.items():
            accounts.add_user(conn, name, PASSWORD, role, **tie)
    engine.dispose()
    return url


def build(store: str, folder, **settings):
    return create_app({"database_url": store, "instance_path": folder, **settings})


def dispose(app) -> None:
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()


@pytest.fixture(scope="module")
def app(store, tmp_path_factory) -> Iterator:
    built = build(store, tmp_path_factory.mktemp("instance"))
    yield built
    dispose(built)


@pytest.fixture(scope="module")
def engine(app):
    return app.server.extensions["dashboard.engine"]


def signed_in(app, name: str) -> FlaskClient:
    client = app.server.test_client()
    resp = client.post("/login", data={"username": name, "password": PASSWORD}, headers=OWN)
    assert resp.status_code == 303, resp.get_data(as_text=True)
    return client


@pytest.fixture
def clerk(app) -> FlaskClient:
    return signed_in(app, "clerk")


@pytest.fixture
def leader(app) -> FlaskClient:
    return signed_in(app, "leader")


def token(engine, name: str) -> dict[str, str]:
    with engine.begin() as conn:
        return {"Authorization": f"Bearer {accounts.create_token(conn, name)[1]}"}


# --- files ---------------------------------------------------------------------------------------------------


def dispute_book(prefix: str, month: int, rows: int = 3, bad: bool = False) -> bytes:
    """A dispute register of the clerk's department for days of ``month`` 2024; ``bad``: its first row names a
    township without its 镇 and says 可能 for yes/no."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEAD)
    for i in range(rows):
        ws.append(
            [
                f"{prefix}-{i + 1:04d}",
                date(2024, month, 3 + i),
                OWN_DEPARTMENT,
                TOWNS[i % len(TOWNS)],
                "乡镇",
                "邻里纠纷",
                "是" if i % 2 == 0 else "否",
                None,
            ]
        )
    if bad:
        ws["D2"] = "青山"
        ws["G2"] = "可能"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(client: FlaskClient, body: bytes, name: str = "调处登记.xlsx", headers=XHR, **form: str):
    return client.post("/data/upload", data={"file": (io.BytesIO(body), name), **form}, headers=headers)


def uploaded(client: FlaskClient, body: bytes, name: str = "调处登记.xlsx", **form: str) -> int:
    """Upload as the page's script does and wait for the check; returns the batch id."""
    resp = upload(client, body, name, **form)
    assert resp.status_code == 202, resp.get_data(as_text=True)
    batch_id = resp.get_json()["batch"]
    assert resp.get_json()["url"] == f"/data/batch/{batch_id}"
    settled(client, batch_id)
    return batch_id


def settled(client: FlaskClient, batch_id: int, waiting: tuple[str, ...] = ()) -> dict:
    """The status JSON once the batch is no longer being checked or published (nor in a state of ``waiting``:
    a publish job may not have begun when the POST answers)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        resp = client.get(f"/data/batch/{batch_id}/status")
        assert resp.status_code == 200, resp.get_data(as_text=True)
        status = resp.get_json()
        if not status["running"] and status["status"] not in waiting:
            return status
        assert time.monotonic() < deadline, f"batch {batch_id} still {status}"
        time.sleep(0.2)


def batch(engine, batch_id: int) -> batches.Batch:
    with engine.connect() as conn:
        return batches.get(conn, batch_id)


def batch_count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(import_batch))


# --- what the pages say ------------------------------------------------------------------------------------


def text_of(resp) -> str:
    return resp.get_data(as_text=True)


def messages(resp, kind: str) -> list[str]:
    """The notices (kind ok) or errors (kind error) a page shows."""
    found = re.findall(rf'class="admin-message admin-{kind}"[^>]*>(.*?)</div>', text_of(resp), re.S)
    return [html.unescape(m.strip()) for m in found]


def linked_batches(resp) -> set[int]:
    """The batches the batch list of /data links to."""
    table = re.search(r'<table class="admin-table data-batches">(.*?)</table>', text_of(resp), re.S)
    return {int(n) for n in re.findall(r'href="/data/batch/(\d+)"', table.group(1))} if table else set()


def template_links(resp) -> set[str]:
    return set(re.findall(r'href="/data/template/(\w+)\.xlsx"', text_of(resp)))


def values(client: FlaskClient) -> dict[str, float]:
    resp = client.get("/api/v1/values?year=2024&area=mediation")
    assert resp.status_code == 200
    return {v["code"]: v["value"] for v in resp.get_json()["values"] if v["code"] in MEDIATION}


def district_after(b: batches.Batch, code: str) -> float:
    (found,) = [f for f in b.preview["figures"] if f["level"] == "district" and f["code"] == code]
    return found["after"]


def publish_as(client: FlaskClient, batch_id: int) -> dict:
    resp = client.post(f"/data/batch/{batch_id}/publish", headers=OWN)
    assert resp.status_code == 303 and resp.headers["Location"] == f"/data/batch/{batch_id}?notice=publishing"
    status = settled(client, batch_id, waiting=("staged",))
    assert status["status"] == "published", status
    return status


def version_of(engine, batch_id: int) -> int:
    with engine.connect() as conn:
        (found,) = [v.id for v in versions.versions(conn, limit=1000) if v.batch_id == batch_id]
    return found


def roll_back(client: FlaskClient, version_id: int, seen: str | None = None):
    """The rollback form posted as the browser posts it, with the newest version the data page shows."""
    if seen is None:
        shown = re.search(r'name="seen" value="(\d+)"', client.get("/data").get_data(as_text=True))
        seen = shown.group(1) if shown else ""
    return client.post(f"/data/version/{version_id}/rollback", data={"seen": seen}, headers=OWN)


# --- who may use the page -----------------------------------------------------------------------------------


def test_a_visitor_is_sent_to_sign_in_and_answered_401_where_json_is_asked(app):
    client = app.server.test_client()
    resp = client.get("/data")
    assert resp.status_code == 303 and resp.headers["Location"] == "/login?next=%2Fdata"
    page = client.get("/data/batch/1?notice=figure")
    assert page.status_code == 303
    assert page.headers["Location"] == "/login?next=%2Fdata%2Fbatch%2F1%3Fnotice%3Dfigure"
    status = client.get("/data/batch/1/status")
    assert status.status_code == 401 and status.get_json()["error"] == "请先登录"
    refused = upload(client, dispute_book("V", 6))
    assert refused.status_code == 401 and refused.get_json() == {"error": "请先登录后再上传数据"}
    assert client.get("/data/template/dispute_case.xlsx").status_code == 401
    # a plain form (no script) is sent back to the page, which sends the visitor to sign in
    form = upload(client, dispute_book("V", 6), headers=OWN)
    assert form.status_code == 303 and form.headers["Location"].startswith("/data?error=")
    assert client.post("/data/batch/1/publish", headers=OWN).headers["Location"] == "/login?next=%2Fdata"


def test_a_township_head_is_refused_with_a_chinese_page(app, engine):
    client = signed_in(app, "qingshan")
    before = batch_count(engine)
    for resp in (client.get("/data"), client.get("/data/batch/1")):
        assert resp.status_code == 403 and resp.mimetype == "text/html"
        page = text_of(resp)
        assert '<html lang="zh-CN">' in page and "无权使用数据管理" in page
        assert "数据管理只对数据录入员、部门负责人和审核人（领导、管理员）开放。" in page
    refused = upload(client, dispute_book("Q", 6))
    assert refused.status_code == 403
    assert refused.get_json() == {"error": "只有数据录入员、部门负责人和审核人（领导、管理员）可以上传数据"}
    assert batch_count(engine) == before


def test_a_clerk_sees_their_departments_batches_and_the_registers_they_may_upload(app, engine, clerk, leader):
    justice = signed_in(app, "justice")
    theirs = uploaded(justice, dispute_book("J", 6, bad=True), register="dispute_case")
    assert batch(engine, theirs).department_code == "SFJ"
    mine = uploaded(clerk, dispute_book("C", 6, bad=True))
    # a file refused before its register is known (empty) is still the clerk's own batch, listed for them
    refused = uploaded(clerk, b"", "空.xlsx")
    assert batch(engine, refused).status == "invalid"

    page = clerk.get("/data")
    assert page.status_code == 200
    listed = linked_batches(page)
    assert {mine, refused} <= listed and theirs not in listed
    assert all(batch(engine, n).department_code in ("SCJGJ", None) for n in listed)
    assert "批次（本部门）" in text_of(page) and "已发布的版本" not in text_of(page)
    # registers with a department column, for their own department; the police registers are the police's
    may_upload = {name for name, r in REGISTERS.items() if r.has_department}
    assert template_links(page) == may_upload
    assert {"police_incident", "administrative_case", "detention"}.isdisjoint(template_links(page))
    options = re.search(r'<select name="register">(.*?)</select>', text_of(page), re.S).group(1)
    assert set(re.findall(r'<option value="(\w+)">', options)) == may_upload
    assert 'name="department"' not in text_of(page) and OWN_DEPARTMENT in text_of(page)

    for path in (f"/data/batch/{theirs}", f"/data/batch/{theirs}/annotated.xlsx"):
        resp = clerk.get(path)
        assert resp.status_code == 403 and "无权查看这个批次" in text_of(resp)
    status = clerk.get(f"/data/batch/{theirs}/status")
    assert status.status_code == 403 and status.get_json() == {"error": "无权查看这个批次"}

    police = signed_in(app, "police")
    assert template_links(police.get("/data")) == set(REGISTERS)
    everyone = leader.get("/data")
    assert {theirs, mine, refused} <= linked_batches(everyone) and "已发布的版本" in text_of(everyone)
    assert template_links(everyone) == set(REGISTERS)


def validation_lists(wb, column: str) -> list[list[str]]:
    """The values of each list validation that covers ``column``'s first data row."""
    found = []
    for dv in wb.active.data_validations.dataValidation:
        if dv.type != "list" or f"{column}2" not in dv.sqref:
            continue
        source = dv.formula1
        if source.startswith('"'):
            found.append(source.strip('"').split(","))
        else:  # a range on the hidden sheet: 列表!$A$2:$A$42
            sheet, cells = source.lstrip("=").split("!")
            found.append([c.value for row in wb[sheet.strip("'")][cells.replace("$", "")] for c in row])
    return found


def test_the_clerks_template_offers_only_their_department(clerk, leader):
    resp = clerk.get("/data/template/dispute_case.xlsx")
    assert resp.status_code == 200 and resp.mimetype == XLSX
    assert resp.headers["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb.active.title == SHEET and [c.value for c in wb.active[1]] == HEAD
    # 承办单位 is the third column
    assert validation_lists(wb, "C") == [[OWN_DEPARTMENT]]
    assert "区司法局" not in [c.value for row in wb["列表"].iter_rows() for c in row]

    everyone = load_workbook(io.BytesIO(leader.get("/data/template/dispute_case.xlsx").data))
    (offered,) = validation_lists(everyone, "C")
    assert OWN_DEPARTMENT in offered and "区司法局" in offered and len(offered) > 30
    assert clerk.get("/data/template/nothing.xlsx").status_code == 404


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"department": "SFJ", "register": "dispute_case"}, 403, "只能上传本部门的数据"),
        ({"department": "SFJ"}, 403, "只能上传本部门的数据"),
        ({"department": "XXX"}, 403, "只能上传本部门的数据"),
    ],
)
def test_a_clerk_cannot_upload_for_another_department(clerk, engine, form, status, message):
    before = batch_count(engine)
    resp = upload(clerk, dispute_book("X", 6), **form)
    assert resp.status_code == status and resp.get_json() == {"error": message}
    assert batch_count(engine) == before
    plain = upload(clerk, dispute_book("X", 6), headers=OWN, **form)
    assert plain.status_code == 303 and parse_qs(urlsplit(plain.headers["Location"]).query)["error"] == [
        message
    ]
    assert messages(clerk.get(plain.headers["Location"]), "error") == [message]


# --- uploads that go wrong --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "form", "message"),
    [
        (None, {}, "请选择要上传的文件（表单字段 file）"),
        (None, {"register": "dispute_case"}, "请选择要上传的文件（表单字段 file）"),
        ("", {}, "请选择要上传的文件（表单字段 file）"),
        ("a.xlsx", {"register": "nothing"}, "没有登记簿 nothing"),
        ("a.xlsx", {"township": "atlantis"}, "没有代码为 atlantis 的乡镇（街道）"),
        (
            "a.xlsx",
            {"department": "SCJGJ", "register": "police_incident"},
            "警情登记不分部门，不能按部门导入",
        ),
    ],
)
def test_an_upload_without_a_file_or_with_a_wrong_field_is_a_chinese_400(clerk, engine, name, form, message):
    before = batch_count(engine)
    data = form if name is None else {"file": (io.BytesIO(b"x"), name), **form}
    resp = clerk.post("/data/upload", data=data, headers=XHR)
    assert resp.status_code == 400 and resp.get_json() == {"error": message}
    assert batch_count(engine) == before


def test_a_full_upload_disk_is_said_plainly_and_keeps_no_half_file(clerk, engine, app, monkeypatch):
    """ENOSPC while the file is kept: a 507 in Chinese, no batch, and no cut-short copy that a later upload of
    the same file would take for the whole one."""
    real_copy = shutil.copyfile

    def half_then_full(source, target):
        Path(target).write_bytes(Path(source).read_bytes()[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    before = batch_count(engine)
    monkeypatch.setattr(stage.shutil, "copyfile", half_then_full)
    body = dispute_book("F", 6)
    resp = upload(clerk, body)
    assert resp.status_code == 507
    assert resp.get_json() == {
        "error": "服务器存放上传文件的磁盘已满，文件没有保存；请联系管理员腾出空间后重新上传"
    }
    form = upload(clerk, body, headers=OWN)
    assert form.status_code == 303 and "error=" in form.headers["Location"]
    assert batch_count(engine) == before
    uploads = Path(app.server.config["DASHBOARD"].uploads_path)
    kept = uploads / f"{hashlib.sha256(body).hexdigest()}.xlsx"
    assert not kept.exists() and not list(uploads.glob("*.part"))
    # space again: the same file is kept whole and checked
    monkeypatch.setattr(stage.shutil, "copyfile", real_copy)
    batch_id = uploaded(clerk, body)
    assert batch(engine, batch_id).status == "staged"


def test_a_bad_period_is_a_chinese_400(clerk):
    resp = upload(clerk, dispute_book("P", 6), period="2024-13")
    assert resp.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", resp.get_json()["error"]), resp.get_json()


@pytest.mark.parametrize(
    ("name", "body", "reason"),
    [
        ("空.xlsx", b"", "文件是空的，请检查后重新上传。"),
        (
            "宏.xlsm",
            dispute_book("M", 6),
            "不接收“.xlsm”文件：含宏的工作簿不予接收，请另存为 .xlsx 后再上传。",
        ),
        ("说明.docx", b"PK\x03\x04", "只接收 .xlsx、.xls 或 .csv 文件，不接收“.docx”文件。"),
        ("假的.xlsx", b"<html>not a workbook</html>", "文件内容不是 .xlsx 工作簿"),
    ],
)
def test_a_refused_file_becomes_an_invalid_batch_that_says_why(clerk, engine, name, body, reason):
    """The upload itself is taken (202); the check refuses the file and the batch says why, never a 500."""
    batch_id = uploaded(clerk, body, name)
    status = clerk.get(f"/data/batch/{batch_id}/status").get_json()
    assert status["status"] == "invalid" and status["step"] == "文件未被接受，未暂存任何数据"
    b = batch(engine, batch_id)
    assert b.error_count == 1 and b.errors[0]["reason"].startswith(reason)
    page = clerk.get(f"/data/batch/{batch_id}")
    assert page.status_code == 200 and html.escape(reason, quote=False) in text_of(page)
    assert "下载标注了错误的文件" not in text_of(page)
    annotated = clerk.get(f"/data/batch/{batch_id}/annotated.xlsx")
    assert annotated.status_code == 404 and "没有" in text_of(annotated)


def test_a_file_over_the_limit_is_a_413_naming_the_limit(store, tmp_path):
    small = build(store, tmp_path, max_upload_mb=0.05)
    try:
        client = signed_in(small, "clerk")
        page = text_of(client.get("/data"))
        assert 'data-max-bytes="52428"' in page and "最大 0.05 MB" in page
        big = b"x" * 200_000
        for headers in (XHR, OWN):
            resp = upload(client, big, "大.csv", headers=headers)
            assert resp.status_code == 413, text_of(resp)
            assert text_of(resp) == "请求体过大（上限 0.05 MB）"
        with small.server.extensions["dashboard.engine"].begin() as conn:
            bearer = {"Authorization": f"Bearer {accounts.create_token(conn, 'clerk')[1]}"}
        api = small.server.test_client().post(
            "/api/v1/imports", data={"file": (io.BytesIO(big), "大.csv")}, headers=bearer
        )
        assert api.status_code == 413 and api.get_json() == {"error": "请求体过大（上限 0.05 MB）"}
        # a file just over the limit that fits the request's allowance for the form is refused by the check
        batch_id = uploaded(client, b"x" * 60_000, "略大.csv")
        b = batch(small.server.extensions["dashboard.engine"], batch_id)
        # (the check names the limit in whole bytes: 52,428 bytes are 0.0499992 MB)
        assert b.status == "invalid" and re.fullmatch(
            r"文件超过 0\.0499992 MB 的大小上限，请拆分后再上传。", b.errors[0]["reason"]
        )
    finally:
        dispose(small)


def test_an_upload_from_another_site_is_refused(clerk, engine):
    before = batch_count(engine)
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Referer": "http://evil.example/page"},
        {},  # the clerk's cookie and no word of where the request comes from
    ):
        resp = upload(clerk, dispute_book("S", 6), headers=headers | {"X-Requested-With": "XMLHttpRequest"})
        assert resp.status_code == 403 and text_of(resp) == "跨站请求已拒绝：请从本站页面操作。"
    assert batch_count(engine) == before


# --- the batch's page and its status ---------------------------------------------------------------------


def test_an_invalid_batch_lists_its_errors_and_hands_back_the_file_marked(clerk, engine):
    batch_id = uploaded(clerk, dispute_book("E", 6, bad=True))
    b = batch(engine, batch_id)
    assert b.status == "invalid" and b.error_count == 2 and b.register == "dispute_case"
    page = text_of(clerk.get(f"/data/batch/{batch_id}"))
    assert "发现 2 处错误，未暂存任何数据" in page and "“青山”不在乡镇列表中，是否为“青山镇”？" in page
    assert "“可能”应为“是”或“否”" in page and f'href="/data/batch/{batch_id}/annotated.xlsx"' in page
    resp = clerk.get(f"/data/batch/{batch_id}/annotated.xlsx")
    assert resp.status_code == 200 and resp.mimetype == XLSX
    assert "%E9%94%99%E8%AF%AF%E6%A0%87%E6%B3%A8.xlsx" in resp.headers["Content-Disposition"]  # 错误标注
    ws = load_workbook(io.BytesIO(resp.data))[SHEET]
    marked = {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment}
    assert marked == {"D2": "“青山”不在乡镇列表中，是否为“青山镇”？", "G2": "“可能”应为“是”或“否”"}


def following(client: FlaskClient, batch_id: int) -> str:
    """Whether the batch's page has its script follow the batch ("1") or not ("0")."""
    page = text_of(client.get(f"/data/batch/{batch_id}"))
    return re.search(r'<section class="admin-card data-summary"[^>]*data-running="(\d)"', page).group(1)


def test_the_status_json_of_a_running_and_a_finished_batch(app, engine, clerk):
    with engine.begin() as conn:
        running = batches.create(
            conn,
            kind="register",
            actor=Actor("clerk", "clerk", "SCJGJ"),
            register="dispute_case",
            department_code="SCJGJ",
        )
    try:
        resp = clerk.get(f"/data/batch/{running}/status")
        assert resp.status_code == 200 and resp.mimetype == "application/json"
        assert resp.get_json() == {
            "id": running,
            "status": "checking",
            "status_zh": "检查中",
            "step": "等待检查",
            "progress": 0,
            "running": True,
        }
        # the page says it is running, so its script follows it
        assert following(clerk, running) == "1"
    finally:
        with engine.begin() as conn:
            batches.fail(conn, running, "测试结束")
    failed = clerk.get(f"/data/batch/{running}/status").get_json()
    assert (
        failed["status"] == "failed" and failed["running"] is False and failed["step"] == "测试结束：可以重试"
    )

    staged = uploaded(clerk, dispute_book("R", 6))
    assert clerk.get(f"/data/batch/{staged}/status").get_json() == {
        "id": staged,
        "status": "staged",
        "status_zh": "待审核",
        "step": "待审核",
        "progress": 100,
        "running": False,
    }
    assert following(clerk, staged) == "0"
    missing = clerk.get("/data/batch/999999/status")
    assert missing.status_code == 404 and missing.get_json() == {"error": "没有编号为 999999 的批次"}


# --- review: publish, reject, roll back ----------------------------------------------------------------------


def test_a_clerk_cannot_publish_or_reject_and_is_told_why(clerk, engine):
    batch_id = uploaded(clerk, dispute_book("N", 6))
    assert batch(engine, batch_id).status == "staged"
    page = text_of(clerk.get(f"/data/batch/{batch_id}"))
    assert "发布后会发生的变化" in page and f'action="/data/batch/{batch_id}/publish"' not in page
    for action in ("publish", "reject"):
        resp = clerk.post(f"/data/batch/{batch_id}/{action}", data={"reason": "不要"}, headers=OWN)
        assert resp.status_code == 303 and resp.headers["Location"].startswith(
            f"/data/batch/{batch_id}?error="
        )
        shown = messages(clerk.get(resp.headers["Location"]), "error")
        assert shown == ["只有审核人（领导或管理员）可以发布、驳回或回滚数据"]
    assert batch(engine, batch_id).status == "staged"


def test_a_bearer_token_cannot_act_through_the_pages_forms(app, engine, clerk):
    batch_id = uploaded(clerk, dispute_book("B", 6))
    client = app.server.test_client()
    resp = client.post(f"/data/batch/{batch_id}/publish", headers=token(engine, "leader"))
    assert resp.status_code == 403 and "需要在浏览器中登录" in text_of(resp)
    assert batch(engine, batch_id).status == "staged"


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_rejecting_needs_a_reason(clerk, leader, engine, reason):
    batch_id = uploaded(clerk, dispute_book("J", 7))
    resp = leader.post(f"/data/batch/{batch_id}/reject", data={"reason": reason}, headers=OWN)
    assert resp.status_code == 303 and messages(leader.get(resp.headers["Location"]), "error") == [
        "驳回须写明理由"
    ]
    assert batch(engine, batch_id).status == "staged"
    done = leader.post(f"/data/batch/{batch_id}/reject", data={"reason": "  第 3 行  日期有误 "}, headers=OWN)
    assert done.headers["Location"] == f"/data/batch/{batch_id}?notice=rejected"
    page = leader.get(done.headers["Location"])
    assert messages(page, "ok") == ["批次已驳回"] and "第 3 行 日期有误" in text_of(page)
    b = batch(engine, batch_id)
    assert (b.status, b.reason, b.reviewed_by) == ("rejected", "第 3 行 日期有误", "leader")
    again = leader.post(f"/data/batch/{batch_id}/publish", headers=OWN)
    assert messages(leader.get(again.headers["Location"]), "error") == [
        f"批次 {batch_id} 已驳回，只有待审核的批次可以发布"
    ]


def test_publishing_changes_the_figures_and_rolling_back_restores_them(app, engine, clerk, leader):
    before = values(leader)
    batch_id = uploaded(clerk, dispute_book("P", 2, rows=4))
    staged = batch(engine, batch_id)
    # the demo's market regulator handled no dispute: every row is new
    assert staged.status == "staged" and staged.preview["rows"]["added"] == 4
    assert staged.preview["rows"]["removed"] == 0
    expected = district_after(staged, "disputes_mediated")
    assert expected == before["disputes_mediated"] + 4

    publish_as(leader, batch_id)
    after = values(leader)
    assert after["disputes_mediated"] == expected
    assert after["disputes_resolved"] == before["disputes_resolved"] + 2
    page = text_of(leader.get(f"/data/batch/{batch_id}"))
    assert "已发布" in page and "发布时的变化" in page
    version = version_of(engine, batch_id)
    listed = text_of(leader.get("/data"))
    assert f'action="/data/version/{version}/rollback"' in listed

    assert roll_back(clerk, version).headers["Location"].startswith("/data?error=")
    assert values(leader) == after
    resp = roll_back(leader, version)
    assert resp.status_code == 303 and resp.headers["Location"] == "/data?notice=rolled_back"
    assert messages(leader.get(resp.headers["Location"]), "ok") == ["已回滚，数据恢复到该版本发布之前"]
    assert values(leader) == before
    assert batch(engine, batch_id).status == "rolled_back"
    # the form posted again from the page as it was (the page now offers no rollback of that version)
    twice = roll_back(leader, version, seen=str(version))
    assert messages(leader.get(twice.headers["Location"]), "error")[0].startswith(f"版本 {version} 已于")
    unknown = roll_back(leader, 999999, seen=str(version))
    assert messages(leader.get(unknown.headers["Location"]), "error") == ["没有版本 999999"]


def test_the_same_file_twice_makes_two_batches_and_the_second_publish_changes_nothing(engine, clerk, leader):
    before = values(leader)
    body = dispute_book("D", 5)
    first, second = uploaded(clerk, body), uploaded(clerk, body)
    assert first != second
    one, two = batch(engine, first), batch(engine, second)
    assert one.file_sha256 == two.file_sha256 and one.status == two.status == "staged"
    assert linked_batches(clerk.get("/data")) >= {first, second}

    publish_as(leader, first)
    after = values(leader)
    assert after["disputes_mediated"] == before["disputes_mediated"] + 3
    # the second batch's page now says what publishing it would do: nothing
    page = text_of(leader.get(f"/data/batch/{second}"))
    assert "发布后没有数字会变化" in page
    assert batch(engine, second).preview["rows"] == {
        "total": 3,
        "added": 0,
        "replaced": 0,
        "unchanged": 3,
        "removed": 0,
    }
    publish_as(leader, second)
    assert values(leader) == after
    first_version, second_version = version_of(engine, first), version_of(engine, second)
    assert second_version > first_version
    # a page that showed only the first version cannot undo the second unseen
    unseen = roll_back(leader, first_version, seen=str(first_version))
    assert messages(leader.get(unseen.headers["Location"]), "error") == [
        f"打开本页之后又发布了版本 {second_version}（批次 {second}），回滚版本 {first_version} 会一并撤销它们；"
        "请核对最新的版本列表后再回滚"
    ]
    assert values(leader) == after
    assert messages(leader.get(roll_back(leader, first_version, seen="").headers["Location"]), "error") == [
        "回滚须从最新的版本列表提交：请刷新本页，核对后再回滚"
    ]
    # rolling the first version back from the page that lists both undoes the second too
    roll_back(leader, first_version)
    assert values(leader) == before
    assert batch(engine, first).status == batch(engine, second).status == "rolled_back"


# --- POST /api/v1/imports --------------------------------------------------------------------------------------


def api_upload(app, headers: dict, body: bytes, query: str = "", name: str = "导出.xlsx"):
    return app.server.test_client().post(
        f"/api/v1/imports{query}", data={"file": (io.BytesIO(body), name)}, headers=headers
    )


def test_the_api_checks_a_file_and_answers_its_errors_or_changes(app, engine):
    bearer = token(engine, "clerk")
    assert api_upload(app, {}, dispute_book("A", 8)).status_code == 401
    assert api_upload(app, {}, dispute_book("A", 8)).get_json() == {"error": "请先登录后再上传数据"}
    assert api_upload(app, {"Authorization": "Bearer nonsense"}, dispute_book("A", 8)).status_code == 401

    bad = api_upload(app, bearer, dispute_book("A", 8, bad=True))
    assert bad.status_code == 201, bad.get_json()
    body = bad.get_json()
    assert body["status"] == "invalid" and body["status_text"] == "有错误" and body["error_count"] == 2
    assert body["register"] == "dispute_case" and body["department"] == "SCJGJ"
    assert [(e["sheet"], e["row"], e["column"], e["value"]) for e in body["errors"]] == [
        (SHEET, 2, "乡镇（街道）", "青山"),
        (SHEET, 2, "调处成功", "可能"),
    ]
    assert body["changes"] == {"rows": None, "figures": []}

    good = api_upload(app, bearer, dispute_book("A", 8))
    assert good.status_code == 201
    body = good.get_json()
    assert body["status"] == "staged" and body["errors"] == [] and body["error_count"] == 0
    assert body["changes"]["rows"]["added"] == 3 and body["rows"] == 3
    assert body["period"] == {"start": "2024-08-01", "end": "2024-08-31"}
    codes = {f["code"] for f in body["changes"]["figures"] if f["level"] == "district"}
    assert "disputes_mediated" in codes
    assert "publish" not in body

    again = app.server.test_client().get(f"/api/v1/imports/{body['id']}", headers=bearer)
    assert again.status_code == 200 and again.get_json()["status"] == "staged"
    other = app.server.test_client().get(f"/api/v1/imports/{body['id']}", headers=token(engine, "justice"))
    assert other.status_code == 403 and other.get_json() == {"error": "无权查看这个批次"}
    assert app.server.test_client().get(f"/api/v1/imports/{body['id']}").status_code == 401
    township = api_upload(app, token(engine, "qingshan"), dispute_book("A", 8))
    assert township.status_code == 403
    empty = app.server.test_client().post("/api/v1/imports", data={}, headers=bearer)
    assert empty.status_code == 400 and empty.get_json() == {"error": "请选择要上传的文件（表单字段 file）"}


def test_the_api_publishes_only_what_the_feed_allows(app, engine, leader):
    bearer = token(engine, "clerk")
    before = values(leader)
    refused = api_upload(app, bearer, dispute_book("F", 9), "?publish=1")
    assert refused.status_code == 201
    body = refused.get_json()
    assert body["status"] == "staged"
    assert body["publish"] == "未发布：该账号没有自动发布此登记簿的权限，须由审核人发布"
    assert values(leader) == before

    with engine.begin() as conn:
        feeds.allow(conn, "clerk", "dispute_case")
    try:
        done = api_upload(app, bearer, dispute_book("F", 9), "?publish=1")
        assert done.status_code == 201
        body = done.get_json()
        assert body["status"] == "published" and "publish" not in body
        assert values(leader)["disputes_mediated"] == before["disputes_mediated"] + 3
        # allowed, but not asked: it waits for a reviewer
        asked_not = api_upload(app, bearer, dispute_book("G", 10))
        assert asked_not.get_json()["status"] == "staged"
        # the feed is for its register only
        with engine.connect() as conn:
            assert not feeds.allowed(conn, "clerk", "inspection")
    finally:
        with engine.begin() as conn:
            feeds.deny(conn, "clerk", "dispute_case")
    roll_back(leader, version_of(engine, body["id"]))
    assert values(leader) == before


def test_only_a_check_cut_short_is_checked_again_and_it_then_stages(clerk, leader, engine):
    batch_id = uploaded(clerk, dispute_book("R", 9))
    refused = leader.post(f"/data/batch/{batch_id}/retry", headers=OWN)
    assert refused.status_code == 303
    assert messages(leader.get(refused.headers["Location"]), "error") == [
        f"批次 {batch_id} 待审核：只有检查中断的批次可以重新检查；发布中断的批次请重新发布"
    ]
    # As a process killed mid-check leaves it: the staged rows gone with its transaction, the batch failed.
    with engine.begin() as conn:
        conn.execute(delete(staged_row).where(staged_row.c.batch_id == batch_id))
        batches.set_state(conn, batch_id, status="checking", preview=None)
        batches.fail(conn, batch_id, "检查中断")
    assert batch(engine, batch_id).status == "failed"
    resp = clerk.post(f"/data/batch/{batch_id}/retry", headers=OWN)
    assert resp.headers["Location"] == f"/data/batch/{batch_id}?notice=retrying"
    assert settled(clerk, batch_id, ("checking",))["status"] == "staged"


def test_the_preview_shows_an_uploader_no_restricted_figure_of_another_department(app, engine, monkeypatch):
    """A market clerk's dispute rows change 区司法局's figures; with one restricted, the clerk's preview (API and
    batch page) leaves it out, district-wide and by township, while a leader's shows it."""
    from dataclasses import replace as changed

    from data import catalog

    code = "disputes_mediated"
    cat = catalog.load()
    monkeypatch.setitem(cat, code, changed(cat[code], visibility="restricted"))
    done = api_upload(app, token(engine, "clerk"), dispute_book("R", 10))
    assert done.status_code == 201, done.get_json()
    batch_id = done.get_json()["id"]
    assert code not in {f["code"] for f in done.get_json()["changes"]["figures"]}
    clerk_page = signed_in(app, "clerk").get(f"/data/batch/{batch_id}").get_data(as_text=True)
    assert cat[code].name not in clerk_page
    leader = app.server.test_client().get(f"/api/v1/imports/{batch_id}", headers=token(engine, "leader"))
    shown = {(f["code"], f["level"]) for f in leader.get_json()["changes"]["figures"]}
    assert (code, "district") in shown and any(c == code and lvl != "district" for c, lvl in shown)

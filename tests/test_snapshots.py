"""Frozen figures (issue 10) on both engines: a snapshot keeps a deck's content as it was, with its own URL and
PowerPoint, unchanged when the data changes; signed-in readers freeze, the one who froze it (or a leader or an
admin) renames and deletes; a reader opens only a snapshot whose every figure they may see."""

from __future__ import annotations

import io
import json
import os
import re
from subprocess import CompletedProcess

import docx
import pytest
from conftest import INTERNAL, client_as, run_cli
from import_support import copy_store
from pptx import Presentation
from pypdf import PdfReader

from dashboard.content.deck import deck_content
from data import catalog, snapshots
from data.access import OPERATOR
from data.engine import open_engine
from data.imports import figures, publish
from data.imports.batches import COMMAND_LINE
from data.queries.filters import Filters
from layouts.decks import DECKS

OWN = {"Origin": "http://localhost"}
CODE = "service_center_departments"


def _figure(page: str, code: str) -> dict:
    config = json.loads(page.split('id="present-config">', 1)[1].split("</script>", 1)[0])
    return next(
        f for s in config["content"]["slides"] for f in s.get("figures", []) if f["code"] == code
    ), config


def _texts(content: bytes) -> list[str]:
    deck = Presentation(io.BytesIO(content))
    return [sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame]


def _words(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def _publish(app, value: float) -> None:
    engine = open_engine(app.server.extensions["dashboard.engine"].url.render_as_string(hide_password=False))
    batch = figures.submit(engine, COMMAND_LINE, CODE, 2024, value, "快照测试")
    publish.publish(engine, batch, COMMAND_LINE)
    engine.dispose()


@pytest.mark.browser  # its PDF is printed by the app's Chromium
def test_a_snapshot_never_changes_when_the_data_does(app):
    leader = client_as(app, "leader")
    made = leader.post("/present/annual/snapshot", data={"year": "2024"}, headers=OWN)
    assert made.status_code == 303 and made.headers["Location"].startswith("/present/s/")
    path = made.headers["Location"]
    before, config = _figure(leader.get(path).get_data(as_text=True), CODE)
    assert (
        before["number"] == 43
        and "（快照，" in config["frozen"]
        and "数据截至 2024年12月31日" in config["frozen"]
    )
    pptx_before = _texts(leader.get(path + "/deck.pptx").data)
    assert sum("（快照，" in text for text in pptx_before) == 12

    _publish(app, 50)
    live, _ = _figure(leader.get("/present/annual?year=2024").get_data(as_text=True), CODE)
    after, _ = _figure(leader.get(path).get_data(as_text=True), CODE)
    assert (live["number"], after["number"]) == (50, 43)
    assert _texts(leader.get(path + "/deck.pptx").data) == pptx_before
    # its PDF, printed after the change, still has the frozen figure and says so on every page
    pages = [
        "".join(p.extract_text().split())
        for p in PdfReader(io.BytesIO(leader.get(path + "/deck.pdf").data)).pages
    ]
    assert len(pages) == 12 and all("（快照，" in text for text in pages)
    assert "进驻区政务服务中心部门数43个" in pages[2] and "部门数50个" not in pages[2]
    # and so does the annual report's Word document frozen with it
    frozen = _words(leader.get(path + "/report.docx").data)
    assert (
        "全区43个部门进驻区政务服务中心" in frozen
        and "快照“示例区2024年法治政府建设工作汇报（全区）”" in frozen
    )
    assert "全区50个部门进驻区政务服务中心" in _words(leader.get("/present/report.docx?year=2024").data)
    listed = client_as(app, None).get("/present").get_data(as_text=True)
    assert "数据截至 2024年12月31日（快照，" in listed and "数据版本" not in listed
    assert not re.search(r"\d{4}-\d{2}-\d{2}", frozen + listed)


def test_who_may_freeze_rename_delete_and_open(app, internal):
    visitor = client_as(app, None)
    refused = visitor.post("/present/annual/snapshot", data={"year": "2024"}, headers=OWN)
    assert refused.status_code == 403 and "请先登录" in refused.get_data(as_text=True)
    leader, township = client_as(app, "leader"), client_as(app, "qingshan")
    path = leader.post("/present/annual/snapshot", data={"year": "2024"}, headers=OWN).headers["Location"]
    # the annual deck holds public figures only: anyone may open it
    assert visitor.get(path).status_code == 200
    # but the report frozen with it holds every figure the leader could see: not for a visitor, nor linked for them
    report = visitor.get(path + "/report.docx")
    assert report.status_code == 403 and "报告部分含有您无权查看的指标" in report.get_data(as_text=True)
    assert f"{path}/report.docx" not in visitor.get("/present").get_data(as_text=True)
    assert f"{path}/report.docx" in leader.get("/present").get_data(as_text=True)
    assert leader.get(path + "/report.docx").status_code == 200
    # one holding an internal figure: a visitor may not open it, and the list does not show it to them
    engine = app.server.extensions["dashboard.engine"]
    hidden = catalog.load()[INTERNAL[0]]
    with engine.begin() as conn:
        content = deck_content(conn, DECKS["annual"], Filters(2024, scope=OPERATOR))
        content["slides"][2]["figures"].append({"code": hidden.code, "name": hidden.name})
        inner = f"/present/s/{snapshots.create(conn, content, '内部', actor='leader').id}"
    assert visitor.get(inner).status_code == 403 and "无权查看" in visitor.get(inner).get_data(as_text=True)
    assert visitor.get(inner + "/deck.pptx").status_code == 403
    assert inner not in visitor.get("/present").get_data(as_text=True)
    assert inner in leader.get("/present").get_data(as_text=True)
    # frozen without a report (as snapshots were before the Word document was frozen too): said plainly
    older = leader.get(inner + "/report.docx")
    assert older.status_code == 404 and "请重新冻结一次" in older.get_data(as_text=True)
    # a township head may open it (internal figures) but not rename it
    assert township.get(path).status_code == 200
    assert township.post(path + "/rename", data={"name": "改名"}, headers=OWN).status_code == 403
    assert leader.post(path + "/rename", data={"name": "年终汇报"}, headers=OWN).status_code == 303
    assert "年终汇报" in leader.get("/present").get_data(as_text=True)
    assert leader.post(path + "/rename", data={"name": " "}, headers=OWN).status_code == 400
    assert leader.post(path + "/delete", headers=OWN).status_code == 303
    gone = leader.get(path)
    assert gone.status_code == 404 and "没有编号为" in gone.get_data(as_text=True)
    assert leader.get("/present/s/abc").status_code == 404


def test_the_snapshot_commands_create_list_export_rename_and_delete(demo_urls, tmp_path, pg_databases):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    url = copy_store(demo_urls["sqlite"], tmp_path, pg_databases)
    env |= {"DATABASE_URL": url, "DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance")}

    def run(*args: str) -> CompletedProcess:
        return run_cli(*args, env=env)

    made = run("snapshot", "create", "--deck", "annual", "--year", "2024", "--township", "qingshan")
    assert made.returncode == 0, made.stderr
    snapshot_id = made.stdout.strip().splitlines()[-1]
    assert snapshot_id.isdigit() and "青山镇" in made.stdout
    assert "青山镇" in run("snapshot", "list").stdout
    out = tmp_path / "快照.pptx"
    exported = run("export", "pptx", "--snapshot", snapshot_id, "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert sum("（快照，" in text for text in _texts(out.read_bytes())) == 12
    words = tmp_path / "快照.docx"
    exported = run("export", "docx", "--snapshot", snapshot_id, "-o", str(words))
    assert exported.returncode == 0, exported.stderr
    assert "范围：青山镇" in _words(words.read_bytes()) and "快照“" in _words(words.read_bytes())
    assert run("snapshot", "rename", snapshot_id, "青山镇年终汇报").returncode == 0
    assert "青山镇年终汇报" in run("snapshot", "list").stdout
    assert run("snapshot", "delete", snapshot_id).returncode == 0
    missing = run("export", "pptx", "--snapshot", snapshot_id, "-o", str(out))
    assert missing.returncode == 2 and f"没有编号为 {snapshot_id} 的快照" in missing.stderr


def test_the_list_reads_columns_and_the_number_kept_is_capped(app, monkeypatch):
    """The presenter's list parses a snapshot's content once per process, not on every visit; past MAX_KEPT a
    new snapshot is refused in Chinese (page 400, nothing kept) until old ones are deleted."""
    leader = client_as(app, "leader")
    first = leader.post("/present/annual/snapshot", data={"year": "2024"}, headers=OWN)
    assert first.status_code == 303
    assert "示例区2024年法治政府建设工作汇报" in leader.get("/present").get_data(as_text=True)
    parsed = []
    real_loads = json.loads
    monkeypatch.setattr(snapshots.json, "loads", lambda text: parsed.append(1) or real_loads(text))
    page = leader.get("/present").get_data(as_text=True)
    assert parsed == [] and "数据截至 2024年12月31日（快照，" in page
    engine = app.server.extensions["dashboard.engine"]
    with engine.connect() as conn:
        kept = snapshots.kept_count(conn)
    monkeypatch.setattr(snapshots, "MAX_KEPT", kept)
    refused = leader.post("/present/annual/snapshot", data={"year": "2024"}, headers=OWN)
    assert refused.status_code == 400
    assert f"已有 {kept} 个快照，达到上限；请先删除不再需要的快照，再冻结新的" in refused.get_data(
        as_text=True
    )
    with engine.connect() as conn:
        assert snapshots.kept_count(conn) == kept
    assert leader.post(first.headers["Location"] + "/delete", headers=OWN).status_code == 303
    again = leader.post("/present/annual/snapshot", data={"year": "2024"}, headers=OWN)
    assert again.status_code == 303
    # the new one (which SQLite may give the deleted one's id) is listed from its own content
    assert again.headers["Location"] in leader.get("/present").get_data(as_text=True)

"""Answers meant for one reader carry ``Cache-Control: private, no-store`` (none did: a proxy or a shared PC's
browser could keep a leader's figures, records or a kiosk page with its token); public answers stay cacheable."""

from __future__ import annotations

import pytest
from conftest import PASSWORD

from dashboard import create_app
from data import kiosk
from data.engine import open_engine
from layouts import ids

OWN = {"Origin": "http://localhost"}
PRIVATE = "private, no-store"
RECORDS = "code=disputes_mediated&year=2024&township=qingshan"


@pytest.fixture
def app(demo_url, tmp_path):
    return create_app({"database_url": demo_url, "instance_path": tmp_path})


def test_private_answers_are_not_kept(app, demo_url, bearer):
    leader = app.server.test_client()
    assert (
        leader.post("/login", data={"username": "leader", "password": PASSWORD}, headers=OWN).status_code
        == 303
    )
    token = bearer("leader")
    callback = {
        "output": f"{ids.OVERVIEW_SECTIONS}.children",
        "outputs": {"id": ids.OVERVIEW_SECTIONS, "property": "children"},
        "inputs": [{"id": ids.FILTERS, "property": "data", "value": {"year": "2024"}}],
        "changedPropIds": [f"{ids.FILTERS}.data"],
    }
    answers = {
        "desk": leader.get("/"),
        "callback": leader.post("/_dash-update-component", json=callback, headers=OWN),
        "records": app.server.test_client().get(f"/api/v1/records?{RECORDS}", headers=token),
        "values": app.server.test_client().get("/api/v1/values?year=2024", headers=token),
        "csv": leader.get(f"/download/records.csv?{RECORDS}"),
        "xlsx": leader.get(f"/download/records.xlsx?{RECORDS}"),
        "data": leader.get("/data"),
        "deck": leader.get("/present/annual?year=2024"),
    }
    engine = open_engine(demo_url)
    with engine.begin() as conn:
        _, secret = kiosk.create_link(conn, "缓存测试", actor="admin")
    engine.dispose()
    answers["kiosk"] = app.server.test_client().get(f"/screen?kiosk={secret}")
    for name, resp in answers.items():
        assert resp.status_code == 200, name
        assert resp.headers.get("Cache-Control") == PRIVATE, (name, resp.headers.get("Cache-Control"))
        resp.close()


def test_public_answers_and_static_files_keep_their_own(app):
    visitor = app.server.test_client()
    values = visitor.get("/api/v1/values?year=2024")
    assert values.status_code == 200 and "no-store" not in values.headers.get("Cache-Control", "")
    static = visitor.get("/screen/static/screen.js")
    assert static.headers["Cache-Control"] == "public, max-age=3600"

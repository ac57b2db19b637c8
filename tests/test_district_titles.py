"""The district's name (data/org.py, `dashboard district --name`) heads the deck, the Word report and the files'
names, on a small store of its own on both engines (the session's demo stores keep 示例区)."""

from __future__ import annotations

import io
from urllib.parse import quote

import docx
import pytest
from conftest import ENGINES, new_store_url
from pptx import Presentation

from dashboard import create_app
from dashboard.cli.commands import run as run_command
from dashboard.content.deck import deck_content
from dashboard.content.report import report_document
from data import demo, org
from data.access import Scope
from data.engine import open_engine
from data.queries.filters import Filters
from data.store import migrate
from layouts.decks import DECKS

NAME = "临江区"
TITLE = f"{NAME}2024年法治政府建设工作汇报"
REPORT = f"{NAME}2024年法治政府建设工作报告（数据部分）"


@pytest.fixture(scope="module", params=ENGINES)
def store(request, tmp_path_factory, pg_databases) -> str:
    url = new_store_url(request.param, tmp_path_factory.mktemp("titles"), pg_databases)
    engine = open_engine(url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        demo.generate(conn, scale=0.02)
        assert org.district_name(conn) == org.DEMO_DISTRICT
        org.set_district_name(conn, NAME)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def client(store, tmp_path_factory):
    app = create_app({"database_url": store, "instance_path": tmp_path_factory.mktemp("instance")})
    yield app.server.test_client()
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()


def test_the_deck_and_the_report_carry_the_districts_name(store):
    engine = open_engine(store)
    filters = Filters(year=2024, scope=Scope("leader"))
    with engine.connect() as conn:
        content = deck_content(conn, DECKS["annual"], filters)
        report = report_document(conn, filters)
    engine.dispose()
    assert content["title"] == TITLE
    assert content["slides"][0]["title"] == TITLE and content["slides"][-1]["subtitle"] == TITLE
    assert report.title == REPORT


def test_downloaded_files_are_named_after_the_district(client):
    resp = client.get("/present/report.docx?year=2024")
    assert resp.status_code == 200
    assert quote(f"{REPORT}.docx") in resp.headers["Content-Disposition"]
    assert docx.Document(io.BytesIO(resp.data)).paragraphs[0].text == REPORT
    resp = client.get("/present/annual/deck.pptx?year=2024&township=qingshan")
    assert resp.status_code == 200
    assert quote(f"{TITLE}（青山镇）.pptx") in resp.headers["Content-Disposition"]
    first = Presentation(io.BytesIO(resp.data)).slides[0]
    assert any(TITLE in s.text_frame.text for s in first.shapes if s.has_text_frame)


def test_the_export_command_names_its_files_as_the_pages_do(store, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", store)
    monkeypatch.chdir(tmp_path)
    assert run_command(["export", "docx", "--year", "2024"]) == 0
    assert run_command(["export", "pptx", "--year", "2024", "--township", "qingshan"]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted([f"{TITLE}（青山镇）.pptx", f"{REPORT}.docx"]), written
    assert docx.Document(str(tmp_path / f"{REPORT}.docx")).paragraphs[0].text == REPORT
    assert f"{REPORT}.docx" in capsys.readouterr().out

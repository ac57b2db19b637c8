"""A store made by `dashboard init` and nothing else: every face says what to do first, never an empty desk or
a 500; the API answers 400 with a message that says the same. Once a year is published the faces are back."""

from __future__ import annotations

import pytest

from dashboard import create_app
from dashboard.web.params import NO_DATA_YET
from data.engine import open_engine
from data.schema import calendar
from data.store import migrate


@pytest.fixture
def empty_app(empty_url, tmp_path):
    engine = open_engine(empty_url, create=True)
    migrate(engine)
    app = create_app({"database_url": empty_url, "instance_path": tmp_path})
    yield app.server.test_client(), engine
    engine.dispose()


def test_an_empty_store_opens_on_its_first_steps(empty_app):
    client, engine = empty_app
    for path in ("/", "/mine", "/present"):
        page = client.get(path)
        text = page.get_data(as_text=True)
        assert page.status_code == 200, path
        assert "本区：还没有已发布的数据" in text
        # in the order a district takes them
        steps = [text.index(s) for s in ("dashboard org template", "dashboard template", "dashboard import")]
        assert steps == sorted(steps), path
    wall = client.get("/screen")
    assert wall.status_code == 200 and "还没有已发布的数据" in wall.get_data(as_text=True)
    assert 'http-equiv="refresh"' in wall.get_data(as_text=True)
    for query in ("year=2026", "year=2026&area=mediation"):
        answer = client.get(f"/api/v1/values?{query}")
        assert answer.status_code == 400 and answer.is_json
        assert NO_DATA_YET in answer.get_json()["error"]
    assert client.get("/api/v1/dimensions").get_json()["years"] == []
    # With a year of data, the desk is the desk again.
    with engine.begin() as conn:
        conn.execute(calendar.insert().values(year=2026, month=1))
    page = client.get("/").get_data(as_text=True)
    assert "还没有已发布的数据" not in page and "react-entry-point" in page

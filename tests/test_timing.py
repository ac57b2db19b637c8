"""Server-Timing on every response: the request's time and its SQL's time and count, on both engines."""

from __future__ import annotations

import re

import pytest

from dashboard import create_app
from layouts import ids

TIMING = re.compile(r'^db;dur=(?P<db>[0-9.]+);desc="(?P<n>[0-9]+) quer(?:y|ies)", app;dur=(?P<app>[0-9.]+)$')


def timing(resp) -> tuple[float, int, float]:
    match = TIMING.match(resp.headers.get("Server-Timing", ""))
    assert match, resp.headers.get("Server-Timing")
    return float(match["db"]), int(match["n"]), float(match["app"])


@pytest.fixture
def client(demo_url):
    return create_app({"database_url": demo_url}).server.test_client()


def panel_request(year: int, townships: list[str]) -> dict:
    panel = ids.panel("mediation", "kpis")
    state = {"year": year, "department": [], "township": townships}
    return {
        "output": f"{panel}.children",
        "outputs": {"id": panel, "property": "children"},
        "inputs": [{"id": ids.FILTERS, "property": "data", "value": state}],
        "changedPropIds": [f"{ids.FILTERS}.data"],
    }


def test_a_panel_response_says_its_time_and_its_queries(client):
    # compressed as the browser asks, so that the time includes the compression
    resp = client.post(
        "/_dash-update-component",
        json=panel_request(2023, ["baisha", "qingshan"]),
        headers={"Accept-Encoding": "br, gzip"},
    )
    assert resp.status_code == 200
    db, count, app = timing(resp)
    assert count > 0
    assert 0 < db <= app


def test_an_api_response_says_its_time_and_its_queries(client):
    resp = client.get("/api/v1/dimensions")
    assert resp.status_code == 200
    db, count, app = timing(resp)
    assert count > 0
    assert 0 < db <= app


def test_a_response_without_sql_says_so(client):
    resp = client.get("/_dash-dependencies")
    assert resp.status_code == 200
    db, count, app = timing(resp)
    assert (db, count) == (0.0, 0)
    assert app > 0


def test_a_refused_request_is_timed_too(client):
    resp = client.post("/_dash-update-component", json={"output": "nope.children"})
    assert resp.status_code == 400
    assert timing(resp)[1] == 0


def test_statements_outside_a_request_are_not_counted(demo_url):
    app = create_app({"database_url": demo_url})
    engine = app.server.extensions["dashboard.engine"]
    with engine.connect() as conn:  # no request: nothing to add to, and nothing fails
        conn.exec_driver_sql("SELECT 1")
    with app.server.app_context(), engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    # each request starts from zero: the dependencies run no SQL however many statements ran before
    assert timing(app.server.test_client().get("/_dash-dependencies"))[1] == 0

"""Server-Timing on every response: the request's time and its SQL's time and count, on both engines."""

from __future__ import annotations

import re

import pytest
from callback_bodies import area_panels
from sqlalchemy import event

from dashboard import create_app
from layouts import ids

TIMING = re.compile(r'^db;dur=(?P<db>[0-9.]+);desc="(?P<n>[0-9]+) quer(?:y|ies)", app;dur=(?P<app>[0-9.]+)$')


def timing(resp) -> tuple[float, int, float]:
    match = TIMING.match(resp.headers.get("Server-Timing", ""))
    assert match, resp.headers.get("Server-Timing")
    return float(match["db"]), int(match["n"]), float(match["app"])


@pytest.fixture
def app(demo_url):
    return create_app({"database_url": demo_url})


@pytest.fixture
def client(app):
    return app.server.test_client()


def test_a_panel_response_says_its_time_and_its_queries(app, client):
    # compressed as the browser asks, so that the time includes the compression
    resp = client.post(
        "/_dash-update-component",
        json=area_panels(
            app, "mediation", {"year": 2023, "department": [], "township": ["baisha", "qingshan"]}
        ),
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


def test_a_signed_in_panel_request_takes_one_connection_and_gives_it_back(app, client, bearer):
    """The session lookup and the panels share the request's connection (dashboard/web/connections.py): each one
    taken costs round trips to check it and to reset it, or on SQLite a fresh read of the schema."""
    engine = app.server.extensions["dashboard.engine"]
    taken, returned = [], []
    event.listen(engine, "checkout", lambda *_: taken.append(1))
    event.listen(engine, "checkin", lambda *_: returned.append(1))
    resp = client.post(
        "/_dash-update-component",
        json=area_panels(app, "service", {"year": 2024, "department": [], "township": ["qingshan"]}),
        headers=bearer("leader"),
    )
    assert resp.status_code == 200
    assert ids.panel("service", "kpis") in resp.json["response"]
    assert (len(taken), len(returned)) == (1, 1)

"""Faults a probe found, each answered as it should be: ids past what the store holds are a 404 (were a 500), a
snapshot name with a line break no longer breaks its downloads, an Origin with user information is nobody's
origin, and a path cannot forge a line of the request log."""

from __future__ import annotations

import logging

import pytest
from conftest import PASSWORD, client_as

from dashboard.web import logs
from data import snapshots

OWN = {"Origin": "http://localhost"}
HUGE = str(2**63)


@pytest.mark.parametrize("number", [HUGE, str(2**31), "9" * 40])
def test_ids_past_the_stores_integers_are_not_found(app, number):
    admin = client_as(app, "admin")
    for method, path in [
        ("get", f"/data/batch/{number}"),
        ("get", f"/data/batch/{number}/annotated.xlsx"),
        ("post", f"/data/batch/{number}/publish"),
        ("post", f"/data/batch/{number}/reject"),
        ("post", f"/data/version/{number}/rollback"),
        ("get", f"/api/v1/imports/{number}"),
        ("get", f"/present/annual/slides/{number}/chart.png?year=2024"),
    ]:
        resp = getattr(admin, method)(path, headers=OWN)
        assert resp.status_code == 404, (path, resp.status_code)
    # the largest id every table holds on both engines is simply not there
    assert admin.get(f"/api/v1/imports/{2**31 - 1}").status_code == 404


def test_a_snapshot_name_with_a_line_break_keeps_its_downloads_working(app):
    leader = client_as(app, "leader")
    path = leader.post("/present/annual/snapshot", data={"year": "2024"}, headers=OWN).headers["Location"]
    assert leader.post(path + "/rename", data={"name": "年终\r\n汇报\t2024"}, headers=OWN).status_code == 303
    engine = app.server.extensions["dashboard.engine"]
    with engine.connect() as conn:
        assert snapshots.get(conn, path.rsplit("/", 1)[1]).name == "年终 汇报 2024"
    # a name stored before names were cleaned
    with engine.begin() as conn:
        conn.execute(
            snapshots.deck_snapshot.update()
            .where(snapshots.deck_snapshot.c.id == int(path.rsplit("/", 1)[1]))
            .values(name="旧\n名/称")
        )
    for suffix in ("/deck.pptx", "/report.docx"):
        resp = leader.get(path + suffix)
        assert resp.status_code == 200, suffix
        disposition = resp.headers["Content-Disposition"]
        assert "\n" not in disposition and "%E6%97%A7%20%E5%90%8D%20%E7%A7%B0" in disposition


@pytest.mark.parametrize("origin", ["http://localhost@evil.example", "http://evil.example@localhost"])
def test_an_origin_with_user_information_is_refused(app, origin):
    leader = client_as(app, "leader")
    for path in ("/logout", "/api/v1/imports"):
        resp = leader.post(path, headers={"Origin": origin})
        assert resp.status_code == 403, path
    # the page's own requests still pass
    assert leader.post("/logout", headers=OWN).status_code in (302, 303)


def test_a_line_break_in_a_path_cannot_forge_a_log_line(app, caplog):
    caplog.set_level(logging.INFO, logger=logs.REQUEST_LOGGER)
    client = app.server.test_client()
    client.get("/nothing%0D%0A2026-01-01 INFO dashboard.request: GET /admin 200 1.0 ms user=admin")
    lines = [r.getMessage() for r in caplog.records if r.name == logs.REQUEST_LOGGER]
    assert lines and all("\n" not in line and "\r" not in line for line in lines)
    assert any(line.startswith("GET /nothing%0D%0A2026-01-01%20INFO") for line in lines)


def test_signing_in_with_a_stale_session_cookie_keeps_the_new_session(app):
    client = app.server.test_client()
    client.set_cookie("fazhi_session", "a-session-that-ended-long-ago", path="/")
    resp = client.post("/login", data={"username": "leader", "password": PASSWORD}, headers=OWN)
    assert resp.status_code == 303
    cookies = [h for h in resp.headers.getlist("Set-Cookie") if h.startswith("fazhi_session=")]
    assert len(cookies) == 1 and "Expires=Thu, 01 Jan 1970" not in cookies[0], cookies
    # signed in: the records answer (a visitor gets 401)
    assert client.get("/api/v1/records?code=disputes_mediated&year=2024").status_code == 200


def test_api_paths_name_only_their_own_methods(app):
    client = app.server.test_client()
    options = client.options("/api/v1/imports")
    assert options.status_code == 200 and options.headers["Allow"] == "OPTIONS, POST"
    # a GET there was Dash's page shell (200, HTML)
    got = client.get("/api/v1/imports")
    assert got.status_code == 405 and got.is_json and got.headers["Allow"] == "OPTIONS, POST"
    assert client.options("/api/v1/values").headers["Allow"] == "GET, HEAD, OPTIONS"
    assert client.options("/api/v1/nothing").status_code == 404
    # a reader who may upload (a visitor is refused before any parameter is read)
    signed = client.post("/login", data={"username": "leader", "password": PASSWORD}, headers=OWN)
    assert signed.status_code == 303
    refused = client.post("/api/v1/imports?publish=true", headers=OWN)
    assert refused.status_code == 400 and refused.get_json()["parameter"] == "publish"

"""The reporting matrix in a real headless Chromium at 1920×1080: a leader opens it from /data, the four colours
are told apart, the 催报 list is there, nothing loads from outside. DASHBOARD_SCREENSHOTS=folder keeps the
screenshot (docs/data-reporting.png is one)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import PASSWORD, PEOPLE, new_store_url, sign_in
from playwright.sync_api import expect
from sqlalchemy import insert
from werkzeug.serving import make_server

from dashboard import create_app
from data import accounts, demo, org, reporting
from data.engine import open_engine
from data.schema import import_batch, published_version
from data.store import migrate
from layouts.paths import DATA_PATH, REPORTING_PATH

TODAY = date.today()


def _sent(conn, unit: org.Unit, month: int, day: date) -> None:
    first = date(TODAY.year, month, 1)
    last = reporting.due_date(TODAY.year, month, 1) - timedelta(days=1)
    tie = {"department_code": unit.code} if unit.kind == "department" else {"township_code": unit.code}
    batch = conn.execute(
        insert(import_batch).values(
            kind="register",
            register="dispute_case",
            period_start=first,
            period_end=last,
            status="published",
            step="",
            progress=0,
            created_at=datetime.now(UTC),
            error_count=0,
            **tie,
        )
    ).inserted_primary_key[0]
    at = datetime(day.year, day.month, day.day, 4, tzinfo=UTC)
    conn.execute(insert(published_version).values(batch_id=batch, published_at=at, summary="{}"))


@pytest.fixture(scope="module")
def served(tmp_path_factory, pg_databases) -> Iterator[str]:
    """A small demo store whose every unit owes the dispute register, sent on time, late or not at all."""
    url = new_store_url("sqlite", tmp_path_factory.mktemp("reporting-browser"), pg_databases)
    engine = open_engine(url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        demo.generate(conn, scale=0.02)
        for name, (role, tie) in PEOPLE.items():
            accounts.add_user(conn, name, PASSWORD, role, **tie)
        for i, unit in enumerate(org.units(conn)):
            reporting.set_duty(conn, unit.code, "dispute_case")
            for month in range(1, 13):
                due = reporting.due_date(TODAY.year, month, 10)
                if (i + month) % 7 == 0:
                    continue  # never sent
                day = due + timedelta(days=4) if (i * month) % 5 == 0 else due - timedelta(days=3)
                if day < TODAY:
                    _sent(conn, unit, month, day)
    engine.dispose()
    app = create_app({"database_url": url, "instance_path": tmp_path_factory.mktemp("instance")})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()


def test_a_leader_reads_the_matrix_and_the_chase_list(browser, served, tmp_path):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("request", lambda r: r.url.startswith(served) or problems.append(f"external: {r.url}"))
    sign_in(page, served, "leader", DATA_PATH)
    page.get_by_role("link", name="报送情况").click()
    page.wait_for_url(f"**{REPORTING_PATH}")
    expect(page.get_by_role("heading", name=f"{TODAY.year}年报送情况")).to_be_visible()
    colours = {}
    # this year's December is never due yet: grey is always there
    for state in ("on_time", "late", "overdue", "pending"):
        cell = page.locator(f'.report-matrix td[data-state="{state}"]').first
        expect(cell).to_be_visible()
        colours[state] = cell.evaluate("e => getComputedStyle(e).backgroundColor")
    assert len(set(colours.values())) == len(colours), colours
    assert page.locator(".report-chase tbody tr").count() > 0
    # the matrix fits the screen: no sideways scrolling at 1920 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    shot = tmp_path / "data-reporting.png"
    page.screenshot(path=str(shot), full_page=False)
    if folder := os.environ.get("DASHBOARD_SCREENSHOTS"):
        shutil.copy(shot, os.path.join(folder, shot.name))
    assert problems == []
    context.close()

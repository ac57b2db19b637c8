"""Faults an operator meets: PostgreSQL stopped, paused or not yet up, Redis gone, the SQLite file moved away.

Each runs against a throwaway server (tests/services.py), never the shared ones. In each, nothing answers 500,
the desk and the API say what is wrong while it is wrong, and the app recovers by itself when it is back.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from conftest import pick
from services import PgCluster, RedisServer, free_port

from dashboard import create_app
from data.engine import open_engine
from data.store import migrate
from layouts import ids

# starts processes (servers, workers, the command): outside the fast tier
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DOWN = "数据库暂时无法连接"


@pytest.fixture
def cluster() -> Iterator[PgCluster]:
    c = PgCluster()
    c.start()
    engine = open_engine(c.url, create=True)
    migrate(engine)
    engine.dispose()
    yield c
    c.remove()


def overview_request(year: int = 2024) -> dict:
    return {
        "output": f"{ids.OVERVIEW_SECTIONS}.children",
        "outputs": {"id": ids.OVERVIEW_SECTIONS, "property": "children"},
        "inputs": [{"id": ids.FILTERS, "property": "data", "value": {"year": year}}],
        "changedPropIds": [f"{ids.FILTERS}.data"],
    }


def text(response) -> str:
    """A JSON answer as text with its Chinese readable (Dash escapes it)."""
    return json.dumps(response.get_json(), ensure_ascii=False)


def wait_until(check, seconds: float) -> float:
    """Seconds until ``check()`` is true; fails the test after ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.2)
    pytest.fail(f"not recovered within {seconds} s")


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_with_postgresql_stopped_the_api_answers_503_the_desk_says_so_and_both_recover(cluster):
    client = create_app({"database_url": cluster.url, "db_timeout": 2}).server.test_client()
    assert client.get("/api/v1/dimensions").status_code == 200
    assert client.get("/readyz").status_code == 200

    cluster.stop()
    api = client.get("/api/v1/dimensions")
    assert api.status_code == 503 and DOWN in api.get_json()["error"]
    assert api.headers["Retry-After"]
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["status"] == "unavailable"
    # The time of the last good read is part of the message.
    assert "最后一次成功读取数据" in ready.get_json()["error"]
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200 and DOWN in text(layout)
    panel = client.post("/_dash-update-component", json=overview_request())
    assert panel.status_code == 200
    assert DOWN in text(panel) and ids.STORE_BANNER in text(panel)

    cluster.start()
    took = wait_until(lambda: client.get("/readyz").status_code == 200, 10)
    assert took < 6
    assert client.get("/api/v1/dimensions").status_code == 200
    assert DOWN not in text(client.get("/_dash-layout"))


def test_a_paused_postgresql_holds_a_request_no_longer_than_the_time_limit(cluster):
    client = create_app({"database_url": cluster.url, "db_timeout": 1}).server.test_client()
    assert client.get("/api/v1/dimensions").status_code == 200

    cluster.pause()
    try:
        first, first_took = timed(lambda: client.get("/api/v1/dimensions"))
        assert first.status_code == 503
        # The pooled connection's ping waits out the limit (+2 s on the socket), then one connection attempt.
        assert first_took < 8
        # Meanwhile the others fail at once instead of each waiting its own time out.
        again, again_took = timed(lambda: client.get("/api/v1/dimensions"))
        assert again.status_code == 503 and again_took < 0.5
        panel, panel_took = timed(lambda: client.post("/_dash-update-component", json=overview_request()))
        assert panel.status_code == 200 and DOWN in text(panel) and panel_took < 8
    finally:
        cluster.resume()
    wait_until(lambda: client.get("/readyz").status_code == 200, 15)
    assert client.get("/api/v1/dimensions").status_code == 200


def test_the_app_starts_while_postgresql_is_down_and_serves_once_it_is_up(cluster):
    cluster.stop()
    client = create_app({"database_url": cluster.url, "db_timeout": 2}).server.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503
    assert DOWN in text(client.get("/_dash-layout"))
    cluster.start()
    wait_until(lambda: client.get("/readyz").status_code == 200, 10)
    assert DOWN not in text(client.get("/_dash-layout"))


def test_gunicorn_started_while_postgresql_is_down_keeps_its_workers_and_serves_once_it_is_up(
    cluster, tmp_path
):
    cluster.stop()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "DASHBOARD_DB_TIMEOUT": "2",
        "DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn"),
            *("-w", "2", "--threads", "2", "-b", f"127.0.0.1:{port}", "--no-control-socket"),
            "dashboard.wsgi:server",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        import urllib.error
        import urllib.request

        def status(path: str) -> int:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
                    return r.status
            except urllib.error.HTTPError as err:
                return err.code
            except OSError:
                return 0

        wait_until(lambda: status("/healthz") == 200, 30)
        assert status("/readyz") == 503
        time.sleep(3)
        assert server.poll() is None
        booted = (tmp_path / "gunicorn.log").read_text().count("Booting worker")
        assert booted == 2, (tmp_path / "gunicorn.log").read_text()
        cluster.start()
        wait_until(lambda: status("/readyz") == 200, 15)
        assert status("/api/v1/dimensions") == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_with_redis_down_panels_are_computed_without_the_cache_and_it_is_said_once(
    demo_urls, redis_server, caplog
):
    client = create_app(
        {"database_url": demo_urls["sqlite"], "redis_url": redis_server.url}
    ).server.test_client()
    first = client.post("/_dash-update-component", json=overview_request())
    assert first.status_code == 200 and "2712" in text(first)
    assert redis.Redis.from_url(redis_server.url).dbsize() > 0

    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="dashboard.cache"):
        for _ in range(5):
            answer, took = timed(lambda: client.post("/_dash-update-component", json=overview_request()))
            assert answer.status_code == 200 and "2712" in text(answer)
            assert took < 2
    warnings = [r for r in caplog.records if r.name == "dashboard.cache"]
    assert len(warnings) == 1 and "缓存不可用" in warnings[0].getMessage()

    redis_server.start()
    back = redis.Redis.from_url(redis_server.url)

    def cached_again() -> bool:
        client.post("/_dash-update-component", json=overview_request(2023))
        return back.dbsize() > 0

    wait_until(cached_again, 10)


def test_a_sqlite_file_moved_away_is_not_recreated_and_is_found_again_when_put_back(demo_urls, tmp_path):
    store = tmp_path / "store.db"
    shutil.copy(demo_urls["sqlite"].removeprefix("sqlite:///"), store)
    client = create_app({"database_url": f"sqlite:///{store}"}).server.test_client()
    assert client.get("/api/v1/dimensions").status_code == 200

    aside = tmp_path / "aside.db"
    store.rename(aside)
    answer = client.get("/api/v1/dimensions")
    assert answer.status_code == 503 and DOWN in answer.get_json()["error"]
    assert client.get("/readyz").status_code == 503
    assert not store.exists()

    aside.rename(store)
    wait_until(lambda: client.get("/api/v1/dimensions").status_code == 200, 10)
    assert client.get("/readyz").status_code == 200


@pytest.mark.browser
def test_the_desk_says_the_store_is_down_and_reloads_itself_once_it_is_back(browser, demo_urls, tmp_path):
    import threading

    from werkzeug.serving import make_server

    store = tmp_path / "store.db"
    shutil.copy(demo_urls["sqlite"].removeprefix("sqlite:///"), store)
    app = create_app({"database_url": f"sqlite:///{store}", "instance_path": tmp_path / "instance"})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{base}/mediation?year=2024")
        page.wait_for_selector('.kpi-card[data-code="disputes_mediated"]')
        assert page.locator(".store-banner").is_hidden()

        store.rename(tmp_path / "aside.db")
        page.locator("#filter-year").click()
        pick(page, "2023年")
        banner = page.locator(".store-banner.down")
        banner.wait_for(state="visible", timeout=10_000)
        assert DOWN in banner.inner_text() and "最后一次成功读取数据" in banner.inner_text()
        # The panels say it too, instead of spinning.
        page.wait_for_selector(f'#mediation-kpis .empty-state:has-text("{DOWN}")')

        (tmp_path / "aside.db").rename(store)
        # health.js asks /readyz every 3 s and reloads: the banner goes, the 2023 figures come.
        banner.wait_for(state="hidden", timeout=15_000)
        page.wait_for_selector('.kpi-card[data-code="disputes_mediated"]')
        assert "year=2023" in page.url
    finally:
        context.close()
        server.shutdown()


def test_gunicorn_on_a_store_that_was_never_initialised_stops_with_one_line_instead_of_looping(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'missing.db'}",
        "DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{free_port()}"]
    done = subprocess.run(
        [*command, "--no-control-socket", "dashboard.wsgi:server"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "请先运行 dashboard init" in done.stderr
    # One refusal per worker at most, then gunicorn stops: no tight loop of new workers.
    assert done.stderr.count("Booting worker") <= 2, done.stderr

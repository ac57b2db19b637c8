"""A publish holding SQLite's write lock holds nobody else up (issue 19: 600,000 rows held it 25 s, and sign-ins,
downloads and batch polling answered 503 meanwhile).

Pages, polling, walls and the API only read (a session's "last seen" is left for a later request: data/writes.py);
signing in and out and a download's audit line wait for the lock instead of answering 503. The store's usual wait
is set to 1 s here, so a hold of a few seconds stands for a publish that outlasts it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import PASSWORD, client_as
from import_support import MAX_BYTES, big_csv, copy_store
from sqlalchemy import Engine, func, select, text, update

from dashboard import create_app
from data import accounts, kiosk
from data.imports import batches, publish, stage
from data.imports.batches import COMMAND_LINE
from data.schema import audit_event, login_session
from data.store import begin_write
from data.writes import personal, try_write

ORIGIN = {"Origin": "http://localhost"}
STORE_WAIT = 1.0  # DASHBOARD_DB_TIMEOUT for these apps: what a request waits before it would answer 503
HOLD = 3.0  # seconds the store is held for writing, well past STORE_WAIT
AT_ONCE = 0.6  # an answer that did not wait for the lock


@pytest.fixture
def sqlite_app(demo_urls, tmp_path, pg_databases):
    url = copy_store(demo_urls["sqlite"], tmp_path, pg_databases)
    built = create_app({"database_url": url, "instance_path": tmp_path, "db_timeout": STORE_WAIT})
    yield built
    built.server.extensions["dashboard.jobs"].shutdown()
    built.server.extensions["dashboard.engine"].dispose()


def engine_of(app) -> Engine:
    return app.server.extensions["dashboard.engine"]


def long_ago(engine: Engine) -> None:
    """Every session last seen five minutes ago: the next request of each would write its time."""
    with engine.begin() as conn:
        conn.execute(update(login_session).values(last_seen_at=datetime.now(UTC) - timedelta(minutes=5)))


@contextmanager
def held(engine: Engine, seconds: float) -> Iterator[None]:
    """Another connection holds the store for writing for ``seconds`` (as a long publish does)."""
    taken = threading.Event()

    def hold() -> None:
        with begin_write(engine) as conn:
            conn.execute(text("UPDATE account SET last_login_at = last_login_at WHERE id = -1"))
            taken.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(10)
    try:
        yield
    finally:
        thread.join()


def answered(calls: dict[str, Callable]) -> dict[str, tuple[int, float]]:
    """Each call in its own thread at once: its status and how long it took."""
    out: dict[str, tuple[int, float]] = {}

    def run(name: str, call: Callable) -> None:
        start = time.monotonic()
        response = call()
        response.get_data()
        out[name] = (response.status_code, time.monotonic() - start)

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def a_batch(engine: Engine, uploads: Path, folder: Path, rows: int) -> int:
    path = big_csv(folder / "全年调处登记.csv", rows)
    batch_id = stage.receive(
        engine,
        uploads,
        path,
        path.name,
        COMMAND_LINE,
        register="dispute_case",
        department_code="SFJ",
        period=(date(2024, 1, 1), date(2024, 12, 31)),
    )
    assert stage.check(engine, uploads, batch_id, COMMAND_LINE, MAX_BYTES).status == "staged"
    return batch_id


def test_while_the_store_is_held_pages_polling_walls_and_the_api_answer_at_once_and_sign_ins_wait(
    sqlite_app, tmp_path
):
    engine = engine_of(sqlite_app)
    cfg = sqlite_app.server.config["DASHBOARD"]
    batch_id = a_batch(engine, cfg.uploads_path, tmp_path, 20)
    with engine.begin() as conn:
        _, wall = kiosk.create_link(conn, "大厅", screens=["overview"], year=2024)
        # never used: its first use would write when it was used
        bearer = {"Authorization": f"Bearer {accounts.create_token(conn, 'leader')[1]}"}
    leader, clerk, admin = (client_as(sqlite_app, n) for n in ("leader", "clerk", "admin"))
    leaving = client_as(sqlite_app, "justice")
    long_ago(engine)
    with engine.connect() as conn:
        downloads = conn.scalar(select(func.count()).where(audit_event.c.event == "download"))

    with held(engine, HOLD):
        got = answered(
            {
                "page": lambda: leader.get("/mediation"),
                "layout": lambda: leader.get("/_dash-layout"),
                "api": lambda: sqlite_app.server.test_client().get(
                    "/api/v1/values?year=2024&area=mediation", headers=bearer
                ),
                "poll": lambda: admin.get(f"/data/batch/{batch_id}/status"),
                "batch page": lambda: admin.get(f"/data/batch/{batch_id}"),
                "data page": lambda: clerk.get("/data"),
                "wall": lambda: sqlite_app.server.test_client().get(f"/screen/version?kiosk={wall}"),
                "sign in": lambda: sqlite_app.server.test_client().post(
                    "/login", data={"username": "market", "password": PASSWORD}, headers=ORIGIN
                ),
                "sign out": lambda: leaving.post("/logout", headers=ORIGIN),
                "download": lambda: leader.get("/download/records.csv?code=disputes_mediated&year=2024"),
            }
        )

    statuses = {name: status for name, (status, _) in got.items()}
    assert statuses == {
        "page": 200,
        "layout": 200,
        "api": 200,
        "poll": 200,
        "batch page": 200,
        "data page": 200,
        "wall": 200,
        "sign in": 303,
        "sign out": 303,
        "download": 200,
    }
    for name in ("page", "layout", "api", "poll", "batch page", "data page", "wall"):
        assert got[name][1] < AT_ONCE, (name, got[name])
    # these wrote what must be written, once the store was free (they waited past the store's usual wait)
    for name in ("sign in", "sign out", "download"):
        assert got[name][1] > STORE_WAIT, (name, got[name])
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).where(audit_event.c.event == "download")) == downloads + 1
        # the "last seen" left out while the store was held is written by the next request
        before = conn.scalar(select(func.max(login_session.c.last_seen_at)))
    assert leader.get("/_dash-layout").status_code == 200
    with engine.connect() as conn:
        assert conn.scalar(select(func.max(login_session.c.last_seen_at))) > before


def test_a_write_that_can_wait_is_left_out_at_once_and_the_connection_goes_on(sqlite_app):
    engine = engine_of(sqlite_app)
    touch = update(login_session).values(last_seen_at=datetime.now(UTC))
    with held(engine, HOLD), engine.connect() as conn:
        start = time.monotonic()
        assert try_write(conn, touch) is False
        assert time.monotonic() - start < AT_ONCE
        # still usable, and with its own wait for a lock as before
        assert conn.execute(text("SELECT count(*) FROM account")).scalar() > 0
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == int(STORE_WAIT * 1000)
        conn.commit()
    with engine.connect() as conn:
        assert try_write(conn, touch) is True
        conn.commit()
    with personal(engine) as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 60_000


@pytest.mark.postgres
def test_on_postgresql_a_write_that_can_wait_is_simply_written(demo_urls, tmp_path, pg_databases):
    url = copy_store(demo_urls["postgresql"], tmp_path, pg_databases)
    app = create_app({"database_url": url, "instance_path": tmp_path})
    engine = engine_of(app)
    try:
        with engine.connect() as conn:
            assert try_write(conn, update(login_session).values(last_seen_at=datetime.now(UTC))) is True
            conn.commit()
    finally:
        app.server.extensions["dashboard.jobs"].shutdown()
        engine.dispose()


@pytest.mark.slow
def test_a_real_publish_longer_than_the_stores_wait_keeps_nobody_waiting_but_sign_ins(sqlite_app, tmp_path):
    engine = engine_of(sqlite_app)
    cfg = sqlite_app.server.config["DASHBOARD"]
    rows = 150_000
    batch_id = a_batch(engine, cfg.uploads_path, tmp_path, rows)
    leader, admin = client_as(sqlite_app, "leader"), client_as(sqlite_app, "admin")
    long_ago(engine)
    done = threading.Event()
    worker = threading.Thread(target=lambda: (publish.publish(engine, batch_id, COMMAND_LINE), done.set()))
    start = time.monotonic()
    worker.start()
    try:
        # the publish holds the store from its claim to its end; wait until it has the lock
        while not done.is_set():
            with engine.connect() as conn:
                if not try_write(
                    conn, text("UPDATE account SET last_login_at = last_login_at WHERE id = -1")
                ):
                    break
            time.sleep(0.05)
        got = answered(
            {
                "layout": lambda: leader.get("/_dash-layout"),
                "poll": lambda: admin.get(f"/data/batch/{batch_id}/status"),
                "sign in": lambda: sqlite_app.server.test_client().post(
                    "/login", data={"username": "market", "password": PASSWORD}, headers=ORIGIN
                ),
            }
        )
        during = not done.is_set()
    finally:
        worker.join()
    took = time.monotonic() - start
    assert took > 2 * STORE_WAIT, f"the publish took {took:.1f} s: too short to show anything"
    assert during
    assert {name: status for name, (status, _) in got.items()} == {"layout": 200, "poll": 200, "sign in": 303}
    assert got["layout"][1] < AT_ONCE and got["poll"][1] < AT_ONCE, got
    with engine.connect() as conn:
        assert batches.get(conn, batch_id).status == "published"

"""Imports checked and published by a real Celery worker on Redis (DASHBOARD_JOBS=celery), on both engines.

The web app and the worker are separate processes that share only the store, Redis and the instance folder,
as on several hosts: the app queues the work, the worker does it, and the batch's row in the store is all the
page follows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import redis
from conftest import ENGINES, PASSWORD, new_store_url
from sqlalchemy import func, select

from dashboard.app import create_app
from dashboard.config import ConfigError, from_env
from data import accounts, demo
from data.engine import open_engine
from data.imports import batches
from data.schema import dispute_case
from data.store import migrate

# starts processes (servers, workers, the command): outside the fast tier
pytestmark = pytest.mark.slow

# A Redis database of its own: the queue of this test and nothing else.
REDIS = "redis://127.0.0.1:6379/13"
OWN = {"Origin": "http://localhost"}
CSV = (
    "登记编号,受理日期,承办单位,乡镇（街道）,调处层级,纠纷类型,调处成功,结案日期\n"
    "CEL-1,2024/3/5,司法局,青山镇,村居,邻里纠纷,是,2024-03-10\n"
    "CEL-2,2024年3月6日,司法局,青山镇,村居,婚姻家庭,否,\n"
)


@pytest.fixture(params=ENGINES)
def setup(request, tmp_path, pg_databases) -> Iterator[tuple]:
    url = new_store_url(request.param, tmp_path, pg_databases)
    engine = open_engine(url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        demo.generate(conn, scale=0.02)
        accounts.add_user(conn, "leader", PASSWORD, "leader")
    instance = tmp_path / "instance"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS,
        "DASHBOARD_JOBS": "celery",
        "DASHBOARD_INSTANCE_PATH": str(instance),
    }
    redis.Redis.from_url(REDIS).flushdb()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dashboard.jobs.celery_worker",
            "worker",
            "--pool",
            "solo",
            "-l",
            "info",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app = create_app({"database_url": url, "redis_url": REDIS, "jobs": "celery", "instance_path": instance})
    try:
        yield app, engine, worker
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        app.server.extensions["dashboard.engine"].dispose()
        engine.dispose()


def _wait(engine, batch_id: int, status: str, timeout: float = 60.0) -> batches.Batch:
    deadline = time.monotonic() + timeout
    while True:
        with engine.begin() as conn:
            batch = batches.get(conn, batch_id)
        if batch.status == status or time.monotonic() > deadline:
            return batch
        time.sleep(0.3)


def test_a_celery_worker_checks_and_publishes_what_the_page_queues(setup, tmp_path):
    app, engine, worker = setup
    client = app.server.test_client()
    resp = client.post("/login", data={"username": "leader", "password": PASSWORD}, headers=OWN)
    assert resp.status_code == 303
    path = tmp_path / "march.csv"
    path.write_text(CSV, encoding="utf-8")
    with path.open("rb") as fh:
        resp = client.post(
            "/data/upload",
            data={"file": (fh, "march.csv"), "department": "SFJ"},
            headers={**OWN, "X-Requested-With": "XMLHttpRequest"},
        )
    assert resp.status_code == 202, resp.get_data(as_text=True)
    batch_id = resp.get_json()["batch"]
    batch = _wait(engine, batch_id, "staged")
    assert batch.status == "staged", (batch.status, batch.step, batch.errors)
    assert batch.preview["rows"]["added"] == 2

    resp = client.post(f"/data/batch/{batch_id}/publish", headers=OWN)
    assert resp.status_code == 303
    assert _wait(engine, batch_id, "published").status == "published"
    with engine.connect() as conn:
        numbers = set(
            conn.scalars(select(dispute_case.c.register_no).where(dispute_case.c.register_no.like("CEL-%")))
        )
        assert numbers == {"CEL-1", "CEL-2"}
        assert (
            conn.scalar(
                select(func.count()).select_from(dispute_case).where(dispute_case.c.register_no == "CEL-1")
            )
            == 1
        )
    worker.terminate()
    log = worker.communicate(timeout=30)[0]
    # the work ran in the worker, not in the web process
    assert "fazhi.check" in log and "fazhi.publish" in log, log[-3000:]


def test_celery_jobs_need_redis():
    with pytest.raises(ConfigError, match="REDIS_URL"):
        from_env({"DASHBOARD_JOBS": "celery"})
    with pytest.raises(ConfigError, match="DASHBOARD_JOBS"):
        from_env({"DASHBOARD_JOBS": "cron"})

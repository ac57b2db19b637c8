"""Imports and publishes cut short: `dashboard import` and `dashboard batch publish` killed (SIGKILL) in the
middle, and PostgreSQL restarted while a publish runs. Each leaves the store exactly as it was and the batch
reading as failed, and running it again succeeds.

A killed process cannot say it failed: its batch reads as failed once its heartbeat is older than
data.imports.batches.STALE_AFTER (a minute); the tests shorten that in this process instead of waiting.
The stores are small demo copies (tests/import_support.py), the restarted server a throwaway cluster of its own
(tests/services.py), never the shared one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import ENGINES, PerEngine, new_store_url
from import_support import (
    MAX_BYTES,
    big_csv,
    build_store,
    cli_command,
    cli_env,
    copy_store,
    count,
    desk,
    fact_sum,
    run_cli,
    staged_count,
)
from services import PgCluster
from sqlalchemy import Engine, func, select, text

from data.engine import open_engine
from data.imports import batches, publish, stage
from data.imports.batches import COMMAND_LINE, Actor, Batch
from data.schema import dispute_case, import_batch, published_version

LEADER = Actor("leader", "leader")
YEAR = (date(2024, 1, 1), date(2024, 12, 31))
# Checking reads 50,000 rows a chunk and says so after each: four chunks give a few seconds to kill it in.
IMPORT_ROWS = 200_000
# A publish of these takes 4-5 s on either engine: the kill (or the restart) comes half a second in.
PUBLISH_ROWS = 50_000


@pytest.fixture(scope="module")
def templates(tmp_path_factory, pg_databases) -> dict[str, str]:
    return PerEngine(
        lambda kind: build_store(new_store_url(kind, tmp_path_factory.mktemp("template"), pg_databases))
    )


@dataclass
class Store:
    url: str
    engine: Engine
    uploads: Path
    env: dict[str, str]


@pytest.fixture(params=ENGINES)
def store(request, templates, tmp_path, pg_databases) -> Iterator[Store]:
    url = copy_store(templates[request.param], tmp_path, pg_databases)
    engine = open_engine(url)
    instance = tmp_path / "instance"
    yield Store(url, engine, instance / "uploads", cli_env(url, instance))
    engine.dispose()


def wait_for(check: Callable[[], object], seconds: float, what: str) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.05)
    pytest.fail(f"{what}: not within {seconds} s")


def newest_batch(engine: Engine):
    """The newest batch's row as stored (read without batches.get, which would mark a stale one failed)."""
    with engine.connect() as conn:
        return conn.execute(select(import_batch).order_by(import_batch.c.id.desc()).limit(1)).first()


def raw_batch(engine: Engine, batch_id: int):
    with engine.connect() as conn:
        return conn.execute(select(import_batch).where(import_batch.c.id == batch_id)).first()


def read_as_failed(engine: Engine, batch_id: int, monkeypatch) -> Batch:
    """The batch as the next reader sees it once the dead process's heartbeat is stale."""
    monkeypatch.setattr(batches, "STALE_AFTER", timedelta(seconds=1))
    time.sleep(1.2)
    with engine.begin() as conn:
        return batches.get(conn, batch_id)


def kill(proc: subprocess.Popen) -> None:
    assert proc.poll() is None, "the command ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def settled(engine: Engine) -> None:
    """On PostgreSQL, wait until the killed client's server process has noticed and rolled back (it holds the
    publish's locks until then)."""
    if engine.dialect.name != "postgresql":
        return
    busy = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')"
    )

    def idle() -> bool:
        with engine.connect() as conn:
            return conn.scalar(busy) == 0

    wait_for(idle, 30, "the killed client's session ended")


def stage_big(store: Store, folder: Path, rows: int) -> Batch:
    path = big_csv(folder / "全年调处登记.csv", rows)
    batch_id = stage.receive(
        store.engine,
        store.uploads,
        path,
        path.name,
        COMMAND_LINE,
        register="dispute_case",
        department_code="SFJ",
        period=YEAR,
    )
    batch = stage.check(store.engine, store.uploads, batch_id, COMMAND_LINE, MAX_BYTES)
    assert batch.status == "staged" and batch.rows_total == rows
    return batch


def justice_2024(engine: Engine) -> int:
    with engine.connect() as conn:
        return count(conn, dispute_case.c.department_code == "SFJ", dispute_case.c.year == 2024)


@pytest.mark.slow
def test_an_import_killed_while_checking_rows_stages_nothing_and_retry_stages_it(
    store, tmp_path, monkeypatch
):
    path = big_csv(tmp_path / "全年调处登记.csv", IMPORT_ROWS)
    with store.engine.connect() as conn:
        before = desk(conn)
    proc = subprocess.Popen(
        cli_command("import", str(path), "--department", "SFJ", "--period", "2024"),
        env=store.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        checking = wait_for(
            lambda: (b := newest_batch(store.engine)) is not None and b.step.startswith("已检查") and b,
            120,
            "the import says it is checking rows",
        )
        kill(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    batch_id = checking.id
    settled(store.engine)

    assert staged_count(store.engine, batch_id) == 0
    with store.engine.connect() as conn:
        assert desk(conn) == before
    # Until its heartbeat is stale the batch still says it is being checked; then it reads as failed.
    assert raw_batch(store.engine, batch_id).status == "checking"
    failed = read_as_failed(store.engine, batch_id, monkeypatch)
    assert (failed.status, failed.publishable) == ("failed", False)
    assert failed.step == "检查中断：可以重试"
    # The upload is kept (for the retry); the rows checked so far went to a temporary file that is gone.
    assert os.listdir(store.uploads) == [failed.stored_as]

    retried = run_cli("batch", "retry", str(batch_id), env=store.env)

    assert retried.returncode == 0, retried.stdout + retried.stderr
    assert f"批次 {batch_id}：待审核" in retried.stdout
    with store.engine.begin() as conn:
        batch = batches.get(conn, batch_id)
        assert desk(conn) == before
    assert batch.status == "staged" and staged_count(store.engine, batch_id) == IMPORT_ROWS
    rows = batch.preview["rows"]
    assert (rows["total"], rows["added"], rows["removed"]) == (
        IMPORT_ROWS,
        IMPORT_ROWS,
        justice_2024(store.engine),
    )


@pytest.mark.slow
def test_a_publish_killed_midway_leaves_the_store_as_it_was_and_publishing_again_succeeds(
    store, tmp_path, monkeypatch
):
    batch = stage_big(store, tmp_path, PUBLISH_ROWS)
    with store.engine.connect() as conn:
        before = desk(conn)
    proc = subprocess.Popen(
        cli_command("batch", "publish", str(batch.id)),
        env=store.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: raw_batch(store.engine, batch.id).status == "publishing", 60, "the publish started")
        time.sleep(0.5)
        kill(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    settled(store.engine)

    with store.engine.connect() as conn:
        assert desk(conn) == before
        assert conn.scalar(select(func.count()).select_from(published_version)) == 0
    failed = read_as_failed(store.engine, batch.id, monkeypatch)
    assert (failed.status, failed.publishable, failed.step) == ("failed", True, "发布中断：可以重试")
    assert staged_count(store.engine, batch.id) == PUBLISH_ROWS

    done = publish.publish(store.engine, batch.id, LEADER)

    assert done.status == "published"
    assert justice_2024(store.engine) == PUBLISH_ROWS
    with store.engine.connect() as conn:
        assert fact_sum(conn, "disputes_mediated", 2024, department_code="SFJ") == PUBLISH_ROWS


@pytest.fixture
def cluster() -> Iterator[PgCluster]:
    c = PgCluster()
    c.start()
    build_store(c.url)
    yield c
    c.remove()


@pytest.mark.slow
@pytest.mark.postgres
def test_postgresql_restarted_while_publishing_fails_clearly_changes_nothing_and_publishing_again_succeeds(
    cluster, tmp_path, monkeypatch
):
    engine = open_engine(cluster.url)
    instance = tmp_path / "instance"
    store = Store(cluster.url, engine, instance / "uploads", cli_env(cluster.url, instance))
    try:
        batch = stage_big(store, tmp_path, PUBLISH_ROWS)
        with engine.connect() as conn:
            before = desk(conn)
        proc = subprocess.Popen(
            cli_command("batch", "publish", str(batch.id)),
            env=store.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for(lambda: raw_batch(engine, batch.id).status == "publishing", 60, "the publish started")
            time.sleep(0.5)
            assert proc.poll() is None, "the publish ended before the restart"
            cluster.restart()
            out, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

        assert proc.returncode == 2, out + err
        assert "Traceback" not in err
        lines = err.strip().splitlines()
        # One line: what happened, that nothing was written, and what to do.
        assert len(lines) == 1 and lines[0].startswith("错误：与数据库 ") and "连接中断" in lines[0], err
        assert "已由数据库撤销" in lines[0] and "重新运行同一命令" in lines[0], err
        # The pool's connections died with the server: the next use reconnects.
        engine.dispose()
        with engine.connect() as conn:
            assert desk(conn) == before
            assert conn.scalar(select(func.count()).select_from(published_version)) == 0
        failed = read_as_failed(engine, batch.id, monkeypatch)
        assert (failed.status, failed.publishable) == ("failed", True)
        assert staged_count(engine, batch.id) == PUBLISH_ROWS

        done = publish.publish(engine, batch.id, LEADER)

        assert done.status == "published" and justice_2024(engine) == PUBLISH_ROWS
    finally:
        engine.dispose()

"""Which process works on a running batch, and its heartbeat: a thread that keeps saying the process is alive.

A batch that is being checked or published names its worker and keeps saying it is alive (:func:`heartbeat`);
data/imports/batches.py reads one that stopped (the process was killed, the machine went down) as failed.
Kept apart because it is threads and timing, not the batch table's rows.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Engine, update

from data.imports.states import RUNNING
from data.schema import import_batch

# Seconds between beats; data/imports/batches.py STALE_AFTER is many of them.
HEARTBEAT_EVERY = 5.0


def _now() -> datetime:
    return datetime.now(UTC)


def worker_name() -> str:
    """This process and thread, as a batch names its worker."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


@contextmanager
def heartbeat(engine: Engine, batch_id: int) -> Iterator[None]:
    """Say every few seconds, from a thread with its own connection, that this process still works on the batch.

    On SQLite a beat may wait for the batch's own write transaction; it is skipped then, and the next one
    tries again: STALE_AFTER is many beats long.
    """
    stop = threading.Event()
    me = worker_name()

    def beat() -> None:
        while not stop.wait(HEARTBEAT_EVERY):
            try:
                with engine.begin() as conn:
                    if conn.dialect.name == "sqlite":
                        conn.exec_driver_sql("PRAGMA busy_timeout = 1000")
                    conn.execute(
                        update(import_batch)
                        .where(import_batch.c.id == batch_id, import_batch.c.status.in_(RUNNING))
                        .values(heartbeat_at=_now(), worker=me)
                    )
            except Exception:  # noqa: BLE001, S112 - a missed beat is retried; STALE_AFTER allows many
                continue

    thread = threading.Thread(target=beat, name=f"batch-{batch_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=HEARTBEAT_EVERY + 2)

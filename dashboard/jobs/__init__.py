"""Long work off the request: checking an uploaded file and publishing a batch.

The state of every job is its batch's row in the store (status, step, progress, heartbeat), so the page that
shows it survives a reload, and a worker killed mid-way leaves a batch that reads as failed and can be retried
(data/imports/batches.py). Where the work runs is configuration (DASHBOARD_JOBS): ``local`` runs it on a small
thread pool inside the web process, which is what one host needs; ``celery`` sends it to Celery workers on Redis
(``celery -A dashboard.jobs.celery_worker worker``) for several hosts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine

from dashboard.config import Config
from data.imports import publish, stage
from data.imports.batches import Actor

log = logging.getLogger(__name__)
# Imports are rare and each one uses a core fully: two at a time keep the desk responsive on two cores.
LOCAL_WORKERS = 2


class LocalJobs:
    """Jobs on threads of this process."""

    def __init__(self, engine: Engine, uploads: Path, max_bytes: int) -> None:
        self.engine = engine
        self.uploads = uploads
        self.max_bytes = max_bytes
        self._pool = ThreadPoolExecutor(max_workers=LOCAL_WORKERS, thread_name_prefix="import-job")

    def _submit(self, what: str, fn: Callable[..., object], *args: object) -> Future:
        def run() -> object:
            try:
                return fn(*args)
            except Exception:
                log.exception("后台任务失败：%s", what)
                raise

        return self._pool.submit(run)

    def check(self, batch_id: int, actor: Actor) -> Future:
        return self._submit(
            f"检查批次 {batch_id}", stage.check, self.engine, self.uploads, batch_id, actor, self.max_bytes
        )

    def publish(self, batch_id: int, actor: Actor) -> Future:
        return self._submit(f"发布批次 {batch_id}", publish.publish_claimed, self.engine, batch_id, actor)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class Jobs(Protocol):
    def check(self, batch_id: int, actor: Actor) -> object: ...

    def publish(self, batch_id: int, actor: Actor) -> object: ...

    def shutdown(self) -> None: ...


def make_jobs(cfg: Config, engine: Engine) -> Jobs:
    """The job runner the configuration names (DASHBOARD_JOBS)."""
    if cfg.jobs == "celery":
        from dashboard.jobs.celery_worker import CeleryJobs

        return CeleryJobs(cfg.redis_url)
    return LocalJobs(engine, cfg.uploads_path, cfg.max_upload_bytes)

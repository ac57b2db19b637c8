"""Checking and publishing as Celery tasks on Redis, for deployments with several hosts (DASHBOARD_JOBS=celery).

Run the workers with ``celery -A dashboard.jobs.celery_worker worker`` on any host with the same configuration
(DATABASE_URL, REDIS_URL, DASHBOARD_INSTANCE_PATH): the uploaded files are kept under the instance folder, which
the web hosts and the workers must share (a network volume). A task's state is its batch's row in the store, as
with the local jobs: a worker killed mid-way leaves a batch that reads as failed and can be retried.

The monthly reports (dashboard/jobs/deliver.py) are a task too, scheduled by Celery beat on the 12th of each month
for the month before (``celery -A dashboard.jobs.celery_worker beat``, one beat for the whole deployment); a
systemd timer does the same on one host (README, 本单位工作台与月报).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from functools import cache

from celery import Celery
from celery.schedules import crontab
from sqlalchemy import Engine

from dashboard.config import Config, from_env
from data import catalog_edits
from data.engine import open_engine
from data.imports import publish, stage
from data.imports.batches import Actor

CHECK = "fazhi.check"
PUBLISH = "fazhi.publish"
DELIVER = "fazhi.deliver_last_month"
# the 12th at 06:30: after the registers' due day (DASHBOARD_REPORT_DAY, by default the 10th)
MONTHLY = crontab(day_of_month="12", hour="6", minute="30")


@cache
def config() -> Config:
    return from_env()


@cache
def engine() -> Engine:
    return open_engine(config().resolved_database_url())


def make_celery(redis_url: str) -> Celery:
    celery = Celery("fazhi", broker=redis_url)
    # A task is taken off the queue only once done: a worker that dies mid-way leaves it for another one.
    celery.conf.update(task_acks_late=True, worker_prefetch_multiplier=1, task_ignore_result=True)
    celery.conf.beat_schedule = {"monthly-reports": {"task": DELIVER, "schedule": MONTHLY}}
    return celery


app = make_celery(config().redis_url or "redis://127.0.0.1:6379/0")


def _current_catalog() -> Engine:
    """The store, with the district's catalog edits read anew: the web side may have changed them since."""
    store = engine()
    with store.connect() as conn:
        catalog_edits.refresh(conn)
    return store


@app.task(name=CHECK)
def check(batch_id: int, actor: dict) -> None:
    cfg = config()
    stage.check(_current_catalog(), cfg.uploads_path, batch_id, Actor(**actor), cfg.max_upload_bytes)


@app.task(name=PUBLISH)
def publish_batch(batch_id: int, actor: dict) -> None:
    publish.publish_claimed(_current_catalog(), batch_id, Actor(**actor))


def last_month(today: date) -> str:
    """The month before ``today``'s, as `dashboard deliver --month` takes it."""
    return f"{today.year - 1}-12" if today.month == 1 else f"{today.year}-{today.month - 1:02d}"


@app.task(name=DELIVER)
def deliver_last_month() -> None:
    # imported here: the import workers need none of the reports' modules
    from dashboard.jobs.deliver import deliver

    deliver(engine(), config(), last_month(date.today()))


class CeleryJobs:
    """The web side: sends the work to the queue (the same interface as dashboard.jobs.LocalJobs)."""

    def __init__(self, redis_url: str) -> None:
        self.celery = make_celery(redis_url)

    def check(self, batch_id: int, actor: Actor) -> None:
        self.celery.send_task(CHECK, args=[batch_id, asdict(actor)])

    def publish(self, batch_id: int, actor: Actor) -> None:
        self.celery.send_task(PUBLISH, args=[batch_id, asdict(actor)])

    def shutdown(self) -> None:
        self.celery.close()

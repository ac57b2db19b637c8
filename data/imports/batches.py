"""Batches: one upload (or one entry of reported figures) from checking to publishing, read and written.

A batch that is being checked or published names its worker, which keeps saying it is alive
(data/imports/workers.py); one that stopped saying so for STALE_AFTER (the process was killed, the machine
went down) is read as failed here, and can be tried again. Nothing a failed batch did is in the store:
checking writes its staged rows, and publishing its changes, each in one transaction at the end. Its states
are in data/imports/states.py, who may do what to it in data/imports/rights.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update

from data.access import ROLES, Action, roles_that
from data.imports.states import KINDS, RUNNING, STATUSES, Status
from data.imports.workers import worker_name
from data.registers import REGISTERS
from data.schema import import_batch, staged_row

# Who publishes, rejects and rolls back; the rest of the roles that may upload, for their own department.
REVIEWER_ROLES = roles_that(Action.REVIEW)
# those who upload for their own department only (reviewers may upload too, for any)
UPLOADER_ROLES = tuple(r for r in roles_that(Action.UPLOAD) if r not in REVIEWER_ROLES)
# A running batch that has not said it is alive for this long is read as failed (its process is gone).
STALE_AFTER = timedelta(seconds=60)
MAX_REASON = 500


class BatchError(ValueError):
    """What was asked cannot be done to this batch; the message is one Chinese sentence."""


class NotAllowed(BatchError):
    """The actor's role or department does not allow it (the web answers 403)."""


@dataclass(frozen=True)
class Actor:
    """Who acts: a signed-in user, or the command line (``username`` None, with every right)."""

    username: str | None
    role: str
    department: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")

    @property
    def reviewer(self) -> bool:
        return self.role in REVIEWER_ROLES


COMMAND_LINE = Actor(None, "admin")


@dataclass(frozen=True)
class Batch:
    id: int
    kind: str
    register: str | None
    department_code: str | None
    township_code: str | None
    period_start: date | None
    period_end: date | None
    status: str
    step: str
    progress: int
    file_name: str | None
    file_size: int | None
    file_sha256: str | None
    stored_as: str | None
    created_by: str | None
    created_at: datetime
    rows_total: int | None
    error_count: int
    errors: list[dict]
    preview: dict[str, Any]
    reviewed_by: str | None
    reviewed_at: datetime | None
    reason: str | None

    @property
    def status_zh(self) -> str:
        return STATUSES[self.status]

    @property
    def label(self) -> str:
        if self.kind == "figure":
            return KINDS["figure"]
        return REGISTERS[self.register].label if self.register in REGISTERS else str(self.register)

    @property
    def period_zh(self) -> str:
        if self.period_start is None or self.period_end is None:
            return ""
        return f"{self.period_start.isoformat()} 至 {self.period_end.isoformat()}"

    @property
    def publishable(self) -> bool:
        """Staged, or a publish that was cut short (its staged rows are still there)."""
        return self.status == Status.STAGED or (
            self.status == Status.FAILED and self.preview.get("staged") is True
        )


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite keeps times without a zone; they were written in UTC.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def create(
    conn: Connection,
    *,
    kind: str,
    actor: Actor,
    register: str | None = None,
    department_code: str | None = None,
    township_code: str | None = None,
    period: tuple[date, date] | None = None,
    file: dict[str, Any] | None = None,
) -> int:
    """A new batch in state ``checking``, owned by this process; ``file``: name, size, sha256, stored_as."""
    file = file or {}
    now = _now()
    result = conn.execute(
        insert(import_batch).values(
            kind=kind,
            register=register,
            department_code=department_code,
            township_code=township_code,
            period_start=period[0] if period else None,
            period_end=period[1] if period else None,
            status=Status.CHECKING,
            step="等待检查",
            progress=0,
            worker=worker_name(),
            heartbeat_at=now,
            file_name=file.get("name"),
            file_size=file.get("size"),
            file_sha256=file.get("sha256"),
            stored_as=file.get("stored_as"),
            created_by=actor.username,
            created_at=now,
            error_count=0,
        )
    )
    return int(result.inserted_primary_key[0])


def _batch(row: Any) -> Batch:
    return Batch(
        id=row.id,
        kind=row.kind,
        register=row.register,
        department_code=row.department_code,
        township_code=row.township_code,
        period_start=row.period_start,
        period_end=row.period_end,
        status=row.status,
        step=row.step,
        progress=row.progress,
        file_name=row.file_name,
        file_size=row.file_size,
        file_sha256=row.file_sha256,
        stored_as=row.stored_as,
        created_by=row.created_by,
        created_at=_aware(row.created_at),
        rows_total=row.rows_total,
        error_count=row.error_count,
        errors=json.loads(row.errors) if row.errors else [],
        preview=json.loads(row.preview) if row.preview else {},
        reviewed_by=row.reviewed_by,
        reviewed_at=_aware(row.reviewed_at),
        reason=row.reason,
    )


def _stale(row: Any) -> bool:
    beat = _aware(row.heartbeat_at)
    return row.status in RUNNING and (beat is None or _now() - beat > STALE_AFTER)


def get(conn: Connection, batch_id: int) -> Batch:
    """The batch; one whose process is gone is marked failed here (and so for every later reader)."""
    row = conn.execute(select(import_batch).where(import_batch.c.id == batch_id)).first()
    if row is None:
        raise BatchError(f"没有编号为 {batch_id} 的批次")
    if _stale(row):
        fail(conn, batch_id, "检查中断" if row.status == Status.CHECKING else "发布中断", row.status)
        row = conn.execute(select(import_batch).where(import_batch.c.id == batch_id)).first()
    return _batch(row)


def fail(conn: Connection, batch_id: int, why: str, was: str = "checking") -> None:
    """Mark a running batch failed; a publish that failed keeps its staged rows and may be published again."""
    staged = was == "publishing"
    preview = conn.scalar(select(import_batch.c.preview).where(import_batch.c.id == batch_id))
    data = json.loads(preview) if preview else {}
    data["staged"] = staged
    conn.execute(
        update(import_batch)
        .where(import_batch.c.id == batch_id, import_batch.c.status.in_(RUNNING))
        .values(
            status=Status.FAILED,
            step=f"{why}：可以重试"[:200],
            worker=None,
            preview=json.dumps(data, ensure_ascii=False),
        )
    )


def restart_check(conn: Connection, batch_id: int) -> None:
    """Check again a batch whose check was cut short; a staged batch would be staged twice, and a publish cut
    short is published again instead."""
    batch = get(conn, batch_id)
    if batch.status != Status.FAILED or batch.publishable:
        raise BatchError(
            f"批次 {batch_id} {batch.status_zh}：只有检查中断的批次可以重新检查；发布中断的批次请重新发布"
        )
    set_state(
        conn, batch_id, status=Status.CHECKING, step="重新检查", worker=worker_name(), heartbeat_at=_now()
    )


def listing(
    conn: Connection,
    *,
    limit: int = 50,
    department_code: str | None = None,
    status: str | None = None,
    created_by: str | None = None,
) -> list[Batch]:
    """The newest batches first (an uploader's list: their department's, and their own, as
    data/imports/rights.py may_see: a file refused before its register was known has no department)."""
    query = select(import_batch).order_by(import_batch.c.id.desc()).limit(limit)
    mine = []
    if department_code is not None:
        mine.append(import_batch.c.department_code == department_code)
    if created_by is not None:
        mine.append(import_batch.c.created_by == created_by)
    if mine:
        query = query.where(or_(*mine))
    if status is not None:
        query = query.where(import_batch.c.status == status)
    stale = [row.id for row in conn.execute(query) if _stale(row)]
    for batch_id in stale:
        get(conn, batch_id)
    return [_batch(row) for row in conn.execute(query)]


def set_state(conn: Connection, batch_id: int, **values: Any) -> None:
    for key in ("errors", "preview"):
        if key in values and not isinstance(values[key], str | None):
            values[key] = json.dumps(values[key], ensure_ascii=False, default=str)
    if "step" in values:
        values["step"] = str(values["step"])[:200]
    conn.execute(update(import_batch).where(import_batch.c.id == batch_id).values(**values))


def staged_count(conn: Connection, batch_id: int) -> int:
    return conn.scalar(select(func.count()).select_from(staged_row).where(staged_row.c.batch_id == batch_id))


def clean_reason(text: str) -> str:
    reason = " ".join(str(text).split())[:MAX_REASON]
    if not reason:
        raise BatchError("驳回须写明理由")
    return reason

"""Published versions: listing them, and rolling them back.

Every publish (data/imports/publish.py) leaves a version and the rows it replaced, archived. Rolling version N
back undoes it and every later version, newest first, in one transaction: each one's rows are deleted and the
rows it replaced put back. Kept apart from publishing because it reads and reverses what publishing wrote,
and is a reviewer's separate act on its own page section and command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, update

from data import alerts, facts
from data import years as calendar_years
from data.accounts import record
from data.bulk import bulk_insert
from data.imports import batches, preview, rights
from data.imports.batches import Actor, Batch, BatchError
from data.imports.publish import put_figure, scope_zh
from data.imports.states import Status
from data.schema import REGISTERS, archived_row, published_version
from data.store import begin_write, bump_data_version


@dataclass(frozen=True)
class Version:
    id: int
    batch_id: int
    label: str
    scope_zh: str
    published_by: str | None
    published_at: datetime
    summary: dict[str, Any]
    rolled_back_by: str | None
    rolled_back_at: datetime | None


def _now() -> datetime:
    return datetime.now(UTC)


def versions(conn: Connection, limit: int = 100) -> list[Version]:
    """The newest published versions first, rolled back or not."""
    from data.schema import import_batch

    query = (
        select(published_version, import_batch.c.id.label("bid"))
        .join(import_batch, import_batch.c.id == published_version.c.batch_id)
        .order_by(published_version.c.id.desc())
        .limit(limit)
    )
    out = []
    for row in conn.execute(query):
        batch = batches.get(conn, row.batch_id)
        out.append(
            Version(
                id=row.id,
                batch_id=row.batch_id,
                label=batch.label,
                scope_zh=scope_zh(conn, batch),
                published_by=row.published_by,
                published_at=batches._aware(row.published_at),
                summary=json.loads(row.summary),
                rolled_back_by=row.rolled_back_by,
                rolled_back_at=batches._aware(row.rolled_back_at),
            )
        )
    return out


def rollback(engine: Engine, version_id: int, actor: Actor, seen_latest: int | None = None) -> list[int]:
    """Restore the published state before version ``version_id``; returns the versions undone, newest first.

    ``seen_latest`` is the newest version the reviewer's page showed: a version published since would be undone
    with the one chosen, unseen, so the rollback is refused until the reviewer has looked again."""
    rights.require_reviewer(actor)
    with begin_write(engine) as conn:
        if seen_latest is not None:
            newer = conn.execute(
                select(published_version.c.id, published_version.c.batch_id)
                .where(published_version.c.id > seen_latest, published_version.c.rolled_back_at.is_(None))
                .order_by(published_version.c.id)
            ).all()
            if newer:
                listed = "、".join(f"版本 {vid}（批次 {bid}）" for vid, bid in newer)
                raise BatchError(
                    f"打开本页之后又发布了{listed}，回滚版本 {version_id} 会一并撤销它们；请核对最新的版本列表后再回滚"
                )
        target = conn.execute(select(published_version).where(published_version.c.id == version_id)).first()
        if target is None:
            raise BatchError(f"没有版本 {version_id}")
        if target.rolled_back_at is not None:
            raise BatchError(
                f"版本 {version_id} 已于 {batches._aware(target.rolled_back_at):%Y-%m-%d %H:%M} 回滚"
            )
        undo = conn.execute(
            select(published_version.c.id, published_version.c.batch_id)
            .where(published_version.c.id >= version_id, published_version.c.rolled_back_at.is_(None))
            .order_by(published_version.c.id.desc())
        ).all()
        for vid, batch_id in undo:
            _undo(conn, vid, batches.get(conn, batch_id), actor)
        return [vid for vid, _ in undo]


def _undo(conn: Connection, version_id: int, batch: Batch, actor: Actor) -> None:
    rows = [
        json.loads(p)
        for p in conn.execute(
            select(archived_row.c.payload)
            .where(archived_row.c.version_id == version_id)
            .order_by(archived_row.c.seq)
        ).scalars()
    ]
    years: range | None = None
    if batch.kind == "figure":
        for row in rows:
            put_figure(conn, row)
        calendar_years.sync(conn, {row["year"] for row in rows})
        bump_data_version(conn)
    else:
        table = REGISTERS[batch.register]
        columns = preview.payload_columns(batch.register)
        conn.execute(delete(table).where(preview.scope_clause(table, batch)))
        bulk_insert(
            conn, table, (preview.row_tuple(r, columns) for r in rows), columns=[*columns, "year", "month"]
        )
        years = range(batch.period_start.year, batch.period_end.year + 1)
        facts.refresh(conn, [batch.register], years=years)
    alerts.evaluate(conn, alerts.affected_years(conn, years) if years else None)
    conn.execute(
        update(published_version)
        .where(published_version.c.id == version_id)
        .values(rolled_back_by=actor.username, rolled_back_at=_now())
    )
    batches.set_state(conn, batch.id, status=Status.ROLLED_BACK, step=f"版本 {version_id} 已回滚")
    record(
        conn,
        "version_rollback",
        actor=actor.username,
        subject=f"版本 {version_id}",
        batch=batch.id,
        register=batch.register,
        restored_rows=len(rows),
    )

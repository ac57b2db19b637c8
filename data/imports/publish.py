"""Publishing a staged batch, and rejecting it.

Publishing is one transaction: the register's published rows of the batch's department (or township) dated
within its period are archived and deleted, the staged rows inserted, the summaries of the years it touched
rebuilt and the data version bumped, so every open desk shows the new figures on its next request. The same
file published twice changes nothing. Rolling a version back (data/imports/versions.py) puts the archived
rows back.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError

from data import alerts, facts
from data import years as calendar_years
from data.accounts import record
from data.bulk import bulk_insert
from data.imports import batches, preview, rights, workers
from data.imports.batches import Actor, Batch, BatchError
from data.imports.states import Status
from data.schema import REGISTERS, archived_row, published_version, reported_figure, staged_row
from data.store import begin_write, bump_data_version


def _now() -> datetime:
    return datetime.now(UTC)


class NumberTaken(BatchError):
    """A staged row's register number was published by another batch since: the batch stays staged, to reject."""


def publish(engine: Engine, batch_id: int, actor: Actor, feed: bool = False) -> Batch:
    """Publish a staged batch (or one whose publishing was cut short) as a reviewer, or as a feed's account
    that data.imports.feeds allows to publish its register (the caller checks that, and says so with ``feed``)."""
    claim(engine, batch_id, actor, feed)
    return publish_claimed(engine, batch_id, actor)


def claim(engine: Engine, batch_id: int, actor: Actor, feed: bool = False) -> None:
    """Mark the batch as being published by this process (the page shows it at once, before a job starts)."""
    if not feed:
        rights.require_reviewer(actor)
    with begin_write(engine) as conn:
        batch = batches.get(conn, batch_id)
        if not batch.publishable:
            raise BatchError(f"批次 {batch_id} {batch.status_zh}，只有待审核的批次可以发布")
        batches.set_state(
            conn,
            batch_id,
            status=Status.PUBLISHING,
            step="正在发布",
            worker=workers.worker_name(),
            heartbeat_at=_now(),
        )


def publish_claimed(engine: Engine, batch_id: int, actor: Actor) -> Batch:
    """Publish a batch :func:`claim` marked, in one transaction."""
    with engine.connect() as conn:
        batch = batches.get(conn, batch_id)
    try:
        with workers.heartbeat(engine, batch_id), begin_write(engine) as conn:
            _publish(conn, batch, actor)
    except NumberTaken as exc:
        with begin_write(engine) as conn:
            batches.set_state(conn, batch_id, status=Status.STAGED, step=str(exc), worker=None)
        raise
    except BaseException:
        try:
            with begin_write(engine) as conn:
                batches.fail(conn, batch_id, "发布未完成", Status.PUBLISHING)
        except Exception:  # noqa: BLE001 - the store may be down; the batch reads as failed once stale
            pass
        raise
    with engine.connect() as conn:
        return batches.get(conn, batch_id)


def _publish(conn: Connection, batch: Batch, actor: Actor) -> None:
    # What the version records as changed is what this publish changes, whatever happened since staging.
    batch = preview.fresh(conn, replace(batch, status=Status.STAGED))
    if batch.kind == "figure":
        archived = _swap_figures(conn, batch)
        years: list[int] = []
    else:
        table = REGISTERS[batch.register]
        scope = preview.scope_clause(table, batch)
        columns = preview.payload_columns(batch.register)
        old = conn.execute(select(*[table.c[c] for c in columns]).where(scope))
        archived = [
            {c: (v.isoformat() if hasattr(v, "isoformat") else v) for c, v in zip(columns, row, strict=True)}
            for row in old
        ]
        conn.execute(delete(table).where(scope))
        try:
            preview.insert_staged(conn, table, batch.id, batch.register)
        except IntegrityError:
            # Checked when staged; a batch published since then may have taken a number outside this one's scope.
            raise NumberTaken(
                "发布未完成：本批次的登记编号已被此后发布的其他记录使用，数据未作改动；请驳回本批次，修改后重新上传"
            ) from None
        years = list(range(batch.period_start.year, batch.period_end.year + 1))
    summary = {"rows": batch.preview.get("rows", {}), "figures": batch.preview.get("figures", [])}
    version_id = conn.execute(
        insert(published_version).values(
            batch_id=batch.id,
            published_by=actor.username,
            published_at=_now(),
            summary=json.dumps(summary, ensure_ascii=False, default=str),
        )
    ).inserted_primary_key[0]
    bulk_insert(
        conn,
        archived_row,
        ((version_id, i, json.dumps(row, ensure_ascii=False)) for i, row in enumerate(archived)),
        columns=["version_id", "seq", "payload"],
    )
    if years:
        facts.refresh(conn, [batch.register], years=years)
    else:
        calendar_years.sync(conn, {a["year"] for a in archived})
        bump_data_version(conn)
    # Warnings are evaluated here, with the data they describe, not on every page view.
    alerts.evaluate(conn, alerts.affected_years(conn, years) if years else None)
    conn.execute(delete(staged_row).where(staged_row.c.batch_id == batch.id))
    batches.set_state(
        conn,
        batch.id,
        status=Status.PUBLISHED,
        step=f"已发布为版本 {version_id}",
        worker=None,
        reviewed_by=actor.username,
        reviewed_at=_now(),
    )
    record(
        conn,
        "batch_publish",
        actor=actor.username,
        subject=f"批次 {batch.id}",
        version=version_id,
        file=batch.file_name,
        size=batch.file_size,
        sha256=batch.file_sha256,
        register=batch.register,
        rows=summary["rows"],
        figures=[_figure_change(f) for f in summary["figures"] if f["level"] == "district"],
    )


def _figure_change(f: dict) -> str:
    return f"{f['year']} {f['name']}：{f['before']} → {f['after']}"


def _swap_figures(conn: Connection, batch: Batch) -> list[dict]:
    """Reported figures: the new values in, the old ones (or their absence) archived."""
    archived = []
    for payload in preview.staged_rows(conn, batch.id):
        key = (reported_figure.c.indicator_code == payload["code"], reported_figure.c.year == payload["year"])
        old = conn.execute(select(reported_figure).where(*key)).first()
        archived.append(
            {"code": payload["code"], "year": payload["year"]}
            | (
                {}
                if old is None
                else {"value": old.value, "as_of": old.as_of.isoformat(), "source": old.source}
            )
        )
        put_figure(conn, payload)
    return archived


def put_figure(conn: Connection, figure: dict) -> None:
    """A reported figure (code, year) set to ``figure``, or removed where it holds no value (an archived
    absence: the figure did not exist before the publish that is rolled back). Publishing and rolling back
    (data/imports/versions.py) both write figures this way."""
    key = (reported_figure.c.indicator_code == figure["code"], reported_figure.c.year == figure["year"])
    conn.execute(delete(reported_figure).where(*key))
    if "value" in figure:
        conn.execute(
            insert(reported_figure).values(
                indicator_code=figure["code"],
                year=figure["year"],
                value=figure["value"],
                as_of=datetime.fromisoformat(figure["as_of"]).date(),
                source=figure["source"],
            )
        )


def reject(engine: Engine, batch_id: int, actor: Actor, reason: str) -> Batch:
    """Reject a staged batch with the reviewer's reason: its staged rows are deleted, nothing is published."""
    rights.require_reviewer(actor)
    reason = batches.clean_reason(reason)
    with begin_write(engine) as conn:
        batch = batches.get(conn, batch_id)
        if not batch.publishable:
            raise BatchError(f"批次 {batch_id} {batch.status_zh}，只有待审核的批次可以驳回")
        conn.execute(delete(staged_row).where(staged_row.c.batch_id == batch_id))
        batches.set_state(
            conn,
            batch_id,
            status=Status.REJECTED,
            step="已驳回",
            reason=reason,
            reviewed_by=actor.username,
            reviewed_at=_now(),
        )
        record(conn, "batch_reject", actor=actor.username, subject=f"批次 {batch_id}", reason=reason)
        return batches.get(conn, batch_id)


def scope_zh(conn: Connection, batch: Batch) -> str:
    """What a batch covers (the published rows publishing it replaces), as a person reads it."""
    if batch.kind == "figure":
        return "报告数字"
    who = rights.department_name(conn, batch.department_code) if batch.department_code else "全区"
    if batch.township_code:
        who += f"·{batch.township_code}"
    return f"{who}，{batch.period_zh}"

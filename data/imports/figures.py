"""Figures that come from no register (进驻部门 43, 事项 1696): entered by hand, reviewed and published like a file.

An entry is a batch of kind ``figure`` with one staged row per figure; publishing writes the reported value and
archives the one it replaces, so a rollback puts it back.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select

from data import catalog
from data.accounts import record
from data.bulk import bulk_insert
from data.imports import batches, rights
from data.imports.batches import Actor, BatchError
from data.imports.states import Status
from data.schema import reported_figure, staged_row
from data.store import begin_write, get_meta

MAX_NOTE = reported_figure.c.source.type.length


def reported_indicators() -> dict[str, catalog.Indicator]:
    return {c: i for c, i in catalog.load().items() if i.source_kind == "reported"}


def submit(engine: Engine, actor: Actor, code: str, year: int, value: float, note: str | None = None) -> int:
    """Stage one reported figure for review; returns the batch id."""
    ind = reported_indicators().get(code)
    if ind is None:
        raise BatchError(f"“{code}”不是需要填报的数字（只有不来自登记簿的报告数字可以这样填报）")
    if not 2000 <= year <= 2100:
        raise BatchError(f"年度 {year} 超出 2000—2100 的范围")
    if not math.isfinite(value) or value < 0:
        raise BatchError(f"数值 {value} 应为不小于 0 的数")
    source = " ".join((note or "").split())[:MAX_NOTE] or "数据页填报"
    with begin_write(engine) as conn:
        if not actor.reviewer and rights.department_name(conn, actor.department) != ind.responsible:
            raise BatchError(f"“{ind.name}”由{ind.responsible}填报")
        before = conn.scalar(
            select(reported_figure.c.value).where(
                reported_figure.c.indicator_code == code, reported_figure.c.year == year
            )
        )
        batch_id = batches.create(
            conn, kind="figure", actor=actor, period=(date(year, 1, 1), date(year, 12, 31))
        )
        payload = {
            "code": code,
            "year": year,
            "value": value,
            "as_of": datetime.now(UTC).date().isoformat(),
            "source": source,
        }
        bulk_insert(
            conn,
            staged_row,
            [(batch_id, 1, json.dumps(payload, ensure_ascii=False))],
            columns=["batch_id", "row_no", "payload"],
        )
        figure = {
            "code": code,
            "name": ind.name,
            "unit": ind.unit,
            "area": ind.area,
            "year": year,
            "level": "district",
            "member": None,
            "member_name": "全区",
            "before": before,
            "after": value,
        }
        summary = {
            "data_version": int(get_meta(conn, "data_version", "0")),
            "rows": {
                "total": 1,
                "added": int(before is None),
                "replaced": int(before is not None),
                "removed": 0,
                "unchanged": int(before == value),
            },
            "figures": [] if before == value else [figure],
            "staged": True,
        }
        batches.set_state(
            conn,
            batch_id,
            status=Status.STAGED,
            step="待审核",
            progress=100,
            worker=None,
            rows_total=1,
            preview=summary,
        )
        record(
            conn,
            "batch_upload",
            actor=actor.username,
            subject=f"批次 {batch_id}",
            figure=code,
            year=year,
            value=value,
            before=before,
        )
    return batch_id

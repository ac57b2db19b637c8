"""A department's file becomes a staged batch: received, refused or read, every cell checked, staged, previewed.

Checking reads the file once, in chunks, and spills the rows it accepts to a temporary file beside the upload,
so that a million-row CSV never sits in memory. Only a file with no error at all is staged, in one transaction
that writes its rows and its preview together: a process killed before then leaves no staged row.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import logging
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, String, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY

from data.accounts import record
from data.bulk import bulk_insert
from data.imports import batches, files, intake, preview, rights, workers
from data.imports.batches import Actor, Batch, BatchError
from data.imports.cells import Names
from data.imports.states import Status
from data.imports.validate import Checker, Scope
from data.org import day_zh
from data.registers import REGISTERS as DECLARED
from data.schema import REGISTERS, department, staged_row, township
from data.store import begin_write

log = logging.getLogger(__name__)
# Register numbers looked up at once when checking that none belongs to a row outside the batch.
LOOKUP_CHUNK = 5_000
# Staged rows written at a time: on SQLite bulk_insert makes a list of its rows.
STAGE_CHUNK = 10_000
# json.dumps with options builds its encoder anew for every row.
_ENCODE = json.JSONEncoder(ensure_ascii=False, default=str).encode
Progress = Callable[[str], None]


def receive(
    engine: Engine,
    uploads: Path,
    source: Path,
    name: str,
    actor: Actor,
    *,
    register: str | None = None,
    department_code: str | None = None,
    township_code: str | None = None,
    period: tuple[date, date] | None = None,
) -> int:
    """Keep a copy of the file under ``uploads`` and open a batch for it (state ``checking``)."""
    if register is not None and register not in DECLARED:
        raise BatchError(f"没有登记簿 {register}；可选：{'、'.join(DECLARED)}")
    uploads.mkdir(parents=True, exist_ok=True)
    digest, size = _digest(source)
    stored = f"{digest}{Path(name).suffix.lower()[:10]}"
    target = uploads / stored
    if not target.exists():
        # copied under another name and renamed whole: a copy cut short (a full disk) never passes for the file
        partial = target.with_name(target.name + ".part")
        try:
            shutil.copyfile(source, partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    with begin_write(engine) as conn:
        if register is not None:
            department_code, township_code = rights.upload_scope(
                conn, actor, register, department_code, township_code
            )
        return batches.create(
            conn,
            kind="register",
            actor=actor,
            register=register,
            department_code=department_code,
            township_code=township_code,
            period=period,
            file={"name": Path(name).name[:200], "size": size, "sha256": digest, "stored_as": stored},
        )


def _digest(path: Path) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            sha.update(block)
            size += len(block)
    return sha.hexdigest(), size


def members(conn: Connection) -> tuple[Names, Names]:
    departments = Names.build(
        "部门", conn.execute(select(department.c.code, department.c.name, department.c.short_name)).all()
    )
    townships = Names.build("乡镇", conn.execute(select(township.c.code, township.c.name)).all())
    return departments, townships


def ended_units(conn: Connection) -> dict[str, tuple[str, str]]:
    """Units that have ended (data/org.py): code -> (first day no longer theirs, ISO; why, in words)."""
    out: dict[str, tuple[str, str]] = {}
    for table in (department, township):
        names = dict(conn.execute(select(table.c.code, table.c.name)).all())
        query = select(table.c.code, table.c.valid_to, table.c.merged_into).where(
            table.c.valid_to.is_not(None)
        )
        for code, end, into in conn.execute(query):
            how = f"并入{names.get(into, into)}" if into else "撤销"
            out[code] = (end.isoformat(), f"已于{day_zh(end)}{how}")
    return out


def check(
    engine: Engine, uploads: Path, batch_id: int, actor: Actor, max_bytes: int, say: Progress | None = None
) -> Batch:
    """Read and check the batch's file; stage it if it has no error. Returns the batch as it ends."""
    say = say or (lambda _m: None)
    with engine.connect() as conn:
        batch = batches.get(conn, batch_id)
    if batch.status != Status.CHECKING and not (batch.status == Status.FAILED and not batch.publishable):
        raise BatchError(f"批次 {batch_id} {batch.status_zh}，不能再检查")
    with workers.heartbeat(engine, batch_id):
        try:
            _check(engine, uploads, batch, actor, max_bytes, say)
        except (files.Refused, BatchError) as exc:
            with begin_write(engine) as conn:
                _refuse(conn, batch, actor, str(exc))
        except BaseException:
            log.exception("检查批次 %s 时出错", batch_id)
            try:
                with begin_write(engine) as conn:
                    batches.fail(conn, batch_id, "检查出错")
            except Exception:  # noqa: BLE001 - the store may be down; the batch then reads as failed when stale
                log.warning("无法把批次 %s 标为中断", batch_id)
            raise
    with engine.connect() as conn:
        return batches.get(conn, batch_id)


def _progress(engine: Engine, batch_id: int, step: str, percent: int, say: Progress) -> None:
    say(step)
    with engine.begin() as conn:
        batches.set_state(conn, batch_id, step=step, progress=percent, status=Status.CHECKING)


def _check(engine: Engine, uploads: Path, batch: Batch, actor: Actor, max_bytes: int, say: Progress) -> None:
    _progress(engine, batch.id, "正在读取文件", 1, say)
    upload = intake.inspect(uploads / batch.stored_as, batch.file_name, max_bytes)
    table = files.find_table(upload, batch.register)
    register = table.register
    with engine.connect() as conn:
        dept, town = rights.upload_scope(
            conn, actor, register.name, batch.department_code, batch.township_code
        )
        departments, townships = members(conn)
        ended = ended_units(conn)
    period = (batch.period_start, batch.period_end) if batch.period_start else None
    checker = Checker(
        register, departments, townships, Scope(dept, town, period), sheet=table.sheet, ended=ended
    )
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=uploads) as spill:
        for chunk in files.read_chunks(upload, table):
            for row in checker.check(chunk):
                if not checker.error_count:
                    number = row.pop("row_no")
                    spill.write(f"{number}\t{_ENCODE(row)}\n")
            _progress(
                engine, batch.id, f"已检查 {checker.rows:,} 行", min(80, 5 + checker.rows // 20_000), say
            )
        if not checker.rows:
            raise files.Refused("文件中没有数据行")
        if period is None and checker.first_day:
            period = _months(checker.first_day, checker.last_day)
        values: dict[str, Any] = {
            "register": register.name,
            "department_code": dept,
            "township_code": town,
            "period_start": period[0] if period else None,
            "period_end": period[1] if period else None,
            "rows_total": checker.rows,
        }
        with engine.begin() as conn:
            batches.set_state(conn, batch.id, **values)
            batch = batches.get(conn, batch.id)
        # Every error at once: a number used outside the batch is one too, whatever else the file has wrong
        # (only a file without a single readable date has no period to tell inside from outside).
        if batch.period_start is not None:
            _progress(engine, batch.id, "正在核对登记编号", 85, say)
            with engine.connect() as conn:
                _numbers_elsewhere(conn, batch, checker)
        if checker.error_count:
            with begin_write(engine) as conn:
                _invalid(conn, batch, actor, checker)
            return
        _progress(engine, batch.id, "正在暂存并计算发布后的变化", 90, say)
        spill.seek(0)
        with begin_write(engine) as conn:
            rows = (_staged(batch.id, line) for line in spill)
            while chunk := list(islice(rows, STAGE_CHUNK)):
                bulk_insert(conn, staged_row, chunk, columns=["batch_id", "row_no", "payload"])
            summary = preview.compute(conn, batch)
            batches.set_state(
                conn,
                batch.id,
                status=Status.STAGED,
                step="待审核",
                progress=100,
                worker=None,
                preview=summary,
            )
            _audit(conn, batch, actor, "batch_upload", rows=summary["rows"], figures=len(summary["figures"]))


def _staged(batch_id: int, line: str) -> tuple[int, int, str]:
    """A spilled row as staged: the spill holds its row number, a tab and its JSON (which escapes any tab)."""
    number, payload = line.rstrip("\n").split("\t", 1)
    return batch_id, int(number), payload


def _months(first: str, last: str) -> tuple[date, date]:
    """The whole months from the first row's to the last row's: what publishing the batch replaces."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return start.replace(day=1), end.replace(day=calendar.monthrange(end.year, end.month)[1])


def _numbers_elsewhere(conn: Connection, batch: Batch, checker: Checker) -> None:
    """A register number of the file already used by a published row the batch does not replace."""
    table = REGISTERS[batch.register]
    inside = preview.scope_clause(table, batch)
    numbers = list(checker.seen)
    field = checker.register.field("register_no")
    if conn.dialect.name == "postgresql":
        # One array parameter: binding an IN list of 5,000 parameters took three times the lookup itself.
        among = table.c.register_no == any_(bindparam("numbers", type_=ARRAY(String)))
    else:
        among = table.c.register_no.in_(bindparam("numbers", expanding=True))
    query = select(table.c.register_no, table.c.occurred_on).where(among, ~inside)
    for i in range(0, len(numbers), LOOKUP_CHUNK):
        for number, day in conn.execute(query, {"numbers": numbers[i : i + LOOKUP_CHUNK]}):
            checker.error(
                checker.seen[number],
                field,
                number,
                f"登记编号“{number}”已用于本批次范围以外的一条记录（{day.isoformat()}），不能重复",
            )


def _invalid(conn: Connection, batch: Batch, actor: Actor, checker: Checker) -> None:
    errors = sorted(checker.errors, key=lambda e: (e["row"] or 0, e["column"]))
    batches.set_state(
        conn,
        batch.id,
        status=Status.INVALID,
        step=f"发现 {checker.error_count:,} 处错误，未暂存任何数据",
        progress=100,
        worker=None,
        errors=errors,
        error_count=checker.error_count,
    )
    _audit(conn, batch, actor, "batch_upload", errors=checker.error_count)


def _refuse(conn: Connection, batch: Batch, actor: Actor, reason: str) -> None:
    error = {"sheet": None, "row": None, "field": None, "column": "", "value": "", "reason": reason}
    error["message"] = reason
    batches.set_state(
        conn,
        batch.id,
        status=Status.INVALID,
        step="文件未被接受，未暂存任何数据",
        progress=100,
        worker=None,
        errors=[error],
        error_count=1,
    )
    _audit(conn, batch, actor, "batch_upload", refused=reason)


def _audit(conn: Connection, batch: Batch, actor: Actor, event: str, **detail: Any) -> None:
    record(
        conn,
        event,
        actor=actor.username,
        subject=f"批次 {batch.id}",
        file=batch.file_name,
        size=batch.file_size,
        sha256=batch.file_sha256,
        register=batch.register,
        department=batch.department_code,
        **detail,
    )

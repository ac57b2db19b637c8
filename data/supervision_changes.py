"""Changing follow-ups (督办): raising one, the unit's reply, accepting (办结) and returning (退回), each audited in
the caller's transaction. Who may do each is data/supervision.py's to say (may_supervise, may_reply); every
refusal is a SupervisionError raised before anything is written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, insert, update

from data import catalog
from data.accounts.audit import record
from data.org import by_code, day_zh
from data.schema_supervision import supervision, supervision_attachment, supervision_entry
from data.supervision import (
    UNIT_KINDS,
    NotAllowed,
    State,
    Supervision,
    SupervisionError,
    Who,
    get,
    may_reply,
    may_supervise,
)
from data.supervision_files import Checked

MAX_TEXT = 2000
# A deadline further than this is most likely a typing error.
LONGEST = timedelta(days=366)


def clean_text(text: object, what: str) -> str:
    """Free text as it is kept: controls but line breaks removed, trimmed, within MAX_TEXT; refused when empty."""
    text = str(text or "").encode("utf-8", "replace").decode("utf-8").replace("\r\n", "\n")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc").strip()
    if not text:
        raise SupervisionError(f"请填写{what}")
    if len(text) > MAX_TEXT:
        raise SupervisionError(f"{what}最多 {MAX_TEXT} 个字，当前 {len(text)} 个字")
    return text


def check_due(due: date, today: date | None = None) -> date:
    today = today or date.today()
    if due < today:
        raise SupervisionError(f"截止日期 {day_zh(due)} 已经过去，请选择今天（{day_zh(today)}）或以后的日期")
    if due > today + LONGEST:
        raise SupervisionError(f"截止日期 {day_zh(due)} 超过一年以后，请检查")
    return due


def _check_unit(conn: Connection, unit_kind: str, unit_code: str, today: date) -> str:
    if unit_kind not in UNIT_KINDS:
        raise SupervisionError("督办对象应为部门或乡镇（街道）")
    unit = by_code(conn).get(unit_code)
    if unit is None or unit.kind != unit_kind:
        raise SupervisionError(
            f"没有代码为 {unit_code[:32]} 的{UNIT_KINDS[unit_kind]}：dashboard org list 查看全部单位"
        )
    if not unit.active_on(today):
        raise SupervisionError(f"{unit.name}已撤销或合并，不能再督办")
    return unit.name


def create(
    conn: Connection,
    who: Who,
    indicator_code: str,
    unit_kind: str,
    unit_code: str,
    due: date,
    text: str,
    today: date | None = None,
) -> int:
    """Raise a follow-up; returns its id."""
    if not may_supervise(who):
        raise NotAllowed("只有领导和管理员可以发起督办")
    today = today or date.today()
    ind = catalog.load().get(indicator_code)
    if ind is None:
        raise SupervisionError(
            f"没有代码为 {str(indicator_code)[:64]} 的指标（指标目录见 /api/v1/indicators）"
        )
    unit_name = _check_unit(conn, unit_kind, unit_code, today)
    check_due(due, today)
    request = clean_text(text, "督办要求")
    now = datetime.now(UTC)
    new_id = conn.execute(
        insert(supervision)
        .values(
            indicator_code=ind.code,
            unit_kind=unit_kind,
            unit_code=unit_code,
            due=due,
            request=request,
            raised_by=who.username,
            raised_at=now,
            state=State.OPEN.value,
            updated_at=now,
        )
        .returning(supervision.c.id)
    ).scalar_one()
    record(
        conn,
        "supervise_raise",
        actor=who.username,
        subject=f"督办 {new_id}",
        indicator=ind.code,
        unit=unit_code,
        unit_name=unit_name,
        due=due.isoformat(),
    )
    return int(new_id)


def _step(
    conn: Connection,
    item: Supervision,
    who: Who,
    kind: str,
    text: str,
    state: State,
    files: Sequence[Checked] = (),
) -> None:
    now = datetime.now(UTC)
    entry_id = conn.execute(
        insert(supervision_entry)
        .values(supervision_id=item.id, kind=kind, author=who.username, at=now, text=text)
        .returning(supervision_entry.c.id)
    ).scalar_one()
    for f in files:
        conn.execute(
            insert(supervision_attachment).values(
                entry_id=entry_id, name=f.name, kind=f.kind, size=f.size, sha256=f.sha256
            )
        )
    # Only from the state read: a concurrent step of someone else's leaves this one refused, not doubled.
    done = conn.execute(
        update(supervision)
        .where(supervision.c.id == item.id, supervision.c.state == item.state.value)
        .values(state=state.value, updated_at=now, closed_at=now if state is State.CLOSED else None)
    ).rowcount
    if done != 1:
        raise SupervisionError("这条督办刚被其他人处理过，请刷新后再试")
    record(
        conn,
        f"supervise_{kind}",
        actor=who.username,
        subject=f"督办 {item.id}",
        before=item.state.value,
        after=state.value,
        files=[f.name for f in files],
    )


def reply(conn: Connection, who: Who, supervision_id: int, text: str, files: Sequence[Checked] = ()) -> None:
    """The unit's reply, with its checked attachments (kept already by data/supervision_files.keep)."""
    item = get(conn, supervision_id, who.scope)
    if not may_reply(who, item):
        raise NotAllowed(f"只有{item.unit_name}的负责人和录入员可以回复这条督办")
    if item.state is State.CLOSED:
        raise SupervisionError("这条督办已办结，不能再回复")
    _step(conn, item, who, "reply", clean_text(text, "回复内容"), State.REPLIED, files)


def close(conn: Connection, who: Who, supervision_id: int, text: str = "") -> None:
    """Accept the unit's reply (办结)."""
    item = get(conn, supervision_id, who.scope)
    if not may_supervise(who):
        raise NotAllowed("只有领导和管理员可以办结督办")
    if item.state is not State.REPLIED:
        raise SupervisionError(f"这条督办当前为“{item.label}”，单位回复后才能办结")
    _step(conn, item, who, "close", clean_text(text or "同意办结。", "办结意见"), State.CLOSED)


def send_back(conn: Connection, who: Who, supervision_id: int, text: str) -> None:
    """Return the unit's reply (退回) with the reason, for another reply."""
    item = get(conn, supervision_id, who.scope)
    if not may_supervise(who):
        raise NotAllowed("只有领导和管理员可以退回督办")
    if item.state is not State.REPLIED:
        raise SupervisionError(f"这条督办当前为“{item.label}”，单位回复后才能退回")
    _step(conn, item, who, "return", clean_text(text, "退回理由"), State.RETURNED)

"""The audit log: every sign-in, account change, token and download, appended in the caller's transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Connection, insert, or_, select

from data.accounts._common import _clean, _now, _storable, _utc
from data.accounts.checks import MAX_USERNAME
from data.schema import audit_event

# The audit log's free-text columns, and the most of a detail object kept.
MAX_ADDRESS = audit_event.c.address.type.length
MAX_SUBJECT = audit_event.c.subject.type.length
MAX_DETAIL = 4000
MAX_AUDIT_LIMIT = 100_000

EVENTS: dict[str, str] = {
    "login_ok": "登录成功",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "user_add": "新建账号",
    "user_passwd": "修改密码",
    "user_disable": "停用账号",
    "user_enable": "启用账号",
    "user_update": "修改角色或范围",
    "token_create": "创建令牌",
    "token_revoke": "吊销令牌",
    "download": "下载明细",
    "batch_upload": "上传数据",
    "batch_publish": "发布数据",
    "batch_reject": "驳回数据",
    "version_rollback": "回滚版本",
    "feed_allow": "允许接口自动发布",
    "feed_deny": "取消接口自动发布",
    "geo_imported": "导入乡镇边界",
    "kiosk_created": "创建大屏链接",
    "snapshot_created": "冻结汇报数据（快照）",
    "snapshot_renamed": "重命名快照",
    "snapshot_deleted": "删除快照",
    "kiosk_revoked": "停用大屏链接",
    "district_renamed": "设置区名",
    "org_imported": "导入组织机构",
    "org_unit_ended": "撤销单位",
    "org_unit_merged": "合并单位",
    "target_set": "设置目标值",
    "target_unset": "删除目标值",
    "duty_set": "设置报送责任",
    "deck_text_set": "修改汇报文字页",
    "deck_text_cleared": "清空汇报文字页",
    "deck_text_renamed": "修改汇报文字页的标题",
    "deck_layout_saved": "调整汇报页序（隐藏、排序）",
    "catalog_edited": "修改指标目录",
    "catalog_undone": "撤销指标目录的修改",
    "catalog_imported": "导入指标目录",
    "supervise_raise": "发起督办",
    "supervise_reply": "回复督办",
    "supervise_close": "督办办结",
    "supervise_return": "退回督办",
    "alert_rule_set": "修改预警规则",
}


@dataclass(frozen=True)
class AuditEvent:
    """One row of the audit log; ``detail`` is its JSON object, parsed."""

    id: int
    at: datetime
    actor: str | None
    event: str
    address: str | None
    subject: str | None
    detail: dict[str, Any]

    @property
    def label(self) -> str:
        return EVENTS.get(self.event, self.event)


def _via(actor: str | None) -> dict[str, str]:
    return {"via": "cli"} if actor is None else {}


def _detail(detail: dict[str, Any]) -> str:
    text = json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True)
    # Lone surrogates pass json.dumps but not the drivers; controls are already escaped by JSON.
    text = text.encode("utf-8", "replace").decode("utf-8")
    if len(text) > MAX_DETAIL:
        text = json.dumps({"truncated": text[:MAX_DETAIL]}, ensure_ascii=False)
    return text


def _record(
    conn: Connection, event: str, actor: str | None, address: str | None, subject: str | None, **detail: Any
) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    conn.execute(
        insert(audit_event).values(
            at=_now(),
            actor=_clean(actor, MAX_USERNAME),
            event=event,
            address=_clean(address, MAX_ADDRESS),
            subject=_clean(subject, MAX_SUBJECT),
            detail=_detail(detail),
        )
    )


def record(
    conn: Connection,
    event: str,
    *,
    actor: str | None,
    address: str | None = None,
    subject: str | None = None,
    **detail: Any,
) -> None:
    """Append an event (a key of EVENTS) to the audit log; ``detail`` is kept as JSON (cut at MAX_DETAIL)."""
    _record(conn, event, actor, address, subject, **detail)


def audit_events(
    conn: Connection, *, since: date | None = None, user: str | None = None, limit: int = 1000
) -> list[AuditEvent]:
    """The newest ``limit`` events, newest first: from local midnight of ``since``, by or about ``user``."""
    query = select(audit_event)
    if since is not None:
        start = datetime.combine(since, time()).astimezone()
        query = query.where(audit_event.c.at >= start.astimezone(UTC))
    if user is not None:
        if not _storable(user, MAX_SUBJECT):
            return []
        query = query.where(or_(audit_event.c.actor == user, audit_event.c.subject == user))
    # Appended in time order: the key's order is the time order, and is read from the primary key's index.
    query = query.order_by(audit_event.c.id.desc()).limit(max(1, min(int(limit), MAX_AUDIT_LIMIT)))
    return [
        AuditEvent(
            id=row.id,
            at=_utc(row.at),
            actor=row.actor,
            event=row.event,
            address=row.address,
            subject=row.subject,
            detail=_parse(row.detail),
        )
        for row in conn.execute(query)
    ]


def _parse(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {"text": text}
    return value if isinstance(value, dict) else {"value": value}

"""Monthly reports kept for their readers, and the group-robot channels a summary goes to (data/schema_delivery.py).

A report belongs to one unit (a department or township: its head's and clerks' inbox) or to the district
(leaders' and admins'); who may list or download one is decided here, from the reader's scope. A channel's
webhook carries its robot's key in the query (WeCom ``key=``, DingTalk ``access_token=``): it is kept as given
and never shown or logged but through :func:`redact`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Connection, delete, insert, select

from data.access import Scope
from data.schema import department, township
from data.schema_delivery import CHANNEL_KINDS, DISTRICT_REPORT, delivered_report, robot_channel

NAME_PATTERN = re.compile(r"^[\w\-\u4e00-\u9fff]{1,64}$")
MONTH_PATTERN = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
FILE_KINDS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class DeliveryError(ValueError):
    """A channel or a month that cannot be used; the message says why, in Chinese."""


def parse_month(text: str, today: date | None = None) -> tuple[int, int]:
    """``YYYY-MM`` as (year, month); a month not yet over cannot be reported on."""
    found = MONTH_PATTERN.match(text or "")
    if not found:
        raise DeliveryError(f"月份“{str(text)[:20]}”无效：请写成 YYYY-MM，如 2026-02")
    year, month = int(found.group(1)), int(found.group(2))
    today = today or date.today()
    if (year, month) >= (today.year, today.month):
        raise DeliveryError(f"{year}年{month}月还没有结束，不能出月报")
    return year, month


def redact(url: str) -> str:
    """``url`` with every query value replaced (the robot's key is one of them), for output and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "（无法解析的地址）"
    query = urlencode([(k, "***") for k, _ in parse_qsl(parts.query, keep_blank_values=True)], safe="*")
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, query, ""))


# --- channels ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Channel:
    name: str
    kind: str
    webhook: str
    unit_code: str | None

    @property
    def shown(self) -> str:
        return redact(self.webhook)


def _unit_kind(conn: Connection, code: str) -> str | None:
    if conn.scalar(select(department.c.code).where(department.c.code == code)) is not None:
        return "department"
    if conn.scalar(select(township.c.code).where(township.c.code == code)) is not None:
        return "township"
    return None


def add_channel(
    conn: Connection, name: str, webhook: str, kind: str, unit_code: str | None = None
) -> Channel:
    if not NAME_PATTERN.match(name or ""):
        raise DeliveryError("通道名称只能由 1 到 64 个汉字、字母、数字、下划线或连字符组成")
    if kind not in CHANNEL_KINDS:
        raise DeliveryError(f"通道类型只能是 {'、'.join(f'{k}（{v}）' for k, v in CHANNEL_KINDS.items())}")
    parts = urlsplit(webhook or "")
    if parts.scheme not in {"http", "https"} or not parts.hostname or len(webhook) > 1000:
        raise DeliveryError(
            f"webhook 地址无效（须为 http:// 或 https:// 开头的完整地址）：{redact(webhook)[:80]}"
        )
    if unit_code is not None and _unit_kind(conn, unit_code) is None:
        raise DeliveryError(f"没有代码为“{unit_code[:32]}”的部门或乡镇（街道）")
    if conn.scalar(select(robot_channel.c.name).where(robot_channel.c.name == name)) is not None:
        raise DeliveryError(f"已有名为“{name}”的通道：先 dashboard channel remove {name}")
    conn.execute(
        insert(robot_channel).values(
            name=name, kind=kind, webhook=webhook, unit_code=unit_code, created_at=datetime.now(UTC)
        )
    )
    return Channel(name, kind, webhook, unit_code)


def list_channels(conn: Connection) -> list[Channel]:
    rows = conn.execute(select(robot_channel).order_by(robot_channel.c.name))
    return [Channel(r.name, r.kind, r.webhook, r.unit_code) for r in rows]


def remove_channel(conn: Connection, name: str) -> None:
    if conn.execute(delete(robot_channel).where(robot_channel.c.name == name)).rowcount == 0:
        raise DeliveryError(f"没有名为“{str(name)[:64]}”的通道（dashboard channel list 查看）")


# --- reports -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    id: int
    month: str
    unit_kind: str
    unit_code: str
    unit_name: str
    title: str
    made_at: datetime
    has_pdf: bool


def save_report(
    conn: Connection,
    month: str,
    unit_kind: str,
    unit_code: str,
    unit_name: str,
    title: str,
    pdf: bytes | None,
    docx: bytes,
) -> int:
    """Keep a unit's report for ``month``, replacing one made before for the same month."""
    conn.execute(
        delete(delivered_report).where(
            delivered_report.c.month == month, delivered_report.c.unit_code == unit_code
        )
    )
    result = conn.execute(
        insert(delivered_report).values(
            month=month,
            unit_kind=unit_kind,
            unit_code=unit_code,
            unit_name=unit_name,
            title=title,
            pdf=pdf,
            docx=docx,
            made_at=datetime.now(UTC),
        )
    )
    return int(result.inserted_primary_key[0])


def _visible(scope: Scope):
    r = delivered_report
    if scope.everything:
        return None
    own = scope.department or scope.township
    if own is None:
        return r.c.id.is_(None)  # nothing: a visitor, or a reader tied to no unit
    return r.c.unit_code == own


def reports_for(conn: Connection, scope: Scope) -> list[Report]:
    """The reports ``scope`` may read, the newest month first: leaders and admins all of them (the district's
    too), a department's or township's readers their unit's."""
    r = delivered_report
    query = select(
        r.c.id,
        r.c.month,
        r.c.unit_kind,
        r.c.unit_code,
        r.c.unit_name,
        r.c.title,
        r.c.made_at,
        r.c.pdf.is_not(None),
    ).order_by(r.c.month.desc(), r.c.unit_code != DISTRICT_REPORT, r.c.unit_name)
    clause = _visible(scope)
    if clause is not None:
        query = query.where(clause)
    if not scope.signed_in:
        return []
    out = []
    for row in conn.execute(query):
        made = row[6] if row[6].tzinfo else row[6].replace(tzinfo=UTC)  # SQLite keeps no zone: it is UTC
        out.append(Report(*row[:6], made, bool(row[7])))
    return out


def report_file(conn: Connection, scope: Scope, report_id: int, kind: str) -> tuple[str, bytes] | None:
    """(title, bytes) of one report's PDF or Word file, or None where it does not exist or is not the reader's."""
    if kind not in FILE_KINDS or not scope.signed_in:
        return None
    r = delivered_report
    query = select(r.c.title, r.c[kind]).where(r.c.id == report_id)
    clause = _visible(scope)
    if clause is not None:
        query = query.where(clause)
    row = conn.execute(query).first()
    if row is None or row[1] is None:
        return None
    return row[0], bytes(row[1])

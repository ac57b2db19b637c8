"""The district's organisation as data: its name, its departments and townships, and their history.

A district declares its units from the organisation workbook (data/org_workbook.py, imported by
data/org_import.py): importing adds units and renames them by code, and changes nothing when any row is wrong. Machinery reform (机构改革) ends a unit on a
date, or merges it into another: the old unit stays with its rows (they keep the unit they were registered
under), its accounts move to the new one, and the new one's 同比 counts the old one's rows (data/queries/
comparable.py). Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Table, insert, select, update

from data.accounts.audit import record
from data.org_workbook import KIND_LABEL
from data.schema import account, department, township
from data.schema_district import report_duty
from data.store import bump_data_version, get_meta, set_meta

DISTRICT_KEY = "district_name"
# The name shown until a district sets its own (dashboard district --name); the demo sets 示例区.
UNNAMED_DISTRICT = "本区"
DEMO_DISTRICT = "示例区"
MAX_DISTRICT_NAME = 40
TABLES: dict[str, Table] = {"department": department, "township": township}
# Letters, digits, - and _ (not first: codes starting with _ are the query layer's own, data/queries/dimensions.py).
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]*")


class OrgError(Exception):
    """A change refused, in one Chinese sentence; nothing was changed."""


def day_zh(day: date) -> str:
    """A date as a reader writes it, 2024年12月31日: every face says dates so (layouts/format.py too)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Unit:
    kind: str  # "department" | "township"
    code: str
    name: str
    short_name: str  # a township's is its name
    category: str  # a township's 镇/乡/街道/园区; a department's 部门
    sort: int
    valid_from: date | None
    valid_to: date | None
    merged_into: str | None

    def active_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    @property
    def status(self) -> str:
        if self.valid_to is None:
            return "在用"
        if self.merged_into:
            return f"{day_zh(self.valid_to)}并入 {self.merged_into}"
        return f"{day_zh(self.valid_to)}撤销"


# --- the district's name -------------------------------------------------------------------------------------


def district_name(conn: Connection) -> str:
    return get_meta(conn, DISTRICT_KEY) or UNNAMED_DISTRICT


def set_district_name(conn: Connection, name: str, actor: str | None = None) -> None:
    name = name.strip()
    if not name or len(name) > MAX_DISTRICT_NAME or not name.isprintable():
        raise OrgError(f"区名应为 1 到 {MAX_DISTRICT_NAME} 个字符的文字，当前为 {name!r}")
    before = district_name(conn)
    set_meta(conn, DISTRICT_KEY, name)
    record(conn, "district_renamed", actor=actor, subject=name, before=before)
    bump_data_version(conn)


# --- reading ---------------------------------------------------------------------------------------------------


def units(conn: Connection, kind: str | None = None) -> list[Unit]:
    """Every unit, ended ones included, departments first, each kind in its display order."""
    out: list[Unit] = []
    for k, table in TABLES.items():
        if kind not in (None, k):
            continue
        for r in conn.execute(select(table).order_by(table.c.sort, table.c.code)):
            out.append(
                Unit(
                    kind=k,
                    code=r.code,
                    name=r.name,
                    short_name=r.short_name if k == "department" else r.name,
                    category=r.kind if k == "township" else "部门",
                    sort=r.sort,
                    valid_from=r.valid_from,
                    valid_to=r.valid_to,
                    merged_into=r.merged_into,
                )
            )
    return out


def by_code(conn: Connection) -> dict[str, Unit]:
    return {u.code: u for u in units(conn)}


# --- ending and merging -------------------------------------------------------------------------------------------


def _unit(stored: dict[str, Unit], code: str) -> Unit:
    unit = stored.get(code)
    if unit is None:
        raise OrgError(f"没有代码为 {code} 的部门或乡镇（街道）：dashboard org list 查看全部单位")
    return unit


def _check_end(unit: Unit, on: date) -> None:
    if unit.valid_to is not None:
        raise OrgError(
            f"{unit.name}（{unit.code}）已于{day_zh(unit.valid_to)}{'并入其他单位' if unit.merged_into else '撤销'}"
        )
    if unit.valid_from is not None and on <= unit.valid_from:
        raise OrgError(f"{day_zh(on)}早于{unit.name}（{unit.code}）设立的日期（{day_zh(unit.valid_from)}）")


def end_unit(conn: Connection, code: str, on: date, actor: str | None = None) -> Unit:
    """End a unit on ``on`` (its last day is the day before): it is no longer offered for new data."""
    unit = _unit(by_code(conn), code)
    _check_end(unit, on)
    table = TABLES[unit.kind]
    conn.execute(update(table).where(table.c.code == code).values(valid_to=on))
    record(conn, "org_unit_ended", actor=actor, subject=code, name=unit.name, on=on.isoformat())
    bump_data_version(conn)
    return unit


def merge_units(conn: Connection, old: str, new: str, on: date, actor: str | None = None) -> int:
    """Merge ``old`` into ``new`` on ``on``: end ``old``, move its accounts to ``new``; returns how many accounts
    moved. Rows keep the unit they were registered under."""
    stored = by_code(conn)
    a, b = _unit(stored, old), _unit(stored, new)
    if a.code == b.code:
        raise OrgError("不能把单位并入它自己")
    if a.kind != b.kind:
        raise OrgError(
            f"{a.name}是{KIND_LABEL[a.kind]}，{b.name}是{KIND_LABEL[b.kind]}：只能在同类单位之间合并"
        )
    _check_end(a, on)
    if b.valid_to is not None:
        raise OrgError(f"{b.name}（{b.code}）已于{day_zh(b.valid_to)}结束，不能再并入其他单位")
    if b.valid_from is not None and on < b.valid_from:
        raise OrgError(f"{day_zh(on)}早于{b.name}（{b.code}）设立的日期（{day_zh(b.valid_from)}）")
    table = TABLES[a.kind]
    conn.execute(update(table).where(table.c.code == old).values(valid_to=on, merged_into=new))
    column = account.c[f"{a.kind}_code"]
    moved = conn.execute(update(account).where(column == old).values({column.name: new})).rowcount or 0
    duties = _take_over_duties(conn, old, new)
    record(
        conn,
        "org_unit_merged",
        actor=actor,
        subject=old,
        name=a.name,
        into=new,
        into_name=b.name,
        on=on.isoformat(),
        accounts_moved=moved,
        duties_moved=duties,
    )
    bump_data_version(conn)
    return moved


def _take_over_duties(conn: Connection, old: str, new: str) -> list[str]:
    """The registers ``old`` reported (data/reporting.py) become ``new``'s, where it did not report them already;
    ``old``'s duties stay, for the months before the merger."""
    mine = set(conn.scalars(select(report_duty.c.register).where(report_duty.c.unit_code == new)))
    taken = [
        (register, day)
        for register, day in conn.execute(
            select(report_duty.c.register, report_duty.c.due_day).where(report_duty.c.unit_code == old)
        )
        if register not in mine
    ]
    if taken:
        conn.execute(
            insert(report_duty), [{"unit_code": new, "register": r, "due_day": day} for r, day in taken]
        )
    return [r for r, _ in taken]

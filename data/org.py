"""The district's organisation as data: its name, its departments and townships, and their history.

A district declares its units from the organisation workbook (data/org_workbook.py): importing adds units and
renames them by code, and changes nothing when any row is wrong. Machinery reform (机构改革) ends a unit on a
date, or merges it into another: the old unit stays with its rows (they keep the unit they were registered
under), its accounts move to the new one, and the new one's 同比 counts the old one's rows (data/queries/
comparable.py). Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, Table, insert, select, update

from data.accounts.audit import record
from data.org_workbook import KIND_LABEL, SHEET_KIND, TOWNSHIP_KINDS, SheetRow
from data.schema import account, department, township
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


# --- importing the workbook --------------------------------------------------------------------------------------


@dataclass
class Plan:
    """What importing a workbook would do: nothing at all when there are errors."""

    errors: list[dict] = field(default_factory=list)
    added: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, dict]] = field(default_factory=list)  # (before, after)
    unchanged: int = 0
    ended_in_file: list[Unit] = field(default_factory=list)
    not_in_file: list[Unit] = field(default_factory=list)

    def error(self, row: SheetRow | None, label: str, value: str, reason: str) -> None:
        where = f"“{row.sheet}”表第{row.row}行" if row else "文件"
        column = f"“{label}”列" if label else ""
        self.errors.append(
            {
                "sheet": row.sheet if row else None,
                "row": row.row if row else None,
                "column": label,
                "value": value,
                "reason": reason,
                "message": f"{where}{column}：{reason}" + (f"（填写的是“{value}”）" if value else ""),
            }
        )


_LIMITS = {
    "department": {"name": department.c.name.type.length, "short_name": department.c.short_name.type.length},
    "township": {"name": township.c.name.type.length},
}
_CODE_LENGTH = department.c.code.type.length


def plan_import(conn: Connection, rows: list[SheetRow], problems: list[str]) -> Plan:
    """Check every row against the others and the store; every error is collected, none stops the checking."""
    plan = Plan()
    for problem in problems:
        plan.errors.append(
            {"sheet": None, "row": None, "column": "", "value": "", "reason": problem, "message": problem}
        )
    stored = by_code(conn)
    seen: dict[str, SheetRow] = {}
    names: dict[tuple[str, str], SheetRow] = {}
    next_sort = {"department": 0, "township": 0}
    for row in rows:
        kind = SHEET_KIND[row.sheet]
        unit = _check_row(plan, row, kind, stored, seen, names)
        next_sort[kind] += 1
        if unit is None:
            continue
        if unit["sort"] is None:
            unit["sort"] = next_sort[kind]
        old = stored.get(unit["code"])
        if old is None:
            plan.added.append(unit)
        elif old.valid_to is not None:
            plan.ended_in_file.append(old)
        else:
            before = _as_row(old)
            if any(before[k] != unit[k] for k in unit):
                plan.changed.append((before, unit))
            else:
                plan.unchanged += 1
    plan.not_in_file = [u for u in stored.values() if u.code not in seen and u.valid_to is None]
    return plan


def _as_row(u: Unit) -> dict:
    row = {"kind": u.kind, "code": u.code, "name": u.name, "sort": u.sort}
    if u.kind == "department":
        row["short_name"] = u.short_name
    else:
        row["category"] = u.category
    return row


def _check_row(
    plan: Plan,
    row: SheetRow,
    kind: str,
    stored: dict[str, Unit],
    seen: dict[str, SheetRow],
    names: dict[tuple[str, str], SheetRow],
) -> dict | None:
    """The row as a unit to store, or None when it has errors (each one recorded on the plan)."""
    before = len(plan.errors)
    cells = row.cells
    code, name = cells.get("code", ""), cells.get("name", "")
    if not code:
        plan.error(row, "代码", "", "代码不能为空")
    elif len(code) > _CODE_LENGTH or not CODE_PATTERN.fullmatch(code):
        plan.error(
            row, "代码", code, f"代码只能由字母、数字、- 和 _ 组成（不以 _ 开头），最多 {_CODE_LENGTH} 个字符"
        )
    elif code in seen:
        first = seen[code]
        plan.error(row, "代码", code, f"代码与“{first.sheet}”表第{first.row}行重复")
    elif code in stored and stored[code].kind != kind:
        other = stored[code]
        plan.error(
            row,
            "代码",
            code,
            f"代码已是{KIND_LABEL[other.kind]}“{other.name}”的代码，不能改作{KIND_LABEL[kind]}（部门与乡镇不能共用代码）",
        )
    if code and code not in seen:
        seen[code] = row
    if not name:
        plan.error(row, "名称", "", "名称不能为空")
    elif len(name) > _LIMITS[kind]["name"]:
        plan.error(row, "名称", name, f"名称最多 {_LIMITS[kind]['name']} 个字")
    elif (kind, name) in names:
        first = names[(kind, name)]
        plan.error(row, "名称", name, f"名称与“{first.sheet}”表第{first.row}行重复（导入数据按名称识别单位）")
    else:
        names[(kind, name)] = row
    unit: dict = {"kind": kind, "code": code, "name": name}
    if kind == "department":
        short = cells.get("short_name", "") or name
        if len(short) > _LIMITS[kind]["short_name"]:
            plan.error(row, "简称", short, f"简称最多 {_LIMITS[kind]['short_name']} 个字")
        unit["short_name"] = short
    else:
        category = cells.get("kind", "")
        if category not in TOWNSHIP_KINDS:
            reason = "类别不能为空" if not category else "类别只能是" + "、".join(TOWNSHIP_KINDS) + "之一"
            plan.error(row, "类别", category, reason)
        unit["category"] = category
    unit["sort"] = _sort(plan, row, cells.get("sort", ""))
    return unit if len(plan.errors) == before else None


def _sort(plan: Plan, row: SheetRow, text: str) -> int | None:
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 1_000_000:
        plan.error(row, "排序", text, "排序应为 0 到 999999 的整数")
        return None
    return value


def apply_import(conn: Connection, plan: Plan, actor: str | None = None, file_name: str = "") -> None:
    """Store what the plan adds and changes (the caller checked it has no errors), audited as one event."""
    if plan.errors:
        raise OrgError("文件有错误，未导入")
    for kind, table in TABLES.items():
        added = [_values(u) for u in plan.added if u["kind"] == kind]
        if added:
            conn.execute(insert(table), added)
        for _before, after in plan.changed:
            if after["kind"] == kind:
                conn.execute(update(table).where(table.c.code == after["code"]).values(_values(after)))
    record(
        conn,
        "org_imported",
        actor=actor,
        subject=file_name or None,
        added=[u["code"] for u in plan.added],
        changed=[{"before": b, "after": a} for b, a in plan.changed],
        not_in_file=[u.code for u in plan.not_in_file],
    )
    bump_data_version(conn)


def _values(unit: dict) -> dict:
    values = {"code": unit["code"], "name": unit["name"], "sort": unit["sort"]}
    if unit["kind"] == "department":
        values["short_name"] = unit["short_name"]
    else:
        values["kind"] = unit["category"]
    return values


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
    )
    bump_data_version(conn)
    return moved


def predecessors_of(stored: dict[str, Unit], code: str) -> list[Unit]:
    """The units merged into ``code``, directly or through others, in the order they were merged."""
    found: list[Unit] = []
    todo = [code]
    seen = {code}
    while todo:
        current = todo.pop()
        for u in stored.values():
            if u.merged_into == current and u.code not in seen:
                seen.add(u.code)
                found.append(u)
                todo.append(u.code)
    return sorted(found, key=lambda u: (u.valid_to or date.max, u.code))

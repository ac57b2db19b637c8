"""Importing the organisation workbook: every row checked against the others and the store, every error
collected (sheet, row, column, value, reason), and nothing stored unless there is none (data/org.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, insert, update

from data.accounts.audit import record
from data.imports.cells import parse_date
from data.org import CODE_PATTERN, TABLES, OrgError, Unit, by_code
from data.org_workbook import KIND_LABEL, SHEET_KIND, TOWNSHIP_KINDS, SheetRow
from data.schema import department, township
from data.store import bump_data_version


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
    row = {"kind": u.kind, "code": u.code, "name": u.name, "sort": u.sort, "valid_from": u.valid_from}
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
    since, reason = parse_date(cells.get("valid_from", ""))
    if reason:
        plan.error(row, "设立日期", cells.get("valid_from", ""), reason)
    unit["valid_from"] = date.fromisoformat(since) if since else None
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
    values = {
        "code": unit["code"],
        "name": unit["name"],
        "sort": unit["sort"],
        "valid_from": unit["valid_from"],
    }
    if unit["kind"] == "department":
        values["short_name"] = unit["short_name"]
    else:
        values["kind"] = unit["category"]
    return values

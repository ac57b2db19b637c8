"""The catalog workbook 指标.xlsx: every indicator as the district has it, one row each, to edit in bulk and import.

Written by ``dashboard catalog export`` (columns 代码, 领域, 名称, 显示名称, 可见性, 责任部门, 单位 and 目标（YEAR）
for the years with data or targets, and a 填写说明 sheet like the organisation workbook's) and read back by
``dashboard catalog import``: each row goes through data/catalog_edits.check, every error of the file is listed
at once (row, column, value, reason), and a file with any error changes nothing. A file exported and imported
unchanged changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from python_calamine import CalamineError, CalamineWorkbook
from sqlalchemy import Connection

from data import catalog, catalog_changes, catalog_edits, catalog_visibility
from data.accounts.audit import record
from data.imports.headers import Refused
from data.imports.intake import inspect
from data.imports.workbook_look import AUTHOR, GUIDE_SHEET, LAST_ROW, cell_formats, width
from data.org_workbook import _text

SHEET = "指标"
FILE_NAME = "指标.xlsx"
MAX_FILE_BYTES = 5 * 1024 * 1024
# A year's target column: 目标（2026）; read back by this pattern (ASCII brackets too, as Excel users type them).
TARGET_LABEL = "目标（{year}）"
TARGET_PATTERN = re.compile(r"目标[（(]\s*(\d+)\s*[）)]")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    editable: bool
    meaning: str


COLUMNS: tuple[Column, ...] = (
    Column("code", "代码", True, "指标代码，标识这一行，不要修改"),
    Column("area", "领域", False, "指标所属领域，仅供参考，导入时不读取"),
    Column("name", "名称", False, "指标目录中的名称，仅供参考，导入时不读取"),
    Column("display_name", "显示名称", True, "本区各页面显示的名称；留空则用指标目录中的名称"),
    Column("visibility", "可见性", True, "、".join(catalog.VISIBILITY_LABEL.values()) + " 之一"),
    Column(
        "department",
        "责任部门",
        True,
        "负责该指标的部门代码（dashboard org list 查看），也可填部门全称；留空则按指标目录",
    ),
    Column("unit", "单位", False, "计量单位，仅供参考，导入时不读取"),
)
LABELS = {c.key: c.label for c in COLUMNS}


# --- writing ---------------------------------------------------------------------------------------------------


def write(out: Path, conn: Connection) -> tuple[int, list[int]]:
    """The workbook of the store's catalog; returns how many indicators and which target years it holds."""
    entries = catalog_edits.entries(conn)
    years = catalog_edits.target_years(conn)
    book = xlsxwriter.Workbook(
        str(out), {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    try:
        styles = cell_formats(book)
        ws = book.add_worksheet(SHEET)
        ws.freeze_panes(1, 1)
        heads = [*COLUMNS, *(Column(f"target:{y}", TARGET_LABEL.format(year=y), True, "") for y in years)]
        for col, c in enumerate(heads):
            ws.write_string(0, col, c.label, styles["required" if c.editable else "optional"])
            if c.meaning:
                note = f"{c.label}（{'可修改' if c.editable else '只读'}）\n{c.meaning}"
                ws.write_comment(0, col, note, {"author": AUTHOR, "x_scale": 2.4, "y_scale": 1.4})
        for r, e in enumerate(entries, start=1):
            cells = _cells(e)
            for col, c in enumerate(COLUMNS):
                ws.write_string(r, col, cells[c.key], styles["text"])
            for i, y in enumerate(years, start=len(COLUMNS)):
                value = e.state["targets"].get(str(y))
                if value is not None:
                    ws.write_number(r, i, value)
        for col, c in enumerate(heads):
            longest = max([width(c.label) + 4, *(width(_cells(e).get(c.key, "")) + 2 for e in entries)])
            ws.set_column(col, col, min(max(longest, 10), 40))
        visibility = COLUMNS.index(next(c for c in COLUMNS if c.key == "visibility"))
        ws.data_validation(
            1,
            visibility,
            LAST_ROW - 1,
            visibility,
            {"validate": "list", "source": list(catalog.VISIBILITY_LABEL.values()), "error_type": "stop"},
        )
        _write_guide(book.add_worksheet(GUIDE_SHEET), styles)
        ws.activate()
    finally:
        book.close()
    return len(entries), years


def _cells(e: catalog_edits.Entry) -> dict[str, str]:
    return {
        "code": e.ind.code,
        "area": catalog.AREAS[e.ind.area],
        "name": e.ind.name,
        "display_name": e.state["display_name"],
        "visibility": catalog.VISIBILITY_LABEL[e.state["visibility"]],
        "department": e.state["department"],
        "unit": e.ind.unit,
    }


def _write_guide(ws, styles: dict) -> None:
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 80)
    ws.write_string(0, 0, "指标目录填写说明", styles["title"])
    rules = (
        f"“{SHEET}”表每行一个指标，按“代码”对应；不要增删行，也不要修改“代码”列和表头。",
        "可修改的列（加粗）：显示名称、可见性、责任部门、各年度目标；领域、名称、单位只供参考，导入时不读取。",
        "“目标（年度）”列是全区当年的目标值：留空表示删除该年的全区目标，当年改用指标目录的默认目标；"
        "百分比填 0 到 100 之间的数，如 95。各部门、乡镇的目标用 dashboard target set 设置。",
        "需要其他年度的目标，可在右侧加一列，表头写成 目标（2030）。",
        "导入：dashboard catalog import 指标.xlsx（--dry-run 只检查）。文件有任何错误时一项也不改，所有错误一次列出"
        "（第几行、哪一列、填了什么、为什么）；导出后原样导入不做任何修改。每项修改都记入审计日志，可在 /admin/catalog 撤销。",
    )
    ws.write_string(2, 0, "填写规则", styles["bold"])
    for i, rule in enumerate(rules, start=1):
        ws.write_string(2 + i, 0, f"{i}. {rule}")
    top = 3 + len(rules) + 1
    for col, head in enumerate(("列名", "能否修改", "含义与格式")):
        ws.write_string(top, col, head, styles["head"])
    for row, c in enumerate(COLUMNS, start=top + 1):
        for col, value in enumerate((c.label, "可修改" if c.editable else "只读", c.meaning)):
            ws.write_string(row, col, value, styles["cell"])


# --- reading and importing -------------------------------------------------------------------------------------


@dataclass
class Plan:
    """What importing a workbook would do: nothing at all when there are errors."""

    errors: list[dict] = field(default_factory=list)
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> what the row gives
    diffs: list[tuple[str, dict, dict]] = field(default_factory=list)  # (code, before, after) of what changes
    unchanged: int = 0

    def error(self, row: int | None, label: str, value: str, reason: str) -> None:
        where = f"“{SHEET}”表第{row}行" if row else "文件"
        column = f"“{label}”列" if label else ""
        message = f"{where}{column}：{reason}" + (f"（填写的是“{value}”）" if value else "")
        self.errors.append(
            {"row": row, "column": label, "value": value, "reason": reason, "message": message}
        )


def read(path: Path, name: str) -> tuple[list[tuple[int, dict[str, str]]], list[tuple[str, str]], Plan]:
    """The filled rows (row number, {key: text}), the target columns (key, label) and the file's own problems."""
    plan = Plan()
    upload = inspect(path, name, max_bytes=MAX_FILE_BYTES)
    if upload.kind != "xlsx":
        raise Refused(f"指标目录只接收 .xlsx 工作簿（请用 dashboard catalog export 生成的 {FILE_NAME}）。")
    try:
        book = CalamineWorkbook.from_path(str(path))
    except CalamineError as exc:
        raise Refused(f"无法读取工作簿：{exc}") from None
    if SHEET not in book.sheet_names:
        plan.error(None, "", "", f"缺少工作表“{SHEET}”（请用 dashboard catalog export 生成的工作簿）")
        return [], [], plan
    grid = book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    header = [_text(v) for v in (grid[0] if grid else [])]
    where: dict[str, int] = {}
    targets: list[tuple[str, str]] = []
    for i, label in enumerate(header):
        found = TARGET_PATTERN.fullmatch(label)
        key = next((c.key for c in COLUMNS if c.label == label), None)
        if found:
            key = f"target:{found.group(1)}"
            targets.append((key, label))
        elif label.startswith("目标"):
            plan.error(1, label, label, "年度目标列的表头应写成 目标（2026）")
            continue
        if key is not None:
            if key in where:
                plan.error(1, label, label, "这一列出现了两次")
            where[key] = i
    if "code" not in where:
        plan.error(1, "代码", "", "第1行缺少“代码”列（请勿修改表头）")
        return [], targets, plan
    rows = []
    for number, line in enumerate(grid[1:], start=2):
        cells = {key: _text(line[i]) if i < len(line) else "" for key, i in where.items()}
        if any(cells.values()):
            rows.append((number, cells))
    return rows, targets, plan


def plan_import(
    conn: Connection, rows: list[tuple[int, dict[str, str]]], targets: list[tuple[str, str]], plan: Plan
) -> Plan:
    """Check every row against the catalog and the store, as /admin/catalog's form is checked."""
    known = catalog.read()
    departments = catalog_edits.department_names(conn)
    by_name = {name: code for code, (name, in_force) in departments.items() if in_force}
    seen: dict[str, int] = {}
    labels = dict(targets) | LABELS
    # the visibilities the file gives, taken together: a rate and its part may be changed in the same file
    planned = catalog_visibility.given_visibilities(
        (cells["code"], cells) for _, cells in rows if cells["code"] in known
    )
    for number, cells in rows:
        code = cells["code"]
        if code not in known:
            plan.error(number, "代码", code, "指标目录中没有这个代码" if code else "代码不能为空")
            continue
        if code in seen:
            plan.error(number, "代码", code, f"与第{seen[code]}行重复")
            continue
        seen[code] = number
        given: dict[str, Any] = {k: cells[k] for k in catalog_edits.FIELDS if k in cells}
        if given.get("department") in by_name:
            given["department"] = by_name[given["department"]]
        years = {key[7:]: cells[key] for key, _ in targets}
        if years:
            given["targets"] = years
        after, problems = catalog_edits.check(conn, code, given, departments, planned)
        for p in problems:
            plan.error(number, labels.get(p.field, p.label), p.value, p.reason)
        if problems:
            continue
        before = catalog_edits.state(conn, code)
        old, new = catalog_changes.diff(before, after)
        if new or old:
            plan.changes[code] = given
            plan.diffs.append((code, old, new))
        else:
            plan.unchanged += 1
    return plan


def apply_import(conn: Connection, plan: Plan, file_name: str, actor: str | None = None) -> None:
    """Write a checked plan in the caller's transaction; each indicator's change audited, and the import (a file
    that changes nothing leaves no trace)."""
    if not plan.changes:
        return
    # checked as a whole: each change is saved knowing the visibilities the others give
    planned = catalog_visibility.given_visibilities(plan.changes.items())
    for code, given in plan.changes.items():
        catalog_changes.save(conn, code, given, actor, planned)
    record(
        conn,
        "catalog_imported",
        actor=actor,
        subject=file_name,
        changed=sorted(plan.changes),
        unchanged=plan.unchanged,
    )

"""The organisation workbook 组织机构.xlsx: the template a district fills in, and reading it back.

One sheet of departments (代码, 名称, 简称, 排序), one of townships (代码, 名称, 类别, 排序) and the instructions,
in the register templates' style (data/imports/template.py). Reading gives every row as text with the row number
the clerk sees; checking the rows against each other and the store is data/org.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

import xlsxwriter
from python_calamine import CalamineError, CalamineWorkbook

from data.imports.headers import Refused
from data.imports.intake import inspect
from data.imports.workbook_look import AUTHOR, GUIDE_SHEET, LAST_ROW, cell_formats, width

DEPARTMENT_SHEET = "部门"
TOWNSHIP_SHEET = "乡镇（街道）"
# A township's kinds, in the order the template's drop-down offers them.
TOWNSHIP_KINDS = ("镇", "乡", "街道", "园区")
TEMPLATE_NAME = "组织机构.xlsx"
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool
    meaning: str


# Each sheet's columns: the header is the label, found by label when read back (their order may change).
COLUMNS: dict[str, tuple[Column, ...]] = {
    DEPARTMENT_SHEET: (
        Column(
            "code", "代码", True, "部门的唯一代码：字母、数字、- 或 _，如 SFJ；定下后不再改变，改名只改名称"
        ),
        Column("name", "名称", True, "部门全称，如 区司法局"),
        Column("short_name", "简称", False, "图表中显示的简称，如 司法局；留空则用名称"),
        Column("sort", "排序", False, "显示顺序，整数，小的在前；留空则按表中顺序"),
        Column(
            "valid_from",
            "设立日期",
            False,
            "单位设立的日期，如 2026-03-01；留空表示早已存在。撤销、并入它或它并入别的单位的日期不能早于它",
        ),
    ),
    TOWNSHIP_SHEET: (
        Column("code", "代码", True, "乡镇（街道）的唯一代码，不得与部门代码相同，如 qingshan"),
        Column("name", "名称", True, "全称，如 青山镇、城关街道"),
        Column("kind", "类别", True, "、".join(TOWNSHIP_KINDS) + " 之一"),
        Column("sort", "排序", False, "显示顺序，整数，小的在前；留空则按表中顺序"),
        Column(
            "valid_from",
            "设立日期",
            False,
            "单位设立的日期，如 2026-03-01；留空表示早已存在。撤销、并入它或它并入别的单位的日期不能早于它",
        ),
    ),
}
# What each sheet holds: its label in messages, and the store's unit kind.
SHEET_KIND = {DEPARTMENT_SHEET: "department", TOWNSHIP_SHEET: "township"}
KIND_LABEL = {"department": "部门", "township": "乡镇（街道）"}


@dataclass(frozen=True)
class SheetRow:
    """One filled row of a sheet, as text, with the row number Excel shows."""

    sheet: str
    row: int
    cells: dict[str, str]


def write_template(out: BinaryIO | Path, current: dict[str, list[dict]] | None = None) -> None:
    """The workbook, filled with ``current`` units ({"department": [...], "township": [...]}, each a dict of the
    columns' keys) so that a district edits what it has and imports it again."""
    current = current or {}
    book = xlsxwriter.Workbook(
        str(out) if isinstance(out, Path) else out,
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    try:
        styles = cell_formats(book)
        for sheet, columns in COLUMNS.items():
            ws = book.add_worksheet(sheet)
            rows = current.get(SHEET_KIND[sheet], [])
            _write_sheet(ws, columns, rows, styles)
        _write_guide(book.add_worksheet(GUIDE_SHEET), styles)
        book.worksheets()[0].activate()
    finally:
        book.close()


def _write_sheet(ws, columns: tuple[Column, ...], rows: list[dict], styles: dict) -> None:
    ws.freeze_panes(1, 0)
    for col, c in enumerate(columns):
        longest = max([width(c.label) + 6, *(width(str(r.get(c.key) or "")) + 2 for r in rows)])
        style = {"sort": "plain", "valid_from": "date"}.get(c.key, "text")
        ws.set_column(col, col, min(max(longest, 12), 40), styles[style])
        ws.write_string(0, col, c.label, styles["required" if c.required else "optional"])
        note = f"{c.label}（{'必填' if c.required else '选填'}）\n{c.meaning}"
        ws.write_comment(0, col, note, {"author": AUTHOR, "x_scale": 2.4, "y_scale": 1.4})
        if c.key == "kind":
            ws.data_validation(
                1,
                col,
                LAST_ROW - 1,
                col,
                {
                    "validate": "list",
                    "source": list(TOWNSHIP_KINDS),
                    "error_type": "stop",
                    "error_title": "“类别”填写有误",
                    "error_message": "请从下拉列表中选择：" + "、".join(TOWNSHIP_KINDS),
                },
            )
        elif c.key == "sort":
            ws.data_validation(
                1, col, LAST_ROW - 1, col, {"validate": "integer", "criteria": ">=", "value": 0}
            )
        for r, unit in enumerate(rows, start=1):
            value = unit.get(c.key)
            if c.key == "valid_from" and value:
                ws.write_datetime(r, col, datetime.fromisoformat(str(value)), styles["date"])
            elif c.key == "sort" and value is not None:
                ws.write_number(r, col, int(value))
            elif value:
                ws.write_string(r, col, str(value), styles["text"])


def _write_guide(ws, styles: dict) -> None:
    ws.set_column(0, 0, 16)
    ws.set_column(1, 2, 12)
    ws.set_column(3, 3, 70)
    ws.write_string(0, 0, "组织机构填写说明", styles["title"])
    rules = (
        f"“{DEPARTMENT_SHEET}”表每行一个区级部门，“{TOWNSHIP_SHEET}”表每行一个乡镇、街道或园区，从第 2 行起填写。",
        "代码是单位的身份：导入时按代码新增单位或修改其名称、简称、类别、排序；同一代码只能出现一次，部门与乡镇不能共用代码。",
        "文件中没有的单位不会被删除（其数据、账号和历史都保留）；撤销用 dashboard org end，合并用 dashboard org merge。",
        "文件有任何错误时一个也不导入，所有错误一次列出（第几行、哪一列、填了什么、为什么）。",
        "不要修改表头（第 1 行的列名）。加粗的列必填，其余列可留空。",
    )
    ws.write_string(2, 0, "填写规则", styles["bold"])
    for i, rule in enumerate(rules, start=1):
        ws.write_string(2 + i, 0, f"{i}. {rule}")
    top = 3 + len(rules) + 1
    for col, head in enumerate(("工作表", "列名", "是否必填", "含义与格式")):
        ws.write_string(top, col, head, styles["head"])
    row = top + 1
    for sheet, columns in COLUMNS.items():
        for c in columns:
            for col, value in enumerate((sheet, c.label, "必填" if c.required else "选填", c.meaning)):
                ws.write_string(row, col, value, styles["cell"])
            row += 1


def _text(value: object) -> str:
    """A cell as the clerk sees it: 12.0 (a code typed as a number) reads 12, a date 2026-03-01."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_workbook(path: Path, name: str) -> tuple[list[SheetRow], list[str]]:
    """The filled rows of both sheets, and what is wrong with the file as a whole (a missing sheet or header).

    Refuses (data.imports.headers.Refused) what the register imports refuse on the bytes alone."""
    upload = inspect(path, name, max_bytes=MAX_FILE_BYTES)
    if upload.kind != "xlsx":
        raise Refused(f"组织机构只接收 .xlsx 工作簿（请用 dashboard org template 生成的 {TEMPLATE_NAME}）。")
    try:
        book = CalamineWorkbook.from_path(str(path))
    except CalamineError as exc:
        raise Refused(f"无法读取工作簿：{exc}") from None
    rows: list[SheetRow] = []
    problems: list[str] = []
    for sheet, columns in COLUMNS.items():
        if sheet not in book.sheet_names:
            problems.append(f"缺少工作表“{sheet}”（没有的单位可以留空表，但表要保留）")
            continue
        grid = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        header = [_text(v) for v in (grid[0] if grid else [])]
        where = {c.key: header.index(c.label) for c in columns if c.label in header}
        missing = [c.label for c in columns if c.required and c.key not in where]
        if missing:
            problems.append(f"工作表“{sheet}”第1行缺少列：{'、'.join(missing)}（请勿修改表头）")
            continue
        for number, line in enumerate(grid[1:], start=2):
            cells = {key: _text(line[i]) if i < len(line) else "" for key, i in where.items()}
            if any(cells.values()):
                rows.append(SheetRow(sheet, number, cells))
    return rows, problems

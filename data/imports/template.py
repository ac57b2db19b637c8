"""The Excel template a department fills in: one register's columns, drop-downs and checks, and how to fill it.

The headers are exactly the fields' labels, because the importer finds its columns by label. Excel's own data
validation catches most mistakes while typing; the importer checks everything again, since pasted values
bypass validation.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

import xlsxwriter
from sqlalchemy import Connection, or_, select
from xlsxwriter.utility import xl_col_to_name

from data.imports.workbook_look import AUTHOR, GUIDE_SHEET, LAST_ROW, cell_formats, width
from data.registers import DATE_FORMATS_ZH, Field, Register
from data.schema import department as dept_table
from data.schema import township as town_table

LIST_SHEET = "列表"
EXAMPLE_SHEET = "示例"
# Excel refuses a literal list source longer than this; longer lists come from the hidden sheet.
LIST_LIMIT = 255
DATE_RANGE = (date(2000, 1, 1), date(2100, 12, 31))
# Excel's limits on a validation's title and message; XlsxWriter drops the validation when they are exceeded.
TITLE_LIMIT, MESSAGE_LIMIT = 32, 255
# Kinds whose values are words or codes: formatted as text so that codes like 0012 keep their zeros.
TEXT_KINDS = ("register_no", "text", "choice", "department", "township")
EXAMPLE_NO = "2024-0001"


def template_filename(register: Register) -> str:
    return f"{register.label}-导入模板.xlsx"


def write_template(
    register: Register,
    departments: list[tuple[str, str]],
    townships: list[tuple[str, str]],
    out: BinaryIO | Path,
    department: tuple[str, str] | None = None,
) -> None:
    """Write the register's import template: the data sheet, the instructions, an example, the lists."""
    lists = _lists(register, departments, townships, department)
    examples = _examples(register, departments, townships, department)
    book = xlsxwriter.Workbook(
        str(out) if isinstance(out, Path) else out,
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    try:
        styles = cell_formats(book)
        data = book.add_worksheet(_sheet_name(register.label))
        guide = book.add_worksheet(GUIDE_SHEET)
        example = book.add_worksheet(EXAMPLE_SHEET)
        hidden = book.add_worksheet(LIST_SHEET)
        sources = _write_lists(hidden, register, lists, styles)
        hidden.hide()
        _write_headers(data, register, styles, examples, comments=True)
        data.freeze_panes(1, 0)
        for col, f in enumerate(register.fields):
            check = _validation(f, sources.get(f.name))
            if check:
                data.data_validation(1, col, LAST_ROW - 1, col, check)
        _write_guide(guide, register, examples, styles)
        _write_headers(example, register, styles, examples, comments=False)
        example.freeze_panes(1, 0)
        for col, f in enumerate(register.fields):
            _write_example(example, col, f, examples[f.name], styles)
        data.activate()
    finally:
        book.close()


def _sheet_name(label: str) -> str:
    # Excel's sheet names: at most 31 characters, none of []:*?/\
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in label)[:31]


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(n for n in names if n))


def _lists(
    register: Register,
    departments: list[tuple[str, str]],
    townships: list[tuple[str, str]],
    department: tuple[str, str] | None,
) -> dict[str, list[str]]:
    """Each drop-down column's values, by field name."""
    lists: dict[str, list[str]] = {}
    for f in register.fields:
        if f.kind == "choice":
            lists[f.name] = list(f.choices)
        elif f.kind == "bool":
            lists[f.name] = ["是", "否"]
        elif f.kind == "department":
            lists[f.name] = _unique([department[1]] if department else [name for _, name in departments])
        elif f.kind == "township":
            lists[f.name] = _unique([name for _, name in townships])
    return {name: values for name, values in lists.items() if values}


def _examples(
    register: Register,
    departments: list[tuple[str, str]],
    townships: list[tuple[str, str]],
    department: tuple[str, str] | None,
) -> dict[str, str]:
    examples = {}
    for f in register.fields:
        value = f.example
        if f.kind == "register_no":
            value = value or EXAMPLE_NO
        elif f.kind == "department":
            value = department[1] if department else (departments[0][1] if departments else "")
        elif f.kind == "township":
            value = townships[0][1] if townships else ""
        examples[f.name] = value
    return examples


def _column_format(f: Field, styles: dict):
    if f.kind == "date":
        return styles["date"]
    return styles["text"] if f.kind in TEXT_KINDS else styles["plain"]


def _write_headers(ws, register: Register, styles: dict, examples: dict[str, str], comments: bool) -> None:
    ws.set_row(0, 22)
    for col, f in enumerate(register.fields):
        longest = max(width(f.label) + 4, width(examples[f.name]) + 2, *(width(c) + 3 for c in f.choices))
        ws.set_column(col, col, min(max(longest, 12), 40), _column_format(f, styles))
        ws.write_string(0, col, f.label, styles["required" if f.required else "optional"])
        if comments:
            # Optional columns get one too: their format (blank township means district level) matters as much.
            lines = [f"{f.label}（{'必填' if f.required else '选填'}）"]
            if f.meaning:
                lines.append(f"含义：{f.meaning}")
            lines.append(f"格式：{f.format_zh}")
            ws.write_comment(0, col, "\n".join(lines), {"author": AUTHOR, "x_scale": 2.4, "y_scale": 1.6})


def _write_lists(ws, register: Register, lists: dict[str, list[str]], styles: dict) -> dict[str, object]:
    """Write every list to the hidden sheet, one column each; return each field's validation source."""
    sources: dict[str, object] = {}
    col = 0
    for f in register.fields:
        values = lists.get(f.name)
        if not values:
            continue
        ws.write_string(0, col, f.label, styles["bold"])
        for row, value in enumerate(values, start=1):
            ws.write_string(row, col, value)
        ws.set_column(col, col, max(width(v) for v in [f.label, *values]) + 2)
        literal = ",".join(values)
        if len(literal) <= LIST_LIMIT and not any("," in v or '"' in v for v in values):
            sources[f.name] = values
        else:
            letter = xl_col_to_name(col)
            sources[f.name] = f"={LIST_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        col += 1
    return sources


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _validation(f: Field, source: object) -> dict | None:
    """Excel's check of a column as a clerk types, or None where any text goes."""
    check: dict
    if f.kind in ("choice", "bool", "department", "township"):
        if source is None:
            return None
        check = {"validate": "list", "source": source}
        prompt, error = "从下拉列表中选择", f"请从下拉列表中选择“{f.label}”。"
        if f.kind == "township":
            error += "区级的留空。"
    elif f.kind == "date":
        check = {
            "validate": "date",
            "criteria": "between",
            "minimum": DATE_RANGE[0],
            "maximum": DATE_RANGE[1],
        }
        prompt = f"日期格式：{f.format_zh}"
        error = f"“{f.label}”须是 2000-01-01 至 2100-12-31 之间的日期，如 2024-03-05。"
    elif f.kind == "int":
        if f.minimum is not None and f.maximum is not None:
            check = {"validate": "integer", "criteria": "between", "minimum": f.minimum, "maximum": f.maximum}
        elif f.minimum is not None:
            check = {"validate": "integer", "criteria": ">=", "value": f.minimum}
        elif f.maximum is not None:
            check = {"validate": "integer", "criteria": "<=", "value": f.maximum}
        else:
            check = {"validate": "integer", "criteria": "between", "minimum": -(2**31), "maximum": 2**31 - 1}
        prompt = f.format_zh
        error = f"“{f.label}”须是{f.format_zh}。"
    else:
        return None
    check.update(
        input_title=_clip(f.label, TITLE_LIMIT),
        input_message=_clip(prompt, MESSAGE_LIMIT),
        error_type="stop",
        error_title=_clip(f"“{f.label}”填写有误", TITLE_LIMIT),
        error_message=_clip(error, MESSAGE_LIMIT),
    )
    return check


def _write_guide(ws, register: Register, examples: dict[str, str], styles: dict) -> None:
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 3, 44)
    ws.set_column(4, 4, 22)
    ws.write_string(0, 0, f"{register.label}填写说明", styles["title"])
    ws.write_string(
        1, 0, f"每一行是{register.row_is}。请在“{_sheet_name(register.label)}”表中从第 2 行起逐行填写。"
    )
    rules = (
        "登记编号在本登记簿内唯一，同一文件重复导入不会重复计数。",
        f"日期格式：{DATE_FORMATS_ZH}。",
        "空白行会被忽略。",
        "不要修改表头（第 1 行的列名）。加粗的列必填，其余列可留空。",
        "以 = 开头的内容按文字保存，不会当作公式计算。",
        f"“{EXAMPLE_SHEET}”表只作参照，其中的内容不会被导入。",
    )
    ws.write_string(3, 0, "填写规则", styles["bold"])
    for i, rule in enumerate(rules, start=1):
        ws.write_string(3 + i, 0, f"{i}. {rule}")
    top = 4 + len(rules) + 1
    for col, head in enumerate(("列名", "是否必填", "含义", "格式与可选值", "示例")):
        ws.write_string(top, col, head, styles["head"])
    for row, f in enumerate(register.fields, start=top + 1):
        cells = (f.label, "必填" if f.required else "选填", f.meaning, f.format_zh, examples[f.name])
        for col, value in enumerate(cells):
            ws.write_string(row, col, value, styles["cell"])


def _write_example(ws, col: int, f: Field, value: str, styles: dict) -> None:
    if not value:
        return
    if f.kind == "date":
        ws.write_datetime(1, col, date.fromisoformat(value), styles["date"])
    elif f.kind == "int":
        ws.write_number(1, col, int(value))
    else:
        ws.write_string(1, col, value, _column_format(f, styles))


def write_for_store(
    conn: Connection, register: Register, out: BinaryIO | Path, department: str | None = None
) -> None:
    """The template with the store's departments and townships still in being (an ended unit is offered no new
    data; its rows stay); ``department``: a clerk's own (its code)."""
    today = date.today()
    depts = [
        tuple(r)
        for r in conn.execute(
            select(dept_table.c.code, dept_table.c.name)
            .where(or_(dept_table.c.valid_to.is_(None), dept_table.c.valid_to > today))
            .order_by(dept_table.c.sort)
        )
    ]
    towns = [
        tuple(r)
        for r in conn.execute(
            select(town_table.c.code, town_table.c.name)
            .where(or_(town_table.c.valid_to.is_(None), town_table.c.valid_to > today))
            .order_by(town_table.c.sort)
        )
    ]
    own = next((d for d in depts if d[0] == department), None) if department else None
    write_template(register, depts, towns, out, department=own)

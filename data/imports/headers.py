"""Recognising a register's header row in the first rows of a sheet, whatever a department did to the template.

Functions on rows of cells (lists of whatever the reader gave); data/imports/files.py reads the rows. Refused
lives here so that both can raise it; files re-exports it, and callers catch it as files.Refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from data.registers import REGISTERS, Register

# A header is looked for this far down: a title, a unit line and a blank row or two above it are common.
HEADER_ROWS = 30

# Names by which departments head these columns in their own sheets, whatever the register calls them.
ALIASES: dict[str, tuple[str, ...]] = {
    # 序号 is left out on purpose: it is a running row count, not the register's own number.
    "register_no": ("登记编号", "编号"),
    "department": ("部门", "部门名称", "单位", "部门代码"),
    "township": ("乡镇", "街道", "乡镇街道", "乡镇（街道）", "所属乡镇"),
}

# Zero-width characters and the BOM are invisible in Excel and survive NFKC, so a header pasted from the web or
# a mis-saved text file would otherwise match nothing.
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
_REQUIRED_MARK = "(必填)"


class Refused(ValueError):
    """The whole file is refused; str(exc) is one Chinese sentence fit to show a clerk."""


def normalise(cell: object) -> str:
    """The header as compared: NFKC, no whitespace, no * before or after, no trailing （必填）, case-folded."""
    if cell is None:
        return ""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", str(cell)))
    text = text.strip("*")
    # NFKC has already turned （必填） into (必填).
    if text.endswith(_REQUIRED_MARK):
        text = text[: -len(_REQUIRED_MARK)].strip("*")
    return text.casefold()


def is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


@cache
def keys(register_name: str) -> dict[str, str]:
    """Each normalised header the register's columns answer to -> the field's name."""
    register = REGISTERS[register_name]
    found: dict[str, str] = {}
    # Generic aliases first, so that a field's own label or name takes a key an alias of another field also
    # claims (e.g. a department column labelled 单位 in some register).
    for f in register.fields:
        for alias in ALIASES.get(f.kind, ()):
            found.setdefault(normalise(alias), f.name)
    for f in register.fields:
        found[normalise(f.name)] = f.name
    for f in register.fields:
        found[normalise(f.label)] = f.name
    return found


def matched(register: Register, cells: Sequence[object]) -> dict[int, str]:
    """0-based column -> field name for the cells of one row that head one of the register's columns."""
    table = keys(register.name)
    out: dict[int, str] = {}
    for col, cell in enumerate(cells):
        name = table.get(normalise(cell)) if isinstance(cell, str) else None
        if name:
            out[col] = name
    return out


def score(register: Register, cells: Sequence[object]) -> int:
    """How many of the register's columns the row heads (a column given twice counts once)."""
    return len(set(matched(register, cells).values()))


@dataclass(frozen=True)
class Candidate:
    register: Register
    where: int  # which of the places looked at (a sheet, or a CSV parsed with one delimiter)
    row: int  # 0-based


def pick(places: Sequence[Sequence[Sequence[object]]], registers: Sequence[Register]) -> Candidate:
    """The row heading most columns of a register, over the first rows of each place (earliest wins a tie
    within a register); refused when no row heads any, or when two registers fit equally well."""
    found: list[tuple[int, Candidate]] = []
    for register in registers:
        top: tuple[int, Candidate] | None = None
        for where, rows in enumerate(places):
            for row, cells in enumerate(rows[:HEADER_ROWS]):
                s = score(register, cells)
                if s and (top is None or s > top[0]):
                    top = (s, Candidate(register, where, row))
        if top:
            found.append(top)
    if not found:
        if len(registers) == 1:
            labels = "".join(f"“{f.label}”" for f in registers[0].fields[:2])
            raise Refused(
                f"未找到表头：前 {HEADER_ROWS} 行中没有一行含有{labels}等{registers[0].label}的列名。"
            )
        raise Refused(f"未找到表头：前 {HEADER_ROWS} 行中没有一行像登记簿的表头（应有“登记编号”等列名）。")
    found.sort(key=lambda t: -t[0])
    tied = [c.register.label for s, c in found if s == found[0][0]]
    if len(tied) > 1:
        raise Refused(f"无法识别登记簿（表头与{_quoted(tied[:4])}同样相符），请用 --register 指定。")
    return found[0][1]


@dataclass(frozen=True)
class Layout:
    columns: dict[str, int]  # field name -> 1-based column, in the register's order
    ignored: tuple[str, ...]
    problems: tuple[str, ...]  # each a clause of the refusal; none when the header is usable
    has_rows: bool  # whether any row below the header holds a value


def layout(
    register: Register,
    header: Sequence[object],
    below: Iterable[Sequence[object]],
    header_row: int,
    column_name: Callable[[int], str],
) -> Layout:
    """Map the header's cells (0-based columns) to fields, looking at the rows below only as far as needed."""
    fields = matched(register, header)
    # Only the columns no field claims need their data seen (an unknown header over data is refused, over
    # nothing ignored); the scan stops as soon as they and one data row are seen.
    wanted = {col for col in range(len(header)) if col not in fields}
    pending = set(wanted)
    has_rows = False
    for cells in below:
        has_rows = has_rows or not all(map(is_blank, cells))
        if pending:
            pending -= {col for col in pending if col < len(cells) and not is_blank(cells[col])}
        if has_rows and not pending:
            break
    seen = wanted - pending
    where: dict[str, list[int]] = {}
    unknown: list[str] = []
    headless: list[str] = []
    ignored: list[str] = []
    for col, cell in enumerate(header):
        if col in fields:
            where.setdefault(fields[col], []).append(col)
        elif col not in seen:
            if not is_blank(cell):
                ignored.append(str(cell).strip())
        elif is_blank(cell):
            headless.append(column_name(col))
        else:
            unknown.append(str(cell).strip())
    problems = []
    if unknown:
        problems.append(f"不认识的列：{_quoted(unknown)}（第{header_row}行）")
    if headless:
        problems.append(f"{'、'.join(headless)}有数据但没有表头")
    missing = [f.label for f in register.fields if f.required and f.name not in where]
    if missing:
        problems.append(f"缺少必填列：{_quoted(missing)}")
    twice = [
        f"“{register.field(name).label}”（{'、'.join(column_name(c) for c in cols)}）"
        for name, cols in where.items()
        if len(cols) > 1
    ]
    if twice:
        problems.append(f"重复的列：{'、'.join(twice)}")
    columns = {f.name: where[f.name][0] + 1 for f in register.fields if f.name in where}
    return Layout(columns, tuple(ignored), tuple(problems), has_rows)


def _quoted(items: Iterable[str]) -> str:
    return "、".join(f"“{x}”" for x in items)


def excel_column(col: int) -> str:
    """0-based column -> its letters as Excel heads it (0 -> A, 26 -> AA)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters

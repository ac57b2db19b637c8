"""How large an .xlsx's sheets really are, learnt by streaming their XML before the Excel reader sees them.

python-calamine builds a dense table spanning A1 to the farthest cell of a sheet: one cell at XFD1048576 in a
1.7 KB file asks it for 17 billion cells, and the Rust allocator aborts the whole process (no exception reaches
Python). So every worksheet part is read here first, a block at a time, and only the positions of its rows and
cells are kept (what a cell's ``r`` says, else one past the previous, as the format defines). The sheet's
``<dimension>`` is only the writer's claim and calamine does not size by it, so the cells themselves are what
count. The blocks read are bounded by the zip checks in files.py, which run first.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from data.imports.headers import Refused, excel_column

__all__ = ["MAX_SHEET_CELLS", "Extent", "check_sheets", "sheet_extent"]

# The dense table of one sheet (rows x columns from A1) costs about 40 bytes a cell once read: 12 million cells
# is a full Excel sheet (1,048,576 rows) of a register's 11 columns, about 0.5 GB at the peak.
MAX_SHEET_CELLS = 12_000_000
# No tag Excel or WPS writes in a worksheet comes near this; a longer one is refused rather than buffered.
MAX_TAG = 1024 * 1024
_BLOCK = 1024 * 1024
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^>]*)>")
_REF = re.compile(rb'(?:^|\s)r\s*=\s*["\']([A-Za-z]*)([0-9]*)["\']')
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Extent:
    rows: int  # the last row holding a cell (1-based; 0 for an empty sheet)
    columns: int  # the last column holding a cell (1-based)

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    @property
    def corner(self) -> str:
        return f"{excel_column(self.columns - 1)}{self.rows}" if self.cells else "A1"


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def sheet_extent(stream) -> Extent:
    """The farthest row and column any cell of a worksheet's XML reaches, read a block at a time."""
    row = column = last_row = last_column = 0
    tail = b""
    while block := stream.read(_BLOCK):
        text = tail + block
        cut = text.rfind(b"<")
        # Everything up to the last unclosed tag is whole; a tag closed within the block is whole too.
        if cut == -1 or text.find(b">", cut) != -1:
            cut = len(text)
        tail = text[cut:]
        if len(tail) > MAX_TAG:
            raise Refused("工作表的内容结构异常（单个标记过长），疑似恶意构造的文件，不予接收。")
        for match in _TAG.finditer(text, 0, cut):
            ref = _REF.search(match[2])
            letters, digits = (ref[1], ref[2]) if ref else (b"", b"")
            if match[1] == b"row":
                row = int(digits) if digits else row + 1
                column = 0
            else:
                if digits:
                    row = max(row, int(digits))
                column = _column_number(letters) if letters else column + 1
                last_row = max(last_row, row)
                last_column = max(last_column, column)
    return Extent(last_row, last_column)


def _sheet_names(z: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> the sheet's name as Excel shows it (best effort: a part not found keeps its path)."""
    try:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG}Relationship")}
    names = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_REL), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        names[part.lower()] = sheet.get("name", part)
    return names


def check_sheets(z: zipfile.ZipFile, max_cells: int = MAX_SHEET_CELLS) -> None:
    """Refuse the workbook (Refused) if any worksheet spans more than max_cells from A1 to its farthest cell."""
    names = _sheet_names(z)
    for info in z.infolist():
        if not _WORKSHEET.fullmatch(info.filename):
            continue
        try:
            with z.open(info) as stream:
                extent = sheet_extent(stream)
        except Refused:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise Refused(
                "文件已损坏，无法作为 .xlsx 工作簿打开，请用 Excel 打开后另存为 .xlsx 再上传。"
            ) from exc
        if extent.cells > max_cells:
            name = names.get(info.filename.lower(), info.filename)
            raise Refused(
                f"工作表“{name}”的范围一直到 {extent.corner} 单元格（{extent.rows:,} 行 × {extent.columns:,} 列），"
                f"超过每张工作表 {max_cells:,} 个单元格的上限：请删除数据以外多余的行和列"
                "（或把数据复制到新工作簿）后再上传。"
            )

"""A department's register table, found in an uploaded file and read in chunks.

The file's bytes were checked first (data/imports/intake.py ``inspect``); ``find_table`` finds the header row
(data/imports/headers.py) and says everything wrong with it at once; ``read_chunks`` yields the rows as
DataFrames indexed by the row number the clerk sees in Excel, so every later message can point there.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from typing import TypeVar

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum

from data.imports import headers
from data.imports.headers import HEADER_ROWS, Refused, excel_column, is_blank
from data.imports.intake import PASSWORD, RESAVE, Upload
from data.registers import REGISTERS, Register

# Refused is re-exported: what callers catch from reading a file, whichever step refused it.
__all__ = ["Refused", "Table", "find_table", "read_chunks"]

T = TypeVar("T")

# The templates' instructions and example sheets carry the header too; they are never the data.
SKIPPED_SHEETS = ("填写说明", "示例")
CSV_DELIMITERS = (",", "\t", ";")

CSV_BROKEN = "CSV 文件格式有误（可能有未配对的引号），无法读取，请另存为“CSV UTF-8（逗号分隔）”后再上传。"


@dataclass(frozen=True)
class Table:
    register: Register
    sheet: str | None  # sheet name, None for csv
    header_row: int  # 1-based, as Excel or a text editor numbers it
    columns: dict[str, int]  # field name -> 1-based column position in the sheet
    ignored: tuple[str, ...]  # headers of columns left out because they are entirely empty (header and data)


def find_table(upload: Upload, register: str | None = None) -> Table:
    """Find the register's header row in the file and map its columns, or refuse with every problem at once."""
    if register is not None and register not in REGISTERS:
        raise ValueError(f"没有名为“{register}”的登记簿")
    registers = [REGISTERS[register]] if register else list(REGISTERS.values())
    if upload.kind == "csv":
        return _find_csv(upload, registers)
    return _find_excel(upload, registers)


def _table(
    chosen: headers.Candidate,
    header: list[object],
    below: Iterable[list[object]],
    sheet: str | None,
    column_name: Callable[[int], str],
    where: str,
) -> Table:
    """The table at the chosen header, or the refusal naming everything wrong with it."""
    header_row = chosen.row + 1
    layout = headers.layout(chosen.register, header, below, header_row, column_name)
    if layout.problems:
        raise Refused(where + "；".join(layout.problems) + "。")
    if not layout.has_rows:
        raise Refused(f"{where}文件中没有数据行（第{header_row}行的表头下面是空的）。")
    return Table(chosen.register, sheet, header_row, layout.columns, layout.ignored)


def _calamine(call: Callable[[], T]) -> T:
    """A calamine call, with whatever it says of a locked or broken workbook turned into a refusal."""
    try:
        return call()
    except PasswordError as exc:
        raise Refused(PASSWORD) from exc
    except CalamineError as exc:
        raise Refused(f"工作簿已损坏或无法读取，{RESAVE}") from exc
    except BaseException as exc:
        # A Rust panic on a crafted file arrives as pyo3's PanicException, which derives from BaseException.
        if type(exc).__name__ == "PanicException":
            raise Refused(f"工作簿已损坏或无法读取，{RESAVE}") from exc
        raise


def _workbook(upload: Upload) -> CalamineWorkbook:
    # From the bytes, not the path: calamine goes by a path's extension, and a stored upload may have none.
    with upload.path.open("rb") as f:
        return _calamine(lambda: CalamineWorkbook.from_filelike(f))


def _find_excel(upload: Upload, registers: list[Register]) -> Table:
    names: list[str] = []
    places: list[list[list[object]]] = []
    kept, kept_score = None, 0
    with _workbook(upload) as book:
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet or meta.name.strip() in SKIPPED_SHEETS:
                continue
            # calamine parses the whole sheet here whatever is asked of it later; nrows only spares Python objects.
            sheet = _calamine(lambda n=meta.name: book.get_sheet_by_name(n))
            top = _calamine(lambda s=sheet: s.to_python(skip_empty_area=False, nrows=HEADER_ROWS))
            names.append(meta.name)
            places.append(top)
            # Keep only the parsed sheet most likely chosen: the other sheets of a workbook may be as large.
            score = max((headers.score(r, cells) for r in registers for cells in top), default=0)
            if score > kept_score:
                kept, kept_score = sheet, score
        chosen = headers.pick(places, registers)
        name = names[chosen.where]
        if kept is None or kept.name != name:
            kept = _calamine(lambda: book.get_sheet_by_name(name))
        rows = _calamine(lambda: kept.to_python(skip_empty_area=False))
    where = f"工作表“{name}”：" if len(names) > 1 else ""
    below = islice(rows, chosen.row + 1, None)
    return _table(chosen, rows[chosen.row], below, name, lambda col: f"第{excel_column(col)}列", where)


@contextmanager
def _csv_rows(upload: Upload, delimiter: str) -> Iterator[Iterator[list[str]]]:
    with upload.path.open(encoding=upload.encoding, newline="") as f:
        yield csv.reader(f, delimiter=delimiter)


def _csv_head(upload: Upload, delimiter: str, count: int) -> list[list[str]]:
    with _csv_rows(upload, delimiter) as rows:
        return list(islice(rows, count))


def _find_csv(upload: Upload, registers: list[Register]) -> Table:
    try:
        # The delimiter is the one under which some row reads as the best header: a title line above it
        # may hold any punctuation.
        places: list[list[list[object]]] = [_csv_head(upload, d, HEADER_ROWS) for d in CSV_DELIMITERS]
        chosen = headers.pick(places, registers)
        with _csv_rows(upload, CSV_DELIMITERS[chosen.where]) as rows:
            below = islice(rows, chosen.row + 1, None)
            header = places[chosen.where][chosen.row]
            return _table(chosen, header, below, None, lambda col: f"第{col + 1}列", "")
    except csv.Error as exc:
        raise Refused(CSV_BROKEN) from exc


def _delimiter(upload: Upload, table: Table) -> str:
    """The delimiter under which the table's header row heads its columns (find_table chose it the same way)."""
    keys = headers.keys(table.register.name)

    def fits(delimiter: str) -> int:
        try:
            rows = _csv_head(upload, delimiter, table.header_row)
        except csv.Error:
            return -1
        if len(rows) < table.header_row:
            return -1
        header = rows[-1]
        return sum(
            1
            for name, col in table.columns.items()
            if col <= len(header) and keys.get(headers.normalise(header[col - 1])) == name
        )

    return max(CSV_DELIMITERS, key=fits)


def read_chunks(upload: Upload, table: Table, chunk_rows: int = 50_000) -> Iterator[pd.DataFrame]:
    """The rows below the header, at most chunk_rows at a time, indexed by their row number in the sheet or file
    (blank rows counted, as Excel numbers them); a row empty in every mapped column is left out."""
    if upload.kind == "csv":
        yield from _csv_chunks(upload, table, chunk_rows)
    else:
        yield from _excel_chunks(upload, table, chunk_rows)


def _csv_chunks(upload: Upload, table: Table, chunk_rows: int) -> Iterator[pd.DataFrame]:
    names = list(table.columns)
    positions = [col - 1 for col in table.columns.values()]
    try:
        reader = pd.read_csv(
            upload.path,
            sep=_delimiter(upload, table),
            header=None,
            # Naming the columns and index_col=False let a record with fewer or more fields than the header
            # through: missing fields read as empty, fields past the header are dropped (nothing heads them).
            # usecols keeps memory to the mapped columns.
            names=range(max(positions) + 1),
            index_col=False,
            usecols=positions,
            skiprows=table.header_row,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            # Blank lines stay as empty rows, so the running index is the record's number in the file.
            skip_blank_lines=False,
            encoding=upload.encoding,
            chunksize=chunk_rows,
        )
        with reader:
            for chunk in reader:
                frame = chunk[positions].astype(object)
                frame.columns = names
                frame.index = chunk.index + table.header_row + 1
                keep = pd.Series(False, index=frame.index)
                for name in names:
                    keep |= frame[name].str.strip().ne("")
                if keep.any():
                    yield frame[keep]
    except UnicodeDecodeError as exc:
        raise Refused(f"文件中有无法按 {upload.encoding} 编码读取的字符，请重新导出后再上传。") from exc
    except (pd.errors.ParserError, csv.Error) as exc:
        raise Refused(CSV_BROKEN) from exc


def _excel_chunks(upload: Upload, table: Table, chunk_rows: int) -> Iterator[pd.DataFrame]:
    if table.sheet is None:
        raise ValueError("an Excel table names its sheet")
    with _workbook(upload) as book:
        sheet = _calamine(lambda: book.get_sheet_by_name(table.sheet))
        rows = _calamine(lambda: sheet.to_python(skip_empty_area=False))
    names = list(table.columns)
    positions = [col - 1 for col in table.columns.values()]
    # calamine's rows are all as wide as the sheet's used range, which takes in the header row.
    pick = itemgetter(*positions) if len(positions) > 1 else lambda row: (row[positions[0]],)
    for begin in range(table.header_row, len(rows), chunk_rows):
        numbers: list[int] = []
        kept: list[tuple] = []
        for number, row in enumerate(rows[begin : begin + chunk_rows], start=begin + 1):
            cells = pick(row)
            if not all(map(is_blank, cells)):
                numbers.append(number)
                kept.append(cells)
        if kept:
            yield pd.DataFrame(kept, columns=names, index=numbers, dtype=object)

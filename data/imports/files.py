"""A department's uploaded file: refused with one Chinese sentence, or its register table found and read in chunks.

``inspect`` looks at the bytes only (size, type, macros, zip bombs, encryption, text encoding); ``find_table``
finds the header row (data/imports/headers.py) and says everything wrong with it at once; ``read_chunks`` yields
the rows as DataFrames indexed by the row number the clerk sees in Excel, so every later message can point there.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import TypeVar

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum

from data.imports import headers
from data.imports.headers import HEADER_ROWS, Refused, excel_column, is_blank
from data.imports.sheetsize import check_sheets
from data.registers import REGISTERS, Register

__all__ = ["Refused", "Table", "Upload", "find_table", "inspect", "read_chunks", "zip_entries"]

T = TypeVar("T")

MB = 1024 * 1024
KINDS = {".xlsx": "xlsx", ".xls": "xls", ".csv": "csv"}
# Excel's macro-enabled formats (.xlsb may hold macros too, and no reader here could tell).
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlsb", ".xla")
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
UTF8_BOM = codecs.BOM_UTF8
# Names of streams in an OLE file's directory (UTF-16LE, so found by a byte search without an OLE parser):
# an encrypted .xlsx is an OLE file holding EncryptedPackage; a legacy .xls holds Workbook, and _VBA_PROJECT_CUR
# when it has macros.
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
WORKBOOK_STREAM = "Workbook".encode("utf-16-le")
VBA_STREAM = "_VBA_PROJECT_CUR".encode("utf-16-le")
# Real workbooks compress 5-20 times; these bounds leave them far behind and stop a bomb before calamine inflates it
# (a 1.15 MB file inflating to 400 MB of text cost 0.9 GB once read: what passes the ratio stays under ~100 MB).
BOMB_RATIO = 100
BOMB_TOTAL = 100 * MB
BOMB_ENTRY = 1024 * MB
# The templates' instructions and example sheets carry the header too; they are never the data.
SKIPPED_SHEETS = ("填写说明", "示例")
CSV_DELIMITERS = (",", "\t", ";")
_BLOCK = MB

PASSWORD = "受密码保护的工作簿无法读取，请取消密码后再上传。"
RESAVE = "请用 Excel 打开后另存为 .xlsx 再上传。"
CSV_BROKEN = "CSV 文件格式有误（可能有未配对的引号），无法读取，请另存为“CSV UTF-8（逗号分隔）”后再上传。"


@dataclass(frozen=True)
class Upload:
    path: Path
    name: str  # the original file name as the user sent it
    size: int
    sha256: str  # hex
    kind: str  # "xlsx" | "xls" | "csv"
    encoding: str | None  # for csv: "utf-8-sig" | "utf-8" | "gb18030"; None for Excel


@dataclass(frozen=True)
class Table:
    register: Register
    sheet: str | None  # sheet name, None for csv
    header_row: int  # 1-based, as Excel or a text editor numbers it
    columns: dict[str, int]  # field name -> 1-based column position in the sheet
    ignored: tuple[str, ...]  # headers of columns left out because they are entirely empty (header and data)


def inspect(path: Path, name: str, max_bytes: int = 50 * MB) -> Upload:
    """Refuse the file (Refused) on its bytes alone, before any cell is read; otherwise describe it."""
    suffix = Path(name.strip()).suffix.lower()
    if suffix.startswith(MACRO_SUFFIXES):
        raise Refused(f"不接收“{suffix}”文件：含宏的工作簿不予接收，请另存为 .xlsx 后再上传。")
    if suffix not in KINDS:
        what = f"“{suffix}”文件" if suffix else "没有扩展名的文件"
        raise Refused(f"只接收 .xlsx、.xls 或 .csv 文件，不接收{what}。")
    kind = KINDS[suffix]
    size = path.stat().st_size
    if size == 0:
        raise Refused("文件是空的，请检查后重新上传。")
    if size > max_bytes:
        raise Refused(f"文件超过 {max_bytes / MB:g} MB 的大小上限，请拆分后再上传。")
    with path.open("rb") as f:
        head = f.read(8)
    ole = head.startswith(OLE_MAGIC)
    if kind == "xlsx" and not ole:
        _check_xlsx(path, head, size)
    elif kind == "xls" and not ole:
        if head.startswith(b"PK"):
            raise Refused("文件实际是 .xlsx 工作簿，扩展名却是 .xls，请把扩展名改为 .xlsx 后再上传。")
        raise Refused(f"文件内容不是 .xls 工作簿（扩展名与内容不符，可能是网页或文本文件），{RESAVE}")
    elif kind == "csv":
        _check_text_head(head)
    digest, utf8, found = _read_through(
        path, kind == "csv", (ENCRYPTED, WORKBOOK_STREAM, VBA_STREAM) if ole else ()
    )
    if ole and ENCRYPTED in found:
        raise Refused(PASSWORD)
    if ole and VBA_STREAM in found:
        raise Refused("工作簿含宏，含宏的工作簿不予接收，请另存为不含宏的 .xlsx 后再上传。")
    if kind == "xlsx" and ole:
        if WORKBOOK_STREAM in found:
            raise Refused(
                "这是旧版 .xls 工作簿，扩展名却是 .xlsx，请把扩展名改为 .xls 或另存为 .xlsx 后再上传。"
            )
        # Whatever else an OLE file named .xlsx is, it is most likely Excel's encryption.
        raise Refused(PASSWORD)
    encoding = _encoding(path, head, utf8) if kind == "csv" else None
    return Upload(path, name, size, digest, kind, encoding)


def _check_xlsx(path: Path, head: bytes, size: int) -> None:
    if not head.startswith(b"PK"):
        raise Refused(f"文件内容不是 .xlsx 工作簿（扩展名与内容不符），{RESAVE}")
    infos = zip_entries(path, size, f"文件已损坏，无法作为 .xlsx 工作簿打开，{RESAVE}", "工作簿")
    names = [i.filename.lower() for i in infos]
    # Wherever it sits, a VBA project is a macro, whatever the file calls itself.
    if any(n.rsplit("/", 1)[-1] == "vbaproject.bin" for n in names):
        raise Refused("工作簿含宏（VBA 代码），含宏的工作簿不予接收，请另存为不含宏的 .xlsx 后再上传。")
    if not any(n.startswith("xl/") for n in names):
        raise Refused("文件不是 Excel 工作簿（可能是 Word 等其他文档改了扩展名）。")
    # The reader would build each sheet as a dense table: one far cell must not take the process down.
    with zipfile.ZipFile(path) as z:
        check_sheets(z)


def zip_entries(path: Path, size: int, broken: str, what: str = "文件") -> list[zipfile.ZipInfo]:
    """The entries of a zip-based Office file (.xlsx, .docx), refused when it is broken (``broken`` says so) or a
    zip bomb; also used for a follow-up's attachments (data/supervision_files.py)."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise Refused(broken) from exc
    # The sizes are what the zip's directory claims: nothing is inflated to learn them.
    total = sum(i.file_size for i in infos)
    if any(i.file_size > BOMB_ENTRY for i in infos) or (total > BOMB_RATIO * size and total > BOMB_TOTAL):
        raise Refused(f"{what}解压后约 {total / MB:,.0f} MB，远大于文件本身，疑似恶意构造的文件，不予接收。")
    return infos


def _check_text_head(head: bytes) -> None:
    if head.startswith((b"PK", OLE_MAGIC)):
        raise Refused("文件内容是 Excel 工作簿，扩展名却是 .csv，请改正扩展名后再上传。")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Refused("文件是 UTF-16 编码的文本，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再上传。")


def _read_through(path: Path, text: bool, markers: tuple[bytes, ...]) -> tuple[str, bool, set[bytes]]:
    """One pass over the bytes: the sha256, whether they are UTF-8 throughout, which markers occur."""
    sha = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = text
    found: set[bytes] = set()
    tail = b""
    with path.open("rb") as f:
        while block := f.read(_BLOCK):
            sha.update(block)
            if text and b"\0" in block:
                raise Refused("文件不是文本格式的 CSV（含有二进制内容），请检查后重新上传。")
            if utf8:
                try:
                    # Incremental, so a character cut by the block boundary is joined with its rest.
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
            if markers:
                window = tail + block
                found.update(m for m in markers if m in window)
                tail = block[-64:]
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return sha.hexdigest(), utf8, found


def _encoding(path: Path, head: bytes, utf8: bool) -> str:
    if head.startswith(UTF8_BOM):
        if not utf8:
            raise Refused("文件开头标明是 UTF-8 编码，内容中却有无法识别的字符，请重新导出后再上传。")
        return "utf-8-sig"
    if utf8:
        return "utf-8"
    decoder = codecs.getincrementaldecoder("gb18030")()
    try:
        with path.open("rb") as f:
            while block := f.read(_BLOCK):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise Refused(
            "无法识别文件的文字编码（既不是 UTF-8 也不是 GB18030），请另存为“CSV UTF-8（逗号分隔）”后再上传。"
        ) from exc
    return "gb18030"


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

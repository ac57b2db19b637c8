"""An uploaded file's bytes, checked before any cell is read: refused with one Chinese sentence, or described.

``inspect`` looks at the bytes only (size, type, macros, zip bombs, encryption, text encoding) and gives the
:class:`Upload` that data/imports/files.py then reads. Kept apart from the reading because it needs no
spreadsheet or table library, and the other uploads (a follow-up's attachments in data/supervision_files.py,
the organisation and catalog workbooks) use its checks too.
"""

from __future__ import annotations

import codecs
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from data.imports.headers import Refused
from data.imports.sheetsize import check_sheets

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
_BLOCK = MB

PASSWORD = "受密码保护的工作簿无法读取，请取消密码后再上传。"
RESAVE = "请用 Excel 打开后另存为 .xlsx 再上传。"


@dataclass(frozen=True)
class Upload:
    path: Path
    name: str  # the original file name as the user sent it
    size: int
    sha256: str  # hex
    kind: str  # "xlsx" | "xls" | "csv"
    encoding: str | None  # for csv: "utf-8-sig" | "utf-8" | "gb18030"; None for Excel


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

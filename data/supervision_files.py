"""A follow-up's attachments: PDF, Word, Excel and images, checked by what their bytes are, not by their name.

A file is refused (``Refused``, one Chinese sentence) when it is empty or over the declared limit, when its name
is of a kind not taken, when its bytes are not what its name says (a program renamed .pdf), or when a Word or
Excel file is a zip bomb or holds macros: the zip checks are the import's (data/imports/intake.zip_entries).
Accepted files are kept under a folder of the instance by their sha256, so the same file sent twice is kept once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from data.imports.headers import Refused
from data.imports.intake import MB, OLE_MAGIC, zip_entries

__all__ = ["KINDS", "MAX_FILES", "Checked", "Refused", "check", "keep", "stored_path"]


@dataclass(frozen=True)
class Kind:
    label: str
    suffixes: tuple[str, ...]
    media_type: str


# What an attachment may be: kind -> its label, the names it may have and the type it is served as.
KINDS: dict[str, Kind] = {
    "pdf": Kind("PDF 文件", (".pdf",), "application/pdf"),
    "docx": Kind(
        "Word 文档", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xlsx": Kind(
        "Excel 工作簿", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "png": Kind("PNG 图片", (".png",), "image/png"),
    "jpeg": Kind("JPEG 图片", (".jpg", ".jpeg"), "image/jpeg"),
}
BY_SUFFIX = {suffix: kind for kind, k in KINDS.items() for suffix in k.suffixes}
ACCEPTED = "、".join(s for k in KINDS.values() for s in k.suffixes)
# The most files one reply carries (each within the configured size, DASHBOARD_MAX_ATTACHMENT_MB).
MAX_FILES = 5
MAX_NAME = 200
# What each kind's bytes begin with; Word and Excel files are zips (PK).
MAGIC = {"pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",), "jpeg": (b"\xff\xd8\xff",)}
# What a file that is not what its name says most often is, by its first bytes.
IMPOSTORS = {
    b"MZ": "可执行程序",
    b"\x7fELF": "可执行程序",
    b"PK": "压缩包或 Office 文档",
    OLE_MAGIC: "旧版 Office 文件",
    b"%PDF": "PDF 文件",
    b"<": "网页或文本文件",
}
# The part each zip-based kind must hold, and where its macros would be.
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
LEGACY = {".doc": ".docx", ".xls": ".xlsx", ".docm": ".docx", ".xlsm": ".xlsx"}


@dataclass(frozen=True)
class Checked:
    name: str  # as the person sent it, cleaned
    kind: str  # a KINDS key
    size: int
    sha256: str


def _clean_name(name: str) -> str:
    name = Path(name.replace("\\", "/")).name.strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-MAX_NAME:] or "附件"


def check(path: Path, name: str, max_bytes: int) -> Checked:
    """Refuse the file at ``path`` (sent as ``name``) on its bytes, or say what it is."""
    name = _clean_name(name)
    suffix = Path(name).suffix.lower()
    if suffix in LEGACY:
        raise Refused(f"不接收“{suffix}”文件：请另存为 {LEGACY[suffix]}（不含宏）后再上传。")
    kind = BY_SUFFIX.get(suffix)
    if kind is None:
        what = f"“{suffix}”文件" if suffix else "没有扩展名的文件"
        raise Refused(f"附件只接收 {ACCEPTED} 文件，不接收{what}（{name}）。")
    size = path.stat().st_size
    if size == 0:
        raise Refused(f"附件“{name}”是空的，请检查后重新上传。")
    if size > max_bytes:
        raise Refused(f"附件“{name}”超过 {max_bytes / MB:g} MB 的大小上限，请压缩或拆分后再上传。")
    with path.open("rb") as f:
        head = f.read(16)
    if kind in MAGIC:
        if not head.startswith(MAGIC[kind]):
            raise Refused(_mismatch(name, kind, head))
    else:
        _check_office(path, name, kind, head, size)
    return Checked(name, kind, size, _sha256(path))


def _mismatch(name: str, kind: str, head: bytes) -> str:
    actual = next((what for magic, what in IMPOSTORS.items() if head.startswith(magic)), None)
    really = f"实际是{actual}" if actual else "与扩展名不符"
    return f"附件“{name}”的内容不是{KINDS[kind].label}（{really}），不予接收。"


def _check_office(path: Path, name: str, kind: str, head: bytes, size: int) -> None:
    if head.startswith(OLE_MAGIC):
        raise Refused(
            f"附件“{name}”受密码保护或是旧版格式，请取消密码或另存为 {KINDS[kind].suffixes[0]} 后再上传。"
        )
    if not head.startswith(b"PK"):
        raise Refused(_mismatch(name, kind, head))
    infos = zip_entries(path, size, f"附件“{name}”已损坏，无法打开。", f"附件“{name}”")
    names = {i.filename.lower() for i in infos}
    if any(n.rsplit("/", 1)[-1] == "vbaproject.bin" for n in names):
        raise Refused(f"附件“{name}”含宏（VBA 代码），不予接收，请另存为不含宏的文件后再上传。")
    if MAIN_PART[kind] not in names:
        raise Refused(f"附件“{name}”的内容不是{KINDS[kind].label}（扩展名与内容不符），不予接收。")


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(MB):
            sha.update(block)
    return sha.hexdigest()


def stored_path(folder: Path, sha256: str) -> Path:
    return folder / sha256[:2] / sha256


def keep(folder: Path, path: Path, checked: Checked) -> Path:
    """Copy the checked file into ``folder`` (once per content) and return where it is."""
    target = stored_path(folder, checked.sha256)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.part")
    shutil.copyfile(path, partial)
    partial.replace(target)
    return target

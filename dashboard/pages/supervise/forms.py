"""What the follow-up pages, the API and the command line share: reading a unit and a date as people type them,
taking a request's attachments through the checks, and the choices the create form offers.

Every refusal is a SupervisionError or a Refused (one Chinese sentence); nothing is written here but the checked
files, which are kept by content (data/supervision_files.py) before the reply that names them is written.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import Connection
from werkzeug.datastructures import FileStorage

from dashboard.config import Config
from data import catalog
from data.org import units
from data.supervision import UNIT_KINDS, SupervisionError
from data.supervision_files import MAX_FILES, Checked, Refused, check, keep

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The longest code the form reads back into a message.
SHOWN = 40


def due_date(text: str | None) -> date:
    """A deadline typed as YYYY-MM-DD (the form's date input sends that too)."""
    text = (text or "").strip()
    if not text:
        raise SupervisionError("请填写截止日期")
    try:
        if not DATE.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise SupervisionError(
            f"截止日期应为 YYYY-MM-DD 格式的日期，例如 2026-12-31，当前为 {text[:SHOWN]!r}"
        ) from None


def unit_choice(department: str | None, township: str | None) -> tuple[str, str]:
    """(kind, code) from a department or a township code, exactly one of them."""
    department, township = (department or "").strip(), (township or "").strip()
    if department and township:
        raise SupervisionError("督办对象只能是一个单位：部门或乡镇（街道）二选一")
    if not department and not township:
        raise SupervisionError("请选择督办的部门或乡镇（街道）")
    return ("department", department) if department else ("township", township)


def unit_value(value: str | None) -> tuple[str, str]:
    """The create form's one select: "department:CODE" or "township:CODE"."""
    kind, _, code = (value or "").partition(":")
    if kind not in UNIT_KINDS or not code:
        raise SupervisionError("请选择督办的部门或乡镇（街道）")
    return kind, code


def choices(conn: Connection, today: date) -> dict:
    """The indicators by area and the units in use, as the create form lists them."""
    by_area: dict[str, list[catalog.Indicator]] = {}
    for ind in catalog.load().values():
        by_area.setdefault(catalog.AREAS.get(ind.area, ind.area), []).append(ind)
    active = [u for u in units(conn) if u.active_on(today)]
    return {
        "areas": by_area,
        "units": {label: [u for u in active if u.kind == kind] for kind, label in UNIT_KINDS.items()},
    }


def take_files(files: list[FileStorage], cfg: Config) -> list[Checked]:
    """Check each sent file and keep the accepted ones; the first refused one refuses them all."""
    sent = [f for f in files if f is not None and f.filename]
    if len(sent) > MAX_FILES:
        raise Refused(f"一次回复最多附 {MAX_FILES} 个文件，当前 {len(sent)} 个")
    folder = cfg.attachments_path
    spool_dir = folder / "incoming"
    spool_dir.mkdir(parents=True, exist_ok=True)
    checked: list[tuple[Path, Checked]] = []
    spools = []
    try:
        for f in sent:
            spool = tempfile.NamedTemporaryFile(dir=spool_dir, suffix=".part")  # noqa: SIM115 - closed below
            spools.append(spool)
            f.save(spool)
            spool.flush()
            checked.append(
                (Path(spool.name), check(Path(spool.name), f.filename or "", cfg.max_attachment_bytes))
            )
        for path, c in checked:
            keep(folder, path, c)
    finally:
        for spool in spools:
            spool.close()
    return [c for _, c in checked]

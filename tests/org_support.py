"""A district's organisation as a clerk makes it, for the tests that start from an empty store: the `dashboard`
command run in this process on a store it has just initialised, the organisation workbook filled as in Excel,
and the units those tests import.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from dashboard.cli.commands import run as run_command
from data.org_workbook import DEPARTMENT_SHEET, TOWNSHIP_SHEET


def in_process(empty_url: str, monkeypatch, capsys):
    """The `dashboard` command run in this process on a store it has just initialised."""
    monkeypatch.setenv("DATABASE_URL", empty_url)

    def invoke(*args: str) -> tuple[int, str, str]:
        code = run_command(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    assert invoke("init")[0] == 0
    invoke.url = empty_url
    return invoke


def fill(template: Path, out: Path, departments: list[list], townships: list[list]) -> Path:
    """The template filled as a clerk does in Excel (codes as text, 排序 as numbers)."""
    book = load_workbook(template)
    for sheet, rows in ((DEPARTMENT_SHEET, departments), (TOWNSHIP_SHEET, townships)):
        ws = book[sheet]
        ws.delete_rows(2, ws.max_row)
        for row in rows:
            ws.append(row)
    book.save(out)
    return out


DEPARTMENTS = [
    ["SFJ", "区司法局", "司法局", 1],
    ["XFJ", "区信访局", "信访局", 2],
    ["GAFJ", "区公安分局", "", 3],
]
TOWNSHIPS = [
    ["chengguan", "城关街道", "街道", 1],
    ["qingshan", "青山镇", "镇", 2],
    ["hexi", "河西乡", "乡", 3, date(2020, 1, 1)],  # 设立日期, as Excel keeps a date
]

"""A district's organisation as a clerk makes it, for the tests that start from an empty store: the `dashboard`
command run in this process on a store it has just initialised, the organisation workbook filled as in Excel,
the units those tests import, and a dispute register filled and published for them.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from dashboard.cli.commands import run as run_command
from data import org_workbook as template
from data.org_workbook import DEPARTMENT_SHEET, TOWNSHIP_SHEET
from layouts.paths import ORG_UPLOAD_PATH

# same-origin, as a browser's form post sends it (the CSRF check reads Origin)
OWN = {"Origin": "http://localhost"}


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


# --- a register a district fills: the disputes it mediated, by its own units ---------------------------------


def register_file(template: Path, out: Path, rows: list[tuple]) -> Path:
    """The dispute register's template filled in as a clerk does: (number, date, department, township, success)."""
    book = load_workbook(template)
    ws = book.worksheets[0]
    head = [c.value for c in ws[1]]
    for number, day, dept, town, success in rows:
        cells = {
            "登记编号": number,
            "受理日期": day,
            "承办单位": dept,
            "乡镇（街道）": town,
            "调处层级": "乡镇",
            "纠纷类型": "邻里纠纷",
            "调处成功": "是" if success else "否",
            "结案日期": day,
        }
        ws.append([cells.get(h) for h in head])
    book.save(out)
    return out


ROWS_2025 = [
    ("J25-1", date(2025, 1, 5), "区司法局", "城关街道", True),
    ("J25-2", date(2025, 2, 6), "区司法局", "城关街道", True),
    ("J25-3", date(2025, 2, 7), "区司法局", "青山镇", False),
    ("J25-4", date(2025, 1, 8), "区信访局", "青山镇", True),
    ("J25-5", date(2025, 2, 9), "区信访局", "青山镇", True),
]
ROWS_2026 = [
    ("J26-1", date(2026, 1, 5), "区司法局", "城关街道", True),
    ("J26-2", date(2026, 1, 6), "区司法局", "青山镇", True),
    ("J26-3", date(2026, 2, 7), "区司法局", "河西乡", True),
    ("J26-4", date(2026, 2, 8), "司法局", "城关街道", False),
    ("J26-5", date(2026, 1, 9), "区信访局", "青山镇", True),
    ("J26-6", date(2026, 2, 10), "", "河西乡", True),  # settled by the township's mediators: no department
]


def publish(district, template: Path, out: Path, rows: list[tuple], *scope: str) -> int:
    """Import (for the district, or ``scope``: --department CODE) and publish the file; returns the version."""
    register_file(template, out, rows)
    batch = int(district("import", out, *scope).strip().splitlines()[-1])
    return int(re.search(r"已发布为版本 (\d+)", district("batch", "publish", batch))[1])


# --- the organisation workbook uploaded on /admin/org ---------------------------------------------------------

# the units the admin page's tests upload (a workbook's rows: 代码, 名称, 简称 or 类别, 排序)
ORG_DEPARTMENTS = [["SFJ", "区司法局", "司法局", 1], ["XFJ", "区信访局", "信访局", 2]]
ORG_TOWNSHIPS = [
    ["chengguan", "城关街道", "街道", 1],
    ["qingshan", "青山镇", "镇", 2],
    ["hexi", "河西乡", "乡", 3],
]


def org_workbook(departments: list[list], townships: list[list]) -> bytes:
    """The organisation template (data/org_workbook.py) filled as a clerk does in Excel."""
    blank = io.BytesIO()
    template.write_template(blank)
    book = load_workbook(io.BytesIO(blank.getvalue()))
    for sheet, rows in zip(template.COLUMNS, (departments, townships), strict=True):
        ws = book[sheet]
        ws.delete_rows(2, ws.max_row)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def org_upload(client, body: bytes, name: str = "组织机构.xlsx"):
    """The workbook posted through /admin/org's upload form."""
    return client.post(ORG_UPLOAD_PATH, data={"file": (io.BytesIO(body), name)}, headers=OWN)


# --- the `dashboard` command on a district's own store ----------------------------------------------------------


def command_line(url: str, monkeypatch, capsys, stderr: bool = False):
    """`dashboard ARGS` run in this process on the store at ``url``: its output (and its errors, with ``stderr``),
    asserting its exit code (``ok``, 0 unless given)."""
    monkeypatch.setenv("DATABASE_URL", url)

    def invoke(*args: object, ok: int = 0) -> str:
        code = run_command([str(a) for a in args])
        out, err = capsys.readouterr()
        assert code == ok, (args, out, err)
        return out + err if stderr else out

    return invoke


def organised(invoke, folder: Path) -> None:
    """`init`, the organisation (DEPARTMENTS, TOWNSHIPS) imported from its workbook as a clerk fills it, and the
    dispute register's template written to ``folder``/dispute.xlsx: a district's first morning."""
    invoke("init")
    invoke("org", "template", "-o", folder / "org.xlsx")
    invoke("org", "import", fill(folder / "org.xlsx", folder / "o.xlsx", DEPARTMENTS, TOWNSHIPS))
    invoke("template", "dispute_case", "-o", folder / "dispute.xlsx")

"""Workbooks built to take the server down: a far cell that makes the Excel reader build a dense table of 17
billion cells (the process aborted, no exception), and a deflate bomb under the size limit. Each is refused with
a Chinese reason before any cell is read. The parse runs in a child process, so that a regression fails the test
(the child dies) instead of killing pytest."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from import_support import ROOT, cli_env, run_cli

from data.imports import intake
from data.imports.files import Refused
from data.imports.sheetsize import MAX_SHEET_CELLS
from data.registers import REGISTERS

# parses in a capped child process: outside the fast tier
pytestmark = pytest.mark.slow

MB = 1024 * 1024
HEAD = [f.label for f in REGISTERS["dispute_case"].fields]
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_BOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="调处登记" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _cell(ref: str, text: str) -> str:
    r = f' r="{ref}"' if ref else ""
    return f'<c{r} t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    letters = "ABCDEFGHIJ"
    return '<row r="1">' + "".join(_cell(f"{letters[i]}1", h) for i, h in enumerate(HEAD)) + "</row>"


def workbook(path: Path, rows: str, dimension: str = "A1:H2") -> Path:
    """A workbook as Excel lays it out, written by hand so that a sheet may reach any cell."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{_header_row()}{rows}'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _BOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


# What the child does: inspect and find the table as an import does, and say how it ended.
_CHILD = """
import json, sys
from pathlib import Path
from data.imports import files, intake
try:
    upload = intake.inspect(Path(sys.argv[1]), Path(sys.argv[1]).name)
    table = files.find_table(upload, "dispute_case")
    rows = sum(len(c) for c in files.read_chunks(upload, table))
    print(json.dumps({"rows": rows}))
except files.Refused as exc:
    print(json.dumps({"refused": str(exc)}))
"""


def in_child(path: Path) -> dict:
    # 2 GB of address space at most: a dense table of the whole sheet cannot be allocated, a real one can.
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
    proc = subprocess.run(
        [sys.executable, "-c", limit + _CHILD, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, f"the parse took the process down ({proc.returncode}): {proc.stderr[-2000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


FAR = '<row r="1048576">' + _cell("XFD1048576", "x") + "</row>"


def test_a_cell_at_xfd1048576_is_refused_before_the_reader_sees_it(tmp_path):
    path = workbook(tmp_path / "远.xlsx", FAR, dimension="A1:XFD1048576")
    assert path.stat().st_size < 2048
    assert in_child(path) == {
        "refused": "工作表“调处登记”的范围一直到 XFD1048576 单元格（1,048,576 行 × 16,384 列），"
        f"超过每张工作表 {MAX_SHEET_CELLS:,} 个单元格的上限：请删除数据以外多余的行和列"
        "（或把数据复制到新工作簿）后再上传。"
    }


def test_the_cells_count_not_the_declared_dimension(tmp_path):
    """A dimension claiming A1 does not hide a far cell; a dimension claiming the whole sheet over a small table
    is only a claim (the reader does not size by it) and the file is read."""
    hidden = workbook(tmp_path / "藏.xlsx", FAR, dimension="A1")
    assert "XFD1048576" in in_child(hidden)["refused"]
    row = (
        '<row r="2">'
        + "".join(_cell("", v) for v in ["C-1", "2024-03-04", "", "", "区", "婚姻家庭"])
        + "</row>"
    )
    claimed = workbook(tmp_path / "大.xlsx", row, dimension="A1:XFD1048576")
    assert in_child(claimed) == {"rows": 1}


def test_cells_without_positions_are_counted_where_the_format_puts_them(tmp_path):
    """``r`` is optional: a row's cells then follow one another and rows follow the last one."""
    far_row = '<row r="1048575"><c/></row><row>' + "<c/>" * 20 + _cell("", "x") + "</row>"
    path = workbook(tmp_path / "隐.xlsx", far_row)
    refused = in_child(path)["refused"]
    assert "一直到 U1048576 单元格（1,048,576 行 × 21 列）" in refused


def test_a_wide_sheet_under_the_limit_is_still_read(tmp_path):
    """3,000 rows to column Z (78,000 cells: a space typed far away) is a sheet with a stray cell, not an attack."""
    rows = '<row r="2">' + "".join(_cell("", v) for v in ["C-1", "2024-03-04", "", "", "区", "婚姻家庭"])
    rows += '</row><row r="3000">' + _cell("Z3000", " ") + "</row>"
    assert in_child(workbook(tmp_path / "宽.xlsx", rows)) == {"rows": 1}


def test_a_deflate_bomb_under_the_size_limit_is_refused(tmp_path):
    """1 MB on disk, 200 MB of sheet once inflated: under the old 500 MB bound it was read (0.9 GB)."""
    path = tmp_path / "炸.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("xl/workbook.xml", _BOOK)
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            for _ in range(25):
                f.write(b" " * (8 * MB))
    assert path.stat().st_size < 2 * MB
    with pytest.raises(Refused) as caught:
        intake.inspect(path, path.name)
    assert str(caught.value) == "工作簿解压后约 200 MB，远大于文件本身，疑似恶意构造的文件，不予接收。"


def test_an_unclosed_endless_tag_is_refused_not_buffered(tmp_path):
    path = tmp_path / "长.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("xl/workbook.xml", _BOOK)
        z.writestr(
            "xl/worksheets/sheet1.xml", '<worksheet><sheetData><row r="2"><c r="A2" t="' + "x" * 3 * MB
        )
    with pytest.raises(Refused, match="单个标记过长"):
        intake.inspect(path, path.name)


def test_dashboard_import_of_the_far_cell_refuses_the_batch_and_exits(empty_url, tmp_path):
    """The command line used to die with exit 134 and a Rust backtrace, leaving the batch 检查中."""
    env = cli_env(empty_url, tmp_path / "instance")
    assert run_cli("init", env=env).returncode == 0
    path = workbook(tmp_path / "远.xlsx", FAR)
    done = run_cli("import", str(path), "--register", "dispute_case", env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr
    assert "XFD1048576" in done.stdout + done.stderr

"""`dashboard catalog export` and `dashboard catalog import` (data/catalog_workbook.py) on a district's own store
(`init` without the demo, an organisation imported) and on the demo, on both engines: the round trip changes
nothing; an edited workbook changes what it says, audited as from the command line; a workbook with errors lists
every one (row, column, value, reason), exits 1 and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_one_line_error, run_cli
from openpyxl import load_workbook

from data import accounts, catalog, catalog_workbook
from data.engine import open_engine
from data.org_workbook import DEPARTMENT_SHEET

DEPARTMENTS = [["SFJ", "区司法局", "司法局", 1], ["XSP", "区行政审批局", "审批局", 2]]
CODE = "service_center_items"


@pytest.fixture(autouse=True)
def forget_edits():
    yield
    catalog.use_edits({})


@pytest.fixture
def district(empty_url, tmp_path):
    """An `init` store with two departments imported and a 2026 target set, and a function running the command."""

    def cli(*args: str):
        return run_cli(*args, env={"DATABASE_URL": empty_url})

    assert cli("init").returncode == 0
    assert cli("org", "template", "-o", str(tmp_path / "org.xlsx")).returncode == 0
    book = load_workbook(tmp_path / "org.xlsx")
    for row in DEPARTMENTS:
        book[DEPARTMENT_SHEET].append(row)
    book.save(tmp_path / "org.xlsx")
    assert cli("org", "import", str(tmp_path / "org.xlsx")).returncode == 0
    assert cli("target", "set", CODE, "--year", "2026", "--value", "100").returncode == 0
    cli.url = empty_url
    return cli


def catalog_events(url: str) -> list:
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            return [e for e in accounts.audit_events(conn) if e.event.startswith("catalog_")]
    finally:
        engine.dispose()


def test_the_export_holds_every_indicator_and_imports_back_unchanged(district, tmp_path):
    out = tmp_path / "指标.xlsx"
    done = district("catalog", "export", "-o", str(out))
    assert done.returncode == 0 and f"{len(catalog.read())} 个指标，目标年度 2026" in done.stdout
    book = load_workbook(out)
    assert book.sheetnames == [catalog_workbook.SHEET, "填写说明"]
    ws = book[catalog_workbook.SHEET]
    head = [c.value for c in ws[1]]
    assert head == ["代码", "领域", "名称", "显示名称", "可见性", "责任部门", "单位", "目标（2026）"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == set(catalog.read())
    assert rows[CODE] == (
        CODE,
        "政务服务",
        "进驻政务服务事项数",
        "进驻政务服务事项数",
        "公开",
        "XSP",
        "项",
        100,
    )
    done = district("catalog", "import", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"已修改 0 个指标，{len(catalog.read())} 个无变化" in done.stdout
    assert catalog_events(district.url) == []


def edited(source: Path, out: Path, cells: dict[str, object], extra: dict[int, str] | None = None) -> Path:
    """The exported workbook with ``cells`` (A1 names) changed and header cells added, as a clerk edits it."""
    book = load_workbook(source)
    ws = book[catalog_workbook.SHEET]
    for column, label in (extra or {}).items():
        ws.cell(row=1, column=column, value=label)
    for where, value in cells.items():
        ws[where] = value
    book.save(out)
    return out


def row_of(path: Path, code: str) -> int:
    ws = load_workbook(path)[catalog_workbook.SHEET]
    return next(r.row for r in ws["A"] if r.value == code)


def test_an_edited_workbook_changes_what_it_says(district, tmp_path):
    out = tmp_path / "指标.xlsx"
    district("catalog", "export", "-o", str(out))
    r = row_of(out, CODE)
    good = edited(
        out,
        tmp_path / "good.xlsx",
        {f"D{r}": "进驻事项", f"E{r}": "内部", f"F{r}": "区司法局", f"H{r}": 120, f"I{r}": 130},
        {9: "目标（2027）"},
    )
    dry = district("catalog", "import", str(good), "--dry-run")
    assert dry.returncode == 0 and "将修改 1 个指标" in dry.stdout and "未写入" in dry.stdout
    assert catalog_events(district.url) == []
    done = district("catalog", "import", str(good))
    assert done.returncode == 0, done.stdout + done.stderr
    line = next(x for x in done.stdout.splitlines() if CODE in x)
    assert "显示名称：进驻政务服务事项数 → 进驻事项" in line and "可见性：公开 → 内部" in line
    assert (
        "责任部门：XSP → SFJ" in line
        and "目标（2026）：100 → 120" in line
        and "目标（2027）：— → 130" in line
    )
    # the other commands name the indicator as the district does now
    listed = district("target", "list").stdout
    assert "进驻事项" in listed and "120" in listed and "130" in listed
    edits = catalog_events(district.url)
    assert [e.event for e in edits] == ["catalog_imported", "catalog_edited"]
    assert all(e.actor is None for e in edits)
    assert edits[1].detail["after"]["visibility"] == "internal"
    # imported again: nothing to change
    assert "已修改 0 个指标" in district("catalog", "import", str(good)).stdout


def test_a_workbook_with_errors_lists_every_one_and_changes_nothing(district, tmp_path):
    out = tmp_path / "指标.xlsx"
    district("catalog", "export", "-o", str(out))
    rate = next(c for c, i in catalog.read().items() if i.is_rate)
    r, q = row_of(out, CODE), row_of(out, rate)
    bad = edited(
        out,
        tmp_path / "bad.xlsx",
        {
            f"D{r}": "改了的名字",  # fine on its own: refused with the rest
            f"F{r + 1}": "NOPE",
            f"H{r + 2}": "很多",
            f"A{r + 3}": "nope",
            f"E{r + 4}": "秘密",
            f"H{q}": 120,
            f"I{r}": 5,
        },
        {9: "目标（1800）"},
    )
    done = district("catalog", "import", str(bad))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == "文件有 6 处错误，一项也没有修改："
    assert f"  “指标”表第{r + 1}行“责任部门”列：没有代码为 NOPE 的部门" in done.stdout
    assert f"  “指标”表第{r + 2}行“目标（2026）”列：目标值应为数字，如 95（填写的是“很多”）" in lines
    assert f"  “指标”表第{r + 3}行“代码”列：指标目录中没有这个代码（填写的是“nope”）" in lines
    assert f"第{r + 4}行“可见性”列：可见性应为 公开、内部、受限 之一（填写的是“秘密”）" in done.stdout
    assert f"第{q}行“目标（2026）”列：" in done.stdout and "目标值应在 0 到 100 之间" in done.stdout
    assert f"第{r}行“目标（1800）”列：年度 1800 超出范围" in done.stdout
    assert catalog_events(district.url) == []
    assert "进驻政务服务事项数" in district("target", "list").stdout


def test_a_workbook_may_hide_a_rates_part_only_with_the_rate(district, tmp_path):
    """A rate seen more widely than its part gives the part away (issue 19): the file is checked as a whole, so a
    row hiding the part is refused alone and accepted beside the row hiding the rate."""
    out = tmp_path / "指标.xlsx"
    district("catalog", "export", "-o", str(out))
    r, p = row_of(out, "hotline_satisfaction_rate"), row_of(out, "hotline_visited")
    alone = edited(out, tmp_path / "alone.xlsx", {f"E{p}": "内部"}, {})
    done = district("catalog", "import", str(alone))
    assert done.returncode == 1
    assert f"第{p}行“可见性”列：本项是公开的比率“12345热线满意率”的分母，不能比它看得更窄" in done.stdout
    assert catalog_events(district.url) == []
    together = edited(out, tmp_path / "together.xlsx", {f"E{p}": "内部", f"E{r}": "受限"}, {})
    done = district("catalog", "import", str(together))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已修改 2 个指标" in done.stdout


def test_bad_files_are_one_line(district, tmp_path):
    assert_one_line_error(district("catalog", "import", str(tmp_path / "none.xlsx")), "找不到文件")
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    done = district("catalog", "import", str(junk))
    assert (
        done.returncode == 2 and "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    )
    assert_one_line_error(district("catalog", "export", "-o", str(tmp_path / "no" / "x.xlsx")), "无法写入")


def test_the_demo_catalog_round_trips(demo_url, tmp_path):
    out = tmp_path / "指标.xlsx"
    env = {"DATABASE_URL": demo_url}
    done = run_cli("catalog", "export", "-o", str(out), env=env)
    assert done.returncode == 0 and "目标年度" in done.stdout
    head = [c.value for c in load_workbook(out)[catalog_workbook.SHEET][1]]
    assert head[7:] == [f"目标（{y}）" for y in range(2022, 2026)]
    done = run_cli("catalog", "import", str(out), "--dry-run", env=env)
    assert done.returncode == 0 and "将修改 0 个指标" in done.stdout

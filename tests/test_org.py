"""The district's organisation (data/org.py, `dashboard org`, `dashboard district`) from an empty store, on both
engines: the workbook a clerk fills, every error at once, renames, ends and merges, the audit log."""

from __future__ import annotations

import time
from datetime import date

import pytest
from openpyxl import load_workbook
from org_support import DEPARTMENTS, TOWNSHIPS, fill, in_process
from sqlalchemy import func, select

from data import accounts, catalog, catalog_changes, catalog_edits, org
from data.accounts.audit import audit_events
from data.engine import open_engine
from data.org_workbook import DEPARTMENT_SHEET, TOWNSHIP_SHEET
from data.schema import account, department


@pytest.fixture
def cli(empty_url, monkeypatch, capsys):
    """`dashboard ARGS` on a store made by `dashboard init` (no demo): (exit code, stdout, stderr)."""
    return in_process(empty_url, monkeypatch, capsys)


def units(url: str) -> dict[str, org.Unit]:
    engine = open_engine(url)
    with engine.connect() as conn:
        found = org.by_code(conn)
    engine.dispose()
    return found


def events(url: str, name: str) -> list:
    engine = open_engine(url)
    with engine.connect() as conn:
        found = [e for e in audit_events(conn) if e.event == name]
    engine.dispose()
    return found


def test_the_template_is_the_workbook_a_district_fills(cli, tmp_path):
    out = tmp_path / "组织机构.xlsx"
    code, text, _ = cli("org", "template", "-o", str(out))
    assert code == 0 and "0 个部门" in text
    book = load_workbook(out)
    assert book.sheetnames == [DEPARTMENT_SHEET, TOWNSHIP_SHEET, "填写说明"]
    assert [c.value for c in book[DEPARTMENT_SHEET][1]] == ["代码", "名称", "简称", "排序", "设立日期"]
    assert [c.value for c in book[TOWNSHIP_SHEET][1]] == ["代码", "名称", "类别", "排序", "设立日期"]
    kinds = book[TOWNSHIP_SHEET].data_validations.dataValidation
    assert any(v.formula1 == '"镇,乡,街道,园区"' for v in kinds)
    guide = " ".join(str(c.value) for row in book["填写说明"].iter_rows() for c in row if c.value)
    assert "不会被删除" in guide and "代码" in guide


def test_import_adds_units_and_the_template_then_holds_them(cli, tmp_path):
    cli("org", "template", "-o", str(tmp_path / "t.xlsx"))
    filled = fill(tmp_path / "t.xlsx", tmp_path / "组织机构.xlsx", DEPARTMENTS, TOWNSHIPS)
    code, text, _ = cli("org", "import", str(filled), "--dry-run")
    assert code == 0 and "将新增 6 个单位" in text and units(cli.url) == {}
    code, text, _ = cli("org", "import", str(filled))
    assert code == 0 and "已新增 6 个单位" in text
    stored = units(cli.url)
    assert stored["GAFJ"].short_name == "区公安分局"  # an empty 简称 is the name
    assert stored["hexi"].category == "乡" and stored["qingshan"].kind == "township"
    assert (stored["hexi"].valid_from, stored["qingshan"].valid_from) == (date(2020, 1, 1), None)
    assert [e.detail["added"] for e in events(cli.url, "org_imported")] == [
        [r[0] for r in DEPARTMENTS + TOWNSHIPS]
    ]
    cli("org", "template", "-o", str(tmp_path / "again.xlsx"))
    book = load_workbook(tmp_path / "again.xlsx")
    assert [r[0].value for r in book[DEPARTMENT_SHEET].iter_rows(min_row=2)] == ["SFJ", "XFJ", "GAFJ"]
    code, text, _ = cli("org", "list")
    assert code == 0 and "区信访局" in text and "在用 6 个" in text


def test_every_error_is_listed_at_once_and_nothing_changes(cli, tmp_path):
    cli("org", "template", "-o", str(tmp_path / "t.xlsx"))
    fill(tmp_path / "t.xlsx", tmp_path / "ok.xlsx", DEPARTMENTS[:1], TOWNSHIPS[:1])
    assert cli("org", "import", str(tmp_path / "ok.xlsx"))[0] == 0
    bad = fill(
        tmp_path / "t.xlsx",
        tmp_path / "bad.xlsx",
        [
            ["SFJ", "区司法局", "司法局", 1],
            ["SFJ", "区司法局二", "", 2],  # duplicate code
            ["RSJ", "", "", 3],  # empty name
            ["chengguan", "城关局", "", 4],  # a township's code reused for a department
            ["_x", "怪代码局", "", "五"],  # a reserved code, a sort that is not a number
        ],
        [
            ["qingshan", "青山镇", "村", 1, "去年"],  # unknown 类别, a date that is not one
            ["SFJ", "司法镇", "镇", 2],  # a department's code in the same file
        ],
    )
    code, text, _ = cli("org", "import", str(bad))
    assert code == 1
    lines = [line.strip() for line in text.splitlines()]
    assert lines[0] == "文件有 8 处错误，一个单位也没有导入："
    expected = [
        "“部门”表第3行“代码”列：代码与“部门”表第2行重复（填写的是“SFJ”）",
        "“部门”表第4行“名称”列：名称不能为空",
        "“部门”表第5行“代码”列：代码已是乡镇（街道）“城关街道”的代码",
        "“部门”表第6行“代码”列：代码只能由字母、数字",
        "“部门”表第6行“排序”列：排序应为 0 到 999999 的整数（填写的是“五”）",
        "“乡镇（街道）”表第2行“类别”列：类别只能是镇、乡、街道、园区之一（填写的是“村”）",
        "“乡镇（街道）”表第2行“设立日期”列：“去年”不是有效日期",
        "“乡镇（街道）”表第3行“代码”列：代码与“部门”表第2行重复（填写的是“SFJ”）",
    ]
    for line, want in zip(lines[1:], expected, strict=True):
        assert line.startswith(want), (line, want)
    assert set(units(cli.url)) == {"SFJ", "chengguan"}
    assert len(events(cli.url, "org_imported")) == 1


def test_a_file_that_is_not_the_workbook_is_refused_in_one_line(cli, tmp_path):
    (tmp_path / "x.csv").write_text("代码,名称\n", encoding="utf-8")
    code, _, err = cli("org", "import", str(tmp_path / "x.csv"))
    assert code == 2 and "只接收 .xlsx" in err
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "部门"
    book.active.append(["编号", "名称"])
    book.save(tmp_path / "wrong.xlsx")
    code, text, _ = cli("org", "import", str(tmp_path / "wrong.xlsx"))
    assert code == 1
    assert "缺少列：代码" in text and "缺少工作表“乡镇（街道）”" in text


def test_renames_by_code_and_units_missing_from_the_file_are_kept(cli, tmp_path):
    cli("org", "template", "-o", str(tmp_path / "t.xlsx"))
    fill(tmp_path / "t.xlsx", tmp_path / "a.xlsx", DEPARTMENTS, TOWNSHIPS)
    cli("org", "import", str(tmp_path / "a.xlsx"))
    renamed = [["SFJ", "区司法行政局", "司法行政局", 1], DEPARTMENTS[2]]
    towns = [["chengguan", "城关街道", "街道", 1], ["qingshan", "青山街道", "街道", 2], TOWNSHIPS[2]]
    fill(tmp_path / "t.xlsx", tmp_path / "b.xlsx", renamed, towns)
    code, text, _ = cli("org", "import", str(tmp_path / "b.xlsx"))
    assert code == 0, text
    assert "已修改 2 个" in text and "名称：区司法局 → 区司法行政局" in text and "类别：镇 → 街道" in text
    assert "不在文件中：区信访局（XFJ）" in text
    stored = units(cli.url)
    assert stored["SFJ"].name == "区司法行政局" and stored["qingshan"].category == "街道"
    assert stored["XFJ"].valid_to is None  # not deleted, not ended
    assert events(cli.url, "org_imported")[0].detail["not_in_file"] == ["XFJ"]


def test_end_and_merge_with_their_refusals(cli, tmp_path):
    cli("org", "template", "-o", str(tmp_path / "t.xlsx"))
    fill(tmp_path / "t.xlsx", tmp_path / "a.xlsx", DEPARTMENTS, TOWNSHIPS)
    cli("org", "import", str(tmp_path / "a.xlsx"))
    engine = open_engine(cli.url)
    with engine.begin() as conn:
        accounts.add_user(conn, "xf", "一个足够长的密码-1", "department", department="XFJ")
    for args, fragment in [
        (("org", "merge", "XFJ", "NOPE", "--on", "2026-03-01"), "没有代码为 NOPE"),
        (("org", "merge", "XFJ", "chengguan", "--on", "2026-03-01"), "只能在同类单位之间合并"),
        (("org", "merge", "XFJ", "XFJ", "--on", "2026-03-01"), "并入它自己"),
        (
            ("org", "merge", "qingshan", "hexi", "--on", "2019-12-31"),
            "早于河西乡（hexi）设立的日期（2020年1月1日）",
        ),
        (("org", "end", "hexi", "--on", "2019-06-01"), "早于河西乡"),
        (("org", "end", "SFJ", "--on", "2026-13-01"), "应为日期 YYYY-MM-DD"),
    ]:
        code, _, err = cli(*args)
        assert code == 2 and fragment in err, (args, err)
    assert all(u.valid_to is None for u in units(cli.url).values())
    assert cli("reporting", "duty", "set", "XFJ", "dispute_case", "hotline_request", "--day", "7")[0] == 0
    assert cli("reporting", "duty", "set", "SFJ", "hotline_request")[0] == 0
    code, text, _ = cli("org", "merge", "XFJ", "SFJ", "--on", "2026-03-01")
    assert code == 0 and "1 个账号已转到区司法局" in text
    # the new unit takes over the registers the old one sent (keeping its own where it had one)
    duties = [line.split() for line in cli("reporting", "duty", "list")[1].splitlines()[1:]]
    assert [(d[0], d[2], d[-2]) for d in duties if d[0] == "SFJ"] == [
        ("SFJ", "矛盾纠纷调处登记", "7"),
        ("SFJ", "12345热线诉求登记", "10"),
    ]
    code, _, err = cli("org", "merge", "XFJ", "GAFJ", "--on", "2026-04-01")
    assert code == 2 and "已于2026年3月1日并入其他单位" in err
    assert cli("org", "end", "hexi", "--on", "2026-06-30")[0] == 0
    code, _, err = cli("org", "merge", "qingshan", "hexi", "--on", "2026-07-01")
    assert code == 2 and "已于2026年6月30日结束" in err
    stored = units(cli.url)
    assert (stored["XFJ"].valid_to, stored["XFJ"].merged_into) == (date(2026, 3, 1), "SFJ")
    assert stored["hexi"].status == "2026年6月30日撤销"
    with engine.connect() as conn:
        assert conn.scalar(select(account.c.department_code).where(account.c.username == "xf")) == "SFJ"
    engine.dispose()
    merged = events(cli.url, "org_unit_merged")
    assert [
        (e.subject, e.detail["into"], e.detail["accounts_moved"], e.detail["duties_moved"]) for e in merged
    ] == [("XFJ", "SFJ", 1, ["dispute_case"])]
    assert [e.subject for e in events(cli.url, "org_unit_ended")] == ["hexi"]
    # Ended units are no longer offered: the organisation and register templates leave them out.
    cli("org", "template", "-o", str(tmp_path / "now.xlsx"))
    book = load_workbook(tmp_path / "now.xlsx")
    assert "XFJ" not in [r[0].value for r in book[DEPARTMENT_SHEET].iter_rows(min_row=2)]
    cli("template", "dispute_case", "-o", str(tmp_path / "纠纷.xlsx"))
    lists = load_workbook(tmp_path / "纠纷.xlsx")["列表"]
    offered = {c.value for row in lists.iter_rows(min_row=2) for c in row if c.value}
    assert "区司法局" in offered and "区信访局" not in offered and "河西乡" not in offered
    # ... and an import that re-sends the file leaves them ended.
    code, text, _ = cli("org", "import", str(tmp_path / "a.xlsx"))
    assert code == 0 and "区信访局（XFJ）已结束" in text
    assert units(cli.url)["XFJ"].merged_into == "SFJ"


def test_the_districts_name(cli):
    assert cli("district") == (0, "本区\n", "")
    code, text, _ = cli("district", "--name", " 新建区 ")
    assert code == 0 and cli("district")[1] == "新建区\n"
    code, _, err = cli("district", "--name", "区" * 41)
    assert code == 2 and "1 到 40 个字符" in err
    assert [e.detail["before"] for e in events(cli.url, "district_renamed")] == ["本区"]


@pytest.mark.slow  # builds a demo store (6 s)
def test_the_demo_is_named(cli):
    assert cli("init", "--demo", "--scale", "0.02")[0] == 0
    assert cli("district")[1] == "示例区\n"


def test_an_organisation_of_250_units_imports_in_under_5_seconds(cli, tmp_path):
    cli("org", "template", "-o", str(tmp_path / "t.xlsx"))
    depts = [[f"D{i:03d}", f"区第{i}局", f"第{i}局", i] for i in range(200)]
    towns = [[f"t{i:02d}", f"第{i}镇", "镇", i] for i in range(50)]
    filled = fill(tmp_path / "t.xlsx", tmp_path / "big.xlsx", depts, towns)
    started = time.perf_counter()
    code, text, _ = cli("org", "import", str(filled))
    took = time.perf_counter() - started
    assert code == 0 and "已新增 250 个单位" in text
    assert took < 5, took
    engine = open_engine(cli.url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(department)) == 200
    engine.dispose()


def test_a_merged_department_hands_over_the_indicators_it_answered_for(cli, tmp_path):
    """机构改革: 区公安分局 (responsible, in the catalog, for the five police figures) merged into 区司法局: from then
    on 区司法局 answers for them, as catalog edits that are audited and can be taken back one by one."""
    cli("org", "template", "-o", str(tmp_path / "t.xlsx"))
    fill(tmp_path / "t.xlsx", tmp_path / "a.xlsx", DEPARTMENTS, TOWNSHIPS)
    cli("org", "import", str(tmp_path / "a.xlsx"))
    police = [code for code, ind in catalog.read().items() if ind.responsible == "区公安分局"]
    assert len(police) == 5
    code, text, err = cli("org", "merge", "GAFJ", "SFJ", "--on", "2026-03-01")
    assert code == 0, err
    assert "负责的 5 个指标改由区司法局负责" in text
    engine = open_engine(cli.url)
    with engine.begin() as conn:
        assert {c: catalog_edits.state(conn, c)["department"] for c in police} == dict.fromkeys(police, "SFJ")
        catalog_edits.refresh(conn)
        assert {catalog.load()[c].responsible for c in police} == {"区司法局"}
        edited = [e.subject for e in audit_events(conn) if e.event == "catalog_edited"]
        assert sorted(edited) == sorted(police)
        catalog_changes.undo(conn, police[0])
        assert catalog_edits.state(conn, police[0])["department"] == "GAFJ"
    engine.dispose()
    catalog.use_edits({})
    # a merge of townships moves no indicator: only departments answer for them
    code, text, _ = cli("org", "merge", "qingshan", "chengguan", "--on", "2026-03-01")
    assert code == 0 and "指标" not in text

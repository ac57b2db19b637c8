"""The annual report's figures written from the store as a Word document (issue 10): opened with python-docx,
it carries every one of the report's 50 figures for 2024 on the demo store under the report's headings, only
what the reader may see, and the sentence file is checked whole."""

from __future__ import annotations

import io
import os
from subprocess import CompletedProcess

import docx
import pytest
from conftest import run_cli

from dashboard.content.report import ReportRefused, report_docx_bytes
from data import catalog, report, writeup
from data.access import ANONYMOUS, OPERATOR
from data.queries.filters import Filters
from layouts.format import number


def _text(content: bytes) -> tuple[list[str], list[list[str]]]:
    document = docx.Document(io.BytesIO(content))
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    return [p.text for p in document.paragraphs], rows


def test_every_figure_of_the_report_is_written_for_2024_under_the_reports_headings(demo_engine):
    with demo_engine.connect() as conn:
        paragraphs, rows = _text(report_docx_bytes(conn, Filters(2024, scope=OPERATOR)))
    body = "".join(paragraphs)
    assert paragraphs[0] == "示例区2024年法治政府建设工作报告（数据部分）"
    assert (
        "一、2024年法治政府建设主要工作及成效" in paragraphs and "9.加强矛盾纠纷多元化解" in paragraphs
    )  # numbered without gaps
    figures = report.load()
    assert len(figures) == 50
    by_name = {row[1]: row for row in rows[1:]}
    for fig in figures.values():
        row = by_name[catalog.load()[fig.code].name]
        stored = float(row[2]) * (10_000 if row[3].startswith("万") else 1)
        # the demo's one figure no whole numbers give (99.73 % of 2712) is within the check's tolerance
        tolerance = report.RATE_TOLERANCE if fig.unit == "%" else 0
        assert stored == pytest.approx(fig.value, abs=tolerance + 1e-9), fig.code
        value, unit = number(stored, fig.unit)
        # a zero is said as the report says it: 零投诉 (data/writeup.csv's zero column)
        zero = next(s.zero for s in writeup.load() if s.code == fig.code).removeprefix("实现")
        assert (zero if stored == 0 and zero else f"{value}{unit}") in body, fig.code
    assert "全年共接报刑事警情937起，同比下降18.7%；破获刑事案件634起，同比下降17.6%" in body
    assert "共调处各类纠纷2712件，同比上升4.2%" in body
    assert len(rows) == 1 + len(catalog.load())


def test_a_visitor_gets_public_figures_only_and_a_missing_year_is_said(demo_engine, internal):
    hidden = [i for i in catalog.load().values() if i.visibility != "public"]
    assert hidden
    with demo_engine.connect() as conn:
        paragraphs, rows = _text(report_docx_bytes(conn, Filters(2024, scope=ANONYMOUS)))
        with pytest.raises(ReportRefused, match="库中没有 1999 年的数据"):
            report_docx_bytes(conn, Filters(1999, scope=OPERATOR))
    names = {row[1] for row in rows[1:]}
    assert names and not names & {i.name for i in hidden}
    assert all(i.visibility == "public" for i in catalog.load().values() if i.name in names)


def test_a_township_gets_its_own_figures_and_its_name(demo_engine):
    with demo_engine.connect() as conn:
        paragraphs, _ = _text(report_docx_bytes(conn, Filters(2024, townships=("qingshan",), scope=OPERATOR)))
        district, _ = _text(report_docx_bytes(conn, Filters(2024, scope=OPERATOR)))
    assert paragraphs[1].startswith("范围：青山镇") and district[1].startswith("范围：全区")
    assert "2712件" not in "".join(paragraphs)


def test_the_sentence_file_is_checked_whole_with_every_problem_and_its_line(tmp_path):
    good = writeup.WRITEUP_CSV.read_text(encoding="utf-8").splitlines()
    bad = [
        good[0],
        "一、{year}年,（一）,1.,nonexistent_code,句子{value}。",
        "一、{year}年,（一）,1.,disputes_mediated,没有数字。",
        "一、{year}年,（一）,1.,mediation_success_rate,成功率{value}{rate}。",
        "一、{year}年,（一）,1.,criminal_alerts,警情{value。",
        "一、{year}年,（一）{when},1.,criminal_cases_solved,破案{value}。",
        "一、{year}年,（一）,1.,administrative_cases,案件{value}，{change}。",
        "一、{year}年,（一）,1.,administrative_cases,重复{value}。",
    ]
    path = tmp_path / "writeup.csv"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(writeup.WriteupError) as err:
        writeup.read(path)
    message = str(err.value)
    assert message.startswith("句子文件 writeup.csv 有 6 处问题")
    for line, words in [
        (2, "不在指标目录中"),
        (3, "没有 {value}"),
        (4, "{rate}"),
        (5, "花括号不成对"),
        (6, "只能用 {year}"),
        (8, "已有一句"),
    ]:
        assert f"第{line}行：" in message and words in message, (line, message)
    assert "第7行" not in message
    assert len(writeup.read()) == 50 and {s.code for s in writeup.read()} == set(report.load())


@pytest.mark.parametrize("engine_kind", ["sqlite"])
def test_dashboard_export_docx_writes_the_file_and_refuses_plainly(demo_urls, tmp_path, engine_kind):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DATABASE_URL": demo_urls[engine_kind], "DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance")}

    def run(*args: str) -> CompletedProcess:
        return run_cli("export", "docx", *args, env=env)

    out = tmp_path / "报告.docx"
    done = run("--year", "2024", "-o", str(out))
    assert done.returncode == 0 and "已写出 2024 年报告的数字部分" in done.stdout, done.stderr
    assert "2712件" in "".join(_text(out.read_bytes())[0])
    for args, words in [
        (("--year", "1999", "-o", str(out)), "库中没有 1999 年的数据"),
        (("--township", "nowhere", "-o", str(out)), "乡镇代码 “nowhere” 不存在"),
        (("-o", str(tmp_path / "x.pdf")), "输出文件应以 .docx 结尾"),
        (("-o", str(tmp_path / "missing" / "x.docx")), "无法写入"),
    ]:
        refused = run(*args)
        assert refused.returncode == 2 and words in refused.stderr and "Traceback" not in refused.stderr, args

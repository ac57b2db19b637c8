"""The `dashboard export` commands: documents made from the store for meetings (issue 10).

`export docx --year 2024 -o FILE` writes the annual report's figures as a Word document (callbacks/report.py):
the report's headings, the sentences of data/writeup.csv with the year's figures and 同比, and a table of every
indicator. The command line sees every figure; `--township`/`--department` narrow it to one place.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from callbacks.report import ReportRefused, report_docx_bytes
from dashboard.cli_support import CliError, integer, open_store, place_names, say
from dashboard.config import Config
from data.access import OPERATOR
from data.queries.dimensions import dimensions
from data.queries.filters import Filters
from data.store import get_meta
from data.writeup import WriteupError


def add_parsers(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser("export", help="为会议导出文档：年度报告的数字部分（Word）")
    kinds = command.add_subparsers(dest="kind", required=True, metavar="{docx}")
    docx = kinds.add_parser(
        "docx", help="按年度报告的标题和句子（data/writeup.csv）写出该年的数字与同比，并附全部指标一览表"
    )
    docx.add_argument("--year", type=integer, metavar="YYYY", help="年度；默认与工作台相同")
    place = docx.add_mutually_exclusive_group()
    place.add_argument("--township", metavar="CODE", help="只写这个乡镇（街道）的数字")
    place.add_argument("--department", metavar="CODE", help="只写这个部门的数字")
    docx.add_argument("-o", "--output", required=True, metavar="FILE.docx", help="写到这个文件")


def cmd_export(args: argparse.Namespace, cfg: Config) -> int:
    output = Path(args.output)
    if output.suffix.lower() != ".docx":
        raise CliError(f"输出文件应以 .docx 结尾，当前为 {output.name}")
    engine = open_store(cfg)
    with engine.connect() as conn:
        places = place_names(conn)
        for kind, code in (("township", args.township), ("department", args.department)):
            if code is not None and (kind, code) not in places:
                raise CliError(f"{'乡镇' if kind == 'township' else '部门'}代码 “{code[:40]}” 不存在")
        year = args.year or cfg.year_to_open(dimensions(conn).years, get_meta(conn, "default_year"))
        if year is None:
            raise CliError("库中还没有任何年度的数据")
        filters = Filters(
            year,
            townships=(args.township,) if args.township else (),
            departments=(args.department,) if args.department else (),
            scope=OPERATOR,
        )
        try:
            content = report_docx_bytes(conn, filters)
        except (ReportRefused, WriteupError) as exc:
            raise CliError(str(exc)) from None
    try:
        output.write_bytes(content)
    except OSError as exc:
        raise CliError(f"无法写入 {output}：{exc.strerror or exc}") from None
    say(f"已写出 {year} 年报告的数字部分：{output}（{len(content) / 1024:.0f} KB）")
    return 0


COMMANDS = {"export": cmd_export}

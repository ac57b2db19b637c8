"""The `dashboard export` commands: documents made from the store for meetings (issue 10).

`export docx --year 2024 -o FILE` writes the annual report's figures as a Word document (callbacks/report.py):
the report's headings, the sentences of data/writeup.csv with the year's figures and 同比, and a table of every
indicator. `export pptx --deck annual --year 2024 -o FILE` writes a deck (layouts/decks.py) as PowerPoint with
native charts and the talking points in the notes. The command line sees every figure; `--township` or
`--department` narrow either to one place.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import Connection

from callbacks.deck import deck_content
from callbacks.report import ReportRefused, report_docx_bytes
from dashboard.cli_support import CliError, integer, open_store, place_names, say
from dashboard.config import Config
from data.access import OPERATOR
from data.queries.dimensions import dimensions
from data.queries.filters import Filters
from data.store import get_meta
from data.writeup import WriteupError
from layouts import deck_pptx
from layouts.decks import DECKS


def _common(parser: argparse.ArgumentParser, suffix: str) -> None:
    parser.add_argument("--year", type=integer, metavar="YYYY", help="年度；默认与工作台相同")
    place = parser.add_mutually_exclusive_group()
    place.add_argument("--township", metavar="CODE", help="只含这个乡镇（街道）的数字")
    place.add_argument("--department", metavar="CODE", help="只含这个部门的数字")
    parser.add_argument("-o", "--output", required=True, metavar=f"FILE{suffix}", help="写到这个文件")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser("export", help="为会议导出文档：汇报用的 PowerPoint、年度报告的数字部分（Word）")
    kinds = command.add_subparsers(dest="kind", required=True, metavar="{pptx,docx}")
    pptx = kinds.add_parser("pptx", help="把一套汇报幻灯片写成 PowerPoint（16:9，原生图表，讲稿在备注里）")
    pptx.add_argument("--deck", default="annual", choices=sorted(DECKS), help="哪一套幻灯片（默认 annual）")
    _common(pptx, ".pptx")
    docx = kinds.add_parser(
        "docx", help="按年度报告的标题和句子（data/writeup.csv）写出该年的数字与同比，并附全部指标一览表"
    )
    _common(docx, ".docx")


def _filters(conn: Connection, args: argparse.Namespace, cfg: Config) -> Filters:
    places = place_names(conn)
    for kind, code in (("township", args.township), ("department", args.department)):
        if code is not None and (kind, code) not in places:
            raise CliError(f"{'乡镇' if kind == 'township' else '部门'}代码 “{code[:40]}” 不存在")
    year = args.year or cfg.year_to_open(dimensions(conn).years, get_meta(conn, "default_year"))
    if year is None:
        raise CliError("库中还没有任何年度的数据")
    return Filters(
        year,
        townships=(args.township,) if args.township else (),
        departments=(args.department,) if args.department else (),
        scope=OPERATOR,
    )


def cmd_export(args: argparse.Namespace, cfg: Config) -> int:
    output = Path(args.output)
    suffix = f".{args.kind}"
    if output.suffix.lower() != suffix:
        raise CliError(f"输出文件应以 {suffix} 结尾，当前为 {output.name}")
    engine = open_store(cfg)
    with engine.connect() as conn:
        filters = _filters(conn, args, cfg)
        try:
            if args.kind == "pptx":
                content = deck_pptx.build(deck_content(conn, DECKS[args.deck], filters))
            else:
                content = report_docx_bytes(conn, filters)
        except (ReportRefused, WriteupError) as exc:
            raise CliError(str(exc)) from None
    try:
        output.write_bytes(content)
    except OSError as exc:
        raise CliError(f"无法写入 {output}：{exc.strerror or exc}") from None
    what = "汇报幻灯片" if args.kind == "pptx" else "报告的数字部分"
    say(f"已写出 {filters.year} 年{what}：{output}（{len(content) / 1024:.0f} KB）")
    return 0


COMMANDS = {"export": cmd_export}

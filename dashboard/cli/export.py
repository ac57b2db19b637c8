"""The `dashboard export` commands: documents made from the store for meetings (issue 10).

`export docx --year 2024 -o FILE` writes the annual report's figures as a Word document (dashboard/content/report.py):
the report's headings, the sentences of data/writeup.csv with the year's figures and 同比, and a table of every
indicator. `export pptx --deck annual --year 2024 -o FILE` writes a deck (layouts/decks.py) as PowerPoint with
native charts and the talking points in the notes; `export pdf` prints it (a page per slide) and `export png
--slide N` one of its charts, through Chromium (dashboard/pages/present/pages.py). A deck's exports take `--snapshot ID`
in place of `--deck/--year`. The command line sees every figure; `--township` or `--department` narrow any
of them to one place.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import Connection

from dashboard.cli.support import (
    CliError,
    integer,
    local_time,
    open_store,
    place_names,
    positive_integer,
    print_table,
    say,
)
from dashboard.config import Config
from dashboard.content.deck import deck_content, frozen_content
from dashboard.content.names import chart_name, clean, file_title
from dashboard.content.report import ReportRefused, frozen_report_docx, report_docx_bytes, report_title
from dashboard.exports import pptx as deck_pptx
from dashboard.exports.render import RenderError
from dashboard.pages.present.pages import ChartRefused, chart_png, deck_pdf
from data import snapshots
from data.access import OPERATOR
from data.queries.dimensions import dimensions
from data.queries.filters import Filters
from data.snapshots import SnapshotError
from data.store import begin_write, get_meta
from data.writeup import WriteupError
from layouts.decks import CHARTS, DECKS
from layouts.format import snapshot_foot, snapshot_report_line


def _places(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=integer, metavar="YYYY", help="年度；默认与工作台相同")
    place = parser.add_mutually_exclusive_group()
    place.add_argument("--township", metavar="CODE", help="只含这个乡镇（街道）的数字")
    place.add_argument("--department", metavar="CODE", help="只含这个部门的数字")


def _common(parser: argparse.ArgumentParser, suffix: str) -> None:
    _places(parser)
    parser.add_argument(
        "-o",
        "--output",
        metavar=f"FILE{suffix}",
        help="写到这个文件；默认在当前目录，文件名与网页下载的相同（如“示例区2024年法治政府建设工作汇报.pptx”）",
    )


def add_parsers(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser(
        "export", help="为会议导出文档：汇报的 PowerPoint、PDF、单张图表（PNG），年度报告的数字部分（Word）"
    )
    kinds = command.add_subparsers(dest="kind", required=True)
    helps = {
        "pptx": "把一套汇报幻灯片写成 PowerPoint（16:9，原生图表，讲稿在备注里）",
        "pdf": "把一套汇报幻灯片印成 PDF（每页一张幻灯片，文字可选可搜；需要服务器上的 Chromium）",
        "png": "把汇报中的一张图表存为 PNG（需要服务器上的 Chromium）",
    }
    for kind, text in helps.items():
        parser = kinds.add_parser(kind, help=text)
        parser.add_argument(
            "--deck", default="annual", choices=sorted(DECKS), help="哪一套幻灯片（默认 annual）"
        )
        parser.add_argument(
            "--snapshot",
            type=positive_integer,
            metavar="ID",
            help="用这个快照冻结的数据（代替 --deck/--year）",
        )
        if kind == "png":
            parser.add_argument("--slide", type=positive_integer, required=True, metavar="N", help="第几页")
            parser.add_argument(
                "--chart",
                default="chart",
                choices=list(CHARTS),
                help="该页的哪张图：" + "，".join(f"{k} 为{v}" for k, v in CHARTS.items()) + "（默认 chart）",
            )
        _common(parser, f".{kind}")
    snap = sub.add_parser("snapshot", help="汇报的快照（冻结的数据）：创建、列出、重命名、删除")
    actions = snap.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="冻结一套幻灯片当前的全部数字、图表和讲稿；最后一行是快照编号")
    create.add_argument("--deck", default="annual", choices=sorted(DECKS), help="哪一套幻灯片（默认 annual）")
    create.add_argument("--name", help="快照名称；默认为汇报标题和范围")
    _places(create)
    actions.add_parser("list", help="列出快照")
    rename = actions.add_parser("rename", help="重命名快照")
    rename.add_argument("id", type=positive_integer, metavar="ID")
    rename.add_argument("name", metavar="NAME")
    remove = actions.add_parser("delete", help="删除快照")
    remove.add_argument("id", type=positive_integer, metavar="ID")
    docx = kinds.add_parser(
        "docx", help="按年度报告的标题和句子（data/writeup.csv）写出该年的数字与同比，并附全部指标一览表"
    )
    docx.add_argument(
        "--snapshot", type=positive_integer, metavar="ID", help="用这个快照冻结的数据（代替 --year）"
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


def _default_name(args: argparse.Namespace, content: object) -> str:
    """What the pages name the same download (dashboard/content/names.py)."""
    if args.kind == "docx":
        return f"{content}.docx"
    title = getattr(args, "snapshot_name", None)
    if args.kind == "png":
        return chart_name(content, args.slide, args.chart, title)
    return f"{title or file_title(content)}.{args.kind}"


def cmd_export(args: argparse.Namespace, cfg: Config) -> int:
    output = Path(args.output) if args.output else None
    suffix = f".{args.kind}"
    if output is not None and output.suffix.lower() != suffix:
        raise CliError(f"输出文件应以 {suffix} 结尾，当前为 {output.name}")
    engine = open_store(cfg)
    with engine.connect() as conn:
        filters = _filters(conn, args, cfg)
        try:
            if args.kind == "docx" and args.snapshot:
                snapshot = snapshots.get(conn, args.snapshot)
                if snapshot.report is None:
                    raise CliError(snapshots.NO_REPORT)
                content = frozen_report_docx(snapshot.report, snapshot_report_line(snapshot))
                filters = Filters(snapshot.year, scope=OPERATOR)
                named = f"{snapshot.name}（报告数字部分）"
            elif args.kind == "docx":
                content = report_docx_bytes(conn, filters)
                named = report_title(conn, filters.year)
            elif args.snapshot:
                snapshot = snapshots.get(conn, args.snapshot)
                deck, frozen = snapshot.content, snapshot_foot(snapshot)
                args.snapshot_name = snapshot.name
                filters = Filters(snapshot.year, scope=OPERATOR)
            else:
                deck, frozen = deck_content(conn, DECKS[args.deck], filters), None
        except (ReportRefused, WriteupError, SnapshotError) as exc:
            raise CliError(str(exc)) from None
    try:
        if args.kind == "pptx":
            content = deck_pptx.build(deck, frozen)
        elif args.kind == "pdf":
            content = deck_pdf(deck, frozen, cfg.browser)
        elif args.kind == "png":
            content = chart_png(deck, args.slide, args.chart, frozen, cfg.browser)
    except (ChartRefused, RenderError) as exc:
        raise CliError(str(exc)) from None
    if output is None:
        output = Path(clean(_default_name(args, named if args.kind == "docx" else deck)))
    try:
        output.write_bytes(content)
    except OSError as exc:
        raise CliError(f"无法写入 {output}：{exc.strerror or exc}") from None
    say(f"已写出 {filters.year} 年{WHAT[args.kind]}：{output}（{len(content) / 1024:.0f} KB）")
    return 0


WHAT = {"docx": "报告的数字部分", "pptx": "汇报幻灯片", "pdf": "汇报幻灯片（PDF）", "png": "汇报图表"}


def cmd_snapshot(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    try:
        if args.action == "create":
            with engine.connect() as conn:
                filters = _filters(conn, args, cfg)
            with begin_write(engine) as conn:
                try:
                    made = snapshots.create(conn, frozen_content(conn, DECKS[args.deck], filters), args.name)
                except ReportRefused as exc:
                    raise CliError(str(exc)) from None
            say(f"已冻结 “{made.name}”：{len(made.content['slides'])} 页，数据版本 {made.data_version}")
            say(str(made.id))
        elif args.action == "list":
            with engine.connect() as conn:
                kept = snapshots.list_all(conn)
            rows = [
                (str(s.id), s.name, s.deck, str(s.year), str(s.data_version), local_time(s.created_at))
                for s in kept
            ]
            if rows:
                print_table(("编号", "名称", "幻灯片", "年度", "数据版本", "冻结于"), rows)
            else:
                say("还没有快照：dashboard snapshot create --deck annual --year 2024")
        elif args.action == "rename":
            with begin_write(engine) as conn:
                renamed = snapshots.rename(conn, args.id, args.name)
            say(f"已将快照 {renamed.id} 重命名为 “{renamed.name}”")
        else:
            with begin_write(engine) as conn:
                gone = snapshots.remove(conn, args.id)
            say(f"已删除快照 {gone.id}（{gone.name}）")
    except SnapshotError as exc:
        raise CliError(str(exc)) from None
    return 0


COMMANDS = {"export": cmd_export, "snapshot": cmd_snapshot}

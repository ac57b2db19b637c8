"""The `dashboard deck text` command: a deck's text slides (工作亮点, 存在的问题, 下一步工作安排 or a free one), one
bullet a line, kept per deck, year and place (data/deck_text.py), as the presenter's list page edits them.

    dashboard deck text --deck annual --year 2024 --slide 存在的问题 --file 问题.txt [--department CODE]
    dashboard deck text --deck annual --year 2024 --slide 存在的问题 --clear
    dashboard deck text --list

A file is read as UTF-8 (with or without a BOM), else as GB18030 (what Windows' Notepad saves Chinese in). A
refused text (too many lines, a line too long, an unknown place) is one Chinese line, exit 2, nothing changed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard.cli.support import CliError, integer, local_time, open_store, print_table, say
from dashboard.config import Config
from data import deck_text
from data.store import begin_write
from layouts.decks import DECKS, TEXT_SLIDES

# A text file of bullet lines is small; a bigger one is the wrong file.
MAX_FILE = 256 * 1024


def add_parsers(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser("deck", help="汇报的文字页（工作亮点、存在的问题、下一步工作安排等）")
    actions = command.add_subparsers(dest="action", required=True, metavar="{text}")
    text = actions.add_parser(
        "text", help="写入、清空或列出一套汇报某年度的文字页（一行一条；空的文字页不放映、不导出）"
    )
    text.add_argument("--deck", default="annual", choices=sorted(DECKS), help="哪一套幻灯片（默认 annual）")
    text.add_argument("--year", type=integer, metavar="YYYY", help="年度，如 2024")
    text.add_argument(
        "--slide", metavar="标题", help=f"文字页的标题：{'、'.join(TEXT_SLIDES)}，或任意新标题（自由文字页）"
    )
    place = text.add_mutually_exclusive_group()
    place.add_argument("--department", metavar="CODE", help="这个部门的汇报（默认：全区）")
    place.add_argument("--township", metavar="CODE", help="这个乡镇（街道）的汇报（默认：全区）")
    what = text.add_mutually_exclusive_group(required=True)
    what.add_argument("--file", metavar="FILE.txt", help="从这个文本文件读入，一行一条（- 为标准输入）")
    what.add_argument("--clear", action="store_true", help="清空这一页（之后不再放映、导出）")
    what.add_argument(
        "--rename",
        metavar="新标题",
        help="把这一自由文字页改名为新标题（文字和位置不变；自带的文字页不能改名）",
    )
    what.add_argument("--list", action="store_true", help="列出库中全部文字页")


def _read(name: str) -> str:
    if name == "-":
        import sys

        return sys.stdin.read()
    path = Path(name)
    try:
        if path.stat().st_size > MAX_FILE:
            raise CliError(f"文件 {name} 太大（超过 {MAX_FILE // 1024} KB），文字页只需几行文字")
        data = path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"找不到文件 {name}") from None
    except IsADirectoryError:
        raise CliError(f"{name} 是目录，请给出一个文本文件") from None
    except OSError as exc:
        raise CliError(f"无法读取 {name}：{exc.strerror or exc}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CliError(f"无法识别 {name} 的编码：请存为 UTF-8 文本")


def _list(engine) -> int:
    with engine.connect() as conn:
        kept = deck_text.list_all(conn)
    if not kept:
        say("还没有文字页：dashboard deck text --deck annual --year 2024 --slide 存在的问题 --file 问题.txt")
        return 0
    rows = [
        (
            t.deck,
            str(t.year),
            t.unit or "全区",
            t.slide,
            str(len(t.lines)),
            t.lines[0][:24] + ("…" if len(t.lines[0]) > 24 else ""),
            t.updated_by or "命令行",
            local_time(t.updated_at),
        )
        for t in kept
    ]
    print_table(("幻灯片", "年度", "范围", "文字页", "行数", "第一行", "修改人", "修改于"), rows)
    return 0


def cmd_deck(args: argparse.Namespace, cfg: Config) -> int:
    if not args.list and (args.year is None or not args.slide):
        raise CliError("写入或清空文字页需要 --year 和 --slide（dashboard deck text -h 查看用法）")
    text = _read(args.file) if args.file else ""
    engine = open_store(cfg)
    try:
        if args.list:
            return _list(engine)
        unit = args.department or args.township
        where = f"{args.year}年“{args.slide}”（{unit or '全区'}）"
        with begin_write(engine) as conn:
            if args.rename is not None:
                declared = {s.title for s in DECKS[args.deck].slides if s.kind == "text"}
                title = deck_text.rename(
                    conn, args.deck, args.year, args.slide, args.rename, unit, declared=declared
                )
                say(f"已把{where}改名为“{title}”")
                return 0
            if args.clear:
                gone = deck_text.clear(conn, args.deck, args.year, args.slide, unit)
                say(f"已清空{where}" if gone else f"{where}本来就是空的")
                return 0
            kept = deck_text.set_text(conn, args.deck, args.year, args.slide, text, unit)
        if kept is None:
            say(f"文件里没有文字：已清空{where}")
        else:
            say(f"已保存{where}：{len(kept.lines)} 行")
        return 0
    except deck_text.DeckTextError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()


COMMANDS = {"deck": cmd_deck}

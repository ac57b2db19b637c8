"""The arguments of `dashboard template`, `import`, `batch`, `version` and `figure`."""

from __future__ import annotations

import argparse
import calendar
import re
from datetime import date

from dashboard.cli.support import finite_number
from data.registers import REGISTERS


def _id(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"应为正整数编号，当前为 {text!r}")
    return int(text)


def _year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text):
        raise argparse.ArgumentTypeError(f"应为四位年份，当前为 {text!r}")
    return int(text)


def _month_range(text: str, first: bool) -> date:
    year, month = (int(p) for p in text.split("-"))
    if not 1 <= month <= 12:
        raise ValueError
    return date(year, month, 1 if first else calendar.monthrange(year, month)[1])


def period(text: str) -> tuple[date, date]:
    """2024 (the year), 2024-03 (a month) or 2024-01:2024-06 (whole months)."""
    try:
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 1, 1), date(int(text), 12, 31)
        if re.fullmatch(r"\d{4}-\d{1,2}", text):
            return _month_range(text, True), _month_range(text, False)
        if match := re.fullmatch(r"(\d{4}-\d{1,2}):(\d{4}-\d{1,2})", text):
            first, last = sorted((match[1], match[2]), key=lambda m: tuple(map(int, m.split("-"))))
            # months given the wrong way round still name the same whole months
            return _month_range(first, True), _month_range(last, False)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"期间应写成 2024、2024-03 或 2024-01:2024-06，当前为 {text!r}")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    registers = "、".join(f"{name}（{r.label}）" for name, r in REGISTERS.items())
    tpl = sub.add_parser("template", help="写出一个登记簿的 Excel 导入模板")
    tpl.add_argument("register", choices=list(REGISTERS), metavar="REGISTER", help=f"登记簿：{registers}")
    tpl.add_argument(
        "-o", "--output", metavar="FILE.xlsx", help="写到哪个文件（默认：登记簿名-导入模板.xlsx）"
    )

    imp = sub.add_parser("import", help="检查并暂存一个 Excel 或 CSV 文件，等待审核；最后一行是批次编号")
    imp.add_argument("file", metavar="FILE", help=".xlsx、.xls 或 .csv 文件")
    imp.add_argument(
        "--register", choices=list(REGISTERS), metavar="REGISTER", help="登记簿（默认按表头识别）"
    )
    scope = imp.add_mutually_exclusive_group()
    scope.add_argument(
        "--department", metavar="CODE", help="本批次所属部门的代码：发布时替换该部门在期间内的记录"
    )
    scope.add_argument("--township", metavar="CODE", help="本批次所属乡镇（街道）的代码")
    imp.add_argument(
        "--period", type=period, help="期间：2024、2024-03 或 2024-01:2024-06（默认：文件中日期所在的各月）"
    )
    imp.add_argument("--dry-run", action="store_true", help="只检查并显示发布后的变化，不留待审核")

    batch = sub.add_parser("batch", help="查看、发布、驳回导入批次")
    actions = batch.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="列出批次，最新的在前")
    listing.add_argument("--limit", type=_id, default=50, help="最多列出多少个（默认 50）")
    for name, text in (
        ("show", "显示批次：错误，或发布后哪些行、哪些数字会变"),
        ("publish", "发布批次（一个事务：替换记录、更新汇总）"),
        ("retry", "重新检查一个中断的批次"),
    ):
        actions.add_parser(name, help=text).add_argument("id", type=_id, metavar="ID")
    reject = actions.add_parser("reject", help="驳回批次")
    reject.add_argument("id", type=_id, metavar="ID")
    reject.add_argument("--reason", required=True, help="驳回理由")
    annotate = actions.add_parser("annotate", help="写出标注了每处错误的文件副本（.xlsx）")
    annotate.add_argument("id", type=_id, metavar="ID")
    annotate.add_argument(
        "-o", "--output", metavar="FILE.xlsx", help="写到哪个文件（默认：原文件名-错误标注.xlsx）"
    )

    version = sub.add_parser("version", help="已发布的版本：列出、回滚")
    vactions = version.add_subparsers(dest="action", required=True)
    vlist = vactions.add_parser("list", help="列出版本，最新的在前")
    vlist.add_argument("--limit", type=_id, default=50, help="最多列出多少个（默认 50）")
    rollback = vactions.add_parser("rollback", help="恢复到版本 N 发布之前（N 及其后的版本都撤销）")
    rollback.add_argument("id", type=_id, metavar="N")

    figure = sub.add_parser("figure", help="填报不来自登记簿的报告数字（经审核后发布）")
    factions = figure.add_subparsers(dest="action", required=True)
    fset = factions.add_parser("set", help="填报一个数字")
    fset.add_argument("code", metavar="CODE", help="指标代码，如 service_center_departments")
    fset.add_argument("--year", type=_year, required=True)
    fset.add_argument("--value", type=finite_number, required=True)
    fset.add_argument("--note", help="来源或说明")
    add_feed_parser(sub)


def add_feed_parser(sub: argparse._SubParsersAction) -> None:
    feed = sub.add_parser("feed", help="接口自动发布：允许某账号的令牌不经审核直接发布某个登记簿")
    actions = feed.add_subparsers(dest="action", required=True)
    for name, text in (("allow", "允许"), ("deny", "取消允许")):
        one = actions.add_parser(name, help=f"{text}账号经 POST /api/v1/imports?publish=1 自动发布登记簿")
        one.add_argument("username")
        one.add_argument("register", choices=list(REGISTERS), metavar="REGISTER")
    actions.add_parser("list", help="列出允许自动发布的账号和登记簿")

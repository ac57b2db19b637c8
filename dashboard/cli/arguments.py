"""The `dashboard` command's arguments: what each command takes, checked, with argparse's messages in Chinese."""

from __future__ import annotations

import argparse
import math
import re
from datetime import date, datetime
from typing import Any, NoReturn

from dashboard.cli import alerts as alert_commands
from dashboard.cli import catalog as catalog_commands
from dashboard.cli import decks as deck_commands
from dashboard.cli import delivery as delivery_commands
from dashboard.cli import export as export_commands
from dashboard.cli import geo as geo_commands
from dashboard.cli import help as cli_help
from dashboard.cli import import_arguments
from dashboard.cli import kiosk as kiosk_commands
from dashboard.cli import org as org_commands
from dashboard.cli import reporting as reporting_commands
from dashboard.cli import supervise as supervise_commands
from dashboard.cli import targets as target_commands
from dashboard.cli.support import CliError, integer, positive_integer
from data import demo, report
from data.access import ROLES

# The demo generator holds one register-year in memory; far beyond the 10M-row benchmark store that runs out.
MAX_DEMO_ROWS = 50_000_000


# argparse's own messages, in Chinese; anything else keeps its text behind a Chinese prefix.
_ARGPARSE = [
    (r"argument (\S+): invalid choice: (\S+) \(choose from (.*)\)", r"没有 \2 这个选项，可选：\3"),
    (r"argument (\S+): expected one argument", r"参数 \1 后面需要一个值"),
    (r"argument (\S+): expected at most one argument", r"参数 \1 后面最多一个值"),
    (r"argument (\S+): expected at least one argument", r"参数 \1 后面至少需要一个值"),
    (r"argument (\S+): ignored explicit argument (\S+)", r"参数 \1 不接受值 \2"),
    (r"argument (\S+): invalid (\S+) value: (.*)", r"参数 \1 的值 \3 无效"),
    (r"one of the arguments (.*) is required", r"以下参数须给出其一：\1"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (\S+): (.*)", r"参数 \1：\2"),
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"ambiguous option: (\S+) could match (.*)", r"参数 \1 有歧义，可能是：\2"),
]


class _Parser(argparse.ArgumentParser):
    """argparse with its help and its messages in Chinese (sub-commands' parsers are of this class too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", cli_help.Formatter)
        super().__init__(*args, **{**kwargs, "add_help": False})
        cli_help.chinese_parser(self)

    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _ARGPARSE:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        raise CliError(f"{message}（{self.prog} -h 查看用法）")


def _positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"应为大于 0 的数，当前为 {text!r}")
    return value


def _date(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为日期 YYYY-MM-DD，当前为 {text!r}") from None


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="dashboard", description="法治政府建设数据驾驶舱")
    sub = p.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="创建或升级数据库，可选载入示例数据")
    init.add_argument("--demo", action="store_true", help="载入示例数据（2022–2025 年）")
    init.add_argument("--seed", type=integer, default=demo.DEFAULT_SEED, help="示例数据的随机种子")
    size = init.add_mutually_exclusive_group()
    size.add_argument("--scale", type=_positive_number, default=1.0, help="大登记簿的倍数（基准测试用）")
    size.add_argument(
        "--rows", type=positive_integer, help="约多少行登记数据（基准测试用，如 1000000），换算成 --scale"
    )
    init.add_argument("--force", action="store_true", help="已有相同示例数据时也重新生成")
    serve = sub.add_parser("serve", help="启动 Web 服务")
    serve.add_argument("--host", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=integer, help="端口（默认 8050）")
    check = sub.add_parser("check", help="将库中数值与年度报告逐项核对")
    check.add_argument("--year", type=integer, default=report.REPORT_YEAR, help="核对的年度（默认 2024）")
    check.add_argument("--report", help="报告数据 CSV（默认使用内置的 2024 年报告）")
    _user_parser(sub)
    _token_parser(sub)
    audit = sub.add_parser("audit", help="查看审计日志（登录、账号变动、令牌、下载、导入与发布），最新的在前")
    audit.add_argument("--since", type=_date, help="只看这一天（YYYY-MM-DD，本地时间）及以后的")
    audit.add_argument("--user", help="只看这个用户做的或与之有关的")
    audit.add_argument("--limit", type=positive_integer, default=100, help="最多显示多少条（默认 100）")
    import_arguments.add_parsers(sub)
    geo_commands.add_parsers(sub)
    kiosk_commands.add_parsers(sub)
    export_commands.add_parsers(sub)
    deck_commands.add_parsers(sub)
    org_commands.add_parsers(sub)
    target_commands.add_parsers(sub)
    catalog_commands.add_parsers(sub)
    alert_commands.add_parsers(sub)
    reporting_commands.add_parsers(sub)
    delivery_commands.add_parsers(sub)
    supervise_commands.add_parsers(sub)
    cli_help.name_commands(p)
    return p


def _ties(command: argparse.ArgumentParser) -> None:
    tie = command.add_mutually_exclusive_group()
    tie.add_argument("--department", metavar="CODE", help="所属部门的代码（部门负责人、数据录入员）")
    tie.add_argument("--township", metavar="CODE", help="所属乡镇（街道）的代码（乡镇负责人）")


def _user_parser(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="管理账号：新建、列出、改密码、停用、启用、修改角色")
    actions = user.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="新建账号：密码取自环境变量 DASHBOARD_PASSWORD，否则提示输入两次")
    add.add_argument("username", help="用户名：英文字母、数字和 _ . - @，最多 64 个字符")
    add.add_argument("--role", required=True, help=f"角色：{_roles()}")
    _ties(add)
    add.add_argument("--name", help="显示名（默认与用户名相同）")
    actions.add_parser("list", help="列出全部账号")
    for name, text in (
        ("passwd", "修改密码（该账号的登录随之结束）"),
        ("disable", "停用账号（登录结束，令牌在停用期间无效）"),
        ("enable", "重新启用账号"),
    ):
        actions.add_parser(name, help=text).add_argument("username")
    change = actions.add_parser("set", help="修改角色、所属部门或乡镇、显示名")
    change.add_argument("username")
    change.add_argument("--role", help=f"新角色：{_roles()}")
    _ties(change)
    change.add_argument("--name", help="新的显示名")


def _token_parser(sub: argparse._SubParsersAction) -> None:
    token = sub.add_parser("token", help="管理 JSON 接口的访问令牌：创建、列出、吊销")
    actions = token.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="为账号创建令牌（只显示这一次）")
    create.add_argument("username")
    create.add_argument("--days", type=positive_integer, help="有效天数（默认长期有效，直到吊销）")
    listing = actions.add_parser("list", help="列出令牌（不含令牌本身）")
    listing.add_argument("username", nargs="?", help="只列这个账号的")
    revoke = actions.add_parser("revoke", help="吊销令牌")
    revoke.add_argument("id", metavar="ID", type=positive_integer, help="令牌编号（token list 中的 ID）")


def _roles() -> str:
    return "、".join(f"{code}（{label}）" for code, label in ROLES.items())


def validate(args: argparse.Namespace) -> None:
    """What argparse cannot check alone: values against each other and against the demo's limits."""
    if args.command == "check" and args.year != report.REPORT_YEAR and not args.report:
        raise CliError(f"内置报告数据只有 {report.REPORT_YEAR} 年；核对其他年度请用 --report 指定报告 CSV")
    if args.command == "init":
        if args.rows is not None:
            args.scale = round(demo.scale_for_rows(args.rows), 4)
        if demo.estimated_rows(args.scale) > MAX_DEMO_ROWS:
            raise CliError(f"示例数据最多约 {MAX_DEMO_ROWS:,} 行：请减小 --rows 或 --scale")

"""The `dashboard` command's arguments: what each command takes, checked, with argparse's messages in Chinese."""

from __future__ import annotations

import argparse
import math
import re
from typing import NoReturn

from data import demo, report

# The demo generator holds one register-year in memory; far beyond the 10M-row benchmark store that runs out.
MAX_DEMO_ROWS = 50_000_000


class CliError(Exception):
    """A failure to report in one line."""


# argparse's own messages, in Chinese; anything else keeps its text behind a Chinese prefix.
_ARGPARSE = [
    (r"argument (\S+): invalid choice: (\S+) \(choose from (.*)\)", r"没有 \2 这个选项，可选：\3"),
    (r"argument (\S+): expected one argument", r"参数 \1 后面需要一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (\S+): (.*)", r"参数 \1：\2"),
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"ambiguous option: (\S+) could match (.*)", r"参数 \1 有歧义，可能是：\2"),
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _ARGPARSE:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        raise CliError(f"{message}（dashboard -h 查看用法）")


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，当前为 {text!r}") from None


def _positive_integer(text: str) -> int:
    value = _integer(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"必须大于 0，当前为 {text!r}")
    return value


def _positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"应为大于 0 的数，当前为 {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="dashboard", description="法治政府建设数据驾驶舱")
    sub = p.add_subparsers(dest="command", required=True, metavar="{init,serve,check}")
    init = sub.add_parser("init", help="创建或升级数据库，可选载入示例数据")
    init.add_argument("--demo", action="store_true", help="载入示例数据（2022–2025 年）")
    init.add_argument("--seed", type=_integer, default=demo.DEFAULT_SEED, help="示例数据的随机种子")
    size = init.add_mutually_exclusive_group()
    size.add_argument("--scale", type=_positive_number, default=1.0, help="大登记簿的倍数（基准测试用）")
    size.add_argument(
        "--rows", type=_positive_integer, help="约多少行登记数据（基准测试用，如 1000000），换算成 --scale"
    )
    init.add_argument("--force", action="store_true", help="已有相同示例数据时也重新生成")
    serve = sub.add_parser("serve", help="启动 Web 服务")
    serve.add_argument("--host", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=_integer, help="端口（默认 8050）")
    check = sub.add_parser("check", help="将库中数值与年度报告逐项核对")
    check.add_argument("--year", type=_integer, default=report.REPORT_YEAR, help="核对的年度（默认 2024）")
    check.add_argument("--report", help="报告数据 CSV（默认使用内置的 2024 年报告）")
    return p


def validate(args: argparse.Namespace) -> None:
    """What argparse cannot check alone: values against each other and against the demo's limits."""
    if args.command == "check" and args.year != report.REPORT_YEAR and not args.report:
        raise CliError(f"内置报告数据只有 {report.REPORT_YEAR} 年；核对其他年度请用 --report 指定报告 CSV")
    if args.command == "init":
        if args.rows is not None:
            args.scale = round(demo.scale_for_rows(args.rows), 4)
        if demo.estimated_rows(args.scale) > MAX_DEMO_ROWS:
            raise CliError(f"示例数据最多约 {MAX_DEMO_ROWS:,} 行：请减小 --rows 或 --scale")

"""The `dashboard reporting` commands: who owes which register by which day (报送), and a month's status.

`reporting status --month 2026-02` lists every duty: sent or not, when, how late; it always exits 0 (a late
unit is news, not an error of the command).
"""

from __future__ import annotations

import argparse
import re
from datetime import date

from dashboard.cli.support import CliError, integer, local_time, open_store, print_table, say
from dashboard.config import Config
from data import org, reporting
from data.registers import REGISTERS
from data.store import begin_write


def _month(text: str) -> tuple[int, int]:
    found = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not found or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2100:
        raise argparse.ArgumentTypeError(f"应为月份 YYYY-MM（如 2026-02），当前为 {text!r}")
    return int(found[1]), int(found[2])


def add_parsers(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser("reporting", help="报送：哪个单位每月报送哪个登记簿、截止日，以及某月的报送情况")
    actions = command.add_subparsers(dest="action", required=True, metavar="{duty,status}")
    duty = actions.add_parser("duty", help="设置、删除或列出报送责任")
    what = duty.add_subparsers(dest="duty_action", required=True, metavar="{set,unset,list}")
    put = what.add_parser("set", help="UNIT 每月报送这些登记簿（次月 --day 日前）")
    put.add_argument("unit", metavar="UNIT", help="部门或乡镇（街道）的代码")
    put.add_argument("registers", metavar="REGISTER", nargs="+", help="登记簿：" + "、".join(REGISTERS))
    put.add_argument(
        "--day",
        type=integer,
        help=f"次月几日前报送（{reporting.DUE_DAYS.start}–{reporting.DUE_DAYS.stop - 1}，默认 DASHBOARD_REPORT_DAY，即 {reporting.DEFAULT_DUE_DAY} 日）",
    )
    drop = what.add_parser("unset", help="删除报送责任")
    drop.add_argument("unit", metavar="UNIT")
    drop.add_argument("registers", metavar="REGISTER", nargs="+")
    what.add_parser("list", help="列出全部报送责任")
    status = actions.add_parser(
        "status", help="某月的报送情况：每个应报单位是否已报、何时、迟了几天（退出码 0）"
    )
    status.add_argument(
        "--month", required=True, type=_month, metavar="YYYY-MM", help="数据所属月份，如 2026-02"
    )


def cmd_reporting(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    try:
        if args.action == "status":
            return _status(engine, args.month, cfg.report_day)
        if args.duty_action == "list":
            return _duties(engine, cfg.report_day)
        with begin_write(engine) as conn:
            for register in args.registers:
                if args.duty_action == "set":
                    d = reporting.set_duty(conn, args.unit, register, args.day)
                    day = d.due_day or cfg.report_day
                    say(f"{d.unit_name}每月报送“{d.register_label}”，次月 {day} 日前")
                else:
                    reporting.unset_duty(conn, args.unit, register)
                    say(f"已删除 {args.unit} 报送 {register} 的责任")
        return 0
    except reporting.ReportingError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()


def _duties(engine, default_day: int) -> int:
    with engine.connect() as conn:
        found = reporting.duties(conn)
    if not found:
        say("还没有报送责任：dashboard reporting duty set 单位代码 登记簿 [--day 日]")
        return 0
    print_table(
        ("单位代码", "单位", "登记簿", "截止"),
        ((d.unit_code, d.unit_name, d.register_label, f"次月 {d.due_day or default_day} 日") for d in found),
    )
    return 0


def _status(engine, month: tuple[int, int], default_day: int) -> int:
    year, number = month
    today = date.today()
    with engine.connect() as conn:
        rows = reporting.status(conn, year, number, default_day)
    if not rows:
        say("还没有报送责任：dashboard reporting duty set 单位代码 登记簿 [--day 日]")
        return 0
    print_table(
        ("单位代码", "单位", "登记簿", "截止日", "发布时间", "情况"),
        (
            (
                s.duty.unit_code,
                s.duty.unit_name,
                s.duty.register_label,
                org.day_zh(s.due),
                local_time(s.published_at) + ("（全区批次）" if s.whole_district else ""),
                s.verdict(today),
            )
            for s in rows
        ),
    )
    say(f"{year}年{number}月：{reporting.summary(rows, today)}")
    return 0


COMMANDS = {"reporting": cmd_reporting}

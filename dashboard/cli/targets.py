"""The `dashboard target` commands: targets by year, for the district or one unit (data/targets.py).

A refused target (unknown indicator or unit, a value that is not a number, a rate over 100, a year out of
range) is one Chinese line and exit 2, with nothing changed.
"""

from __future__ import annotations

import argparse

from dashboard.cli.support import CliError, finite_number, integer, open_store, print_table, say
from dashboard.config import Config
from data import targets
from data.store import begin_write


def _unit(command: argparse.ArgumentParser) -> None:
    tie = command.add_mutually_exclusive_group()
    tie.add_argument("--department", metavar="CODE", help="只为这个部门（默认：全区）")
    tie.add_argument("--township", metavar="CODE", help="只为这个乡镇（街道）（默认：全区）")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser(
        "target", help="按年度设置指标目标值（全区或某个部门、乡镇）；未设的年度用指标目录的默认目标"
    )
    actions = command.add_subparsers(dest="action", required=True, metavar="{set,list,unset}")
    put = actions.add_parser("set", help="设置或修改目标值")
    put.add_argument("code", metavar="CODE", help="指标代码（/api/v1/indicators 中的 code）")
    put.add_argument("--year", required=True, type=integer, help="年度，如 2026")
    put.add_argument(
        "--value", required=True, type=finite_number, help="目标值；百分比填 0 到 100 之间的数，如 95"
    )
    _unit(put)
    listing = actions.add_parser("list", help="列出已设置的目标值")
    listing.add_argument("--year", type=integer, help="只列这一年的")
    drop = actions.add_parser("unset", help="删除目标值（该年度恢复为指标目录的默认目标）")
    drop.add_argument("code", metavar="CODE", help="指标代码")
    drop.add_argument("--year", required=True, type=integer, help="年度")
    _unit(drop)


def cmd_target(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    try:
        if args.action == "list":
            return _list(engine, args.year)
        unit = args.department or args.township
        kind = "department" if args.department else "township" if args.township else None
        with begin_write(engine) as conn:
            if args.action == "set":
                t = targets.set_target(conn, args.code, args.year, args.value, unit, kind)
                say(f"{t.year} 年“{t.name}”{t.unit_name}的目标值：{t.value:g}{t.unit}")
            else:
                before = targets.unset_target(conn, args.code, args.year, unit)
                say(
                    f"已删除 {args.year} 年 {args.code}{'（' + unit + '）' if unit else '（全区）'} 的目标值 {before:g}"
                )
        return 0
    except targets.TargetError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()


def _list(engine, year: int | None) -> int:
    with engine.connect() as conn:
        found = targets.list_targets(conn, year)
    if not found:
        say("还没有按年度设置的目标值（各指标使用指标目录的默认目标）")
        return 0
    print_table(
        ("年度", "指标代码", "指标", "单位", "目标值"),
        ((str(t.year), t.code, t.name, t.unit_name, f"{t.value:g}{t.unit}") for t in found),
    )
    return 0


COMMANDS = {"target": cmd_target}

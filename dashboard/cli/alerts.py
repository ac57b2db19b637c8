"""The `dashboard alert` commands: evaluate the warning rules (data/alerts.py), list the warnings of a year as a
reader sees them, and show or change the rules' thresholds (data/alert_rules.py).

The warnings are evaluated when data is published; `evaluate` is for a store filled another way (or after a
change of rules). A refused threshold or an unknown unit, year or account is one Chinese line and exit 2.
"""

from __future__ import annotations

import argparse

from dashboard.cli.support import CliError, integer, open_store, print_table, say
from dashboard.config import Config
from data import alert_rules, alerts
from data.access import OPERATOR, Forbidden, Scope
from data.accounts.users import get_user, scope_of
from data.alerts_year import coverage
from data.org import by_code, day_zh
from data.store import begin_write


def add_parsers(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser("alert", help="预警：按规则评估、列出预警，查看或修改预警规则的阈值和级别")
    actions = command.add_subparsers(dest="action", required=True, metavar="{evaluate,list,rules,set}")
    run = actions.add_parser("evaluate", help="重新评估预警（默认全部年度；发布数据时会自动评估）")
    run.add_argument("--year", type=integer, help="只评估这一年")
    listing = actions.add_parser("list", help="列出某年的预警（红色在前）")
    listing.add_argument("--year", required=True, type=integer, help="年度，如 2024")
    tie = listing.add_mutually_exclusive_group()
    tie.add_argument("--department", metavar="CODE", help="只看这个部门的")
    tie.add_argument("--township", metavar="CODE", help="只看这个乡镇（街道）的")
    listing.add_argument("--as", dest="reader", metavar="USER", help="按这个账号的权限范围列出（默认：全部）")
    actions.add_parser("rules", help="列出预警规则及其阈值和级别")
    put = actions.add_parser("set", help="修改一条预警规则的阈值和级别，并重新评估")
    put.add_argument("rule", metavar="RULE", help="规则编号（dashboard alert rules 查看）")
    put.add_argument("--threshold", required=True, help="阈值（数字）")
    put.add_argument("--level", choices=list(alert_rules.LEVELS), help="预警级别：红 或 黄（默认不变）")


def cmd_alert(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    try:
        if args.action == "list":
            return _list(engine, args)
        if args.action == "rules":
            with engine.connect() as conn:
                _print_rules(alert_rules.rules(conn))
            return 0
        with begin_write(engine) as conn:
            if args.action == "set":
                current = {r.id: r for r in alert_rules.rules(conn)}.get(args.rule)
                level = args.level or (current.level if current else "黄")
                rule = alert_rules.set_rule(conn, args.rule, args.threshold, level, actor=None)
                say(f"预警规则“{rule.name}”：阈值 {rule.threshold:g}{rule.threshold_unit}，级别 {rule.level}")
            held = coverage(conn)
            if args.action == "evaluate" and args.year is not None and args.year not in held:
                raise CliError(f"{args.year} 年没有数据（库中年度：{'、'.join(map(str, held)) or '无'}）")
            years = [args.year] if getattr(args, "year", None) is not None else None
            count = alerts.evaluate(conn, years)
        say(f"已评估预警：{'、'.join(map(str, years or sorted(held))) or '无'} 年，共 {count} 条")
        return 0
    except alert_rules.RuleError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()


def _reader(conn, username: str | None) -> Scope:
    if username is None:
        return OPERATOR
    account = get_user(conn, username)
    if account is None:
        raise CliError(f"没有用户 {username}（dashboard user list 查看全部账号）")
    return scope_of(conn, account)


def _list(engine, args: argparse.Namespace) -> int:
    with engine.connect() as conn:
        scope = _reader(conn, args.reader)
        units = by_code(conn)
        for code, kind in ((args.department, "department"), (args.township, "township")):
            if code is not None and (code not in units or units[code].kind != kind):
                what = "部门" if kind == "department" else "乡镇（街道）"
                raise CliError(f"没有代码为 {code} 的{what}：dashboard org list 查看全部单位")
        if args.year not in coverage(conn):
            raise CliError(f"{args.year} 年没有数据")
        try:
            found = alerts.alerts_in(conn, scope, args.year, args.department, args.township)
        except Forbidden as exc:
            raise CliError(str(exc)) from None
    if not found:
        say(f"{args.year} 年没有预警")
        return 0
    print_table(
        ("级别", "单位", "指标", "规则", "自", "说明"),
        ((a.level, a.unit_name, a.indicator_name, a.rule_name, day_zh(a.since), a.message) for a in found),
    )
    say(f"共 {len(found)} 条（红 {sum(a.level == '红' for a in found)} 条）")
    return 0


def _print_rules(rules: list[alert_rules.Rule]) -> None:
    print_table(
        ("编号", "名称", "阈值", "级别", "范围"),
        (
            (
                r.id,
                r.name,
                f"{r.threshold:g}{r.threshold_unit}",
                r.level,
                "、".join(alert_rules.UNIT_KINDS[u] for u in r.units),
            )
            for r in rules
        ),
    )


COMMANDS = {"alert": cmd_alert}

"""The `dashboard deliver` and `dashboard channel` commands: monthly reports (月报) made and delivered
(dashboard/jobs/deliver.py), and the group-robot channels they are pushed to (data/delivery.py).

A refused channel or month is one Chinese line and exit 2, with nothing changed. A push that failed after its
retries is reported on its own line and the command ends with exit 1 (the reports are kept all the same).
"""

from __future__ import annotations

import argparse

from dashboard.cli.support import CliError, open_store, print_table, say
from dashboard.config import Config
from dashboard.jobs import deliver as job
from data import delivery
from data.schema_delivery import CHANNEL_KINDS
from data.store import begin_write


def add_parsers(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser(
        "deliver",
        help="生成某月的月报（各部门、各乡镇及全区，PDF 和 Word），放入各自的收件箱，并推送摘要到群机器人",
    )
    run.add_argument("--month", required=True, metavar="YYYY-MM", help="报告的月份，如 2026-02（须已结束）")
    run.add_argument("--dry-run", action="store_true", help="演练：照常生成并检查，但不保存、不推送")
    run.add_argument(
        "--unit", action="append", metavar="CODE", help="只为这个部门或乡镇生成（可重复；全区的月报总会生成）"
    )
    channel = sub.add_parser("channel", help="管理月报推送的群机器人通道（企业微信、钉钉）")
    actions = channel.add_subparsers(dest="action", required=True, metavar="{add,list,remove}")
    add = actions.add_parser("add", help="新增一个通道")
    add.add_argument("name", metavar="NAME", help="通道名称（汉字、字母、数字、下划线或连字符）")
    add.add_argument(
        "--webhook", required=True, metavar="URL", help="机器人的 webhook 地址（含密钥，只保存不显示）"
    )
    add.add_argument("--department", metavar="CODE", help="推送这个部门或乡镇的月报（默认：全区的）")
    add.add_argument("--kind", choices=tuple(CHANNEL_KINDS), default="wecom", help="机器人类型（默认 wecom）")
    actions.add_parser("list", help="列出通道（地址中的密钥以 *** 代替）")
    drop = actions.add_parser("remove", help="删除一个通道")
    drop.add_argument("name", metavar="NAME", help="通道名称")


def cmd_deliver(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    try:
        say(f"==> {'演练' if args.dry_run else '生成并投递'} {args.month} 的月报……")
        outcome = job.deliver(engine, cfg, args.month, args.dry_run, args.unit, say)
    except delivery.DeliveryError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()
    failed = [(name, shown, p) for name, shown, p in outcome.pushed if p is not None and not p.ok]
    say(
        f"==> 月报 {len(outcome.made)} 份{'（演练，未保存）' if args.dry_run else ''}；"
        f"跳过 {len(outcome.skipped)} 个单位；推送 {len(outcome.pushed)} 个通道，失败 {len(failed)} 个"
    )
    return 1 if failed else 0


def cmd_channel(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    try:
        if args.action == "list":
            with engine.connect() as conn:
                found = delivery.list_channels(conn)
            if not found:
                say("还没有推送通道（dashboard channel add NAME --webhook URL 新增）")
                return 0
            print_table(
                ("名称", "类型", "推送的月报", "地址（密钥已隐去）"),
                ((c.name, CHANNEL_KINDS[c.kind], c.unit_code or "全区", c.shown) for c in found),
            )
            return 0
        with begin_write(engine) as conn:
            if args.action == "add":
                made = delivery.add_channel(conn, args.name, args.webhook, args.kind, args.department)
                say(f"已新增{CHANNEL_KINDS[made.kind]}通道 {made.name}：{made.shown}")
            else:
                delivery.remove_channel(conn, args.name)
                say(f"已删除通道 {args.name}")
        return 0
    except delivery.DeliveryError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()


COMMANDS = {"deliver": cmd_deliver, "channel": cmd_channel}

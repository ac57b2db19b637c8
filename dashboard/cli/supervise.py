"""The `dashboard supervise` commands: raise a follow-up (督办), list them, reply, accept (办结) or return (退回).

The command line acts as the operator, with every right (the audit log says ``via: cli``), unless ``--user``
names an account: then it acts as that account, with that account's rights and scope (a department head may
reply to their own department's follow-ups only). ``create`` prints the new id alone on its last line, so a
script can take it with ``tail -n1``. A refusal is one Chinese line and exit 2, with nothing changed.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from dashboard.cli.support import CliError, open_store, positive_integer, print_table, say
from dashboard.config import Config
from dashboard.pages.supervise import forms
from data import accounts
from data import supervision as sv
from data import supervision_changes as changes
from data.org import day_zh
from data.store import begin_write
from data.supervision_files import Checked, check, keep


def _as_user(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--user", metavar="USERNAME", help="以这个账号的身份和权限执行（默认：命令行，有全部权限）"
    )


def add_parsers(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser(
        "supervise", help="督办：领导就某个指标请部门或乡镇（街道）限期说明，单位回复，领导办结或退回"
    )
    actions = command.add_subparsers(dest="action", required=True, metavar="{create,list,reply,close,return}")
    create = actions.add_parser("create", help="发起督办；最后一行只打印新督办的编号")
    create.add_argument(
        "--indicator", required=True, metavar="CODE", help="指标代码（/api/v1/indicators 中的 code）"
    )
    unit = create.add_mutually_exclusive_group(required=True)
    unit.add_argument("--department", metavar="CODE", help="督办的部门")
    unit.add_argument("--township", metavar="CODE", help="督办的乡镇（街道）")
    create.add_argument("--due", required=True, metavar="YYYY-MM-DD", help="截止日期（今天或以后，一年以内）")
    create.add_argument("--text", required=True, help="督办要求")
    _as_user(create)
    listing = actions.add_parser("list", help="列出督办（逾期的标出逾期天数）")
    listing.add_argument("--open", action="store_true", help="只列未办结的")
    _as_user(listing)
    answer = actions.add_parser("reply", help="回复督办（被督办单位）")
    answer.add_argument("id", metavar="ID", type=positive_integer, help="督办编号")
    answer.add_argument("--text", required=True, help="回复内容")
    answer.add_argument(
        "--file", action="append", default=[], metavar="PATH", help="附件（可重复）：PDF、Word、Excel、图片"
    )
    _as_user(answer)
    accept = actions.add_parser("close", help="办结：接受单位的回复")
    accept.add_argument("id", metavar="ID", type=positive_integer, help="督办编号")
    accept.add_argument("--text", default="", help="办结意见（默认：同意办结。）")
    _as_user(accept)
    back = actions.add_parser("return", help="退回：请单位重新回复")
    back.add_argument("id", metavar="ID", type=positive_integer, help="督办编号")
    back.add_argument("--text", required=True, help="退回理由")
    _as_user(back)


def _who(conn, username: str | None) -> sv.Who:
    if username is None:
        return sv.COMMAND_LINE
    account = accounts.require_user(conn, username)
    if account.disabled:
        raise CliError(f"账号 {username} 已停用")
    return sv.Who(account.username, accounts.scope_of(conn, account))


def _files(paths: list[str], cfg: Config) -> list[Checked]:
    checked = []
    for name in paths:
        path = Path(name)
        if not path.is_file():
            raise CliError(f"找不到附件文件 {name}")
        checked.append((path, check(path, path.name, cfg.max_attachment_bytes)))
    for path, c in checked:
        keep(cfg.attachments_path, path, c)
    return [c for _, c in checked]


def cmd_supervise(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    try:
        if args.action == "list":
            return _list(engine, args)
        with begin_write(engine) as conn:
            who = _who(conn, args.user)
            if args.action == "create":
                kind, code = forms.unit_choice(args.department, args.township)
                due = forms.due_date(args.due)
                new_id = changes.create(conn, who, args.indicator, kind, code, due, args.text)
            elif args.action == "reply":
                files = _files(args.file, cfg)
                changes.reply(conn, who, args.id, args.text, files)
            elif args.action == "close":
                changes.close(conn, who, args.id, args.text)
            else:
                changes.send_back(conn, who, args.id, args.text)
        if args.action == "create":
            say(f"已发起督办，截止 {day_zh(due)}；编号：")
            say(str(new_id))
        else:
            say({"reply": "已回复", "close": "已办结", "return": "已退回"}[args.action] + f"督办 {args.id}")
        return 0
    except sv.SupervisionError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()


def _list(engine, args: argparse.Namespace) -> int:
    with engine.connect() as conn:
        who = _who(conn, args.user)
        found = sv.listing(conn, who.scope, open_only=args.open)
    if not found:
        say("没有未办结的督办" if args.open else "还没有督办")
        return 0
    today = date.today()

    def due(s: sv.Supervision) -> str:
        late = f"（逾期 {(today - s.due).days} 天）" if s.overdue(today) else ""
        return s.due_zh + late

    print_table(
        ("编号", "状态", "指标", "单位", "截止日期", "发起人"),
        (
            (str(s.id), s.label, s.indicator_name, s.unit_name, due(s), s.raised_by or sv.COMMAND_LINE_NAME)
            for s in found
        ),
    )
    return 0


COMMANDS = {"supervise": cmd_supervise}

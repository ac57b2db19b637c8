"""The `dashboard user`, `token` and `audit` commands: accounts managed at the server's command line.

Nobody is signed in here, so the actor of every change is None and the audit log marks it ``via: "cli"``
(data/accounts/). Passwords come from DASHBOARD_PASSWORD (for scripts) or are typed twice at a prompt that
does not echo; they are never arguments, which other users of the machine could read in the process list.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
from collections.abc import Callable

from sqlalchemy import Engine

from dashboard.cli.support import CliError, local_time, open_store, place_names, print_table, say
from dashboard.config import Config
from data import accounts
from layouts.format import moment

PASSWORD_ENV = "DASHBOARD_PASSWORD"


def _new_password() -> str:
    """The new password: DASHBOARD_PASSWORD when set, else typed twice (checked before the second time)."""
    given = os.environ.get(PASSWORD_ENV)
    if given is not None:
        return accounts.check_password(given)
    try:
        first = accounts.check_password(getpass.getpass("密码："))
        second = getpass.getpass("再输入一次：")
    except EOFError:
        raise CliError(f"没有读到密码：请在终端中运行，或用环境变量 {PASSWORD_ENV} 提供") from None
    if first != second:
        raise CliError("两次输入的密码不一致，账号未改动")
    return first


def _ties(args: argparse.Namespace) -> dict[str, str]:
    """--department / --township as given (a key is absent when its option was not)."""
    return {k: getattr(args, k) for k in ("department", "township") if getattr(args, k) is not None}


def _place(account: accounts.Account, places: dict[tuple[str, str], str]) -> str:
    if account.department:
        return places.get(("department", account.department), account.department)
    if account.township:
        return places.get(("township", account.township), account.township)
    return "全区"


# --- dashboard user ------------------------------------------------------------------------------------------


def _user_add(engine: Engine, args: argparse.Namespace) -> None:
    ties = _ties(args)
    # Everything but the password is checked before the prompt, and the prompt holds no transaction open.
    with engine.connect() as conn:
        accounts.check_new_user(conn, args.username, args.role, name=args.name, **ties)
    password = _new_password()
    with engine.begin() as conn:
        account = accounts.add_user(conn, args.username, password, args.role, name=args.name, **ties)
        where = _place(account, place_names(conn))
    say(f"已新建账号 {account.username}（{account.name}）：{account.role_name}，{where}")


def _user_list(engine: Engine, _args: argparse.Namespace) -> None:
    with engine.connect() as conn:
        users, places = accounts.list_users(conn), place_names(conn)
    if not users:
        say("还没有账号：用 dashboard user add 新建")
        return
    print_table(
        ["用户名", "显示名", "角色", "部门/乡镇", "状态", "最近登录"],
        (
            [
                a.username,
                a.name,
                a.role_name,
                _place(a, places),
                "停用" if a.disabled else "正常",
                local_time(a.last_login_at),
            ]
            for a in users
        ),
    )


def _user_passwd(engine: Engine, args: argparse.Namespace) -> None:
    with engine.connect() as conn:
        accounts.require_user(conn, args.username)
    password = _new_password()
    with engine.begin() as conn:
        accounts.set_password(conn, args.username, password)
    say(f"已修改 {args.username} 的密码，其已有的登录随之结束")


def _user_disable(engine: Engine, args: argparse.Namespace) -> None:
    with engine.begin() as conn:
        accounts.disable(conn, args.username)
    say(f"已停用账号 {args.username}：其登录已结束，令牌在停用期间无效")


def _user_enable(engine: Engine, args: argparse.Namespace) -> None:
    with engine.begin() as conn:
        accounts.enable(conn, args.username)
    say(f"已启用账号 {args.username}")


def _user_set(engine: Engine, args: argparse.Namespace) -> None:
    ties = _ties(args)
    if args.role is None and args.name is None and not ties:
        raise CliError("请至少指定 --role、--department、--township、--name 中的一项")
    with engine.begin() as conn:
        before = accounts.get_user(conn, args.username)
        after = accounts.update(conn, args.username, role=args.role, name=args.name, **ties)
        where = _place(after, place_names(conn))
    if after == before:
        say(f"账号 {after.username} 没有变化")
    else:
        say(f"已修改账号 {after.username}（{after.name}）：{after.role_name}，{where}")


USER_ACTIONS: dict[str, Callable[[Engine, argparse.Namespace], None]] = {
    "add": _user_add,
    "list": _user_list,
    "passwd": _user_passwd,
    "disable": _user_disable,
    "enable": _user_enable,
    "set": _user_set,
}


# --- dashboard token -----------------------------------------------------------------------------------------


def _token_create(engine: Engine, args: argparse.Namespace) -> None:
    with engine.begin() as conn:
        token_id, token = accounts.create_token(conn, args.username, days=args.days)
        expires = accounts.list_tokens(conn, args.username)[-1].expires_at
    until = "长期有效，直到吊销" if expires is None else f"有效期至 {local_time(expires)}"
    say(f"已为 {args.username} 创建令牌 #{token_id}（{until}；吊销：dashboard token revoke {token_id}）")
    say("令牌只显示这一次，请立即妥善保存（请求时放在 Authorization: Bearer 头中）：")
    say(token)


def _token_list(engine: Engine, args: argparse.Namespace) -> None:
    with engine.connect() as conn:
        tokens = accounts.list_tokens(conn, args.username)
    if not tokens:
        say("没有令牌")
        return
    print_table(
        ["ID", "用户名", "创建时间", "到期时间", "状态", "最近使用"],
        (
            [
                str(t.id),
                t.username,
                local_time(t.created_at),
                local_time(t.expires_at),
                t.status,
                local_time(t.last_used_at),
            ]
            for t in tokens
        ),
    )


def _token_revoke(engine: Engine, args: argparse.Namespace) -> None:
    with engine.begin() as conn:
        accounts.revoke_token(conn, args.id)
    say(f"已吊销令牌 #{args.id}")


TOKEN_ACTIONS: dict[str, Callable[[Engine, argparse.Namespace], None]] = {
    "create": _token_create,
    "list": _token_list,
    "revoke": _token_revoke,
}


# --- dashboard audit -----------------------------------------------------------------------------------------


def _audit(engine: Engine, args: argparse.Namespace) -> None:
    with engine.connect() as conn:
        events = accounts.audit_events(conn, since=args.since, user=args.user, limit=args.limit)
    if not events:
        say("没有符合条件的审计记录")
        return
    rows = []
    for e in events:
        actor = e.actor or ("命令行" if e.detail.get("via") == "cli" else "—")
        detail = {k: v for k, v in e.detail.items() if k != "via"}
        shown = json.dumps(detail, ensure_ascii=False, separators=(",", ":")) if detail else ""
        when = moment(e.at, seconds=True)
        rows.append([when, actor, e.label, e.address or "—", e.subject or "—", shown])
    print_table(["时间", "操作人", "事件", "地址", "对象", "详情"], rows)


def _on_store(
    cfg: Config, action: Callable[[Engine, argparse.Namespace], None], args: argparse.Namespace
) -> int:
    engine = open_store(cfg)
    try:
        action(engine, args)
    finally:
        engine.dispose()
    return 0


def cmd_user(args: argparse.Namespace, cfg: Config) -> int:
    return _on_store(cfg, USER_ACTIONS[args.action], args)


def cmd_token(args: argparse.Namespace, cfg: Config) -> int:
    return _on_store(cfg, TOKEN_ACTIONS[args.action], args)


def cmd_audit(args: argparse.Namespace, cfg: Config) -> int:
    return _on_store(cfg, _audit, args)


COMMANDS = {"user": cmd_user, "token": cmd_token, "audit": cmd_audit}

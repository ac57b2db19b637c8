"""The `dashboard` command's work: init, serve, check, and the one-line messages for what goes wrong.

The account commands (user, token, audit) are in dashboard/cli/accounts.py.

dashboard/cli/__init__.py imports this module inside its own error handling, so that a Ctrl-C while these imports
load (Dash, SQLAlchemy: about a second) is reported like any other interrupt.
"""

from __future__ import annotations

import argparse
import errno
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from dashboard.cli import accounts as account_commands
from dashboard.cli import alerts as alert_commands
from dashboard.cli import catalog as catalog_commands
from dashboard.cli import decks as deck_commands
from dashboard.cli import delivery as delivery_commands
from dashboard.cli import export as export_commands
from dashboard.cli import geo as geo_commands
from dashboard.cli import imports as import_commands
from dashboard.cli import kiosk as kiosk_commands
from dashboard.cli import org as org_commands
from dashboard.cli import reporting as reporting_commands
from dashboard.cli import supervise as supervise_commands
from dashboard.cli import targets as target_commands
from dashboard.cli.arguments import parser, validate
from dashboard.cli.support import CliError, say
from dashboard.config import Config, ConfigError, from_env
from dashboard.web import logs
from data import alerts, demo, facts, report
from data.access import OPERATOR
from data.accounts import AccountError
from data.availability import first_line
from data.engine import LOCK_WAIT, StoreError, check_driver, describe, open_engine
from data.imports.batches import BatchError
from data.imports.files import Refused
from data.queries.figures import coverage, figures
from data.queries.filters import Filters
from data.store import begin_write, get_meta, migrate, require_current


def cmd_init(args: argparse.Namespace, cfg: Config) -> int:
    url = cfg.resolved_database_url()
    started = time.perf_counter()
    say(f"==> 数据库：{describe(url)}")
    engine = open_engine(url, create=True)
    say("==> 创建或升级数据库结构（Alembic 迁移）并载入指标目录……")
    changed = migrate(engine)
    # One transaction: an interrupted load leaves the store as it was, and the meta flags below are written
    # with the rows they describe, so a rerun never skips a half-written demo store.
    with begin_write(engine) as conn:
        same = (
            get_meta(conn, "demo") == "true"
            and get_meta(conn, "demo_seed") == str(args.seed)
            and get_meta(conn, "demo_scale") == str(args.scale)
        )
        if args.demo and (args.force or not same):
            say(f"==> 生成示例数据（种子 {args.seed}，规模 ×{args.scale:g}）……")
            try:
                written = demo.generate(
                    conn, seed=args.seed, scale=args.scale, progress=lambda m: say(f"    {m}")
                )
            except ValueError as exc:
                raise CliError(str(exc)) from None
            say(f"    共写入 {sum(written.values()):,} 行登记数据")
            return _done(started)
        if args.demo:
            say("==> 已有相同的示例数据，跳过生成（--force 可重新生成）")
        if changed and demo.holds_data(conn):
            # New summaries or a changed catalog: the summary tables are rebuilt from the registers.
            say("==> 结构或指标目录有变化，重新汇总指标……")
            facts.refresh(conn)
            alerts.evaluate(conn)
    return _done(started)


def _done(started: float) -> int:
    say(f"==> 完成，用时 {time.perf_counter() - started:.1f} 秒")
    return 0


def cmd_serve(args: argparse.Namespace, cfg: Config) -> int:
    from waitress.server import create_server

    from dashboard.app import create_app

    host = args.host or cfg.host
    port = cfg.port if args.port is None else args.port
    if not 1 <= port <= 65535:
        raise CliError(f"端口 {port} 无效：应在 1 到 65535 之间（--port 或 DASHBOARD_PORT）")
    app = create_app(cfg)
    try:
        server = create_server(app.server, host=host, port=port, threads=8, ident="fazhi-dashboard")
    except PermissionError:
        raise CliError(
            f"没有权限监听 {host}:{port}：1024 以下的端口需要管理员权限，请换一个端口（--port）"
        ) from None
    except OSError as exc:
        raise CliError(f"无法监听 {host}:{port}：{_socket_reason(exc)}") from None
    except ValueError:  # waitress's answer to a host name it cannot resolve
        raise CliError(f"无法监听 {host}:{port}：无法解析这个地址，请检查 --host 或 DASHBOARD_HOST") from None
    say(f"==> 法治政府建设数据驾驶舱：http://{host}:{port}/  （Ctrl+C 退出）")
    # waitress ends its loop on Ctrl+C itself: stopping the server is the normal way out, not an error.
    server.run()
    say("==> 已停止")
    return 0


def _socket_reason(exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return "端口已被其他程序占用，请换一个端口（--port）或先停止占用它的程序"
    if exc.errno == errno.EADDRNOTAVAIL:
        return "本机没有这个地址，请检查 --host 或 DASHBOARD_HOST"
    return os_reason(exc)


def os_reason(exc: OSError) -> str:
    """Why a file or socket operation failed, in Chinese where the reason is a common one."""
    reasons = {
        errno.ENOENT: "路径不存在",
        errno.EEXIST: "已有同名的文件",
        errno.ENOTDIR: "路径中有一段是文件而不是目录",
        errno.EACCES: "没有权限",
        errno.EPERM: "没有权限",
        errno.EROFS: "所在的文件系统是只读的",
        errno.ENOSPC: "磁盘已满",
    }
    return reasons.get(exc.errno, exc.strerror or first_line(exc))


def cmd_check(args: argparse.Namespace, cfg: Config) -> int:
    try:
        expected = report.load(Path(args.report)) if args.report else report.load()
    except report.ReportError as exc:
        raise CliError(str(exc)) from None
    engine = open_engine(cfg.resolved_database_url())
    require_current(engine)
    with engine.connect() as conn:
        if args.year not in coverage(conn):
            raise CliError(f"数据库 {describe(str(engine.url))} 中没有 {args.year} 年的数据")
        stored = {f.code: f for f in figures(conn, Filters(year=args.year, scope=OPERATOR))}
    differ = 0
    say(f"{'代码':<40} {'报告值':>10} {'库中值':>10} {'同比(报告/库)':>18}  结果  指标")
    for code, fig in expected.items():
        got = stored.get(code)
        value = got.value if got else None
        ok = report.agrees(fig, value)
        yoy_ok = fig.yoy_pct is None or (got is not None and got.yoy_pct == fig.yoy_pct)
        yoy = (
            ""
            if fig.yoy_pct is None
            else f"{fig.yoy_pct:g}/{'—' if not got or got.yoy_pct is None else f'{got.yoy_pct:g}'}"
        )
        verdict = "一致" if ok and yoy_ok else "不同"
        if ok and yoy_ok and value != fig.value:
            verdict = "允许误差内" if fig.bound == "exact" else "符合表述"
        differ += verdict == "不同"
        shown = "—" if value is None else f"{value:g}"
        say(f"{code:<40} {fig.value:>10g} {shown:>10} {yoy:>18}  {verdict}  {fig.name}")
    say(f"共 {len(expected)} 项，{differ} 项不同。")
    return 1 if differ else 0


COMMANDS = {
    "init": cmd_init,
    "serve": cmd_serve,
    "check": cmd_check,
    **account_commands.COMMANDS,
    **import_commands.COMMANDS,
    **geo_commands.COMMANDS,
    **kiosk_commands.COMMANDS,
    **export_commands.COMMANDS,
    **deck_commands.COMMANDS,
    **org_commands.COMMANDS,
    **target_commands.COMMANDS,
    **catalog_commands.COMMANDS,
    **alert_commands.COMMANDS,
    **reporting_commands.COMMANDS,
    **delivery_commands.COMMANDS,
    **supervise_commands.COMMANDS,
}


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; every failure the command can meet is one line and exit code 2."""
    url = ""
    try:
        args = parser().parse_args(argv)
        logs.configure()
        validate(args)
        cfg = from_env()
        url = cfg.resolved_database_url()
        check_driver(url)
        _prepare(cfg)
        return COMMANDS[args.command](args, cfg)
    except (CliError, StoreError, ConfigError, AccountError, BatchError, Refused) as exc:
        message = str(exc)
    except DBAPIError as exc:
        message = database_error(exc, url)
    print(f"错误：{message}", file=sys.stderr, flush=True)
    return 2


def _prepare(cfg: Config) -> None:
    try:
        cfg.prepare()
    except OSError as exc:
        raise CliError(
            f"无法创建实例目录 {cfg.instance_path}：{os_reason(exc)}"
            "（检查 DASHBOARD_INSTANCE_PATH 及其上级目录的写权限）"
        ) from None


# SQLSTATEs of a server that went away under a command: admin_shutdown, crash_shutdown, cannot_connect_now.
LOST_CONNECTION = ("57P01", "57P02", "57P03")


def database_error(exc: DBAPIError, url: str) -> str:
    """One line for an error the database raised while a command ran."""
    reason = first_line(exc.orig or exc)
    lowered = reason.lower()
    state = getattr(exc.orig, "sqlstate", None)  # psycopg's SQLSTATE; sqlite3 has only the message
    where = describe(url)
    if state == "55P03" or "database is locked" in lowered or "database table is locked" in lowered:
        return (
            f"数据库 {where} 正被其他程序锁定（已等待 {LOCK_WAIT:g} 秒）：请等它完成或关闭占用它的程序后重试"
        )
    if state == "25006" or "readonly database" in lowered:
        return f"数据库 {where} 是只读的：请检查数据库文件及其所在目录的写权限"
    if state == "53100" or "disk is full" in lowered:
        return f"数据库 {where} 所在的磁盘已满：请腾出空间后重试"
    if (
        state in LOST_CONNECTION
        or "server closed the connection" in lowered
        or "connection is lost" in lowered
    ):
        return (
            f"与数据库 {where} 的连接中断（服务器重启或停机）：未完成的写入已由数据库撤销，"
            "数据库恢复后重新运行同一命令即可"
        )
    if "unable to open database file" in lowered:
        return f"无法打开数据库文件 {where}：请检查文件及其所在目录是否存在、是否可读写"
    return f"数据库 {where} 出错：{reason}"

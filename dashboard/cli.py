"""The `dashboard` command: init, serve, check.

Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from dashboard.config import Config, ConfigError, from_env
from data import demo, facts, report
from data.queries.figures import coverage, figures
from data.queries.filters import Filters
from data.store import StoreError, describe, get_meta, migrate, open_engine, require_current


class CliError(Exception):
    """A failure to report in one line."""


def _say(message: str) -> None:
    print(message, flush=True)


def _engine(cfg: Config):
    cfg.prepare()
    return open_engine(cfg.resolved_database_url())


def cmd_init(args: argparse.Namespace, cfg: Config) -> int:
    url = cfg.resolved_database_url()
    started = time.perf_counter()
    _say(f"==> 数据库：{describe(url)}")
    engine = _engine(cfg)
    _say("==> 创建或升级数据库结构（Alembic 迁移）并载入指标目录……")
    changed = migrate(engine)
    with engine.begin() as conn:
        same = (
            get_meta(conn, "demo") == "true"
            and get_meta(conn, "demo_seed") == str(args.seed)
            and get_meta(conn, "demo_scale") == str(args.scale)
        )
        if args.demo and (args.force or not same):
            _say(f"==> 生成示例数据（种子 {args.seed}，规模 ×{args.scale:g}）……")
            try:
                written = demo.generate(
                    conn, seed=args.seed, scale=args.scale, progress=lambda m: _say(f"    {m}")
                )
            except ValueError as exc:
                raise CliError(str(exc)) from None
            _say(f"    共写入 {sum(written.values()):,} 行登记数据")
            return _done(started)
        if args.demo:
            _say("==> 已有相同的示例数据，跳过生成（--force 可重新生成）")
        if changed and demo.holds_data(conn):
            # New summaries or a changed catalog: the summary tables are rebuilt from the registers.
            _say("==> 结构或指标目录有变化，重新汇总指标……")
            facts.refresh(conn)
    return _done(started)


def _done(started: float) -> int:
    _say(f"==> 完成，用时 {time.perf_counter() - started:.1f} 秒")
    return 0


def cmd_serve(args: argparse.Namespace, cfg: Config) -> int:
    from waitress import serve

    from dashboard.app import create_app

    app = create_app(cfg)
    host = args.host or cfg.host
    port = args.port or cfg.port
    _say(f"==> 法治政府建设数据驾驶舱：http://{host}:{port}/  （Ctrl+C 退出）")
    serve(app.server, host=host, port=port, threads=8, ident="fazhi-dashboard")
    return 0


def cmd_check(args: argparse.Namespace, cfg: Config) -> int:
    try:
        expected = report.load(Path(args.report)) if args.report else report.load()
    except (OSError, KeyError, ValueError) as exc:
        raise CliError(f"无法读取报告数据文件：{exc}") from None
    engine = _engine(cfg)
    require_current(engine)
    with engine.connect() as conn:
        if args.year not in coverage(conn):
            raise CliError(f"数据库 {describe(str(engine.url))} 中没有 {args.year} 年的数据")
        stored = {f.code: f for f in figures(conn, Filters(year=args.year))}
    differ = 0
    _say(f"{'代码':<40} {'报告值':>10} {'库中值':>10} {'同比(报告/库)':>18}  结果  指标")
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
        _say(f"{code:<40} {fig.value:>10g} {shown:>10} {yoy:>18}  {verdict}  {fig.name}")
    _say(f"共 {len(expected)} 项，{differ} 项不同。")
    return 1 if differ else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dashboard", description="法治政府建设数据驾驶舱")
    sub = p.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="创建或升级数据库，可选载入示例数据")
    init.add_argument("--demo", action="store_true", help="载入示例数据（2022–2025 年）")
    init.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="示例数据的随机种子")
    size = init.add_mutually_exclusive_group()
    size.add_argument("--scale", type=float, default=1.0, help="大登记簿的倍数（基准测试用）")
    size.add_argument("--rows", type=int, help="约多少行登记数据（基准测试用，如 1000000），换算成 --scale")
    init.add_argument("--force", action="store_true", help="已有相同示例数据时也重新生成")
    init.set_defaults(run=cmd_init)
    serve = sub.add_parser("serve", help="启动 Web 服务")
    serve.add_argument("--host", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=int, help="端口（默认 8050）")
    serve.set_defaults(run=cmd_serve)
    check = sub.add_parser("check", help="将库中数值与年度报告逐项核对")
    check.add_argument("--year", type=int, default=report.REPORT_YEAR, help="核对的年度（默认 2024）")
    check.add_argument("--report", help="报告数据 CSV（默认使用内置的 2024 年报告）")
    check.set_defaults(run=cmd_check)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        cfg = from_env()
        if args.command == "check" and args.year != report.REPORT_YEAR and not args.report:
            raise CliError(
                f"内置报告数据只有 {report.REPORT_YEAR} 年；核对其他年度请用 --report 指定报告 CSV"
            )
        if args.command == "init" and args.rows is not None:
            if args.rows <= 0:
                raise CliError("--rows 必须大于 0")
            args.scale = round(demo.scale_for_rows(args.rows), 4)
        if args.command == "init" and args.scale <= 0:
            raise CliError("--scale 必须大于 0")
        return args.run(args, cfg)
    except (CliError, StoreError, ConfigError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""The `dashboard catalog` commands: the indicator catalog as the district has it, in bulk (data/catalog_workbook.py).

`catalog export` writes every indicator with its display name, visibility, responsible department and targets
by year; `catalog import` checks the whole workbook first and changes nothing when any row is wrong, listing
every error (exit 1). Each change is audited as from the command line, and can be undone on /admin/catalog.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from xlsxwriter.exceptions import FileCreateError

from dashboard.cli.support import CliError, open_store, say
from dashboard.config import Config
from data import catalog, catalog_edits, catalog_workbook
from data.store import begin_write


def add_parsers(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser(
        "catalog", help="指标目录（显示名称、可见性、责任部门、年度目标）：导出为工作簿，改好后导入"
    )
    actions = command.add_subparsers(dest="action", required=True, metavar="{export,import}")
    export = actions.add_parser("export", help=f"导出全部指标，如 {catalog_workbook.FILE_NAME}")
    export.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="写入的文件")
    imp = actions.add_parser(
        "import",
        help="按代码修改指标的显示名称、可见性、责任部门和全区年度目标；有任何错误则全部列出、一项也不改（退出码 1）",
    )
    imp.add_argument("file", metavar="FILE.xlsx", help="改好的指标目录工作簿")
    imp.add_argument("--dry-run", action="store_true", help="只检查并说明会改什么，不写入")


def cmd_catalog(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    try:
        return _export(args, engine) if args.action == "export" else _import(args, engine)
    except catalog_edits.EditError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()


def _export(args: argparse.Namespace, engine) -> int:
    out = Path(args.output)
    with engine.connect() as conn:
        try:
            count, years = catalog_workbook.write(out, conn)
        except (OSError, FileCreateError) as exc:
            # xlsxwriter wraps the OSError of a folder that does not exist or cannot be written
            cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
            raise CliError(f"无法写入 {out}：{getattr(cause, 'strerror', None) or cause}") from None
    held = f"，目标年度 {'、'.join(map(str, years))}" if years else ""
    say(f"已写入 {out}（{count} 个指标{held}）")
    return 0


def _import(args: argparse.Namespace, engine) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"找不到文件 {path}")
    rows, targets, plan = catalog_workbook.read(path, path.name)
    with begin_write(engine) as conn:
        if not plan.errors:
            catalog_workbook.plan_import(conn, rows, targets, plan)
        if plan.errors:
            say(f"文件有 {len(plan.errors)} 处错误，一项也没有修改：")
            for e in plan.errors:
                say(f"  {e['message']}")
            return 1
        if not args.dry_run:
            catalog_workbook.apply_import(conn, plan, file_name=path.name)
    _report(plan, args.dry_run)
    return 0


def _shown(field: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    if field == "visibility":
        return catalog.VISIBILITY_LABEL.get(str(value), str(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


def _report(plan: catalog_workbook.Plan, dry_run: bool) -> None:
    verb = "将" if dry_run else "已"
    say(f"{verb}修改 {len(plan.diffs)} 个指标，{plan.unchanged} 个无变化")
    for code, old, new in plan.diffs:
        what = [
            f"{catalog_edits.FIELDS[k]}：{_shown(k, old[k])} → {_shown(k, new[k])}"
            for k in catalog_edits.FIELDS
            if k in new
        ]
        what += [
            f"目标（{y}）：{_shown('', old['targets'][y])} → {_shown('', v)}"
            for y, v in new.get("targets", {}).items()
        ]
        say(f"  修改 {code}：{'；'.join(what)}")
    if dry_run:
        say("（--dry-run：未写入）")


COMMANDS = {"catalog": cmd_catalog}

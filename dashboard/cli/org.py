"""The `dashboard org` and `dashboard district` commands: the district's name and its units (data/org.py).

`org import` checks the whole workbook first and changes nothing when any row is wrong, listing every error
(exit 1); `org end` and `org merge` are the machinery reform's two moves.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

from dashboard.cli.support import CliError, open_store, print_table, say
from dashboard.config import Config
from data import org, org_import, org_workbook, reorganise
from data.store import begin_write


def _day(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为日期 YYYY-MM-DD，当前为 {text!r}") from None


def add_parsers(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser("org", help="本区的组织机构（部门、乡镇街道）：模板、导入、列出、撤销、合并")
    actions = command.add_subparsers(dest="action", required=True, metavar="{template,import,list,end,merge}")
    template = actions.add_parser(
        "template", help=f"生成组织机构工作簿（已有的单位已填好），如 {org_workbook.TEMPLATE_NAME}"
    )
    template.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="写入的文件")
    imp = actions.add_parser(
        "import", help="按代码新增或改名部门、乡镇（街道）；有任何错误则全部列出、一个也不导入（退出码 1）"
    )
    imp.add_argument("file", metavar="FILE.xlsx", help="填好的组织机构工作簿")
    imp.add_argument("--dry-run", action="store_true", help="只检查并说明会做什么，不写入")
    actions.add_parser("list", help="列出全部单位（含已撤销、已合并的）")
    end = actions.add_parser("end", help="撤销单位：自这一天起不再接收它的新数据，历史数据保留")
    end.add_argument("code", metavar="CODE", help="单位代码")
    end.add_argument("--on", required=True, type=_day, metavar="YYYY-MM-DD", help="撤销日期")
    merge = actions.add_parser(
        "merge", help="机构改革：OLD 并入 NEW（OLD 撤销，账号转到 NEW，NEW 的同比按可比口径含 OLD）"
    )
    merge.add_argument("old", metavar="OLD", help="被合并单位的代码")
    merge.add_argument("new", metavar="NEW", help="合并后单位的代码")
    merge.add_argument("--on", required=True, type=_day, metavar="YYYY-MM-DD", help="合并日期")
    district = sub.add_parser("district", help="查看或设置本区的名称（显示在各页面标题中）")
    district.add_argument("--name", help="新的区名，如 新建区")


def cmd_org(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    try:
        return ACTIONS[args.action](args, engine)
    except org.OrgError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()


def _template(args: argparse.Namespace, engine) -> int:
    with engine.connect() as conn:
        current: dict[str, list[dict]] = {"department": [], "township": []}
        for u in org.units(conn):
            if u.valid_to is None:
                current[u.kind].append(
                    {
                        "code": u.code,
                        "name": u.name,
                        "short_name": u.short_name,
                        "kind": u.category,
                        "sort": u.sort,
                        "valid_from": u.valid_from.isoformat() if u.valid_from else None,
                    }
                )
    out = Path(args.output)
    try:
        org_workbook.write_template(out, current)
    except OSError as exc:
        raise CliError(f"无法写入 {out}：{exc.strerror or exc}") from None
    say(f"已写入 {out}（{len(current['department'])} 个部门，{len(current['township'])} 个乡镇（街道））")
    return 0


def _import(args: argparse.Namespace, engine) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"找不到文件 {path}")
    rows, problems = org_workbook.read_workbook(path, path.name)
    with begin_write(engine) as conn:
        plan = org_import.plan_import(conn, rows, problems)
        if plan.errors:
            say(f"文件有 {len(plan.errors)} 处错误，一个单位也没有导入：")
            for e in plan.errors:
                say(f"  {e['message']}")
            return 1
        if not args.dry_run:
            org_import.apply_import(conn, plan, file_name=path.name)
    _report(plan, args.dry_run)
    return 0


# What an import changes, said with the workbook's own column names.
LABELS = {c.key: c.label for columns in org_workbook.COLUMNS.values() for c in columns} | {"category": "类别"}


def _report(plan: org_import.Plan, dry_run: bool) -> None:
    verb = "将" if dry_run else "已"
    say(f"{verb}新增 {len(plan.added)} 个单位，{verb}修改 {len(plan.changed)} 个，{plan.unchanged} 个无变化")
    for before, after in plan.changed:
        what = [
            f"{LABELS.get(k, k)}：{before.get(k) or '—'} → {after[k] or '—'}"
            for k in after
            if before.get(k) != after[k]
        ]
        say(f"  修改 {after['code']}：{'；'.join(what)}")
    for u in plan.ended_in_file:
        say(f"  {u.name}（{u.code}）已结束（{u.status}），文件中的这一行未改动")
    if plan.not_in_file:
        say(
            f"不在文件中的 {len(plan.not_in_file)} 个单位保持不变（如已撤销，请用 dashboard org end CODE --on 日期）："
        )
        for u in plan.not_in_file:
            say(f"  不在文件中：{u.name}（{u.code}）")
    if dry_run:
        say("（--dry-run：未写入）")


def _list(args: argparse.Namespace, engine) -> int:
    with engine.connect() as conn:
        name = org.district_name(conn)
        found = org.units(conn)
    if not found:
        say(
            f"{name}还没有任何单位：先 dashboard org template -o {org_workbook.TEMPLATE_NAME}，填好后 dashboard org import"
        )
        return 0
    print_table(
        ("类型", "代码", "名称", "简称/类别", "排序", "状态"),
        (
            (
                org_workbook.KIND_LABEL[u.kind],
                u.code,
                u.name,
                u.short_name if u.kind == "department" else u.category,
                str(u.sort),
                u.status,
            )
            for u in found
        ),
    )
    active = sum(u.valid_to is None for u in found)
    say(f"{name}：共 {len(found)} 个单位，在用 {active} 个")
    return 0


def _end(args: argparse.Namespace, engine) -> int:
    with begin_write(engine) as conn:
        unit = org.end_unit(conn, args.code, args.on)
    say(f"{unit.name}（{unit.code}）自{org.day_zh(args.on)}起撤销；历史数据保留")
    return 0


def _merge(args: argparse.Namespace, engine) -> int:
    with begin_write(engine) as conn:
        merged = reorganise.merge(conn, args.old, args.new, args.on)
        names = {u.code: u.name for u in org.units(conn)}
    taken = f"，负责的 {len(merged.indicators)} 个指标改由{names[args.new]}负责" if merged.indicators else ""
    say(
        f"{names[args.old]}（{args.old}）自{org.day_zh(args.on)}起并入{names[args.new]}（{args.new}），"
        f"{merged.accounts} 个账号已转到{names[args.new]}{taken}；原有数据仍记在{names[args.old]}名下，"
        "同比按可比口径合并计算"
    )
    return 0


ACTIONS = {"template": _template, "import": _import, "list": _list, "end": _end, "merge": _merge}


def cmd_district(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    try:
        if args.name is None:
            with engine.connect() as conn:
                say(org.district_name(conn))
            return 0
        with begin_write(engine) as conn:
            org.set_district_name(conn, args.name)
        say(f"区名已设为：{args.name.strip()}")
        return 0
    except org.OrgError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()


COMMANDS = {"org": cmd_org, "district": cmd_district}

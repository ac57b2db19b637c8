"""The `dashboard template`, `import`, `batch`, `version` and `figure` commands: real data in, at the command line.

The command line acts with every right (like an administrator at the server) and its audit events have no
user. `dashboard import` ends by printing the batch's id alone on its last line, for scripts; a file with
errors prints every one and exits 1, staging nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import Engine, select

from dashboard.cli.support import CliError, open_store, say
from dashboard.config import Config
from data.imports import annotate, batches, feeds, figures, preview, publish, stage, template, versions
from data.imports.batches import COMMAND_LINE, Batch
from data.imports.states import Status
from data.registers import REGISTERS
from data.schema import department, township
from data.store import begin_write

# Errors printed by `import` and `batch show`; all of them are on the data page and in the annotated copy.
SHOWN_ERRORS = 200


def cmd_template(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    register = REGISTERS[args.register]
    out = Path(args.output or template.template_filename(register))
    try:
        with engine.connect() as conn:
            template.write_for_store(conn, register, out)
    except OSError as exc:
        raise CliError(f"无法写入 {out}：{exc.strerror or exc}") from None
    say(f"已写出 {register.label} 的导入模板：{out}")
    return 0


def cmd_import(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    source = Path(args.file)
    if not source.is_file():
        raise CliError(f"找不到文件 {source}")
    _check_members(engine, args.department, args.township)
    batch_id = stage.receive(
        engine,
        cfg.uploads_path,
        source,
        source.name,
        COMMAND_LINE,
        register=args.register,
        department_code=args.department,
        township_code=args.township,
        period=args.period,
    )
    batch = stage.check(engine, cfg.uploads_path, batch_id, COMMAND_LINE, cfg.max_upload_bytes, say=_progress)
    if batch.status == Status.INVALID:
        _print_errors(batch)
        hint = f"；带标注的副本：dashboard batch annotate {batch.id} -o 文件名.xlsx"
        # A refused file (no cell was read) has nothing to mark.
        say("修改后重新导入" + (hint if any(e.get("row") for e in batch.errors) else ""))
        say(str(batch.id))
        return 1
    _print_preview(engine, batch)
    if args.dry_run:
        publish.reject(engine, batch.id, COMMAND_LINE, "试运行（--dry-run），未留待审核")
        say("试运行：以上是发布后会发生的变化，本批次已作废")
    else:
        say(f"已暂存为批次 {batch.id}，等待审核：dashboard batch publish {batch.id}")
    say(str(batch.id))
    return 0


def _progress(step: str) -> None:
    say(f"    {step}")


def _check_members(engine: Engine, dept: str | None, town: str | None) -> None:
    with engine.connect() as conn:
        if dept and conn.scalar(select(department.c.code).where(department.c.code == dept)) is None:
            raise CliError(f"没有代码为 {dept} 的部门")
        if town and conn.scalar(select(township.c.code).where(township.c.code == town)) is None:
            raise CliError(f"没有代码为 {town} 的乡镇（街道）")


def _print_errors(batch: Batch) -> None:
    where = f"（工作表“{batch.errors[0]['sheet']}”）" if batch.errors and batch.errors[0].get("sheet") else ""
    say(f"{batch.file_name}{where}：发现 {batch.error_count:,} 处错误，未暂存任何数据")
    for error in batch.errors[:SHOWN_ERRORS]:
        say(f"  {error['message']}")
    if batch.error_count > SHOWN_ERRORS:
        say(f"  ……另有 {batch.error_count - SHOWN_ERRORS:,} 处，见数据页或带标注的副本")


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}{unit}" if unit == "%" else f"{value:g}{unit}"


def _print_preview(engine: Engine, batch: Batch) -> None:
    rows = batch.preview.get("rows", {})
    with engine.connect() as conn:
        scope = publish.scope_zh(conn, batch)
    say(f"批次 {batch.id}：{batch.label}，{scope}，{batch.status_zh}")
    if rows:
        say(
            f"  行：共 {rows['total']:,}；新增 {rows['added']:,}，替换 {rows['replaced']:,}，"
            f"删除 {rows['removed']:,}，不变 {rows['unchanged']:,}"
        )
    changes = batch.preview.get("figures", [])
    if not changes:
        say("  发布后没有数字会变化")
    for f in changes:
        say(
            f"  {f['year']} {f['member_name']} {f['name']}："
            f"{_number(f['before'], f['unit'])} → {_number(f['after'], f['unit'])}"
        )


def cmd_batch(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    if args.action == "list":
        with engine.connect() as conn:
            listed = batches.listing(conn, limit=args.limit)
            for b in listed:
                say(
                    f"{b.id:>5}  {b.created_at.astimezone():%Y-%m-%d %H:%M}  {b.status_zh:<4}  {b.label}  "
                    f"{publish.scope_zh(conn, b) if b.period_start else ''}  {b.file_name or ''}  "
                    f"{b.created_by or '命令行'}"
                )
        if not listed:
            say("还没有任何批次")
        return 0
    if args.action == "show":
        with begin_write(engine) as conn:
            batch = preview.fresh(conn, batches.get(conn, args.id))
        if batch.status == Status.INVALID:
            _print_errors(batch)
        else:
            _print_preview(engine, batch)
        if batch.reason:
            say(f"  驳回理由：{batch.reason}")
        return 0
    if args.action == "publish":
        batch = publish.publish(engine, args.id, COMMAND_LINE)
        say(f"批次 {batch.id} {batch.step}")
        return 0
    if args.action == "reject":
        publish.reject(engine, args.id, COMMAND_LINE, args.reason)
        say(f"批次 {args.id} 已驳回")
        return 0
    if args.action == "retry":
        with begin_write(engine) as conn:
            batches.restart_check(conn, args.id)
        batch = stage.check(
            engine, cfg.uploads_path, args.id, COMMAND_LINE, cfg.max_upload_bytes, say=_progress
        )
        say(f"批次 {batch.id}：{batch.status_zh}")
        return 0 if batch.status == Status.STAGED else 1
    return _annotate(engine, cfg, args)


def _annotate(engine: Engine, cfg: Config, args: argparse.Namespace) -> int:
    with engine.connect() as conn:
        batch = batches.get(conn, args.id)
    if batch.status != Status.INVALID or not batch.stored_as:
        raise CliError(f"批次 {batch.id} 没有需要标注的错误")
    out = Path(args.output or annotate.annotated_filename(batch.file_name))
    annotate.annotate_batch(cfg.uploads_path, batch, cfg.max_upload_bytes, out)
    say(f"已写出带错误标注的副本：{out}")
    return 0


def cmd_version(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    if args.action == "rollback":
        undone = versions.rollback(engine, args.id, COMMAND_LINE)
        say(f"已回滚版本 {'、'.join(map(str, undone))}，数据恢复到版本 {args.id} 发布之前")
        return 0
    with engine.connect() as conn:
        listed = versions.versions(conn, limit=args.limit)
    for v in listed:
        state = f"已回滚（{v.rolled_back_at.astimezone():%Y-%m-%d %H:%M}）" if v.rolled_back_at else "有效"
        rows = v.summary.get("rows", {})
        say(
            f"{v.id:>5}  {v.published_at.astimezone():%Y-%m-%d %H:%M}  批次 {v.batch_id}  {v.label}  {v.scope_zh}  "
            f"新增 {rows.get('added', 0)} 替换 {rows.get('replaced', 0)} 删除 {rows.get('removed', 0)}  {state}"
        )
    if not listed:
        say("还没有发布过任何版本")
    return 0


def cmd_figure(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    batch_id = figures.submit(engine, COMMAND_LINE, args.code, args.year, args.value, args.note)
    with engine.connect() as conn:
        batch = batches.get(conn, batch_id)
    _print_preview(engine, batch)
    say(f"已暂存为批次 {batch_id}，等待审核：dashboard batch publish {batch_id}")
    say(str(batch_id))
    return 0


def cmd_feed(args: argparse.Namespace, cfg: Config) -> int:
    engine = open_store(cfg)
    if args.action == "list":
        with engine.connect() as conn:
            allowed = feeds.listing(conn)
        for username, register in allowed:
            say(f"{username}  {register}（{REGISTERS[register].label}）")
        if not allowed:
            say("没有账号可以自动发布")
        return 0
    try:
        with begin_write(engine) as conn:
            (feeds.allow if args.action == "allow" else feeds.deny)(conn, args.username, args.register)
    except feeds.FeedError as exc:
        raise CliError(str(exc)) from None
    verb = "可以" if args.action == "allow" else "不再能"
    say(f"{args.username} {verb}经接口自动发布{REGISTERS[args.register].label}")
    return 0


COMMANDS = {
    "feed": cmd_feed,
    "template": cmd_template,
    "import": cmd_import,
    "batch": cmd_batch,
    "version": cmd_version,
    "figure": cmd_figure,
}

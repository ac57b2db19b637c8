"""The `dashboard kiosk` commands: links for wall displays, which have nobody to sign in (data/kiosk.py).

`kiosk create NAME` prints what the link shows and, alone on its last line, the URL carrying its token, so a
script can take it with `tail -n 1`; the token is shown this once. `kiosk list` and `kiosk revoke NAME` follow.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Callable
from functools import partial

from sqlalchemy import Engine

from dashboard.cli.support import (
    CliError,
    integer,
    kiosk_every,
    kiosk_pins,
    kiosk_screens,
    kiosk_url,
    local_time,
    open_store,
    place_names,
    positive_integer,
    print_table,
    say,
)
from dashboard.config import Config
from data import kiosk
from data.store import begin_write


def add_parsers(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser("kiosk", help="大屏链接（墙面显示无需登录，只显示公开指标）：创建、列出、停用")
    actions = command.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="创建大屏链接：只能打开 /screen，链接只显示这一次")
    create.add_argument("name", metavar="NAME", help="链接的名称，如 “一楼大厅”（最多 60 个字符）")
    create.add_argument(
        "--screens", metavar="NAMES", help="轮播哪些大屏，逗号分隔，如 overview,mediation（默认全部）"
    )
    create.add_argument(
        "--every",
        type=positive_integer,
        metavar="N",
        help=f"轮播间隔秒数（{kiosk.MIN_EVERY}–{kiosk.MAX_EVERY}）",
    )
    create.add_argument("--year", type=integer, metavar="YYYY", help="固定显示这一年度")
    place = create.add_mutually_exclusive_group()
    place.add_argument("--township", metavar="CODE", help="只显示这个乡镇（街道）")
    place.add_argument("--department", metavar="CODE", help="只显示这个部门")
    create.add_argument(
        "--layout",
        metavar="NAME",
        help="墙面布局，如 wide（三屏并排，用于 5760×1080 拼接屏）；默认按显示器的宽高比自动选择",
    )
    create.add_argument(
        "--base-url",
        metavar="URL",
        help="墙面访问驾驶舱的地址，如 https://fazhi.example.gov.cn（默认取监听地址）",
    )
    actions.add_parser("list", help="列出大屏链接（不含令牌本身）")
    revoke = actions.add_parser("revoke", help="停用大屏链接：墙面在下次检查时显示“此大屏链接已停用”")
    revoke.add_argument("name", metavar="NAME")


def _screens(given: str | None) -> tuple[str, ...]:
    """The screen names of --screens, each checked against layouts/screens.py."""
    if given is None:
        return ()
    # Imported here: the screens' declarations load Dash, which the other commands need not wait for.
    from layouts.screens import BY_NAME

    names = [part.strip() for part in given.split(",") if part.strip()]
    if not names:
        raise CliError("--screens 不能为空：不指定即轮播全部大屏")
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        known = "、".join(f"{s.name}（{s.title}）" for s in BY_NAME.values())
        raise CliError(f"没有名为 {'、'.join(unknown)[:80]} 的大屏，可选：{known}")
    return tuple(dict.fromkeys(names))


def _layout(given: str | None) -> str | None:
    """--layout checked against the layouts declared in layouts/screens.py."""
    if given is None:
        return None
    from layouts.screens import LAYOUT_BY_NAME

    if given not in LAYOUT_BY_NAME:
        known = "、".join(f"{name}（{layout.title}）" for name, layout in LAYOUT_BY_NAME.items())
        raise CliError(f"没有名为 {given[:40]} 的墙面布局，可选：{known}")
    return given


def _base_url(given: str | None, cfg: Config) -> str:
    if given is None:
        host = f"[{cfg.host}]" if ":" in cfg.host else cfg.host
        return f"http://{host}:{cfg.port}"
    base = given.strip().rstrip("/")
    if (
        not base.startswith(("http://", "https://"))
        or base in ("http:/", "https:/")
        or any(ch.isspace() for ch in base)
    ):
        raise CliError(f"--base-url 应以 http:// 或 https:// 开头，当前为 {given[:80]!r}")
    return base


def _create(
    engine: Engine,
    args: argparse.Namespace,
    screens: tuple[str, ...],
    base: str,
    cfg: Config,
    layout: str | None = None,
) -> None:
    with begin_write(engine) as conn:
        link, token = kiosk.create_link(
            conn,
            args.name,
            screens=screens,
            every=args.every,
            year=args.year,
            township=args.township,
            department=args.department,
        )
        pins = kiosk_pins(link, place_names(conn))
    say(f"已创建大屏链接 {link.name}")
    say(f"  大屏：{kiosk_screens(link.screens)}")
    say(f"  轮播间隔：{kiosk_every(link)}")
    say(f"  显示：{pins}，只显示公开指标")
    say(f"  停用：dashboard kiosk revoke {shlex.quote(link.name)}")
    if args.base_url is None and cfg.host in ("0.0.0.0", "::"):
        say(f"  注意：监听地址是 {cfg.host}，墙面需要本机的实际地址，请用 --base-url 指定")
    say("链接只显示这一次，请立即妥善保存（拿到链接的任何人都能打开这块大屏）：")
    if layout:
        say(f"  布局：{layout}（链接里的 layout= 可改）")
    say(kiosk_url(base, token, layout))


def _list(engine: Engine, args: argparse.Namespace) -> None:
    with engine.connect() as conn:
        links = kiosk.list_links(conn)
        places = place_names(conn)
    if not links:
        say("还没有大屏链接。")
        return
    print_table(
        ["名称", "状态", "大屏", "年度与范围", "创建时间", "创建人", "最近访问"],
        (
            [
                link.name,
                link.status,
                kiosk_screens(link.screens),
                kiosk_pins(link, places),
                local_time(link.created_at),
                link.created_by or "命令行",
                local_time(link.last_seen_at),
            ]
            for link in links
        ),
    )


def _revoke(engine: Engine, args: argparse.Namespace) -> None:
    with begin_write(engine) as conn:
        link = kiosk.revoke_link(conn, args.name)
    say(f"已停用大屏链接 {link.name}")


def cmd_kiosk(args: argparse.Namespace, cfg: Config) -> int:
    action: Callable[[Engine], None]
    if args.action == "create":
        # What needs no store is checked before the store is opened.
        screens, base = _screens(args.screens), _base_url(args.base_url, cfg)
        layout = _layout(args.layout)
        action = partial(_create, args=args, screens=screens, base=base, cfg=cfg, layout=layout)
    else:
        action = partial(_list if args.action == "list" else _revoke, args=args)
    engine = open_store(cfg)
    try:
        action(engine)
    finally:
        engine.dispose()
    return 0


COMMANDS = {"kiosk": cmd_kiosk}

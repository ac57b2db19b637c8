"""The `dashboard geo` commands: the township boundaries the big screen's map draws (data/geo.py).

`geo import FILE.geojson` checks the whole file first and stores it only if nothing is wrong, listing every
problem otherwise (exit 1); `geo show` lists what is stored.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard.cli.support import CliError, open_store, say
from dashboard.config import Config
from data import boundaries, geo
from data.store import begin_write


def add_parsers(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser("geo", help="大屏地图的乡镇（街道）边界：导入 GeoJSON、查看")
    actions = command.add_subparsers(dest="action", required=True)
    imp = actions.add_parser(
        "import", help="检查并导入乡镇边界（GeoJSON 要素集合，经纬度）；有任何问题则全部列出、不导入"
    )
    imp.add_argument("file", metavar="FILE.geojson", help="每个要素一个乡镇，属性 code（乡镇代码）或 name")
    actions.add_parser("show", help="列出已导入的乡镇边界：点数与标注位置")


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise CliError(f"找不到文件 {path}")
    try:
        with path.open("rb") as handle:
            # One byte past the limit is enough for check_geojson to refuse a file too large.
            return handle.read(geo.MAX_BYTES + 1)
    except OSError as exc:
        raise CliError(f"无法读取文件 {path}：{exc.strerror or exc}") from None


def cmd_geo(args: argparse.Namespace, cfg: Config) -> int:
    if args.action == "import":
        raw = _read(Path(args.file))
        engine = open_store(cfg)
        with begin_write(engine) as conn:
            count, problems = geo.import_geojson(conn, raw)
        if problems:
            say(f"GeoJSON 有 {len(problems)} 处问题，未导入：")
            for problem in problems:
                say(f"  {problem}")
            return 1
        say(f"已导入 {count} 个乡镇（街道）的边界")
        return 0
    engine = open_store(cfg)
    with engine.connect() as conn:
        shapes = boundaries.township_shapes(conn)
    if not shapes:
        say("还没有导入乡镇边界：dashboard geo import 文件.geojson")
        return 0
    for s in shapes:
        points = sum(len(ring) for ring in s["rings"])
        parts = f"，{len(s['rings'])} 块" if len(s["rings"]) > 1 else ""
        lon, lat = s["label"]
        say(f"{s['code']:<16} {s['name']}  {points} 个点{parts}  标注点（{lon:.5f}, {lat:.5f}）")
    say(f"共 {len(shapes)} 个乡镇（街道）")
    return 0


COMMANDS = {"geo": cmd_geo}

"""The district's township boundaries for the big screen's map: checked on import, stored, read back.

The map draws from the store alone (no tile server, no request leaving the site), so a boundary file is
checked before anything is kept: every township of the store present exactly once and nothing else, polygons
valid, coordinates lon/lat in China and the whole district a few degrees across at most (a file in a
projected system, or with lon and lat swapped, fails here rather than drawing nonsense). Every problem is
listed, in Chinese, so that the person fixing the file sees them all at once.

Boundaries are simplified to what a map some 600 px wide can show, and each gets a label point inside it.
The map reads them back through data/boundaries.py, which does not need shapely.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.errors import ShapelyError
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel
from shapely.validation import explain_validity
from sqlalchemy import Connection, delete, insert, select

from data.accounts import audit
from data.schema import township
from data.schema_screen import township_geo
from data.store import bump_data_version

MAX_BYTES = 20 * 1024 * 1024
LON_RANGE = (73.0, 136.0)  # China's extent, with a margin
LAT_RANGE = (3.0, 54.0)
MAX_SPREAD = 3.0  # degrees: far more than any district, far less than a province
# Share of the district's extent below which detail is dropped: at ~600 px a pixel is about 1/600 of it.
DETAIL = 1 / 2000
STORED_DECIMALS = 6  # about 0.1 m
DEMO_FILE = Path(__file__).parent / "demo" / "townships.geojson"

_REASONS = {
    "Self-intersection": "自相交",
    "Ring Self-intersection": "的环自相交",
    "Too few points": "点数太少",
    "Hole lies outside shell": "的内洞在外环之外",
    "Nested holes": "的内洞相互嵌套",
    "Nested shells": "的多个部分相互嵌套",
    "Interior is disconnected": "的内部被内洞分割成不相连的几块",
    "Invalid Coordinate": "有无效坐标",
    "Duplicate Rings": "有重复的环",
}


@dataclass(frozen=True)
class Shape:
    """One township's checked boundary (lon/lat), simplified, and the point where its label goes."""

    code: str
    name: str
    geometry: BaseGeometry
    label: tuple[float, float]


def _parse(raw: bytes) -> tuple[list | None, list[str]]:
    if len(raw) > MAX_BYTES:
        return None, [f"文件超过 {MAX_BYTES // (1024 * 1024)} MB 的上限，不像一个区县的乡镇边界"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [f"不是 GeoJSON：第 {exc.start + 1} 个字节起不是 UTF-8 编码的文本"]
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [f"不是 GeoJSON：第 {exc.lineno} 行第 {exc.colno} 列无法按 JSON 解析（{exc.msg}）"]
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        return None, [f"不是 GeoJSON 要素集合：应为 FeatureCollection，文件中是 {kind}"]
    features = doc.get("features")
    if not isinstance(features, list):
        return None, ["不是 GeoJSON 要素集合：缺少 features 列表"]
    return features, []


def _reason(geom: BaseGeometry) -> str:
    """explain_validity's English (e.g. ``Self-intersection[113.1 28.2]``) as a short Chinese phrase."""
    text = explain_validity(geom)
    match = re.fullmatch(r"(.*?)\s*\[\s*(\S+)\s+(\S+)\s*\]", text)
    if not match:
        return f"无效：{text}"
    what, x, y = match.groups()
    where = f"（{float(x):.5f}, {float(y):.5f}）"
    said = _REASONS.get(what)
    return f"{said}：位置{where}" if said else f"无效（{what}）：位置{where}"


def _bad_coordinate(geom: BaseGeometry) -> tuple[float, float] | None:
    coords = shapely.get_coordinates(geom)
    lon, lat = coords[:, 0], coords[:, 1]
    bad = ~(
        np.isfinite(lon)
        & np.isfinite(lat)
        & (lon >= LON_RANGE[0])
        & (lon <= LON_RANGE[1])
        & (lat >= LAT_RANGE[0])
        & (lat <= LAT_RANGE[1])
    )
    if bad.any():
        first = int(np.argmax(bad))
        return float(lon[first]), float(lat[first])
    return None


def _feature(
    i: int, feature: object, towns: dict[str, str], by_name: dict[str, str], seen: dict[str, int]
) -> tuple[str | None, BaseGeometry | None, list[str]]:
    """One feature: its township's code and geometry, or the problems that keep it out."""
    where = f"第{i}个要素"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return None, None, [f"{where}不是 GeoJSON 要素（Feature）"]
    props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
    problems = []
    code = props.get("code")
    if code is not None:
        code = str(code).strip()
        if code not in towns:
            problems.append(f"{where}：乡镇代码“{code}”不在乡镇列表中")
            code = None
    elif props.get("name") is not None:
        name = str(props["name"]).strip()
        code = by_name.get(name)
        if code is None:
            problems.append(f"{where}：乡镇名称“{name}”不在乡镇列表中")
    else:
        problems.append(f"{where}没有 code 或 name 属性，不知道是哪个乡镇（街道）")
    if code is not None:
        where = f"{where}（{towns[code]}）"
        if code in seen:
            problems.append(f"{where}与第{seen[code]}个要素是同一个乡镇")
        else:
            seen[code] = i
    raw_geom = feature.get("geometry")
    kind = raw_geom.get("type") if isinstance(raw_geom, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        problems.append(f"{where}的几何类型是 {kind or '空'}，只接受 Polygon 或 MultiPolygon")
        return None, None, problems
    try:
        geom = shape(raw_geom)
    except (ValueError, TypeError, KeyError, IndexError, ShapelyError) as exc:
        problems.append(
            f"{where}的坐标写法不对：{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        )
        return None, None, problems
    if geom.is_empty:
        problems.append(f"{where}的边界是空的")
        return None, None, problems
    bad = _bad_coordinate(geom)
    if bad is not None:
        problems.append(
            f"{where}的坐标（{bad[0]}, {bad[1]}）不是有效的经纬度"
            f"（应为中国境内的经度 {LON_RANGE[0]:g}–{LON_RANGE[1]:g}、纬度 {LAT_RANGE[0]:g}–{LAT_RANGE[1]:g}）"
        )
    elif not geom.is_valid:
        problems.append(f"{where}的边界{_reason(geom)}")
    return (code, geom, problems) if not problems else (None, None, problems)


def _simplified(geoms: list[BaseGeometry], tolerance: float) -> list[BaseGeometry]:
    # A tiling stays one (no slivers along shared borders) only if its borders are simplified together.
    if shapely.coverage_is_valid(geoms):
        together = list(shapely.coverage_simplify(geoms, tolerance))
        if all(g.is_valid and not g.is_empty for g in together):
            return together
    out = []
    for geom in geoms:
        small = geom.simplify(tolerance, preserve_topology=True)
        out.append(small if small.is_valid and not small.is_empty else geom)
    return out


def _label(geom: BaseGeometry, tolerance: float) -> tuple[float, float]:
    largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    point = polylabel(largest, tolerance=tolerance)
    if not geom.contains(point):
        point = geom.representative_point()
    return point.x, point.y


def check_geojson(conn: Connection, raw: bytes) -> tuple[list[Shape], list[str]]:
    """The boundaries in ``raw`` (a GeoJSON FeatureCollection), checked against the store's townships.

    Returns the shapes that passed, simplified and labelled, and every problem found (Chinese sentences);
    the file is fit to store only when there are no problems.
    """
    features, problems = _parse(raw)
    if features is None:
        return [], problems
    towns = {
        r.code: r.name
        for r in conn.execute(select(township.c.code, township.c.name).order_by(township.c.sort))
    }
    by_name = {name: code for code, name in towns.items()}
    seen: dict[str, int] = {}
    found: dict[str, BaseGeometry] = {}
    for i, feature in enumerate(features, 1):
        code, geom, said = _feature(i, feature, towns, by_name, seen)
        problems += said
        if code is not None and geom is not None:
            found[code] = geom
    problems += [f"缺少乡镇：{name}（{code}）" for code, name in towns.items() if code not in seen]
    if not found:
        return [], problems
    west, south, east, north = shapely.GeometryCollection(list(found.values())).bounds
    spread = max(east - west, north - south)
    if spread > MAX_SPREAD:
        problems.append(
            f"全部边界合起来跨 {east - west:.1f}° 经度、{north - south:.1f}° 纬度，超过一个区县可能的范围"
            f"（{MAX_SPREAD:g}°）：是否混入了别处的边界？"
        )
        return [], problems
    tolerance = spread * DETAIL
    codes = [code for code in towns if code in found]
    simple = _simplified([found[code] for code in codes], tolerance)
    shapes = [
        Shape(code, towns[code], geom, _label(geom, tolerance))
        for code, geom in zip(codes, simple, strict=True)
    ]
    return shapes, problems


def _rounded(geom: BaseGeometry, decimals: int) -> BaseGeometry:
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def store(conn: Connection, shapes: list[Shape]) -> int:
    """Replace every stored boundary with ``shapes``, in the caller's transaction; screens repaint."""
    conn.execute(delete(township_geo))
    rows = [
        {
            "township_code": s.code,
            "geometry": json.dumps(mapping(_rounded(s.geometry, STORED_DECIMALS)), separators=(",", ":")),
            "label_lon": round(s.label[0], STORED_DECIMALS),
            "label_lat": round(s.label[1], STORED_DECIMALS),
        }
        for s in shapes
    ]
    if rows:
        conn.execute(insert(township_geo), rows)
    bump_data_version(conn)
    return len(rows)


def import_geojson(conn: Connection, raw: bytes, *, actor: str | None = None) -> tuple[int, list[str]]:
    """Check ``raw`` and, only if it has no problem, replace the stored boundaries with it (audited).

    Returns the number of townships stored and the problems (then nothing was stored).
    """
    shapes, problems = check_geojson(conn, raw)
    if problems:
        return 0, problems
    count = store(conn, shapes)
    audit.record(
        conn,
        "geo_imported",
        actor=actor,
        townships=count,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
    )
    return count, []


def load_demo(conn: Connection) -> int:
    """The demo district's invented boundaries (scripts/make_demo_geo.py), through the same checks as a file."""
    shapes, problems = check_geojson(conn, DEMO_FILE.read_bytes())
    if problems:
        raise ValueError("示例乡镇边界与示例乡镇不符：" + "；".join(problems))
    return store(conn, shapes)

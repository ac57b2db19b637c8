"""Township boundaries for the big screen's map: the demo's, the checks of `dashboard geo import`, the command."""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from subprocess import CompletedProcess

import pytest
import shapely
from conftest import run_cli
from shapely.geometry import Point, Polygon, shape
from sqlalchemy import Engine, insert, select

from data import accounts, boundaries, geo
from data.demo_names import TOWNSHIPS
from data.engine import open_engine
from data.schema import township
from data.schema_screen import township_geo
from data.store import get_meta, migrate

DEMO = json.loads(geo.DEMO_FILE.read_text(encoding="utf-8"))
NAMES = {code: name for code, name, _kind, _weight in TOWNSHIPS}


def encoded(doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def demo_doc() -> dict:
    return copy.deepcopy(DEMO)


def feature_of(doc: dict, code: str) -> dict:
    return next(f for f in doc["features"] if f["properties"]["code"] == code)


def shifted(doc: dict, dlon: float) -> dict:
    for f in doc["features"]:
        geom = shapely.transform(shape(f["geometry"]), lambda xy: xy + [dlon, 0.0])
        f["geometry"] = shapely.geometry.mapping(geom)
    return doc


@pytest.fixture
def towns_engine(empty_url) -> Iterator[Engine]:
    """A fresh store on each engine holding the demo's townships and no boundaries."""
    engine = open_engine(empty_url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(township),
            [{"code": c, "name": n, "kind": k, "sort": i} for i, (c, n, k, _w) in enumerate(TOWNSHIPS)],
        )
    yield engine
    engine.dispose()


def stored_rows(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(township_geo).order_by(township_geo.c.township_code))]


def check(engine: Engine, raw: bytes) -> tuple[list[geo.Shape], list[str]]:
    with engine.connect() as conn:
        return geo.check_geojson(conn, raw)


# --- the demo district ---------------------------------------------------------------------------------------


def test_demo_store_holds_sixteen_valid_boundaries_that_tile_without_overlap(demo_engine):
    with demo_engine.connect() as conn:
        shapes = boundaries.township_shapes(conn)
        order = list(conn.scalars(select(township.c.code).order_by(township.c.sort)))
    assert [s["code"] for s in shapes] == order and len(order) == 16
    assert [s["name"] for s in shapes] == [NAMES[c] for c in order]
    polygons = {s["code"]: shapely.MultiPolygon([Polygon(ring) for ring in s["rings"]]) for s in shapes}
    assert all(p.is_valid and p.area > 0 for p in polygons.values())
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(polygons.values(), 2))
    district = shapely.union_all(list(polygons.values()))
    assert overlap < district.area * 1e-6
    # no gap inside the district: one piece, no holes
    assert district.geom_type == "Polygon" and not district.interiors


def test_every_demo_label_point_lies_inside_its_township(demo_engine):
    with demo_engine.connect() as conn:
        shapes = boundaries.township_shapes(conn)
    for s in shapes:
        area = shapely.MultiPolygon([Polygon(ring) for ring in s["rings"]])
        assert area.contains(Point(s["label"])), s["code"]


def test_demo_district_streets_are_small_and_central_and_the_xiang_large(demo_engine):
    with demo_engine.connect() as conn:
        shapes = {s["code"]: Polygon(s["rings"][0]) for s in boundaries.township_shapes(conn)}
    kinds = {code: kind for code, _name, kind, _w in TOWNSHIPS}
    streets = [p.area for c, p in shapes.items() if kinds[c] == "街道"]
    xiang = [p.area for c, p in shapes.items() if kinds[c] == "乡"]
    assert max(streets) < min(xiang)
    centre = shapely.union_all(list(shapes.values())).centroid
    assert all(shapes[c].distance(centre) < 0.05 for c in ("chengguan", "xinhua", "donghu", "wangjiang"))


def test_the_stored_geometry_is_geojson_that_shapely_reads_back_valid(demo_engine):
    with demo_engine.connect() as conn:
        rows = conn.execute(select(township_geo)).all()
    assert len(rows) == 16
    for row in rows:
        geom = shape(json.loads(row.geometry))
        assert geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid
        assert geom.contains(Point(row.label_lon, row.label_lat))


# --- the checks ----------------------------------------------------------------------------------------------


def test_the_demo_file_passes_every_check(demo_engine):
    shapes, problems = check(demo_engine, geo.DEMO_FILE.read_bytes())
    assert problems == []
    assert sorted(s.code for s in shapes) == sorted(NAMES)


def test_a_file_with_several_problems_lists_every_one_and_stores_nothing(towns_engine):
    with towns_engine.begin() as conn:
        assert geo.import_geojson(conn, geo.DEMO_FILE.read_bytes()) == (16, [])
        version = get_meta(conn, "data_version")
    before = stored_rows(towns_engine)
    doc = demo_doc()
    doc["features"][0]["properties"]["code"] = "nowhere"
    feature_of(doc, "xinhua")["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[500, 91], [501, 91], [501, 92], [500, 91]]],
    }
    feature_of(doc, "qingshan")["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[113.0, 28.2], [113.02, 28.22], [113.02, 28.2], [113.0, 28.22], [113.0, 28.2]]],
    }
    doc["features"] = [f for f in doc["features"] if f["properties"]["code"] != "taoyuan"]
    with towns_engine.begin() as conn:
        count, problems = geo.import_geojson(conn, encoded(doc))
    assert count == 0
    assert "第1个要素：乡镇代码“nowhere”不在乡镇列表中" in problems
    assert "第2个要素（新华街道）的坐标（500.0, 91.0）不是有效的经纬度" in problems[1]
    assert any(p.startswith("第5个要素（青山镇）的边界自相交") for p in problems), problems
    assert "缺少乡镇：城关街道（chengguan）" in problems
    assert "缺少乡镇：桃源乡（taoyuan）" in problems
    assert len(problems) == 5, problems
    assert stored_rows(towns_engine) == before
    with towns_engine.connect() as conn:
        assert get_meta(conn, "data_version") == version


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["features"][3]["properties"].update(code="xx"), "第4个要素：乡镇代码“xx”不在乡镇列表中"),
        (lambda d: d["features"].pop(4), "缺少乡镇：青山镇（qingshan）"),
        (
            lambda d: d["features"].append(copy.deepcopy(d["features"][2])),
            "第17个要素（东湖街道）与第3个要素是同一个乡镇",
        ),
        (
            lambda d: d["features"][1].update(geometry={"type": "Point", "coordinates": [113.1, 28.1]}),
            "第2个要素（新华街道）的几何类型是 Point，只接受 Polygon 或 MultiPolygon",
        ),
        (lambda d: d["features"][0]["properties"].clear(), "第1个要素没有 code 或 name 属性"),
        (lambda d: shifted(d, 30.0) and None, "不是有效的经纬度"),
    ],
    ids=["unknown-code", "missing", "duplicate", "point", "unnamed", "out-of-china"],
)
def test_each_problem_is_named(demo_engine, change, expected):
    doc = demo_doc()
    change(doc)
    shapes, problems = check(demo_engine, encoded(doc))
    assert any(expected in p for p in problems), problems


def test_a_self_intersecting_boundary_says_where(demo_engine):
    doc = demo_doc()
    feature_of(doc, "meilin")["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[113.2, 28.2], [113.22, 28.22], [113.22, 28.2], [113.2, 28.22], [113.2, 28.2]]],
    }
    _shapes, problems = check(demo_engine, encoded(doc))
    assert problems == ["第7个要素（梅林镇）的边界自相交：位置（113.21000, 28.21000）"]


def test_a_district_wider_than_three_degrees_is_refused(demo_engine):
    doc = demo_doc()
    feature_of(doc, "changling")["geometry"] = shapely.geometry.mapping(shapely.box(118.0, 30.0, 118.1, 30.1))
    shapes, problems = check(demo_engine, encoded(doc))
    assert shapes == [] and len(problems) == 1 and "超过一个区县可能的范围" in problems[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"{not json", "不是 GeoJSON：第 1 行第 2 列"),
        ("区界".encode("gb18030"), "不是 GeoJSON：第 1 个字节起不是 UTF-8"),
        (b'{"type": "Feature", "geometry": null}', "应为 FeatureCollection，文件中是 Feature"),
        (b"[1, 2]", "应为 FeatureCollection，文件中是 list"),
        (b'{"type": "FeatureCollection"}', "缺少 features 列表"),
        (b" " * (geo.MAX_BYTES + 1), "文件超过 20 MB"),
    ],
    ids=["not-json", "not-utf8", "a-feature", "an-array", "no-features", "too-large"],
)
def test_a_file_that_is_not_a_feature_collection_is_refused_in_one_sentence(demo_engine, raw, expected):
    shapes, problems = check(demo_engine, raw)
    assert shapes == [] and len(problems) == 1 and expected in problems[0], problems


def test_a_township_may_be_named_by_its_name_instead_of_its_code(demo_engine):
    doc = demo_doc()
    for f in doc["features"]:
        f["properties"] = {"name": f["properties"]["name"]}
    doc["features"][0]["properties"] = {"name": "不存在镇"}
    shapes, problems = check(demo_engine, encoded(doc))
    assert problems == ["第1个要素：乡镇名称“不存在镇”不在乡镇列表中", "缺少乡镇：城关街道（chengguan）"]
    assert len(shapes) == 15


def test_boundaries_are_simplified_to_what_the_map_can_show(demo_engine):
    doc = demo_doc()
    target = feature_of(doc, "jinxi")
    dense = shapely.segmentize(shape(target["geometry"]), 0.00005)
    target["geometry"] = shapely.geometry.mapping(dense)
    shapes, problems = check(demo_engine, encoded(doc))
    assert problems == []
    kept = next(s for s in shapes if s.code == "jinxi").geometry
    assert shapely.get_num_coordinates(kept) < shapely.get_num_coordinates(dense) / 20
    assert kept.symmetric_difference(dense).area < dense.area * 0.01


# --- storing -------------------------------------------------------------------------------------------------


def test_import_replaces_the_previous_boundaries_bumps_the_data_version_and_is_audited(towns_engine):
    with towns_engine.connect() as conn:
        assert boundaries.township_shapes(conn) == []
    first = geo.DEMO_FILE.read_bytes()
    with towns_engine.begin() as conn:
        assert geo.import_geojson(conn, first, actor="admin") == (16, [])
        version = int(get_meta(conn, "data_version", "0"))
        labels = {s["code"]: s["label"] for s in boundaries.township_shapes(conn)}
    moved = encoded(shifted(demo_doc(), 0.1))
    with towns_engine.begin() as conn:
        assert geo.import_geojson(conn, moved) == (16, [])
        assert int(get_meta(conn, "data_version")) == version + 1
        after = {s["code"]: s["label"] for s in boundaries.township_shapes(conn)}
        events = [e for e in accounts.audit_events(conn) if e.event == "geo_imported"]
    assert len(stored_rows(towns_engine)) == 16
    assert after.keys() == labels.keys()
    assert all(after[c][0] == pytest.approx(labels[c][0] + 0.1, abs=0.01) for c in labels)
    assert [e.actor for e in events] == [None, "admin"]
    assert events[0].detail["sha256"] == hashlib.sha256(moved).hexdigest()
    assert events[0].detail["townships"] == 16 and events[0].detail["size"] == len(moved)


# --- the command ---------------------------------------------------------------------------------------------


def run(*args: str, url: str, tmp_path) -> CompletedProcess:
    return run_cli(*args, env={"DATABASE_URL": url, "DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance")})


def test_geo_commands_end_to_end(towns_engine, tmp_path):
    url = towns_engine.url.render_as_string(hide_password=False)
    none = run("geo", "show", url=url, tmp_path=tmp_path)
    assert none.returncode == 0 and "还没有导入乡镇边界" in none.stdout, none.stderr

    good = run("geo", "import", str(geo.DEMO_FILE), url=url, tmp_path=tmp_path)
    assert (good.returncode, good.stdout.strip()) == (0, "已导入 16 个乡镇（街道）的边界"), good.stderr
    shown = run("geo", "show", url=url, tmp_path=tmp_path)
    assert shown.returncode == 0 and "城关街道" in shown.stdout and "共 16 个乡镇（街道）" in shown.stdout
    before = stored_rows(towns_engine)

    doc = demo_doc()
    doc["features"][0]["properties"]["code"] = "nowhere"
    doc["features"][1]["geometry"] = {"type": "Point", "coordinates": [113.1, 28.1]}
    bad_file = tmp_path / "区界.geojson"
    bad_file.write_bytes(encoded(doc))
    bad = run("geo", "import", str(bad_file), url=url, tmp_path=tmp_path)
    lines = bad.stdout.strip().splitlines()
    assert bad.returncode == 1 and "Traceback" not in bad.stdout + bad.stderr
    assert lines[0] == "GeoJSON 有 3 处问题，未导入："
    assert [line.strip() for line in lines[1:]] == [
        "第1个要素：乡镇代码“nowhere”不在乡镇列表中",
        "第2个要素（新华街道）的几何类型是 Point，只接受 Polygon 或 MultiPolygon",
        "缺少乡镇：城关街道（chengguan）",
    ]
    assert stored_rows(towns_engine) == before

    missing = run("geo", "import", str(tmp_path / "nope.geojson"), url=url, tmp_path=tmp_path)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.strip().splitlines() == [f"错误：找不到文件 {tmp_path / 'nope.geojson'}"]


@pytest.mark.slow
def test_the_web_app_reads_boundaries_without_loading_shapely():
    # shapely and GEOS are for checking a file on import; every web worker would otherwise carry them
    code = "import sys, dashboard.app, dashboard.pages.screen; print('shapely' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"

"""Writes data/demo/townships.geojson: invented boundaries for the demo district's 16 invented townships.

    .venv/bin/python scripts/make_demo_geo.py

Deterministic: the same file on every run. The district is a noisy blob in central China; each township is
the set of points nearer its seed than any other's, the distance bent by a smooth noise field so that borders
wander like real ones. Working on a grid and simplifying the grid's cells as one coverage
(``shapely.coverage_simplify``) keeps the townships tiling the district with no gap or overlap: a shared
border is simplified once, for both sides. The seeds are set by hand: the four 街道 close together in the
centre (small), the park beside them, the towns around, the two 乡 far out at the edge (large).
"""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path

import numpy as np
import shapely
import shapely.affinity
from shapely.geometry import mapping

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data.demo_names import TOWNSHIPS  # noqa: E402

OUT = ROOT / "data" / "demo" / "townships.geojson"
CENTRE = (113.10, 28.17)  # lon, lat: an invented place between real ones in central China
KM_PER_DEG_LAT = 111.0
KM_PER_DEG_LON = KM_PER_DEG_LAT * math.cos(math.radians(CENTRE[1]))
CELL_KM = 0.2
SIMPLIFY_KM = 0.35
SEED = 20241231

# km east and north of the centre
SEEDS: dict[str, tuple[float, float]] = {
    "chengguan": (0.0, 0.0),
    "xinhua": (-2.4, 1.7),
    "donghu": (2.5, 1.4),
    "wangjiang": (-0.4, -2.4),
    "gaoxin": (4.6, -3.4),
    "qingshan": (-7.5, 8.5),
    "shiqiao": (4.5, 9.5),
    "meilin": (11.0, 2.5),
    "baisha": (9.0, -9.0),
    "jinxi": (-0.5, -10.5),
    "hetang": (-9.5, -5.0),
    "fengle": (-11.5, 2.0),
    "xikou": (-1.5, 15.0),
    "lianfeng": (14.0, 11.0),
    "taoyuan": (-16.0, 15.0),
    "changling": (16.0, -15.0),
}


def _noise(rng: random.Random, waves: int, amplitude: float, scale_km: float):
    """A smooth field: a few sine waves of random direction and phase, wavelengths around ``scale_km``."""
    params = [
        (rng.uniform(0, math.tau), rng.uniform(0.6, 1.6) * math.tau / scale_km, rng.uniform(0, math.tau))
        for _ in range(waves)
    ]

    def field(x, y):
        return sum(np.sin(k * (x * math.cos(a) + y * math.sin(a)) + p) for a, k, p in params) * (
            amplitude / math.sqrt(waves)
        )

    return field


def _outline(rng: random.Random, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Which grid points lie in the district: a radius that swells toward the two 乡 and wobbles elsewhere."""
    angle = np.arctan2(y, x)
    radius = 16.0 + _noise(rng, 6, 4.0, 30.0)(np.cos(angle) * 10, np.sin(angle) * 10)
    for code in ("taoyuan", "changling"):
        sx, sy = SEEDS[code]
        toward = np.cos(angle - math.atan2(sy, sx))
        radius = radius + 9.0 * np.clip(toward, 0, None) ** 3
    return np.hypot(x, y) <= radius + _noise(rng, 8, 1.2, 6.0)(x, y)


def _townships() -> dict[str, shapely.Geometry]:
    rng = random.Random(SEED)
    # Cells are built on whole-number corners, so that neighbours share their edges exactly (a union of
    # float boxes leaves slivers where the sums round differently); kilometres come after the union.
    half = int(26 / CELL_KM)
    index = np.arange(-half, half)
    i, j = np.meshgrid(index, index)
    x, y = (i + 0.5) * CELL_KM, (j + 0.5) * CELL_KM
    inside = _outline(rng, x, y)
    bend = _noise(rng, 10, 1.6, 7.0)
    codes = list(SEEDS)
    # Borders wander less in the town centre, where the 街道 are small.
    wander = np.clip(np.hypot(x, y) / 8.0, 0.35, 1.0)
    distance = np.stack(
        [
            np.hypot(x - sx, y - sy) + wander * bend(x + k * 3.1, y - k * 1.7)
            for k, (sx, sy) in enumerate(SEEDS.values())
        ]
    )
    nearest = np.argmin(distance, axis=0)
    cells = {}
    for k, code in enumerate(codes):
        mask = inside & (nearest == k)
        union = shapely.coverage_union_all(shapely.box(i[mask], j[mask], i[mask] + 1, j[mask] + 1))
        # A stray island of a few cells would be a second part far from the township: keep the main one.
        parts = sorted(getattr(union, "geoms", [union]), key=lambda g: g.area, reverse=True)
        cells[code] = shapely.Polygon(parts[0].exterior)
    # Dropped islands and filled holes leave overlaps: a township is its main part less the main parts of
    # the townships inside it.
    for code, poly in cells.items():
        others = [p for c, p in cells.items() if c != code and poly.contains(p)]
        if others:
            cells[code] = poly.difference(shapely.union_all(others))
    # The dropped islands leave holes in the district: each goes to the township it shares most border with.
    covered = shapely.union_all(list(cells.values()))
    main = max(getattr(covered, "geoms", [covered]), key=lambda g: g.area)
    gaps = shapely.Polygon(main.exterior).difference(covered)
    for gap in getattr(gaps, "geoms", [gaps]):
        if gap.is_empty:
            continue
        code = max(cells, key=lambda c: cells[c].boundary.intersection(gap.boundary).length)
        cells[code] = cells[code].union(gap)
    shapes = list(cells.values())
    km = shapely.affinity.scale(shapely.GeometryCollection(shapes), CELL_KM, CELL_KM, origin=(0, 0))
    simplified = shapely.coverage_simplify(list(km.geoms), SIMPLIFY_KM)
    return dict(zip(codes, simplified, strict=True))


def _to_lonlat(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(
        geom,
        lambda xy: np.column_stack(
            (
                np.round(CENTRE[0] + xy[:, 0] / KM_PER_DEG_LON, 5),
                np.round(CENTRE[1] + xy[:, 1] / KM_PER_DEG_LAT, 5),
            )
        ),
    )


def main() -> None:
    shapes = _townships()
    names = {code: name for code, name, _kind, _weight in TOWNSHIPS}
    features = []
    for code, _name, _kind, _weight in TOWNSHIPS:
        geom = _to_lonlat(shapes[code])
        if not geom.is_valid:
            raise SystemExit(f"{code}: {shapely.validation.explain_validity(geom)}")
        features.append(
            {"type": "Feature", "properties": {"code": code, "name": names[code]}, "geometry": mapping(geom)}
        )
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(features)} 个乡镇，{len(text.encode()) / 1024:.1f} KB")


if __name__ == "__main__":
    main()

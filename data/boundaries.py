"""The stored township boundaries, read back for the big screen's map.

Apart from data/geo.py, which checks and stores them with shapely, so that a web worker serving walls does not
load shapely and GEOS at all: reading needs only JSON.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, select

from data.schema import township
from data.schema_screen import township_geo

SHOWN_DECIMALS = 5  # about 1 m, what the browser gets


def _outer_rings(geometry: dict) -> list[list[list[float]]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [
        [[round(lon, SHOWN_DECIMALS), round(lat, SHOWN_DECIMALS)] for lon, lat, *_ in polygon[0]]
        for polygon in polygons
    ]


def township_shapes(conn: Connection) -> list[dict]:
    """What the screen's map draws, in township order: code, name, the outer rings (holes dropped: at the
    map's size they are specks) and the label point, [lon, lat] pairs. Empty when no boundaries are stored."""
    rows = conn.execute(
        select(township.c.code, township.c.name, township_geo)
        .join(township_geo, township_geo.c.township_code == township.c.code)
        .order_by(township.c.sort, township.c.code)
    )
    return [
        {
            "code": r.code,
            "name": r.name,
            "rings": _outer_rings(json.loads(r.geometry)),
            "label": [round(r.label_lon, SHOWN_DECIMALS), round(r.label_lat, SHOWN_DECIMALS)],
        }
        for r in rows
    ]

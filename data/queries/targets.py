"""A figure's target for the year viewed (data/targets.py sets them): the one filtered unit's, else the whole
district's, else the catalog's default. One indexed lookup per request (the key starts with the indicator)."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select

from data import catalog
from data.queries.dimensions import UNASSIGNED
from data.queries.filters import Filters
from data.schema_district import WHOLE_DISTRICT, indicator_target

_FOR_YEAR = select(
    indicator_target.c.indicator_code, indicator_target.c.unit_code, indicator_target.c.value
).where(
    indicator_target.c.indicator_code.in_(bindparam("codes", expanding=True)),
    indicator_target.c.year == bindparam("year"),
    indicator_target.c.unit_code.in_(bindparam("units", expanding=True)),
)


def targets_for(
    conn: Connection, inds: list[catalog.Indicator], year: int, unit_code: str | None = None
) -> dict[str, float | None]:
    """Each indicator's target for ``year``: the unit's, else the district's, else the catalog's."""
    units = [WHOLE_DISTRICT] if unit_code is None else [WHOLE_DISTRICT, unit_code]
    found: dict[tuple[str, str], float] = {}
    if inds:
        rows = conn.execute(_FOR_YEAR, {"codes": [i.code for i in inds], "year": year, "units": units})
        found = {(code, unit): float(value) for code, unit, value in rows}
    out: dict[str, float | None] = {}
    for ind in inds:
        mine = found.get((ind.code, unit_code)) if unit_code else None
        whole = found.get((ind.code, WHOLE_DISTRICT))
        out[ind.code] = mine if mine is not None else whole if whole is not None else ind.target
    return out


def target_unit(filters: Filters) -> str | None:
    """The unit whose own targets apply: the one department or township the filters name, if only one."""
    named = [
        c
        for c in (*filters.departments, *filters.townships)
        if c not in {u.code for u in UNASSIGNED.values()}
    ]
    return named[0] if len(named) == 1 and len(filters.departments) + len(filters.townships) == 1 else None

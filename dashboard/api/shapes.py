"""What the API's routes and its OpenAPI document share: where the API lives and how an indicator reads in JSON.
Apart from the routes (dashboard/api/routes.py) so that the document (dashboard/api/openapi.py, openapi_schemas.py) can
describe them without importing the routes, which serve the document.
"""

from __future__ import annotations

from data import catalog
from layouts.paths import API_PREFIX

PREFIX = API_PREFIX


def indicator_json(ind: catalog.Indicator) -> dict:
    """An indicator as the API shows it (dashboard/api/openapi.py describes exactly these fields)."""
    return {
        "code": ind.code,
        "area": ind.area,
        "name": ind.name,
        "unit": ind.unit,
        "definition": ind.definition,
        "responsible": ind.responsible,
        "period": ind.period,
        "direction": ind.direction,
        "target": ind.target,
        "applies": {"department": ind.applies_department, "township": ind.applies_township},
        "visibility": ind.visibility,
        "source": ind.source_kind,
        "numerator": ind.numerator,
        "denominator": ind.denominator,
        # what kind of number it is (a claim has no 同比 and no trend), the words beside it and its note
        "nature": ind.nature,
        "qualifiers": [
            {"year": int(held) if held else None, "text": text}
            for held, _, text in (p.rpartition(":") for p in catalog.qualifier_parts(ind.qualifier))
        ],
        "note": ind.note,
    }

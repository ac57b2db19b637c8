"""The filters as they travel between browser and server: the shared store's data and the URL's query.

The browser keeps the filter bar and the URL in step (assets/2-app/filters.js); the server trusts neither and
checks the store's data again before any query.
"""

from __future__ import annotations

from urllib.parse import urlencode

from data.queries.filters import Filters

MAX_CODES = 100


def to_search(filters: Filters) -> str:
    """The URL query that reopens ``filters`` (the browser writes the same form, assets/2-app/filters.js)."""
    params = [("year", filters.year)]
    if filters.departments:
        params.append(("department", ",".join(filters.departments)))
    if filters.townships:
        params.append(("township", ",".join(filters.townships)))
    return "?" + urlencode(params, safe=",")


def to_filters(state: object) -> Filters | None:
    """The query layer's filters from the shared store's data, or None when it is not usable."""
    if not isinstance(state, dict):
        return None
    year = state.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        return None
    departments = state.get("department") or []
    townships = state.get("township") or []
    if not isinstance(departments, list) or not isinstance(townships, list):
        return None
    if (
        not all(isinstance(c, str) for c in [*departments, *townships])
        or len(departments) + len(townships) > 2 * MAX_CODES
    ):
        return None
    return Filters(year=year, departments=tuple(departments), townships=tuple(townships))

"""The filters as they travel between browser and server: the shared store's data and the URL's query.

The browser keeps the filter bar and the URL in step (assets/2-app/filters.js); the server trusts neither and
checks the store's data again before any query.
"""

from __future__ import annotations

from urllib.parse import urlencode

from data.access import Scope
from data.queries.filters import MAX_CODES, YEARS, Filters, is_code


def to_search(filters: Filters) -> str:
    """The URL query that reopens ``filters`` (the browser writes the same form, assets/2-app/filters.js)."""
    params = [("year", filters.year)]
    if filters.departments:
        params.append(("department", ",".join(filters.departments)))
    if filters.townships:
        params.append(("township", ",".join(filters.townships)))
    return "?" + urlencode(params, safe=",")


def to_filters(state: object, scope: Scope) -> Filters | None:
    """The query layer's filters from the shared store's data, or None when it is not usable; ``scope`` is
    the reader's, from the server's session (Context.scope), never from the browser."""
    if not isinstance(state, dict):
        return None
    year = state.get("year")
    # A year outside four digits would reach the database as a number it may not bind (past 64 bits).
    if not isinstance(year, int) or isinstance(year, bool) or year not in YEARS:
        return None
    departments = state.get("department") or []
    townships = state.get("township") or []
    if not isinstance(departments, list) or not isinstance(townships, list):
        return None
    if len(departments) > MAX_CODES or len(townships) > MAX_CODES:
        return None
    if not all(is_code(c) for c in [*departments, *townships]):
        return None
    return Filters(year=year, departments=tuple(departments), townships=tuple(townships), scope=scope)

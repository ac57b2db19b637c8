"""The filters as they travel in the URL: parsing a query string against the store, and writing one back."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from data.queries.dimensions import Dimensions
from data.queries.filters import Filters

MAX_CODES = 100


def parse(search: str | None, dims: Dimensions, default_year: int | None) -> tuple[dict, list[str]]:
    """Filters from ``?year=…&department=…&township=…``; what cannot be used is dropped and described."""
    dropped: list[str] = []
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    raw_year = (query.get("year") or [""])[-1]
    year = default_year
    if raw_year:
        if raw_year.isascii() and raw_year.isdigit() and int(raw_year) in dims.years:
            year = int(raw_year)
        else:
            dropped.append(f"年度“{raw_year[:20]}”")
    choices = {}
    for key, known, label in (
        ("department", dims.department_codes(), "部门"),
        ("township", dims.township_codes(), "乡镇"),
    ):
        codes = [c for value in query.get(key, []) for c in value.split(",") if c][:MAX_CODES]
        unknown = [c for c in codes if c not in known]
        if unknown:
            dropped.append(f"{label}“{'、'.join(c[:20] for c in unknown[:3])}”")
        choices[key] = sorted({c for c in codes if c in known})
    for key in query:
        if key not in {"year", "department", "township"}:
            dropped.append(f"参数“{key[:20]}”")
    return {"year": year, "department": choices["department"], "township": choices["township"]}, dropped


def to_search(state: dict) -> str:
    params = [("year", state["year"])]
    if state["department"]:
        params.append(("department", ",".join(state["department"])))
    if state["township"]:
        params.append(("township", ",".join(state["township"])))
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

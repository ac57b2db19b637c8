"""Turning query results into KPI cards: shared by the overview and the area pages."""

from __future__ import annotations

from urllib.parse import urlencode

from dash import html
from sqlalchemy import Connection

from callbacks.common import Cached, Context
from data import catalog
from data.access import Action
from data.queries.figures import figures
from data.queries.filters import Filters
from data.queries.records import has_records
from layouts.cards import kpi_card
from layouts.paths import SUPERVISE_NEW_PATH


def about(ind: catalog.Indicator, year: int | None = None, whole: bool = True) -> dict:
    """What a card says about its figure besides the number: the catalog's 口径 and the words shown beside the
    figure of ``year`` (上半年, 全市排名第一, 一项主张而非统计), the note and whether a 同比 means anything."""
    return {
        "beside": ind.beside(year, whole),
        "note": ind.note,
        "compares": ind.compares,
        "definition": ind.definition,
        "responsible": ind.responsible,
        "period": catalog.PERIODS[ind.period],
        "direction": ind.direction,
        "target": ind.target,
    }


def ignored(ind: catalog.Indicator, filters: Filters) -> list[str]:
    """The chosen filters this figure is not split by: it shows the district's value, marked."""
    out = []
    if filters.departments and not ind.applies_department:
        out.append("部门")
    if filters.townships and not ind.applies_township:
        out.append("乡镇")
    return out


def figures_wanted(filters: Filters, codes: list[str]) -> Cached:
    """The figures of ``codes`` for ``filters`` as the panel cache keeps them (code -> Figure.to_dict())."""

    def build(conn: Connection) -> dict[str, dict]:
        return {f.code: f.to_dict() for f in figures(conn, filters, codes=codes)}

    return Cached(f"figures:{','.join(codes)}", filters, build)


def figure_dicts(
    context: Context, filters: Filters, codes: list[str], conn: Connection | None = None
) -> dict[str, dict]:
    """The figures of ``codes`` for ``filters``, cached by data version; read through ``conn`` if given."""
    return context.cached_all([figures_wanted(filters, codes)], conn)[0]


def raise_href(code: str, filters: Filters) -> str | None:
    """The create form of a follow-up about ``code`` for a reader who may raise one, with the unit the filters
    name when they name exactly one (the form asks for it otherwise)."""
    if not filters.scope.may(Action.SUPERVISE):
        return None
    query = {"indicator": code}
    if len(filters.departments) == 1 and not filters.townships:
        query["department"] = filters.departments[0]
    elif len(filters.townships) == 1 and not filters.departments:
        query["township"] = filters.townships[0]
    return f"{SUPERVISE_NEW_PATH}?{urlencode(query)}"


def cards(values: dict[str, dict], filters: Filters, codes: list[str]) -> list[html.Div]:
    """A card for each of ``codes`` the reader may see (``values`` holds only those), with 明细 where the
    reader may read its rows, and 督办 for a reader who may raise a follow-up."""
    cat = catalog.load()
    return [
        kpi_card(
            values[code],
            about(cat[code], filters.year, filters.whole(cat[code])),
            ignored(cat[code], filters),
            drill=has_records(code, filters.scope),
            raise_href=raise_href(code, filters),
        )
        for code in codes
        if code in values
    ]

"""An area page's panels, one callback each: KPI cards, monthly trend, split by township or department,
and the area's extra breakdowns. Clicking a bar of the split sets that filter."""

from __future__ import annotations

from dataclasses import replace

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate
from sqlalchemy import Connection

from callbacks.common import Cached, Context, needs
from callbacks.figures import cards, figures_wanted, ignored
from callbacks.filters import to_filters
from data import catalog
from data.access import Action, Scope
from data.queries.categories import categories
from data.queries.filters import Filters
from data.queries.series import breakdown, compared_note, monthly
from layouts import charts, ids
from layouts.areas import AREA_PAGES, AreaPage, Extra
from layouts.cards import message
from layouts.format import aside

NO_ROWS = "所选部门、乡镇在本年度没有登记记录"


def _filters(context: Context, state: object) -> Filters:
    filters = to_filters(state, context.scope())
    if filters is None:
        raise PreventUpdate
    return filters


def area_codes(area: str, scope: Scope) -> list[str]:
    """The area's indicators the reader may see, in catalog order."""
    return [i.code for i in catalog.load().values() if i.area == area and scope.sees(i)]


def kpi_cards(filters: Filters, codes: list[str], values: dict[str, dict]) -> list:
    """The cards of ``codes`` from their cached figures."""
    shown = cards(values, filters, codes)
    cat = catalog.load()
    counted = [c for c in codes if cat[c].source_kind == "register" and not ignored(cat[c], filters)]
    # A selection with no rows at all is said in words, so that its zeros are not read as data.
    if (
        (filters.departments or filters.townships)
        and counted
        and not any(values[c]["value"] for c in counted)
    ):
        return [message(f"{NO_ROWS}，以下登记数字均为 0。"), *shown]
    return shown


def hidden(ind: catalog.Indicator, filters: Filters, title: str) -> dict | None:
    """A chart that says it is not for this reader, where ``ind`` is not theirs to see (else None)."""
    if filters.scope.sees(ind):
        return None
    reason = "登录后可查看" if not filters.scope.signed_in else "本账号无权查看"
    return charts.empty(reason, title)


def _note(ind: catalog.Indicator, filters: Filters) -> str:
    skipped = ignored(ind, filters)
    return f"（不分{'、'.join(skipped)}）" if skipped else ""


def trend_wanted(page: AreaPage, filters: Filters) -> Cached | dict:
    """The monthly chart to cache and how to build it, or the chart that says it is not for this reader."""
    ind = catalog.load()[page.trend]
    refused = hidden(ind, filters, f"{ind.name}：逐月对比")
    if refused:
        return refused

    def build(conn: Connection) -> dict:
        series = monthly(conn, ind.code, filters)
        title = f"{ind.name}：逐月对比{_note(ind, filters)}{aside(compared_note(conn, ind.code, filters))}"
        if not any(v for v in series.get(filters.year, []) if v):
            return charts.empty(NO_ROWS, title)
        return charts.trend(title, ind.unit, series, filters.year)

    return Cached(f"trend:{ind.code}", filters, build)


def split_wanted(page: AreaPage, filters: Filters) -> Cached | dict:
    """All members of the split, with the other filters applied; the chosen ones are marked."""
    ind = catalog.load()[page.split_code]
    label = "乡镇（街道）" if page.split == "township" else "部门"
    wider = replace(filters, townships=()) if page.split == "township" else replace(filters, departments=())
    chosen = set(filters.townships if page.split == "township" else filters.departments)
    refused = hidden(ind, filters, f"{ind.name}：按{label}")
    if refused:
        return refused

    def build(conn: Connection) -> dict:
        rows = [r for r in breakdown(conn, ind.code, wider, by=page.split) if r["value"]]
        title = f"{ind.name}：按{label}{_note(ind, wider)}"
        if not rows:
            return charts.empty(NO_ROWS, title)
        # Counts add up: the members beyond the chart's room are one bar, so the bars sum to the card.
        rest = None if ind.is_rate else f"其他{label}"
        figure = charts.bars(title, ind.unit, rows, clickable=True, rest=rest)
        if chosen:
            bar = figure["data"][0]
            bar["marker"]["color"] = [
                charts.BAR if code in chosen else charts.MUTED for code in bar["customdata"]
            ]
        return figure

    return Cached(f"split:{page.area}:{sorted(chosen)}", wider, build)


def extra_wanted(page: AreaPage, extra: Extra, filters: Filters) -> Cached | dict:
    ind = catalog.load()[extra.code]
    refused = hidden(ind, filters, extra.title) or (
        hidden(catalog.load()[extra.versus], filters, extra.title) if extra.versus else None
    )
    if refused:
        return refused

    def build(conn: Connection) -> dict:
        if extra.versus:
            return _versus_figure(conn, extra, ind, filters)
        rows = [r for r in categories(conn, extra.code, filters, extra.column) if r["value"]]
        title = f"{extra.title}{_note(ind, filters)}"
        return charts.bars(title, ind.unit, rows) if rows else charts.empty(NO_ROWS, title)

    return Cached(f"extra:{page.area}:{extra.name}", filters, build)


def _versus_figure(conn: Connection, extra: Extra, ind: catalog.Indicator, filters: Filters) -> dict:
    """Two figures side by side for each township that has the first (requests raised against resolved)."""
    first = [r for r in breakdown(conn, extra.code, filters, by="township") if r["value"]]
    if not first:
        return charts.empty(NO_ROWS, extra.title)
    second = {r["code"]: r["value"] for r in breakdown(conn, extra.versus, filters, by="township")}
    cat = catalog.load()
    return charts.paired_bars(
        extra.title,
        ind.unit,
        [r["name"] for r in first],
        (cat[extra.code].name, [r["value"] for r in first]),
        (cat[extra.versus].name, [second.get(r["code"], 0) for r in first]),
    )


def page_panels(context: Context, page: AreaPage, filters: Filters) -> list:
    """Every panel of ``page``, in the order of its outputs: the cards, then the charts."""
    codes = area_codes(page.area, filters.scope)
    wanted = [figures_wanted(filters, codes)]
    if page.trend:
        wanted.append(trend_wanted(page, filters))
    if page.split:
        wanted.append(split_wanted(page, filters))
    wanted += [extra_wanted(page, e, filters) for e in page.extras]
    # together: one cache read and one write, through the request's connection
    values, *figures = context.cached_all(wanted)
    return [kpi_cards(filters, codes, values), *figures]


def clicked_filter(click: object, current: object) -> list[str]:
    """The filter after a click on a bar: that member alone, or none when it already was the only one."""
    try:
        code = click["points"][0]["customdata"]  # type: ignore[index]
    except (TypeError, KeyError, IndexError):
        raise PreventUpdate from None
    if not isinstance(code, str):
        raise PreventUpdate
    return [] if current == [code] else [code]


def register(app: Dash, context: Context) -> None:
    for page in AREA_PAGES:
        _register_page(app, context, page)


def _register_page(app: Dash, context: Context, page: AreaPage) -> None:
    outputs = [Output(ids.panel(page.area, "kpis"), "children")]
    if page.trend:
        outputs.append(Output(ids.panel(page.area, "trend"), "figure"))
    if page.split:
        outputs.append(Output(ids.panel(page.area, "breakdown"), "figure"))
    outputs += [Output(ids.panel(page.area, e.name), "figure") for e in page.extras]

    # filters store -> every panel of the page in one request (cached each): one round trip per change, and
    # one repaint in the browser instead of one per panel
    @app.callback(*outputs, Input(ids.FILTERS, "data"))
    @needs(Action.READ_FIGURES)
    def _panels(state):
        out = page_panels(context, page, _filters(context, state))
        return out if len(out) > 1 else out[0]

    if page.split:
        control = ids.TOWNSHIP if page.split == "township" else ids.DEPARTMENT

        # a click on a bar -> that township or department becomes the filter (the shell then updates the URL)
        @app.callback(
            Output(control, "value", allow_duplicate=True),
            Input(ids.panel(page.area, "breakdown"), "clickData"),
            State(control, "value"),
            prevent_initial_call=True,
        )
        @needs(Action.READ_FIGURES)
        def _click(click, current):
            return clicked_filter(click, current)

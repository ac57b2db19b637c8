"""The big screen's work, as plain functions: each screen's panels computed through the query layer and kept in
the panel cache by data version, like the desk's (what a wall's URL asks for is dashboard/content/wall.py's).

The browser asks for a screen's panels only when the data version changed (dashboard/pages/screen.py), so a
hundred walls cost one computation per screen and filters, then cache hits.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Connection

from callbacks.common import Cached, Context
from callbacks.figures import ignored
from dashboard.content.screen_alerts import alert_panel
from data import boundaries, catalog
from data.queries.categories import categories
from data.queries.figures import figures
from data.queries.filters import Filters
from data.queries.series import NotApplicable, breakdown, compared_note, monthly
from layouts import screen_charts, screen_map
from layouts.areas import AREA_PAGES
from layouts.format import DISTRICT_MARK, change, day, district_note, number
from layouts.overview import HEADLINES
from layouts.screens import (
    BREAKDOWN_ROWS,
    PAIRED_ROWS,
    Panel,
    Screen,
)

NO_ROWS = "本年度没有登记记录"
RANKING_ROWS = 16


def headline(fig: dict, ind: catalog.Indicator, filters: Filters) -> dict:
    """A figure as the wall draws it: the number to count up to, its decimals and unit, the 同比 text, and a note
    when ``filters`` name a place the figure does not split by (it is the district's: 全区数（不分部门）)."""
    text, unit = number(fig["value"], fig["unit"])
    note = district_note(ignored(ind, filters))
    said, tone = change(fig["yoy_pct"], ind.direction, fig["yoy_points"])
    if not ind.compares:
        # a one-off piece of work or a claim: said as a number, never with an arrow
        said, tone = "", "neutral"
    return {
        "code": fig["code"],
        "name": fig["name"],
        "number": None if fig["value"] is None else float(text),
        "decimals": len(text.partition(".")[2]),
        "unit": unit,
        "change": said,
        "tone": tone,
        # the year's target (data/queries/targets.py), the catalog's where none is set
        "target": None
        if (goal := fig.get("target", ind.target)) is None
        else "".join(number(goal, ind.unit)),
        "as_of": fig["as_of"],
        "note": note,
        # 报送未齐 (data/reporting_note.py): the wall's footer and the deck's figures say it
        "reporting": fig.get("reporting"),
        "mark": DISTRICT_MARK if note else None,
        # the catalog's words beside the figure (上半年，全市排名第一; 一项主张而非统计) and why
        "beside": ind.beside(filters.year, filters.whole(ind)) or None,
        "about": ind.note,
    }


def _headlines(conn: Connection, filters: Filters, codes: list[str]) -> list[dict]:
    cat = catalog.load()
    return [headline(f.to_dict(), cat[f.code], filters) for f in figures(conn, filters, codes=codes)]


def _areas(conn: Connection, filters: Filters) -> dict:
    shown = _headlines(conn, filters, [c for p in AREA_PAGES for c in HEADLINES[p.area]])
    by_code = {h["code"]: h for h in shown}
    return {
        "areas": [
            {
                "area": p.area,
                "title": p.title,
                "figures": [by_code[c] for c in HEADLINES[p.area] if c in by_code],
            }
            for p in AREA_PAGES
        ]
    }


def _members(conn: Connection, panel: Panel, filters: Filters, by: str) -> list[dict]:
    """Every township (or department) with the panel's figure, the wall's place filter lifted: a ranking and a
    map compare the members, so they all stay on it."""
    wider = replace(filters, townships=()) if by == "township" else replace(filters, departments=())
    try:
        return breakdown(conn, panel.code, wider, by=by)
    except NotApplicable:
        return []


def _shown(value: float | None, unit: str) -> str:
    return "".join(number(value, unit))


def _ranking(conn: Connection, panel: Panel, filters: Filters) -> dict:
    ind = catalog.load()[panel.code]
    rows = [r for r in _members(conn, panel, filters, panel.by or "township") if r["value"]]
    top = max((r["value"] for r in rows), default=0) or 1
    chosen = set(filters.townships) | set(filters.departments)
    return {
        "rows": [
            {
                "name": r["name"],
                "shown": _shown(r["value"], ind.unit),
                "share": round(r["value"] / top, 4),
                "chosen": r["code"] in chosen,
            }
            for r in rows[:RANKING_ROWS]
        ],
        "empty": NO_ROWS if not rows else None,
    }


def _map(conn: Connection, panel: Panel, filters: Filters) -> dict:
    ind = catalog.load()[panel.code]
    values = {
        r["code"]: (r["value"], _shown(r["value"], ind.unit))
        for r in _members(conn, panel, filters, "township")
    }
    size = panel.box.plot_size(bool(panel.title))
    return {"figure": screen_map.township_map(boundaries.township_shapes(conn), values, size)}


def _trend(conn: Connection, panel: Panel, filters: Filters) -> dict:
    ind = catalog.load()[panel.code]
    series = monthly(conn, ind.code, filters)
    if not any(v for v in series.get(filters.year, []) if v):
        return {"figure": screen_charts.empty(NO_ROWS)}
    # 可比口径: the year before counts a merged unit's predecessors, said in the panel's title
    return {
        "figure": screen_charts.trend(ind.unit, series, filters.year),
        "note": compared_note(conn, ind.code, filters),
    }


def _breakdown(conn: Connection, panel: Panel, filters: Filters) -> dict:
    cat = catalog.load()
    ind = cat[panel.code]
    if panel.versus:
        first = [r for r in _members(conn, panel, filters, "township") if r["value"]]
        if not first:
            return {"figure": screen_charts.empty(NO_ROWS)}
        second = {
            r["code"]: r["value"]
            for r in breakdown(conn, panel.versus, replace(filters, townships=()), "township")
        }
        return {
            "figure": screen_charts.paired(
                [r["name"] for r in first],
                (ind.name, [r["value"] for r in first]),
                (cat[panel.versus].name, [second.get(r["code"], 0) for r in first]),
                PAIRED_ROWS,
            )
        }
    rows = [r for r in categories(conn, panel.code, filters, panel.column) if r["value"]]
    chart = screen_charts.bars(ind.unit, rows, BREAKDOWN_ROWS) if rows else screen_charts.empty(NO_ROWS)
    return {"figure": chart}


def _panel_note(panel: Panel, filters: Filters) -> str | None:
    """全区数（不分部门） when the wall's place does not split the panel's figures, which then show the whole
    district; a map or ranking compares the members of its own dimension on purpose and is not marked for it."""
    cat = catalog.load()
    own = {"map": "township", "ranking": panel.by or "township"}.get(panel.kind)
    if panel.versus:
        own = "township"
    lifted = {"township": "乡镇", "department": "部门"}.get(own or "")
    for code in (c for c in (panel.code, panel.versus) if c):
        note = district_note([d for d in ignored(cat[code], filters) if d != lifted])
        if note:
            return note
    return None


BUILDERS = {
    "ranking": _ranking,
    "map": _map,
    "trend": _trend,
    "breakdown": _breakdown,
    "alerts": alert_panel,
}


def _panel(panel: Panel, filters: Filters, index: int, screen: Screen) -> Cached | dict:
    codes = [c for c in (panel.code, panel.versus, *panel.codes) if c]
    cat = catalog.load()
    if any(not filters.scope.sees(cat[c]) for c in codes):
        return {"hidden": "本大屏无权显示此项"}

    def build(conn: Connection) -> dict:
        if panel.kind == "areas":
            return _areas(conn, filters)
        if panel.kind == "headlines":
            return {"figures": _headlines(conn, filters, list(panel.codes))}
        built = BUILDERS[panel.kind](conn, panel, filters)
        built["note"] = _panel_note(panel, filters) or built.get("note")
        if "figure" in built:
            width, height = panel.box.plot_size(bool(panel.title))
            built["figure"]["layout"] |= {"width": width, "height": height, "autosize": False}
        return built

    return Cached(f"screen:{screen.name}:{index}", filters, build)


def screen_panels(context: Context, screen: Screen, filters: Filters) -> dict:
    """Every panel of ``screen`` for ``filters`` (one cache read and one write for them all), with the data
    version they were computed at and the latest 统计截至 among the screen's figures."""
    with context.connection() as conn:
        version = context.data_version(conn)
        panels = context.cached_all(
            [_panel(p, filters, i, screen) for i, p in enumerate(screen.panels)], conn
        )
    shown = [
        f
        for p in panels
        for f in [*p.get("figures", []), *(x for a in p.get("areas", []) for x in a["figures"])]
    ]
    as_of = max((f["as_of"] for f in shown if f.get("as_of")), default=None)
    unsent = dict.fromkeys(f["reporting"] for f in shown if f.get("reporting"))
    return {
        "screen": screen.name,
        "version": version,
        "as_of": as_of,
        "as_of_text": day(as_of),
        # the footer's 报送未齐 line: one per register short of a unit among the screen's figures
        "reporting": "；".join(unsent) or None,
        "panels": panels,
    }

"""A department's or township's working page (/mine) as data: for a period (a year, a quarter or a month), each
figure the unit is responsible for (the district's value) or counts (its own rows' value), with its monthly trend,
同比 and 环比, its target and year-to-date progress, and where the unit stands among its peers.

The Dash page (callbacks/mine.py), the print view and the monthly report (dashboard/pages/mine_print.py,
dashboard/content/monthly.py) all draw from :func:`mine_view`, so what is printed is what is shown.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from sqlalchemy import Connection

from data import catalog
from data.access import Scope
from data.catalog import Indicator
from data.queries.dimensions import dimensions
from data.queries.figures import Figure, coverage, figures, points, yoy
from data.queries.filters import Filters
from data.queries.periods import Period, PeriodError
from data.queries.records import has_records
from data.queries.series import breakdown, monthly
from data.queries.standing import PSEUDO, counts_rows_of


@dataclass(frozen=True)
class Peer:
    code: str
    name: str
    value: float | int | None
    own: bool


@dataclass(frozen=True)
class MineFigure:
    code: str
    area: str
    name: str
    unit: str
    direction: str
    # "responsible": the district's figure the unit answers for; "counted": the unit's own rows
    role: str
    value: float | int | None
    previous: float | int | None
    yoy_pct: float | None
    yoy_points: float | None
    # 环比: the value of the period it compares, the period before's, and the change; mom_label names the pair
    mom_value: float | int | None
    mom_base: float | int | None
    mom_pct: float | None
    mom_points: float | None
    mom_label: str
    # this year's and last year's months (index 0 = January), None where not held; empty for reported figures
    trend: list = field(default_factory=list)
    trend_previous: list = field(default_factory=list)
    target: float | None = None
    ytd: float | int | None = None
    # "met" / "behind" / "on_track" / "over" (a ceiling passed) / None (no target, or no judgement)
    progress: str | None = None
    progress_pct: float | None = None
    rank: int | None = None
    members: int = 0
    peers: list[Peer] = field(default_factory=list)
    drill: bool = False
    drill_note: str | None = None
    as_of: str | None = None
    # what to read the value as, where it is not the period's own (a reported figure is the year's)
    note: str | None = None


@dataclass(frozen=True)
class MineView:
    by: str  # department, township, or district (the district's report)
    code: str
    name: str
    period: Period
    last_month: int
    responsible: list[MineFigure]
    counted: list[MineFigure]

    def to_dict(self) -> dict:
        return asdict(self)


def tie(scope: Scope) -> tuple[str, str] | None:
    """(by, code): the department or township the reader is tied to."""
    if scope.department:
        return "department", scope.department
    if scope.township:
        return "township", scope.township
    return None


def mine_view(conn: Connection, scope: Scope, period: Period) -> MineView:
    """The page of the reader's own unit for ``period``; PeriodError where the store holds nothing for it."""
    tied = tie(scope)
    if tied is None:
        raise PeriodError("本页只对部门或乡镇（街道）负责人显示")
    by, code = tied
    covered = coverage(conn)
    if period.year not in covered:
        raise PeriodError(f"数据库中没有{period.year}年的数据")
    last = covered[period.year]
    if period.months and period.months[0] > last:
        raise PeriodError(f"{period.label}还没有数据（{period.year}年的数据截至{last}月）")
    name = dimensions(conn).names().get(code, code)
    cat = catalog.load()
    district = Filters(period.year, scope=scope)
    own = replace(district, **({"departments": (code,)} if by == "department" else {"townships": (code,)}))
    responsible = [c for c, i in cat.items() if scope.responsible_for(i) and scope.sees(i)]
    candidates = [c for c, i in cat.items() if scope.sees(i) and counts_rows_of(i, by)]
    counted = _group(conn, own, candidates, period, last, "counted", (by, code))
    counted = [f for f in counted if f.value or f.previous or f.ytd]
    return MineView(
        by,
        code,
        name,
        period,
        last,
        _group(conn, district, responsible, period, last, "responsible"),
        counted,
    )


def district_view(conn: Connection, scope: Scope, period: Period, name: str) -> MineView:
    """The whole district's figures for ``period`` as one page (the district's monthly report): every figure
    ``scope`` may see, with trend, 同比, 环比 and target progress; no peers."""
    covered = coverage(conn)
    if period.year not in covered:
        raise PeriodError(f"数据库中没有{period.year}年的数据")
    last = covered[period.year]
    if period.months and period.months[0] > last:
        raise PeriodError(f"{period.label}还没有数据（{period.year}年的数据截至{last}月）")
    codes = [c for c, i in catalog.load().items() if scope.sees(i)]
    whole = _group(conn, Filters(period.year, scope=scope), codes, period, last, "responsible")
    return MineView("district", "", name, period, last, whole, [])


def _at(filters: Filters, period: Period, last: int) -> Filters:
    months = period.months
    if months is not None:
        months = (months[0], min(months[1], last)) if period.year == filters.year else months
    return replace(filters, year=period.year, months=months)


def _group(
    conn: Connection,
    filters: Filters,
    codes: list[str],
    period: Period,
    last: int,
    role: str,
    member: tuple[str, str] | None = None,
) -> list[MineFigure]:
    if not codes:
        return []
    cat = catalog.load()
    by_code = lambda found: {f.code: f for f in found}  # noqa: E731
    now = by_code(figures(conn, _at(filters, period, last), codes, cat=cat))
    # 环比: the period against the one before; for a year, its last month held against the month before
    compared = period if period.kind != "year" else Period(period.year, "month", last)
    mom_now = (
        now if compared is period else by_code(figures(conn, _at(filters, compared, last), codes, cat=cat))
    )
    mom_before = by_code(figures(conn, _at(filters, compared.previous(), 12), codes, cat=cat))
    end = period.months[1] if period.months else last
    ytd = by_code(figures(conn, replace(filters, months=(1, min(end, last))), codes, cat=cat))
    label = f"{compared.label.removeprefix(f'{period.year}年')}比{_short(compared.previous(), period.year)}"
    out = []
    for code in codes:
        if code not in now:
            continue
        ind, fig = cat[code], now[code]
        series = monthly(conn, code, filters) if ind.source_kind != "reported" else {}
        peers, rank, members = _peers(conn, ind, filters, period, last, member) if member else ([], None, 0)
        drill, note = _drill(ind, filters.scope)
        reported = ind.source_kind == "reported"
        a, b = (None, None) if reported else (mom_now[code].value, mom_before[code].value)
        progress, pct = _progress(ind, ytd[code], min(end, last))
        out.append(
            MineFigure(
                code=code,
                area=ind.area,
                name=ind.name,
                unit=ind.unit,
                direction=ind.direction,
                role=role,
                value=fig.value,
                previous=fig.previous,
                yoy_pct=fig.yoy_pct,
                yoy_points=fig.yoy_points,
                mom_value=a,
                mom_base=b,
                mom_pct=yoy(a, b),
                mom_points=points(a, b) if ind.unit == "%" else None,
                mom_label=label,
                trend=series.get(filters.year, []),
                trend_previous=series.get(filters.year - 1, []),
                target=fig.target,
                ytd=ytd[code].value,
                progress=progress,
                progress_pct=pct,
                rank=rank,
                members=members,
                peers=peers,
                drill=drill,
                drill_note=note,
                as_of=fig.as_of,
                note="年度填报数，不分月" if reported and period.kind != "year" else None,
            )
        )
    return out


def _short(period: Period, year: int) -> str:
    return period.label.removeprefix(f"{year}年") if period.year == year else period.label


def _drill(ind: Indicator, scope: Scope) -> tuple[bool, str | None]:
    if ind.source_kind == "reported":
        return False, "填报数字，没有登记明细"
    if not has_records(ind.code, scope):
        return False, "无权查看这个数字的登记明细"
    return True, None


def _progress(ind: Indicator, ytd: Figure, month: int) -> tuple[str | None, float | None]:
    """Year-to-date against the year's target: a rate or percentage meets it or not; a count keeps pace with
    the months gone (a ceiling, direction down, is passed or not)."""
    target, value = ytd.target, ytd.value
    if target is None or value is None:
        return None, None
    if ind.is_rate or ind.unit == "%":
        met = value >= target if ind.direction != "down" else value <= target
        return ("met" if met else "behind"), None
    if not target:
        return None, None
    first, last = ind.months
    gone = max(0, min(month, last) - first + 1) / (last - first + 1)
    ratio = value / target
    pct = round(ratio * 100, 1)
    if ind.direction == "down":
        return ("over" if ratio > 1 else "behind" if ratio > gone else "on_track"), pct
    if ind.direction == "up":
        return ("met" if ratio >= 1 else "on_track" if ratio >= gone else "behind"), pct
    return None, pct


def _peers(
    conn: Connection, ind: Indicator, filters: Filters, period: Period, last: int, member: tuple[str, str]
) -> tuple[list[Peer], int | None, int]:
    """Every department or township's value, best first by the figure's direction, and the unit's rank."""
    by, code = member
    wider = replace(_at(filters, period, last), departments=(), townships=())
    rows = [
        r
        for r in breakdown(conn, ind.code, wider, by=by)
        if r["code"] not in PSEUDO and r["value"] is not None
    ]
    if not any(r["code"] == code for r in rows) and not ind.is_rate:
        # a count with no rows of its own is a zero, and ranks like one
        rows.append({"code": code, "name": dimensions(conn).names().get(code, code), "value": 0})
    rows.sort(key=lambda r: (r["value"] if ind.direction == "down" else -r["value"], r["code"]))
    own = next((r["value"] for r in rows if r["code"] == code), None)
    rank = None
    if own is not None:
        better = [r for r in rows if (r["value"] < own if ind.direction == "down" else r["value"] > own)]
        rank = len(better) + 1
    return [Peer(r["code"], r["name"], r["value"], r["code"] == code) for r in rows], rank, len(rows)

"""Numbers as a Chinese reader expects them: 7.26万件, 99.73%, 同比下降18.7%."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from data.org import day_zh

# What a date with no value reads.
NO_DATE = "—"

# From this size on a count reads better in 万 (the report writes 7.26万件, 5万余人).
WAN_FROM = 50_000


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def number(value: float | int | None, unit: str) -> tuple[str, str]:
    """The value and the unit to print beside it; "—" where there is no value."""
    if value is None:
        return "—", ""
    if unit == "%":
        return _trim(f"{value:.2f}"), "%"
    if abs(value) >= WAN_FROM:
        return _trim(f"{value / 10_000:.2f}"), f"万{unit}"
    if float(value).is_integer():
        return str(int(value)), unit
    return _trim(f"{value:.2f}"), unit


def yoy_phrase(yoy_pct: float | None, yoy_points: float | None = None) -> str | None:
    """The 同比 as the report words it: 同比上升4.2%, 同比提高0.09个百分点, 同比持平; None with nothing to compare.

    A percentage changes in points, a count in percent.
    """
    delta = yoy_points if yoy_points is not None else yoy_pct
    if delta is None:
        return None
    if delta == 0:
        return "同比持平"
    if yoy_points is not None:
        return f"同比{'提高' if delta > 0 else '降低'}{abs(delta):g}个百分点"
    return f"同比{'上升' if delta > 0 else '下降'}{abs(delta):g}%"


def change(yoy_pct: float | None, direction: str, yoy_points: float | None = None) -> tuple[str, str]:
    """The 同比 text with an arrow, and its tone: good, bad or neutral, by the indicator's direction."""
    phrase = yoy_phrase(yoy_pct, yoy_points)
    if phrase is None:
        return "同比 —", "neutral"
    delta = yoy_points if yoy_points is not None else yoy_pct
    if delta == 0:
        return phrase, "neutral"
    text = f"{'▲' if delta > 0 else '▼'} {phrase}"
    tone = "neutral" if direction == "neutral" else "good" if (delta > 0) == (direction == "up") else "bad"
    return text, tone


def before_after(before: float | None, after: float | None, unit: str) -> str:
    """How much publishing moves a figure: +3件, −0.04个百分点."""
    if before is None or after is None:
        return "—"
    delta = after - before
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    if unit == "%":
        # a reviewer must not read "−0个百分点" for a rate that did move
        points = _trim(f"{abs(delta):.2f}") if abs(delta) >= 0.005 else f"{abs(delta):.1g}"
        return f"{sign}{points}个百分点"
    text, shown_unit = number(abs(delta), unit)
    return f"{sign}{text}{shown_unit}"


# The short form of district_note, where a figure has room for a mark only (the wall's overview).
DISTRICT_MARK = "全区数"


def district_legend(place: str) -> str:
    """The wall's footer on a department's (``place`` 部门) or township's (乡镇) wall: what the mark means."""
    return f"标“{DISTRICT_MARK}”的指标不分{place}，显示的是全区的数"


def district_note(ignored: Sequence[str]) -> str | None:
    """What a figure says beside its name where a place filter does not split it and it shows the whole district
    (the wall, the deck, a printout: no tooltip to explain it): 全区数（不分部门）. ``ignored``: 部门, 乡镇."""
    return f"{DISTRICT_MARK}（不分{'、'.join(ignored)}）" if ignored else None


def day(value: date | str | None) -> str:
    """A date as a reader writes it: 2024年12月31日 (from a date or its ISO text, as content dicts keep it)."""
    if value is None or value == "":
        return NO_DATE
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return day_zh(value)


def moment(value: datetime | None, seconds: bool = False) -> str:
    """A moment in local time as a reader writes it: 2024年12月31日 09:05 (09:05:03 with ``seconds``)."""
    if value is None:
        return NO_DATE
    local = value.astimezone()
    return f"{day(local.date())} {local:%H:%M:%S}" if seconds else f"{day(local.date())} {local:%H:%M}"


def deck_foot(content: dict) -> str:
    """What every slide of a live deck says at its foot: the place, 数据截至 2024年12月31日, 示例数据."""
    demo = "　示例数据" if content.get("demo") else ""
    return f"{content['place']}　数据截至 {day(content.get('as_of'))}{demo}"


def snapshot_foot(snapshot) -> str:
    """What every slide of a snapshot says at its foot: the place, 数据截至 …（快照，when frozen）."""
    as_of = day(snapshot.as_of)
    return f"{snapshot.place}　数据截至 {as_of}（快照，{moment(snapshot.created_at)} 冻结）"


def snapshot_report_line(snapshot) -> str:
    """What a snapshot's Word document says under its title: which snapshot, frozen when."""
    return f"快照“{snapshot.name}”（{moment(snapshot.created_at)} 冻结）"


def aside(text: str | None) -> str:
    """（text） after a title, or nothing: a chart's title says its 可比口径 this way."""
    return f"（{text}）" if text else ""

"""The words and tones of one's own page (/mine), shared by the Dash page, its print view and the monthly report:
a figure's value, 同比 and 环比, its target progress, and the tier of its place among peers."""

from __future__ import annotations

import math
from urllib.parse import quote

from layouts.format import number

PROGRESS_WORDS = {
    "met": "已达标",
    "on_track": "进度正常",
    "behind": "落后于进度",
    "over": "已超出上限",
}
PROGRESS_TONES = {"met": "good", "on_track": "good", "behind": "bad", "over": "bad"}
# the tier of a place among peers, by the figure's direction: the best third, the middle, the worst third
TIER_WORDS = {"best": "靠前", "middle": "居中", "worst": "靠后", "neutral": "不评优劣"}
# direction-aware: green for the best, red for the worst, grey in between; never gold for the last
TIER_COLOURS = {"best": "#15803d", "middle": "#9ca3af", "worst": "#b91c1c", "neutral": "#6b7280"}
OWN_COLOUR = "#1d4ed8"


def shown(value: float | int | None, unit: str) -> str:
    text, shown_unit = number(value, unit)
    return f"{text}{shown_unit}"


def delta(
    word: str, pct: float | None, pts: float | None, direction: str, value: float | None = None
) -> tuple[str, str]:
    """(text, tone) of a change: 同比上升4.2% / 环比降低0.3个百分点 / 环比 —; tone good, bad or neutral. A count
    of zero (``value``) is said as the report says it: 降至零, not 下降100%; 均为零, not 持平."""
    amount = pts if pts is not None else pct
    if value == 0 and pts is None and amount in (0, None):
        return (f"{word}均为零", "neutral") if amount == 0 else (f"{word} —", "neutral")
    if amount is None:
        return f"{word} —", "neutral"
    if amount == 0:
        return f"{word}持平", "neutral"
    if value == 0 and pts is None and amount == -100:
        tone = "neutral" if direction == "neutral" else "good" if direction == "down" else "bad"
        return f"▼ {word}降至零", tone
    if pts is not None:
        text = f"{word}{'提高' if amount > 0 else '降低'}{abs(amount):g}个百分点"
    else:
        text = f"{word}{'上升' if amount > 0 else '下降'}{abs(amount):g}%"
    arrow = "▲" if amount > 0 else "▼"
    tone = "neutral" if direction == "neutral" else "good" if (amount > 0) == (direction == "up") else "bad"
    return f"{arrow} {text}", tone


def progress_text(figure: dict) -> tuple[str, str]:
    """(text, tone) of the target and year-to-date progress."""
    target = figure["target"]
    if target is None:
        return "未设目标", "neutral"
    goal = shown(target, figure["unit"])
    word = PROGRESS_WORDS.get(figure["progress"] or "", "")
    ytd = shown(figure["ytd"], figure["unit"])
    done = f"，完成{figure['progress_pct']:g}%" if figure["progress_pct"] is not None else ""
    head = "上限" if figure["direction"] == "down" and figure["unit"] != "%" else "目标"
    text = f"{head} {goal} · 累计 {ytd}{done}" + (f" · {word}" if word else "")
    return text, PROGRESS_TONES.get(figure["progress"] or "", "neutral")


def tier(rank: int | None, members: int, direction: str) -> str | None:
    if rank is None or members < 2:
        return None
    if direction == "neutral":
        return "neutral"
    third = math.ceil(members / 3)
    if rank <= third:
        return "best"
    return "worst" if rank > members - third else "middle"


def place_text(figure: dict, members_word: str) -> str:
    if figure["rank"] is None:
        return "—"
    which = TIER_WORDS.get(tier(figure["rank"], figure["members"], figure["direction"]) or "", "")
    return f"第 {figure['rank']} / {figure['members']} 个{members_word}" + (f"（{which}）" if which else "")


def trend_heights(values: list) -> list[float | None]:
    """Each month's bar height in percent of the largest (None where the month is not held)."""
    held = [v for v in values if v is not None]
    top = max(held) if held else 0
    return [None if v is None else (round(v / top * 100, 1) if top else 0.0) for v in values]


SPARK_SIZE = (120, 28)


def spark_svg(values: list) -> str:
    """The year's months as a small bar chart, one SVG (a picture costs the page one element, twelve bars twelve)."""
    width, height = SPARK_SIZE
    slot = width / 12
    bars = []
    for month, h in enumerate(trend_heights(values)):
        if h is None:
            continue
        tall = max(h / 100 * height, 1)
        bars.append(
            f'<rect x="{month * slot + 1:.1f}" y="{height - tall:.1f}" width="{slot - 2:.1f}" height="{tall:.1f}"/>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><g fill="#93a3b8">{"".join(bars)}</g></svg>'
    )


def spark_uri(values: list) -> str:
    return "data:image/svg+xml;charset=utf-8," + quote(spark_svg(values))


def spark_words(values: list, unit: str) -> str:
    """What the picture shows, for its alt text and tooltip: 1月 12件，2月 15件……"""
    return "，".join(f"{m + 1}月 {shown(v, unit)}" for m, v in enumerate(values) if v is not None) or "无数据"

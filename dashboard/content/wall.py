"""What a wall's URL (or its kiosk link) asks for: its screens, timings, year, place and layout, read leniently.

Anything wrong in the URL falls back to what a wall would want, with a notice shown on the screen: a wall is
set up once and left running, so it must never show an error page. Kept apart from the panels
(dashboard/content/screen.py) because it reads a request, not the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from data.kiosk import MAX_EVERY, MIN_EVERY, KioskLink
from data.queries.dimensions import Dimensions
from layouts.screens import (
    AUTO_LAYOUT,
    BY_NAME,
    CHECK_MAX,
    CHECK_MIN,
    CHECK_SECONDS,
    EVERY_DEFAULT,
    LAYOUT_BY_NAME,
    SCREENS,
)


@dataclass(frozen=True)
class Wall:
    """What a wall shows: its screens in order, seconds per screen, and the year and place it is pinned to."""

    screens: tuple[str, ...]
    every: int
    year: int | None
    township: str | None = None
    department: str | None = None
    check: int = CHECK_SECONDS
    # what the URL asked for that could not be honoured, and what is shown instead (said on the screen)
    notices: tuple[str, ...] = ()
    # layouts/screens.py LAYOUTS by name; None: the browser picks the one that fits the display's shape
    layout: str | None = None


def _names() -> str:
    return "、".join(f"{s.name}（{s.title}）" for s in SCREENS)


def _seconds(
    given: Mapping[str, str], key: str, default: int, bounds: tuple[int, int], what: str, notices: list[str]
) -> int:
    raw = given.get(key, "")
    if not raw:
        return default
    if raw.isdigit() and bounds[0] <= int(raw) <= bounds[1]:
        return int(raw)
    notices.append(f"{key}={raw[:20]} 无效（应为 {bounds[0]}–{bounds[1]} 秒），已按每 {default} 秒{what}")
    return default


def read_wall(
    args: Mapping[str, str], dims: Dimensions, default_year: int | None, link: KioskLink | None = None
) -> Wall:
    """The wall from the URL's ``screens``, ``every``, ``check``, ``year``, ``township``, ``department``, ``layout``; a kiosk link's
    own settings win over its URL. Anything wrong falls back to the default a wall would want, with a notice."""
    given = dict(args)
    if link is not None:
        pinned = {
            "screens": ",".join(link.screens),
            "every": str(link.every) if link.every else "",
            "year": str(link.year) if link.year else "",
            "township": link.township or "",
            "department": link.department or "",
        }
        given |= {k: v for k, v in pinned.items() if v}
    notices: list[str] = []

    screens = []
    for name in (n.strip() for n in given.get("screens", "").split(",")):
        if name and name not in BY_NAME:
            notices.append(f"没有名为“{name[:40]}”的大屏，已略过（可用：{_names()}）")
        elif name and name not in screens:
            screens.append(name)
    if not screens:
        screens = [s.name for s in SCREENS]

    every = _seconds(given, "every", EVERY_DEFAULT, (MIN_EVERY, MAX_EVERY), "轮换", notices)
    check = _seconds(given, "check", CHECK_SECONDS, (CHECK_MIN, CHECK_MAX), "检查一次数据", notices)

    year = default_year
    raw = given.get("year", "")
    if raw:
        if raw.isdigit() and int(raw) in dims.years:
            year = int(raw)
        else:
            held = "、".join(map(str, dims.years)) or "无"
            notices.append(f"year={raw[:20]} 没有数据（库中年度：{held}），显示 {year} 年")

    township = given.get("township") or None
    if township and township not in dims.township_codes():
        notices.append(f"没有代码为“{township[:40]}”的乡镇（街道），显示全区")
        township = None
    department = given.get("department") or None
    if department and department not in dims.department_codes():
        notices.append(f"没有代码为“{department[:40]}”的部门，显示全区")
        department = None
    if township and department:
        notices.append("乡镇（街道）与部门只能选一个，按乡镇（街道）显示")
        department = None
    layout = _layout(given.get("layout", ""), notices)
    return Wall(tuple(screens), every, year, township, department, check, tuple(notices), layout)


def _layout(raw: str, notices: list[str]) -> str | None:
    if not raw or raw == AUTO_LAYOUT:
        return None
    if raw in LAYOUT_BY_NAME:
        return raw
    known = "、".join(f"{name}（{layout.title}）" for name, layout in LAYOUT_BY_NAME.items())
    notices.append(f"layout={raw[:20]} 无效（可用：{AUTO_LAYOUT}、{known}），已按显示器的宽高比选择")
    return None

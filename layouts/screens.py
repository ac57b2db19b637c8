"""The big screen's screens as data: which panels each shows and where on the 1920×1080 canvas, and the wall
layouts that put one, two or three such screens side by side for ultra-wide splice walls.

A screen reuses the desk's declarations: an area's headline figures (layouts/overview.py HEADLINES), its trend,
its split by township or department and its breakdowns (layouts/areas.py). The browser draws what the server
sends for each panel; positions are canvas pixels, scaled with the whole canvas to any display.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from layouts.areas import BY_AREA
from layouts.overview import HEADLINES

# The canvas every screen is designed on (one pane of a wall); the browser scales the wall's whole canvas
# uniformly to the display (letterboxed).
CANVAS = (1920, 1080)
# The band between the header and the footer that panels fill.
TOP, BOTTOM, LEFT, RIGHT, GAP = 112, 1024, 32, 1888, 24

# Rotation and live updates: what a wall gets when it asks for nothing (the range a URL or a kiosk link may ask
# for is declared with the kiosk links, data/kiosk.py MIN_EVERY and MAX_EVERY).
EVERY_DEFAULT = 20
# How often a wall asks whether the data changed (seconds; `check=` in its URL within the range).
CHECK_SECONDS, CHECK_MIN, CHECK_MAX = 30, 2, 3600
# A breakdown shows this many bars, the rest summed into one "其他"; pairs side by side take more room, so
# only the largest PAIRED_ROWS are shown.
BREAKDOWN_ROWS, PAIRED_ROWS = 8, 6
# A warning panel lists at most this many (red first); more drift past like a long ranking.
ALERT_ROWS = 60
# The insets of a titled panel's body in screen.css (.panel padding, .panel-title and .panel-body): a chart is
# drawn at the panel's size less these (width, height), an untitled one at the panel's whole size.
TITLED_INSET = (40, 72)

# Walls reload themselves once a day at DASHBOARD_SCREEN_RELOAD_AT, each at a random moment within this many
# seconds after it, so that a hundred walls do not all load the page in the same second.
RELOAD_SPREAD = 600


@dataclass(frozen=True)
class WallLayout:
    """How many screens a wall shows side by side: its canvas is that many panes of CANVAS in a row, so a
    5760×1080 splice wall shows three whole screens at once instead of one in its middle third."""

    name: str
    title: str
    panes: int

    @property
    def canvas(self) -> tuple[int, int]:
        return CANVAS[0] * self.panes, CANVAS[1]

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "panes": self.panes, "canvas": list(self.canvas)}


# A wall whose URL (or kiosk link URL) says no `layout=` takes the one whose aspect ratio is nearest its own
# (screen.js); the first is the default where nothing else fits better.
LAYOUTS: list[WallLayout] = [
    WallLayout("standard", "标准（16:9，一屏）", 1),
    WallLayout("double", "双联（32:9，两屏并排，如 3840×1080）", 2),
    WallLayout("wide", "超宽（48:9，三屏并排，如 5760×1080）", 3),
]
LAYOUT_BY_NAME = {layout.name: layout for layout in LAYOUTS}
# `layout=auto` or none: chosen by the browser from the display's shape
AUTO_LAYOUT = "auto"


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    def as_dict(self) -> dict:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h}

    def plot_size(self, titled: bool) -> tuple[int, int]:
        """The px a chart in this box is drawn at."""
        inset = TITLED_INSET if titled else (0, 0)
        return self.w - inset[0], self.h - inset[1]


@dataclass(frozen=True)
class Panel:
    """One panel: ``kind`` says what the server computes and how the browser draws it.

    - ``areas``: each area's headline figures (the overview);
    - ``headlines``: ``codes`` as big numbers with 同比 and target;
    - ``trend``: ``code`` by month, this year against last;
    - ``map``: ``code`` for each township, shaded on the district's map;
    - ``ranking``: ``code`` for each township or department (``by``), largest first;
    - ``breakdown``: ``code`` split by one register ``column``, or beside ``versus`` for each township;
    - ``alerts``: the year's warnings (预警) the wall's reader may read, red then amber (any box, any screen).
    """

    kind: str
    box: Box
    title: str = ""
    code: str | None = None
    codes: tuple[str, ...] = ()
    by: str | None = None
    column: str | None = None
    versus: str | None = None


@dataclass(frozen=True)
class Screen:
    name: str
    title: str
    panels: list[Panel] = field(default_factory=list)


def _area_screen(area: str, map_code: str, ranking_by: str) -> Screen:
    """An area's screen: headline figures across the top, then the trend and the area's main breakdown (its
    first on the desk) on the left, the township map in the middle and the ranking on the right."""
    page = BY_AREA[area]
    code = page.split_code or map_code
    extra = page.extras[0]
    head_h = 220
    body_y = TOP + head_h + GAP
    body_h = BOTTOM - body_y
    third = (RIGHT - LEFT - 2 * GAP) // 3
    half = (body_h - GAP) // 2
    return Screen(
        area,
        page.title,
        [
            Panel("headlines", Box(LEFT, TOP, RIGHT - LEFT, head_h), codes=tuple(HEADLINES[area])),
            Panel("trend", Box(LEFT, body_y, third, half), "逐月对比", code=page.trend),
            Panel(
                "breakdown",
                Box(LEFT, body_y + half + GAP, third, half),
                f"{extra.title}（前{PAIRED_ROWS}个乡镇）" if extra.versus else extra.title,
                code=extra.code,
                column=extra.column,
                versus=extra.versus,
            ),
            Panel("map", Box(LEFT + third + GAP, body_y, third, body_h), "各乡镇（街道）", code=map_code),
            Panel(
                "ranking",
                Box(LEFT + 2 * (third + GAP), body_y, third, body_h),
                "各部门排名" if ranking_by == "department" else "各乡镇（街道）排名",
                code=code,
                by=ranking_by,
            ),
        ],
    )


SCREENS: list[Screen] = [
    Screen("overview", "总览", [Panel("areas", Box(LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP))]),
    _area_screen("service", "service_transactions", "department"),
    _area_screen("business", "enterprises_visited", "township"),
    _area_screen("mediation", "disputes_mediated", "township"),
    _area_screen("reconsideration", "reconsideration_applications", "department"),
    _area_screen("security", "criminal_alerts", "township"),
    Screen(
        "alerts",
        "预警",
        [
            Panel("headlines", Box(LEFT, TOP, RIGHT - LEFT, 220), codes=tuple(HEADLINES["hotline"])),
            Panel(
                "alerts",
                Box(LEFT, TOP + 220 + GAP, RIGHT - LEFT, BOTTOM - TOP - 220 - GAP),
                "预警（红色在前）",
            ),
        ],
    ),
]
BY_NAME = {s.name: s for s in SCREENS}

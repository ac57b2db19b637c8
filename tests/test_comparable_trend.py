"""可比口径 on the monthly trend, on both engines, from an empty `dashboard init`: after 区信访局 merges into 区司法局,
the justice bureau's trend counts the old bureau's rows in the year before, month by month, as its card's 同比
does, and the desk's chart and the deck's chart say so (2025年含原区信访局); the old bureau's own trend and the
district's are unchanged."""

from __future__ import annotations

from datetime import date

import pytest
from org_support import command_line, organised, register_file

from callbacks.area import trend_wanted
from dashboard.content.deck import deck_content
from dashboard.content.screen import _panel
from data.access import OPERATOR
from data.engine import open_engine
from data.queries.figures import figures
from data.queries.filters import Filters
from data.queries.series import compared_note, monthly
from layouts.areas import BY_AREA
from layouts.decks import DECKS
from layouts.screens import BY_NAME

CODE = "disputes_mediated"
ROWS = [
    ("A-1", date(2025, 1, 5), "区司法局", "城关街道", True),
    ("A-2", date(2025, 2, 6), "区司法局", "城关街道", True),
    ("B-1", date(2025, 1, 8), "区信访局", "青山镇", True),
    ("B-2", date(2025, 2, 9), "区信访局", "青山镇", True),
    ("B-3", date(2025, 2, 10), "区信访局", "青山镇", True),
    ("A-3", date(2026, 1, 5), "区司法局", "城关街道", True),
    ("B-4", date(2026, 2, 7), "区信访局", "青山镇", True),
]


@pytest.fixture
def district(empty_url, monkeypatch, capsys, tmp_path):
    invoke = command_line(empty_url, monkeypatch, capsys)
    organised(invoke, tmp_path)
    out = register_file(tmp_path / "dispute.xlsx", tmp_path / "rows.xlsx", ROWS)
    invoke("batch", "publish", invoke("import", out).strip().splitlines()[-1])
    return invoke


def screen_panels_of(conn, filters: Filters) -> list[dict]:
    """The mediation wall's panels, computed as /screen/data computes them (no cache)."""
    screen = BY_NAME["mediation"]
    return [
        built.build(conn) if hasattr(built, "build") else built
        for built in (_panel(p, filters, i, screen) for i, p in enumerate(screen.panels))
    ]


def trends(url: str, *departments: str) -> tuple[dict, str | None, str, str | None]:
    """The series, the note, the desk chart's title and the deck chart's title for the departments filtered."""
    filters = Filters(2026, departments=departments, scope=OPERATOR)
    engine = open_engine(url)
    with engine.connect() as conn:
        series = monthly(conn, CODE, filters)
        note = compared_note(conn, CODE, filters)
        desk = trend_wanted(BY_AREA["mediation"], filters).build(conn)["layout"]["title"]["text"]
        deck = deck_content(conn, DECKS["annual"], filters)
        card = figures(conn, filters, codes=[CODE])[0]
        wall = screen_panels_of(conn, filters)
    engine.dispose()
    chart = next(s["chart"] for s in deck["slides"] if s.get("area") == "mediation")
    trend = next(
        built for p, built in zip(BY_NAME["mediation"].panels, wall, strict=True) if p.kind == "trend"
    )
    assert trend["note"] == note  # the wall's trend panel says it in its title
    assert sum(v or 0 for v in series[2025]) == card.previous  # the chart adds up to the card's 同比 base
    return series, note, desk, chart["title"]


def test_a_merged_units_trend_counts_its_predecessor_in_the_year_before(district, empty_url):
    before, note, desk, deck = trends(empty_url, "SFJ")
    assert before[2025][:2] == [1, 1] and note is None and "含原" not in desk + deck
    district_wide = trends(empty_url)[0]

    district("org", "merge", "XFJ", "SFJ", "--on", "2026-03-01")
    series, note, desk, deck = trends(empty_url, "SFJ")
    # January 2025: one row of each bureau; February: one and two
    assert series[2025][:2] == [2, 3]
    # this year stays the unit's own rows, as the card's value does
    assert series[2026][:2] == before[2026][:2] == [1, 0]
    assert note == "2025年含原区信访局"
    assert "（2025年含原区信访局）" in desk
    # 司法局's own deck shows the district's trend of what it answers for (dashboard/content/department.py):
    # the whole district, with nothing merged to say
    assert deck is None or "含原" not in deck
    # the old unit's own trend and the district's are what they were
    old, old_note, old_desk, _ = trends(empty_url, "XFJ")
    assert old[2025][:2] == [1, 2] and old_note is None and "含原" not in old_desk
    assert trends(empty_url)[0] == district_wide

"""Chinese number formats and the tone of a change."""

import pytest

from layouts.format import before_after, change, number


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (72600, "件", ("7.26", "万件")),
        (50000, "人", ("5", "万人")),
        (11836, "家", ("11836", "家")),
        (99.73, "%", ("99.73", "%")),
        (100.0, "%", ("100", "%")),
        (98.1, "%", ("98.1", "%")),
        (0, "件", ("0", "件")),
        (None, "件", ("—", "")),
    ],
)
def test_number(value, unit, expected):
    assert number(value, unit) == expected


def test_a_fall_in_crime_is_good_news_and_a_fall_in_cases_solved_is_not():
    assert change(-18.7, "down") == ("▼ 同比下降18.7%", "good")
    assert change(-17.6, "up") == ("▼ 同比下降17.6%", "bad")
    assert change(8.7, "neutral") == ("▲ 同比上升8.7%", "neutral")
    assert change(None, "up") == ("同比 —", "neutral")
    assert change(0.0, "up") == ("同比持平", "neutral")


def test_a_percentage_changes_in_points():
    assert change(0.1, "up", 0.06) == ("▲ 同比提高0.06个百分点", "good")
    assert change(-1.2, "up", -1.2) == ("▼ 同比降低1.2个百分点", "bad")
    assert change(0.0, "up", 0.0) == ("同比持平", "neutral")


@pytest.mark.parametrize(
    ("before", "after", "unit", "expected"),
    [
        (2712, 2699, "件", "−13件"),
        (208, 211, "件", "+3件"),
        (99.74, 99.70, "%", "−0.04个百分点"),
        (99.6644, 99.661, "%", "−0.003个百分点"),
        (5, 5, "个", "±0个"),
        (None, 43, "个", "—"),
        (10_000, 70_000, "件", "+6万件"),
    ],
)
def test_what_publishing_moves_a_figure_by(before, after, unit, expected):
    assert before_after(before, after, unit) == expected

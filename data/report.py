"""The district's 2024 annual report as figures, and how the store's figures compare with it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPORT_CSV = Path(__file__).with_name("report_2024.csv")
REPORT_YEAR = 2024
# The report rounds its rates to two decimals; where no whole numbers give its figure (99.73% of 2712) the
# store's rate may differ by this much.
RATE_TOLERANCE = 0.05


@dataclass(frozen=True)
class ReportFigure:
    area: str
    code: str
    name: str
    value: float
    unit: str
    # exact / at_least ("20余个") / approx ("7.26万件", rounded to hundreds)
    bound: str
    yoy_pct: float | None
    note: str


@cache
def load(path: Path = REPORT_CSV) -> dict[str, ReportFigure]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            row["code"]: ReportFigure(
                area=row["area"],
                code=row["code"],
                name=row["name_zh"],
                value=float(row["value"]),
                unit=row["unit"],
                bound=row["bound"],
                yoy_pct=float(row["yoy_pct"]) if row["yoy_pct"] else None,
                note=row["note"],
            )
            for row in csv.DictReader(fh)
        }


def agrees(figure: ReportFigure, value: float | None) -> bool:
    """Whether a store value is the report's figure, within what the report's wording allows."""
    if value is None:
        return False
    if figure.bound == "at_least":
        return value >= figure.value
    if figure.bound == "approx":
        # "7.26万" is any count that rounds to 72,600 at the hundreds.
        return abs(value - figure.value) <= 50
    if figure.unit == "%":
        return abs(value - figure.value) <= RATE_TOLERANCE + 1e-9
    return value == figure.value


def previous_for_yoy(value: int, yoy_pct: float) -> int:
    """The whole previous-year count whose change to ``value`` rounds to ``yoy_pct`` (one decimal)."""
    guess = round(value / (1 + yoy_pct / 100))
    for candidate in sorted(range(guess - 3, guess + 4), key=lambda c: abs(c - guess)):
        if candidate > 0 and round((value - candidate) / candidate * 100, 1) == yoy_pct:
            return candidate
    raise ValueError(f"no whole count before {value} gives {yoy_pct}%")

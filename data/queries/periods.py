"""The periods one's own page (/mine) and the monthly report show: a year, a quarter or a month, as a URL or a
command names them (period=q1, m2), and the period 环比 compares each with."""

from __future__ import annotations

from dataclasses import dataclass, replace

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
# What the page's period control offers, as its value is written in a URL (period=q1, period=m2; empty: the year).
PERIOD_KINDS = ("year", "quarter", "month")


class PeriodError(ValueError):
    """A period that cannot be shown; the message says why, in Chinese."""


@dataclass(frozen=True)
class Period:
    year: int
    kind: str = "year"
    number: int | None = None

    @property
    def months(self) -> tuple[int, int] | None:
        """The months it covers; None for the year (each figure's own months, up to the last month held)."""
        if self.kind == "month":
            return (self.number, self.number)
        if self.kind == "quarter":
            return (self.number * 3 - 2, self.number * 3)
        return None

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.number}月"
        if self.kind == "quarter":
            return f"{self.year}年{QUARTER_NAMES[self.number]}"
        return f"{self.year}年"

    @property
    def value(self) -> str:
        """As a URL writes it: '' (the year), q1…q4, m1…m12."""
        return "" if self.kind == "year" else f"{self.kind[0]}{self.number}"

    def previous(self) -> Period:
        """The period 环比 compares with: the month or quarter before (across the new year)."""
        if self.kind == "month":
            return (
                Period(self.year - 1, "month", 12)
                if self.number == 1
                else Period(self.year, "month", self.number - 1)
            )
        if self.kind == "quarter":
            return (
                Period(self.year - 1, "quarter", 4)
                if self.number == 1
                else replace(self, number=self.number - 1)
            )
        return Period(self.year - 1)


def parse_period(year: int, text: object) -> Period:
    """The period a URL or a command names: '' or None (the year), q1…q4, m1…m12."""
    if text in (None, ""):
        return Period(year)
    if isinstance(text, str) and len(text) >= 2 and text[0] in "qm" and text[1:].isdigit():
        number = int(text[1:])
        if text[0] == "q" and 1 <= number <= 4:
            return Period(year, "quarter", number)
        if text[0] == "m" and 1 <= number <= 12:
            return Period(year, "month", number)
    raise PeriodError(f"时段“{str(text)[:20]}”无效：请用全年、q1 至 q4（季度）或 m1 至 m12（月份）")


def periods_held(year: int, last_month: int) -> list[Period]:
    """The periods of ``year`` the store holds data for: the year, its quarters begun, its months."""
    quarters = [Period(year, "quarter", q) for q in range(1, (last_month + 2) // 3 + 1)]
    return [Period(year), *quarters, *(Period(year, "month", m) for m in range(1, last_month + 1))]

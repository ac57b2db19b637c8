"""What the catalog says beside a figure (issue 21): its nature, which decides whether a change from last year is
said and how, its qualifiers (上半年, 全市排名第一) and its note; and the checks of those three columns of
data/catalog.csv. Apart from data/catalog.py so that the catalog's loader stays about how figures are counted."""

from __future__ import annotations

# What kind of number a figure is, which decides how its change from last year is said (layouts/writeup.py) and
# whether it has one at all: a statistic counted every year takes 同比; a small stock count (部门数, 窗口数) reads
# better as 较上年增加N个; a one-off piece of work (新入职人员核发证件) and a claim of the report (办事效率提升60%,
# a statement, not a count) take none, and a claim is shown as a number, never as a trend.
NATURES: dict[str, str] = {
    "statistic": "统计数",
    "tally": "存量小数",
    "one_off": "一次性工作量",
    "claim": "一项主张而非统计",
}
# Natures whose figure has no year-on-year change worth saying.
NO_CHANGE: frozenset[str] = frozenset({"one_off", "claim"})
# A qualifier is a few words beside the figure (全市排名第一); a note, one sentence under it.
QUALIFIER_LEN, NOTE_LEN = 12, 60


def qualifier_parts(qualifier: str | None) -> list[str]:
    """A qualifier's parts (``2024:全市排名第一;…``), each with its year where it names one."""
    return [p.strip() for p in (qualifier or "").split(";") if p.strip()]


def words_problems(
    nature: str, source_kind: str, unit: str, qualifier: str | None, note: str | None
) -> list[str]:
    """The nature, qualifier and note: known values, short enough to sit beside a figure, year-tagged sanely."""
    problems = []
    if nature not in NATURES:
        problems.append(f"unknown nature {nature!r}")
    if nature == "claim" and not note:
        problems.append("a claim needs a note saying what it is")
    if nature == "claim" and source_kind != "reported":
        problems.append("a claim is a reported figure, not one counted from a register")
    if nature == "tally" and unit == "%":
        problems.append("a tally is a count, not a percentage")
    for part in qualifier_parts(qualifier):
        held, _, words = part.rpartition(":")
        if held and not (held.isdigit() and len(held) == 4):
            problems.append(f"qualifier {part!r}: a year is written 2024:全市排名第一")
        if not words or len(words) > QUALIFIER_LEN:
            problems.append(f"qualifier {part!r}: 1 to {QUALIFIER_LEN} characters")
    if note and len(note) > NOTE_LEN:
        problems.append(f"note longer than {NOTE_LEN} characters")
    return problems

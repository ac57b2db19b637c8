"""Who may see a catalog figure, as the district sets it: the visibilities it gave, and the rule for rates.

A rate is seen no more widely than either of its parts (issue 19): with a public rate and a public numerator
anyone works out an internal denominator. data/catalog_edits.py checks each proposed visibility with
:func:`rate_problems`; a catalog workbook (data/catalog_workbook.py) changes several at once, so the rule is
checked against the visibilities the whole file gives. Kept apart from the other edits because it is the one
rule that ties an indicator's edit to others'.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from data import catalog
from data.schema_catalog_edits import indicator_edit

# A visibility may be given by its code or by its label (公开, 内部, 受限).
VISIBILITY_BY_LABEL = {label: code for code, label in catalog.VISIBILITY_LABEL.items()}


def visibilities(conn: Connection) -> dict[str, str]:
    """The visibility the district gave each indicator it changed, {code: value}."""
    rows = conn.execute(
        select(indicator_edit.c.indicator_code, indicator_edit.c.visibility).where(
            indicator_edit.c.visibility.is_not(None)
        )
    )
    return {code: value for code, value in rows if value}


def given_visibilities(changes: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, str]:
    """{code: visibility} of the valid visibilities in several changes ((code, given) pairs) made together."""
    out = {}
    for code, given in changes:
        raw = str(given.get("visibility") or "").strip()
        value = VISIBILITY_BY_LABEL.get(raw, raw)
        if value in catalog.VISIBILITIES:
            out[code] = value
    return out


def rate_problems(conn: Connection, code: str, planned: dict[str, str]) -> list[str]:
    """Why the visibilities ``planned`` ({code: value}, over the district's) would let indicator ``code`` give a
    part of a rate away: a rate seen more widely than one of its parts gives that part away (its other part and
    it are enough), refused whichever of the two the change is to. Empty when none does."""
    over = visibilities(conn) | planned
    named = catalog.load()
    problems: list[str] = []
    for rate, part in catalog.wider_rates(catalog.read(), over):
        role = "分子" if part.code == rate.numerator else "分母"
        if code == rate.code:
            seen = catalog.VISIBILITY_LABEL[over.get(part.code, part.visibility)]
            reason = (
                f"它的{role}“{named[part.code].name}”是{seen}的，比率不能比它看得更广"
                "（否则可由比率和另一项算出它）：请先改那一项"
            )
        elif code == part.code:
            seen = catalog.VISIBILITY_LABEL[over.get(rate.code, rate.visibility)]
            reason = (
                f"本项是{seen}的比率“{named[rate.code].name}”的{role}，不能比它看得更窄"
                "（否则可由比率和另一项算出本项）：请先改那个比率"
            )
        else:
            continue
        problems.append(reason)
    return problems

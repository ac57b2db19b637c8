"""Machinery reform (机构改革) across the store: merging one unit into another moves what the unit answered for.

data/org.py ends the old unit, moves its accounts and its reporting duties; this module, above both the
organisation and the catalog's edits (which read the organisation), also moves the indicators it was responsible
for, as catalog edits (audited, undoable on /admin/catalog), so that the new unit's head is responsible for them
from the day of the merger on. Both callers (`dashboard org merge`, /admin/org) merge through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from data import catalog, catalog_changes, catalog_edits, org


@dataclass(frozen=True)
class Merged:
    accounts: int  # accounts moved to the new unit
    indicators: tuple[str, ...]  # indicators it is now responsible for in the old unit's place


def merge(conn: Connection, old: str, new: str, on: date, actor: str | None = None) -> Merged:
    """Merge department or township ``old`` into ``new`` on ``on`` (org.merge_units' rules and refusals)."""
    moved = org.merge_units(conn, old, new, on, actor)
    taken: list[str] = []
    if org.by_code(conn)[new].kind == "department":
        for code in catalog.read():
            if catalog_edits.state(conn, code)["department"] == old:
                catalog_changes.save(conn, code, {"department": new}, actor)
                taken.append(code)
    return Merged(moved, tuple(taken))

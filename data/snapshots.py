"""Frozen snapshots of a deck (issue 10): the content a deck showed (dashboard/content/deck.py: every figure, chart
series and talking point), with the data version and the time, kept in the store. A snapshot never changes
when the data does; it can be listed, renamed and deleted, and every export can be made from it.

Who may open one: a reader who may see every indicator its slides hold (``codes``), so that a snapshot taken
by a leader never shows a visitor a figure the desk would not. The annual report's figures are frozen with
the deck (``report``, for the Word document) and read under the same rule for their own, longer list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from data import catalog
from data.access import Scope
from data.accounts import audit
from data.accounts._common import _clean, _now, _shown, _utc
from data.schema_present import deck_snapshot

MAX_NAME = deck_snapshot.c.name.type.length
# How many snapshots a store keeps: each holds a deck's every figure (tens of kilobytes), and the list shows them
# all; past this a new one is refused until old ones are deleted.
MAX_KEPT = 500
NO_REPORT = "这个快照冻结时还不带年度报告的数字部分（Word）；请重新冻结一次"


class SnapshotError(ValueError):
    """A snapshot that cannot be found, named or opened; the message is one Chinese line."""


@dataclass(frozen=True)
class Snapshot:
    id: int
    name: str
    deck: str
    year: int
    township: str | None
    department: str | None
    content: dict
    data_version: int
    created_by: str | None
    created_at: datetime

    @property
    def place(self) -> str:
        return self.content["place"]

    @property
    def as_of(self) -> str | None:
        return self.content.get("as_of")

    @property
    def codes(self) -> set[str]:
        """Every indicator the snapshot shows a figure or a chart of, wherever on a slide it sits."""
        found = set()
        for slide in self.content["slides"]:
            found |= {f["code"] for f in slide.get("figures", [])}
            found |= {f["code"] for a in slide.get("areas", []) for f in a["figures"]}
            found |= {slide[k]["code"] for k in ("chart", "split") if slide.get(k)}
        # and any other indicator named deeper in a slide (a chart's series, an area's parts)
        cat = catalog.load()
        return found | {c for c in _named_codes(self.content["slides"]) if c in cat}

    @property
    def shown(self) -> dict:
        """What the slides, their exports and the page may carry: the deck's content without the report frozen
        with it (every figure its taker could see; only the Word download reads it, under its own check)."""
        return {k: v for k, v in self.content.items() if k != "report"}

    def visible_to(self, scope: Scope) -> bool:
        return _sees(scope, self.codes)

    @property
    def report(self) -> dict | None:
        """The annual report's figures frozen with the deck (the Word document's content), if it was."""
        return self.content.get("report")

    def report_visible_to(self, scope: Scope) -> bool:
        """The report carries every indicator its taker could see, more than the deck's headlines."""
        return self.report is not None and _sees(scope, self.report.get("codes", ()))


def _named_codes(value: object) -> set[str]:
    if isinstance(value, dict):
        found = {value["code"]} if isinstance(value.get("code"), str) else set()
        for item in value.values():
            found |= _named_codes(item)
        return found
    if isinstance(value, list):
        return set().union(*map(_named_codes, value)) if value else set()
    return set()


def _sees(scope: Scope, codes) -> bool:
    cat = catalog.load()
    return all(code in cat and scope.sees(cat[code]) for code in codes)


def _row(row) -> Snapshot:
    return Snapshot(
        id=row.id,
        name=row.name,
        deck=row.deck,
        year=row.year,
        township=row.township_code,
        department=row.department_code,
        content=json.loads(row.content),
        data_version=row.data_version,
        created_by=row.created_by,
        created_at=_utc(row.created_at),
    )


def _check_name(name: object) -> str:
    # One line: the name is shown in lists and goes into the download's file name (a header).
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in str(name or "")).split())
    if not text:
        raise SnapshotError("快照名称不能为空")
    if len(text) > MAX_NAME:
        raise SnapshotError(f"快照名称最多 {MAX_NAME} 个字符")
    return text


def create(
    conn: Connection,
    content: dict,
    name: str | None = None,
    *,
    actor: str | None = None,
    address: str | None = None,
) -> Snapshot:
    """Keep ``content`` (deck_content's) as a snapshot; its name defaults to the deck's title and the place."""
    name = _check_name(name or f"{content['title']}（{content['place']}）")
    if kept_count(conn) >= MAX_KEPT:
        raise SnapshotError(f"已有 {MAX_KEPT} 个快照，达到上限；请先删除不再需要的快照，再冻结新的")
    places = {p: content.get(p) for p in ("township", "department")}
    result = conn.execute(
        insert(deck_snapshot).values(
            name=name,
            deck=content["deck"],
            year=content["year"],
            township_code=places["township"],
            department_code=places["department"],
            content=json.dumps(content, ensure_ascii=False),
            data_version=int(content["version"]),
            created_by=_clean(actor, deck_snapshot.c.created_by.type.length),
            created_at=_now(),
        )
    )
    snapshot_id = result.inserted_primary_key[0]
    audit.record(
        conn,
        "snapshot_created",
        actor=actor,
        address=address,
        subject=name,
        snapshot_id=snapshot_id,
        deck=content["deck"],
    )
    return get(conn, snapshot_id)


def get(conn: Connection, snapshot_id: object) -> Snapshot:
    text = str(snapshot_id)
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise SnapshotError(f"快照编号应为正整数，当前为 “{_shown(text)}”")
    row = conn.execute(select(deck_snapshot).where(deck_snapshot.c.id == int(text))).first()
    if row is None:
        raise SnapshotError(f"没有编号为 {text} 的快照")
    return _row(row)


@dataclass(frozen=True)
class Listed:
    """A snapshot as lists show it: its columns, and what its content says about where and who may see it."""

    id: int
    name: str
    deck: str
    year: int
    data_version: int
    created_by: str | None
    created_at: datetime
    place: str
    as_of: str | None
    codes: frozenset[str]
    report_codes: frozenset[str] | None

    def visible_to(self, scope: Scope) -> bool:
        return _sees(scope, self.codes)

    def report_visible_to(self, scope: Scope) -> bool:
        return self.report_codes is not None and _sees(scope, self.report_codes)


# (id, time frozen) -> (place, as_of, codes, report codes), read from a snapshot's content once per process: the
# content never changes (only the name does), and parsing every one on each visit of the list grew with their
# number. The time is in the key because SQLite may give a deleted snapshot's id to the next one, perhaps in
# another worker, whose cache this one cannot clear.
Summary = tuple[str, str | None, frozenset[str], frozenset[str] | None]
_SUMMARIES: dict[tuple[int, datetime], Summary] = {}


def _summary(snapshot: Snapshot) -> Summary:
    report = snapshot.report
    return (
        snapshot.place,
        snapshot.as_of,
        frozenset(snapshot.codes),
        frozenset(report.get("codes", ())) if report is not None else None,
    )


def list_all(conn: Connection) -> list[Listed]:
    """Every snapshot, newest first, read from its columns (the content only of those this process has not seen)."""
    columns = [c for c in deck_snapshot.c if c.name != "content"]
    rows = conn.execute(
        select(*columns).order_by(deck_snapshot.c.created_at.desc(), deck_snapshot.c.id.desc())
    ).all()
    unseen = [r.id for r in rows if (r.id, _utc(r.created_at)) not in _SUMMARIES]
    if unseen:
        for full in conn.execute(select(deck_snapshot).where(deck_snapshot.c.id.in_(unseen))):
            _SUMMARIES[full.id, _utc(full.created_at)] = _summary(_row(full))
    listed = []
    for r in rows:
        place, as_of, codes, report_codes = _SUMMARIES[r.id, _utc(r.created_at)]
        listed.append(
            Listed(
                id=r.id,
                name=r.name,
                deck=r.deck,
                year=r.year,
                data_version=r.data_version,
                created_by=r.created_by,
                created_at=_utc(r.created_at),
                place=place,
                as_of=as_of,
                codes=codes,
                report_codes=report_codes,
            )
        )
    return listed


def kept_count(conn: Connection) -> int:
    return conn.scalar(select(func.count()).select_from(deck_snapshot)) or 0


def rename(
    conn: Connection, snapshot_id: object, name: str, *, actor: str | None = None, address: str | None = None
) -> Snapshot:
    before = get(conn, snapshot_id)
    name = _check_name(name)
    conn.execute(update(deck_snapshot).where(deck_snapshot.c.id == before.id).values(name=name))
    audit.record(
        conn,
        "snapshot_renamed",
        actor=actor,
        address=address,
        subject=name,
        snapshot_id=before.id,
        changed={"name": [before.name, name]},
    )
    return get(conn, before.id)


def remove(
    conn: Connection, snapshot_id: object, *, actor: str | None = None, address: str | None = None
) -> Snapshot:
    gone = get(conn, snapshot_id)
    conn.execute(delete(deck_snapshot).where(deck_snapshot.c.id == gone.id))
    _SUMMARIES.pop((gone.id, gone.created_at), None)
    audit.record(
        conn, "snapshot_deleted", actor=actor, address=address, subject=gone.name, snapshot_id=gone.id
    )
    return gone

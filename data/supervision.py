"""Follow-ups (督办): a leader asks one unit about one indicator by a date; the unit's head or clerks reply (with
attachments, data/supervision_files.py); the leader accepts it (办结) or returns it (退回) for another reply.

Who may do what is decided here, in one place: raising, accepting and returning need ``Action.SUPERVISE``
(data/access.py); replying needs ``Action.REPLY`` *and* the follow-up's unit being the reader's own
(:func:`may_reply`); a reader sees every follow-up when they read everything (leaders, admins), else only their
own unit's (:func:`sees`, :func:`visible`). The pages, the API and the command line all go through these.

Reading is here; changing (raise, reply, accept, return) is data/supervision_changes.py. Transactions are the
caller's (as data/accounts): every change and its audit event are one transaction. Every refusal is a
:class:`SupervisionError`, one Chinese sentence, raised before anything is written.

The one function the /mine page reads (kept stable for it): :func:`supervisions_for`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, Connection, Engine, and_, false, func, select, true

from data import catalog
from data.access import OPERATOR, Action, Scope
from data.org import by_code, day_zh
from data.schema_supervision import supervision, supervision_attachment, supervision_entry

__all__ = [
    "Supervision",
    "State",
    "SupervisionError",
    "supervisions_for",
]


class State(StrEnum):
    """A follow-up's state, stored as its value; pages, API and CLI compare against these members."""

    OPEN = "open"
    REPLIED = "replied"
    CLOSED = "closed"
    RETURNED = "returned"


STATES: dict[State, str] = {
    State.OPEN: "待办",
    State.REPLIED: "已回复",
    State.CLOSED: "已办结",
    State.RETURNED: "退回",
}
# How each state looks (assets/2-app/app.css .data-status-<tone>, as the data page's batches).
STATE_TONES: dict[State, str] = {
    State.OPEN: "waiting",
    State.REPLIED: "working",
    State.CLOSED: "done",
    State.RETURNED: "wrong",
}
OPEN_STATES = (State.OPEN, State.REPLIED, State.RETURNED)
# What waits for whom: the unit answers a new or returned one, a supervisor a replied one (the header's inbox).
UNIT_WAITS = (State.OPEN, State.RETURNED)
SUPERVISOR_WAITS = (State.REPLIED,)
UNIT_KINDS: dict[str, str] = {"department": "部门", "township": "乡镇（街道）"}
# The thread's entries: a unit's reply, a supervisor's acceptance or return.
ENTRY_KINDS: dict[str, str] = {"reply": "回复", "close": "办结", "return": "退回"}
MAX_LISTED = 1000
COMMAND_LINE_NAME = "命令行"


class SupervisionError(ValueError):
    """A refused follow-up operation, in one Chinese sentence; nothing was changed."""


class NotAllowed(SupervisionError):
    """The reader may not do this (the web answers 403)."""


class NotFound(SupervisionError):
    """No such follow-up, or not one the reader may see (the web answers 404 either way)."""


@dataclass(frozen=True)
class Who:
    """Who acts: a signed-in account's username and scope, or the command line (``username`` None)."""

    username: str | None
    scope: Scope

    @property
    def shown(self) -> str:
        return self.username or COMMAND_LINE_NAME


COMMAND_LINE = Who(None, OPERATOR)


@dataclass(frozen=True)
class Attachment:
    id: int
    name: str
    kind: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Entry:
    id: int
    kind: str  # an ENTRY_KINDS key
    author: str | None
    at: datetime
    text: str
    attachments: tuple[Attachment, ...] = ()

    @property
    def label(self) -> str:
        return ENTRY_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Supervision:
    id: int
    indicator_code: str
    indicator_name: str
    unit_kind: str
    unit_code: str
    unit_name: str
    due: date
    request: str
    raised_by: str | None
    raised_at: datetime
    state: State
    updated_at: datetime
    closed_at: datetime | None
    entries: tuple[Entry, ...] = field(default=())

    @property
    def label(self) -> str:
        return STATES[self.state]

    @property
    def tone(self) -> str:
        return STATE_TONES[self.state]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due < (today or date.today())

    @property
    def due_zh(self) -> str:
        return day_zh(self.due)


# --- who may do what (the one place) ----------------------------------------------------------------------------


def _own_unit(scope: Scope, unit_kind: str, unit_code: str) -> bool:
    if unit_kind == "department":
        return scope.department is not None and scope.department == unit_code
    return scope.township is not None and scope.township == unit_code and scope.department is None


def sees(scope: Scope, item: Supervision) -> bool:
    return scope.everything or (scope.signed_in and _own_unit(scope, item.unit_kind, item.unit_code))


def visible(scope: Scope) -> ColumnElement[bool]:
    """The follow-ups ``scope`` may see, as SQL: all for leaders and admins, the reader's own unit's for the rest."""
    if scope.everything:
        return true()
    if scope.department:
        return and_(supervision.c.unit_kind == "department", supervision.c.unit_code == scope.department)
    if scope.township:
        return and_(supervision.c.unit_kind == "township", supervision.c.unit_code == scope.township)
    return false()


def may_supervise(who: Who) -> bool:
    return who.scope.may(Action.SUPERVISE)


def may_reply(who: Who, item: Supervision) -> bool:
    """The unit's own head and clerks (Action.REPLY and the same unit); the command line, for any."""
    if who.username is None and who.scope.everything:
        return True
    return who.scope.may(Action.REPLY) and _own_unit(who.scope, item.unit_kind, item.unit_code)


# --- reading ----------------------------------------------------------------------------------------------------


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _names(conn: Connection) -> dict[str, str]:
    return {code: unit.name for code, unit in by_code(conn).items()}


def _item(row, units: dict[str, str], entries: tuple[Entry, ...] = ()) -> Supervision:
    ind = catalog.load().get(row.indicator_code)
    return Supervision(
        id=row.id,
        indicator_code=row.indicator_code,
        indicator_name=ind.name if ind else row.indicator_code,
        unit_kind=row.unit_kind,
        unit_code=row.unit_code,
        unit_name=units.get(row.unit_code, row.unit_code),
        due=row.due,
        request=row.request,
        raised_by=row.raised_by,
        raised_at=_utc(row.raised_at),
        state=State(row.state),
        updated_at=_utc(row.updated_at),
        closed_at=_utc(row.closed_at),
        entries=entries,
    )


def listing(conn: Connection, scope: Scope, open_only: bool = False) -> list[Supervision]:
    """The follow-ups ``scope`` may see: open ones first, soonest deadline first, then the closed, newest first."""
    query = select(supervision).where(visible(scope))
    if open_only:
        query = query.where(supervision.c.state.in_([s.value for s in OPEN_STATES]))
    query = query.order_by(supervision.c.id.desc()).limit(MAX_LISTED)
    units = _names(conn)
    found = [_item(row, units) for row in conn.execute(query)]
    is_open = [s for s in found if s.is_open]
    closed = [s for s in found if not s.is_open]
    return sorted(is_open, key=lambda s: (s.due, s.id)) + closed


def supervisions_for(engine: Engine, scope: Scope, open_only: bool = True) -> list[Supervision]:
    """The follow-ups ``scope`` may see (the /mine page's 需关注 shows these): only open ones unless asked."""
    with engine.connect() as conn:
        return listing(conn, scope, open_only=open_only)


def overdue_for(engine: Engine, scope: Scope, today: date | None = None) -> list[Supervision]:
    """The open follow-ups ``scope`` may see that are past their deadline (for a warning strip: show the indicator
    and the unit, never the request's text on a public wall)."""
    return [s for s in supervisions_for(engine, scope) if s.overdue(today)]


def inbox_count(conn: Connection, scope: Scope) -> int:
    """How many follow-ups wait for this reader: a unit's new and returned ones, a supervisor's replied ones."""
    if scope.may(Action.SUPERVISE):
        states = SUPERVISOR_WAITS
    elif scope.may(Action.REPLY):
        states = UNIT_WAITS
    else:
        return 0
    query = select(func.count()).where(visible(scope), supervision.c.state.in_([s.value for s in states]))
    return int(conn.scalar(query) or 0)


def get(conn: Connection, supervision_id: int, scope: Scope) -> Supervision:
    """One follow-up with its thread, if ``scope`` may see it (else NotFound: another unit's is not told apart)."""
    row = conn.execute(select(supervision).where(supervision.c.id == supervision_id)).first()
    units = _names(conn)
    if row is None or not sees(scope, _item(row, units)):
        raise NotFound(f"没有编号为 {supervision_id} 的督办事项（或无权查看）")
    return _item(row, units, _thread(conn, supervision_id))


def _thread(conn: Connection, supervision_id: int) -> tuple[Entry, ...]:
    rows = conn.execute(
        select(supervision_entry)
        .where(supervision_entry.c.supervision_id == supervision_id)
        .order_by(supervision_entry.c.id)
    ).all()
    files: dict[int, list[Attachment]] = {}
    if rows:
        a = supervision_attachment
        for f in conn.execute(select(a).where(a.c.entry_id.in_([r.id for r in rows])).order_by(a.c.id)):
            files.setdefault(f.entry_id, []).append(Attachment(f.id, f.name, f.kind, f.size, f.sha256))
    return tuple(Entry(r.id, r.kind, r.author, _utc(r.at), r.text, tuple(files.get(r.id, ()))) for r in rows)


def attachment(conn: Connection, supervision_id: int, attachment_id: int, scope: Scope) -> Attachment:
    """An attachment of a follow-up ``scope`` may see."""
    item = get(conn, supervision_id, scope)
    for entry in item.entries:
        for a in entry.attachments:
            if a.id == attachment_id:
                return a
    raise NotFound(f"督办事项 {supervision_id} 没有编号为 {attachment_id} 的附件")

"""The store's tables: dimensions, the indicator catalog, registers, reported figures and summaries.

The migrations in ``data/migrations`` create exactly these tables; a test compares the two on every engine.
Every register carries ``year`` and ``month`` beside its date so that indexes can serve the standard queries
(a year, a set of townships or departments, by month) without computing on dates.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    false,
    true,
)

from data.metadata import metadata
from data.registers import REGISTERS as DECLARED
from data.registers import Field, Register

# --- store metadata ----------------------------------------------------------------------------

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# --- dimensions --------------------------------------------------------------------------------


def _history() -> list[Column]:
    """A unit's life (data/org.py): from when (NULL: always) to when (NULL: still), and the unit it was merged
    into on valid_to (机构改革). Ended units stay, with their rows: history is never deleted."""
    return [
        Column("valid_from", Date, nullable=True),
        Column("valid_to", Date, nullable=True),
        Column("merged_into", String(32), nullable=True),
    ]


department = Table(
    "department",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("short_name", String(40), nullable=False),
    Column("sort", Integer, nullable=False, default=0),
    *_history(),
)

township = Table(
    "township",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(60), nullable=False),
    # 镇 / 乡 / 街道 / 园区
    Column("kind", String(8), nullable=False),
    Column("sort", Integer, nullable=False, default=0),
    *_history(),
)

calendar = Table(
    "calendar",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("month", Integer, primary_key=True),
)

# --- indicator catalog -------------------------------------------------------------------------

indicator = Table(
    "indicator",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("area", String(32), nullable=False),
    Column("name", String(100), nullable=False),
    Column("unit", String(16), nullable=False),
    Column("definition", Text, nullable=False),
    # the responsible department, by name: the catalog is loaded before any department exists
    Column("responsible", String(100), nullable=False),
    # year: the calendar year; h1: January to June only
    Column("period", String(8), nullable=False),
    # up: higher is better; down: lower is better; neutral
    Column("direction", String(8), nullable=False),
    Column("target", Float, nullable=True),
    Column("applies_department", Boolean, nullable=False),
    Column("applies_township", Boolean, nullable=False),
    # public / internal / restricted
    Column("visibility", String(12), nullable=False),
    # register: counted or summed from a register; ratio: numerator / denominator; reported
    Column("source_kind", String(12), nullable=False),
    Column("register", String(40), nullable=True),
    # "count" or "sum:<column>"
    Column("measure", String(60), nullable=True),
    # "column=value;column=value", parsed and checked against the register's columns
    Column("condition", String(200), nullable=True),
    Column("numerator", String(64), nullable=True),
    Column("denominator", String(64), nullable=True),
    Column("sort", Integer, nullable=False, default=0),
    # register columns the indicator is also summed by, "a;b" (dispute types, service channels)
    Column("categories", String(200), nullable=True),
)

reported_figure = Table(
    "reported_figure",
    metadata,
    Column("indicator_code", String(64), ForeignKey("indicator.code"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("value", Float, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("source", String(200), nullable=False),
)

# Small per-indicator monthly totals, rebuilt from the registers whenever data changes: every standard
# query (a figure, a monthly series, a breakdown) reads this table instead of the registers.
indicator_fact = Table(
    "indicator_fact",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_code", String(64), nullable=False),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("department_code", String(32), nullable=True),
    Column("township_code", String(32), nullable=True),
    Column("value", Float, nullable=False),
    # Both end in the value so that the standard queries are answered from the index alone.
    Index(
        "ix_indicator_fact_by_township",
        "indicator_code",
        "year",
        "township_code",
        "department_code",
        "month",
        "value",
    ),
    Index(
        "ix_indicator_fact_by_department",
        "indicator_code",
        "year",
        "department_code",
        "township_code",
        "month",
        "value",
    ),
)


# The same monthly totals split further by one register column (a dispute's type, a transaction's channel),
# for the indicators whose catalog row names such columns.
category_fact = Table(
    "category_fact",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_code", String(64), nullable=False),
    Column("column_name", String(40), nullable=False),
    Column("category", String(40), nullable=True),
    Column("year", Integer, nullable=False),
    Column("month", Integer, nullable=False),
    Column("department_code", String(32), nullable=True),
    Column("township_code", String(32), nullable=True),
    Column("value", Float, nullable=False),
    Index(
        "ix_category_fact_lookup", "indicator_code", "column_name", "year", "township_code", "department_code"
    ),
)


# --- registers ---------------------------------------------------------------------------------

# A register's columns as data/registers.py declares them, as SQL.
_TYPES = {"text": String, "choice": String, "register_no": String}


def _column(f: Field) -> Column:
    if f.kind in _TYPES:
        return Column(f.name, String(f.length), nullable=not f.required)
    kind = {"date": Date, "bool": Boolean, "int": Integer}[f.kind]
    return Column(f.name, kind, nullable=not f.required)


def _register(declared: Register) -> Table:
    """A register: one row per thing that happened, with the date split out for indexing.

    A NULL township means the row was handled at district level, a NULL department that no district department
    handled it; the query layer lists and filters both as members of their own (data/queries/dimensions.py).
    The columns keep the order the demo generator writes (data/demo/registers), the register number last.
    """
    name = declared.name
    base = [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("occurred_on", Date, nullable=False),
        Column("year", Integer, nullable=False),
        Column("month", Integer, nullable=False),
    ]
    # Every index ends in the records' order (occurred_on, id), so that a page of records for a year and some
    # townships or departments is read by keyset straight from an index, wherever it lies (queries/records.py).
    indexes = [
        Index(f"ix_{name}_by_year", "year", "occurred_on", "id"),
        Index(f"uq_{name}_register_no", "register_no", unique=True),
    ]
    if declared.has_department:
        base.append(Column("department_code", String(32), ForeignKey("department.code"), nullable=True))
        indexes.append(Index(f"ix_{name}_by_department", "year", "department_code", "occurred_on", "id"))
    if declared.has_township:
        base.append(Column("township_code", String(32), ForeignKey("township.code"), nullable=True))
        indexes.append(Index(f"ix_{name}_by_township", "year", "township_code", "occurred_on", "id"))
    own = [_column(f) for f in declared.own]
    number = _column(declared.field("register_no"))
    return Table(name, metadata, *base, *own, number, *indexes)


REGISTERS: dict[str, Table] = {name: _register(declared) for name, declared in DECLARED.items()}


def _open_rows(register: str, *where: ColumnElement[bool]) -> Index:
    """A partial index of a register's rows still open: the overdue warnings (data/alert_rules.csv, open_when)
    count them by year and date, and a big register holds few of them, so an evaluation reads a handful of
    index entries instead of the year's rows. The rules' conditions read exactly as these (tests/test_alerts.py)."""
    table = REGISTERS[register]
    keys = [table.c[c] for c in ("year", "occurred_on", "department_code", "township_code") if c in table.c]
    clause = and_(*where)
    return Index(f"ix_{register}_open", *keys, postgresql_where=clause, sqlite_where=clause)


_HOTLINE, _RECONSIDERATION = REGISTERS["hotline_request"], REGISTERS["reconsideration_application"]
OPEN_ROWS: dict[str, Index] = {
    "hotline_request": _open_rows("hotline_request", _HOTLINE.c.completed.is_(false())),
    "reconsideration_application": _open_rows(
        "reconsideration_application",
        _RECONSIDERATION.c.accepted.is_(true()),
        _RECONSIDERATION.c.closed_on.is_(None),
    ),
}
REGISTER_NAMES_ZH: dict[str, str] = {name: declared.label for name, declared in DECLARED.items()}
(
    service_transaction,
    inspection,
    enforcement_case,
    enterprise_visit,
    dispute_case,
    reconsideration_application,
    court_appearance,
    police_incident,
    administrative_case,
    detention,
    hotline_request,
    publicity_event,
) = REGISTERS.values()


# --- accounts, sign-in and the audit log (data/accounts/) ---------------------------------------

account = Table(
    "account",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(60), nullable=False),
    # a key of data.access.ROLES; ROLE_SCOPE says which of the two codes below it needs
    Column("role", String(16), nullable=False),
    Column("department_code", String(32), ForeignKey("department.code"), nullable=True),
    Column("township_code", String(32), ForeignKey("township.code"), nullable=True),
    # argon2id, in the PHC string format argon2-cffi writes
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False, server_default=false()),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # sessions started before it are no longer valid
    Column("password_changed_at", DateTime(timezone=True), nullable=False),
    Column("last_login_at", DateTime(timezone=True), nullable=True),
)

# Tokens and sessions keep only the SHA-256 (hex) of what the client holds: a copy of the database lets no one in.
api_token = Table(
    "api_token",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", Integer, ForeignKey("account.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)

login_session = Table(
    "login_session",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", Integer, ForeignKey("account.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    Column("address", String(64), nullable=True),
)

# Append-only: triggers installed by migration 0004 refuse UPDATE and DELETE on both engines. Sign-in
# throttling counts its login_failed rows, so every worker and server shares one count.
audit_event = Table(
    "audit_event",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    # the username who acted; NULL: nobody signed in (a failed sign-in) or the command line
    Column("actor", String(64), nullable=True),
    # a key of data.accounts.EVENTS
    Column("event", String(32), nullable=False),
    Column("address", String(64), nullable=True),
    # whom or what the event is about (an account's username, a download's indicator)
    Column("subject", String(200), nullable=True),
    # a JSON object
    Column("detail", Text, nullable=False),
    Index("ix_audit_event_event_at", "event", "at"),
    Index("ix_audit_event_actor_at", "actor", "at"),
)


# --- imports: staged batches, published versions (data/imports/) ---------------------------------

# One upload (a register file) or one entry of reported figures, from checking to publishing or rolling back.
import_batch = Table(
    "import_batch",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # a key of data.imports.states.KINDS: a register's rows or reported figures
    Column("kind", String(12), nullable=False),
    Column("register", String(40), nullable=True),
    # what publishing replaces: the register's rows of this department (or township, or neither: the whole
    # district) dated within the period
    Column("department_code", String(32), nullable=True),
    Column("township_code", String(32), nullable=True),
    Column("period_start", Date, nullable=True),
    Column("period_end", Date, nullable=True),
    # a key of data.imports.states.STATUSES
    Column("status", String(12), nullable=False),
    Column("step", String(200), nullable=False, default=""),
    Column("progress", Integer, nullable=False, default=0),
    # who runs a checking or publishing batch, and when it last said it was alive
    Column("worker", String(120), nullable=True),
    Column("heartbeat_at", DateTime(timezone=True), nullable=True),
    Column("file_name", String(200), nullable=True),
    Column("file_size", BigInteger, nullable=True),
    Column("file_sha256", String(64), nullable=True),
    # the upload as received, under the instance's uploads directory (to annotate and to retry)
    Column("stored_as", String(200), nullable=True),
    Column("created_by", String(64), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("rows_total", Integer, nullable=True),
    Column("error_count", Integer, nullable=False, default=0),
    # JSON lists and objects: the errors found, and what publishing would change
    Column("errors", Text, nullable=True),
    Column("preview", Text, nullable=True),
    Column("reviewed_by", String(64), nullable=True),
    Column("reviewed_at", DateTime(timezone=True), nullable=True),
    Column("reason", Text, nullable=True),
    Index("ix_import_batch_status", "status", "id"),
)

# A staged batch's rows, checked and normalised, as JSON objects of the register's columns.
staged_row = Table(
    "staged_row",
    metadata,
    Column("batch_id", Integer, ForeignKey("import_batch.id"), primary_key=True),
    Column("row_no", Integer, primary_key=True),
    Column("payload", Text, nullable=False),
)

# Every publish: rolling it back restores the rows (or figures) it replaced, kept in archived_row.
published_version = Table(
    "published_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("import_batch.id"), nullable=False, unique=True),
    Column("published_by", String(64), nullable=True),
    Column("published_at", DateTime(timezone=True), nullable=False),
    # JSON: row counts and the figures that changed
    Column("summary", Text, nullable=False),
    Column("rolled_back_by", String(64), nullable=True),
    Column("rolled_back_at", DateTime(timezone=True), nullable=True),
)

archived_row = Table(
    "archived_row",
    metadata,
    Column("version_id", Integer, ForeignKey("published_version.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("payload", Text, nullable=False),
)

# The registers an account's API token may publish without a reviewer (a business system's nightly feed).
auto_publish = Table(
    "auto_publish",
    metadata,
    Column("account_id", Integer, ForeignKey("account.id"), primary_key=True),
    Column("register", String(40), primary_key=True),
)


# The big screen's and the presenter's tables live in their own modules, on this metadata (imported last: they
# need `metadata`).
from data import (  # noqa: E402,F401
    schema_alerts,
    schema_catalog_edits,
    schema_decktext,
    schema_delivery,
    schema_district,
    schema_present,
    schema_screen,
    schema_supervision,
)

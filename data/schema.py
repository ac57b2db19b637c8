"""The store's tables: dimensions, the indicator catalog, registers, reported figures and summaries.

The migrations in ``data/migrations`` create exactly these tables; a test compares the two on every engine.
Every register carries ``year`` and ``month`` beside its date so that indexes can serve the standard queries
(a year, a set of townships or departments, by month) without computing on dates.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# --- store metadata ----------------------------------------------------------------------------

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# --- dimensions --------------------------------------------------------------------------------

department = Table(
    "department",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("short_name", String(40), nullable=False),
    Column("sort", Integer, nullable=False, default=0),
)

township = Table(
    "township",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(60), nullable=False),
    # 镇 / 乡 / 街道 / 园区
    Column("kind", String(8), nullable=False),
    Column("sort", Integer, nullable=False, default=0),
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


def _register(name: str, *columns: Column, department: bool = True, township: bool = True) -> Table:
    """A register: one row per thing that happened, with the date split out for indexing.

    A NULL township means the row was handled at district level, a NULL department that no district department
    handled it; the query layer lists and filters both as members of their own (data/queries/dimensions.py).
    """
    base = [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("occurred_on", Date, nullable=False),
        Column("year", Integer, nullable=False),
        Column("month", Integer, nullable=False),
    ]
    # Every index ends in the records' order (occurred_on, id), so that a page of records for a year and some
    # townships or departments is read by keyset straight from an index, wherever it lies (queries/records.py).
    indexes = [Index(f"ix_{name}_by_year", "year", "occurred_on", "id")]
    if department:
        base.append(Column("department_code", String(32), ForeignKey("department.code"), nullable=True))
        indexes.append(Index(f"ix_{name}_by_department", "year", "department_code", "occurred_on", "id"))
    if township:
        base.append(Column("township_code", String(32), ForeignKey("township.code"), nullable=True))
        indexes.append(Index(f"ix_{name}_by_township", "year", "township_code", "occurred_on", "id"))
    return Table(name, metadata, *base, *columns, *indexes)


service_transaction = _register(
    "service_transaction",
    Column("item", String(100), nullable=False),
    # 窗口 / 网办 / 自助
    Column("channel", String(8), nullable=False),
    Column("completed_on", Date, nullable=True),
    Column("on_time", Boolean, nullable=False),
    # 好评 / 差评 / NULL (not rated)
    Column("rating", String(4), nullable=True),
    Column("complaint", Boolean, nullable=False),
    Column("error", Boolean, nullable=False),
)

inspection = _register(
    "inspection",
    Column("enterprise", String(100), nullable=False),
    Column("result", String(20), nullable=False),
)

enforcement_case = _register(
    "enforcement_case",
    Column("case_type", String(20), nullable=False),
    Column("subject", String(100), nullable=False),
)

enterprise_visit = _register(
    "enterprise_visit",
    Column("enterprise", String(100), nullable=False),
    Column("requests_raised", Integer, nullable=False),
    Column("requests_resolved", Integer, nullable=False),
)

dispute_case = _register(
    "dispute_case",
    # 区 / 乡镇 / 村居
    Column("level", String(4), nullable=False),
    Column("dispute_type", String(20), nullable=False),
    Column("success", Boolean, nullable=False),
    Column("closed_on", Date, nullable=True),
)

reconsideration_application = _register(
    "reconsideration_application",
    Column("matter_type", String(20), nullable=False),
    Column("accepted", Boolean, nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("closed_on", Date, nullable=True),
)

# Administrative suits against the district's agencies, with whether the agency's head appeared in court.
court_appearance = _register(
    "court_appearance",
    Column("case_type", String(20), nullable=False),
    Column("head_appeared", Boolean, nullable=False),
    township=False,
)

police_incident = _register(
    "police_incident",
    # 刑事 / 治安
    Column("kind", String(4), nullable=False),
    Column("category", String(20), nullable=False),
    Column("solved", Boolean, nullable=False),
    department=False,
)

administrative_case = _register(
    "administrative_case",
    Column("category", String(20), nullable=False),
    department=False,
)

detention = _register(
    "detention",
    Column("category", String(20), nullable=False),
    Column("days", Integer, nullable=False),
    department=False,
)

hotline_request = _register(
    "hotline_request",
    Column("category", String(20), nullable=False),
    Column("completed", Boolean, nullable=False),
    # NULL: the caller was not reached for the satisfaction visit
    Column("satisfied", Boolean, nullable=True),
)

publicity_event = _register(
    "publicity_event",
    # 部门联合 / 主题宣传 / 法律咨询
    Column("event_type", String(8), nullable=False),
    Column("title", String(100), nullable=False),
    Column("audience", Integer, nullable=False),
    Column("materials", Integer, nullable=False),
)

REGISTERS: dict[str, Table] = {
    t.name: t
    for t in (
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
    )
}

REGISTER_NAMES_ZH: dict[str, str] = {
    "service_transaction": "政务服务办件登记",
    "inspection": "双随机抽查登记",
    "enforcement_case": "行政执法案件登记",
    "enterprise_visit": "周末亲清行走访登记",
    "dispute_case": "矛盾纠纷调处登记",
    "reconsideration_application": "行政复议申请登记",
    "court_appearance": "行政诉讼出庭应诉登记",
    "police_incident": "警情登记",
    "administrative_case": "行政案件登记",
    "detention": "行政拘留登记",
    "hotline_request": "12345热线诉求登记",
    "publicity_event": "普法活动登记",
}


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

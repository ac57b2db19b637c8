"""Accounts, API tokens, sign-in sessions and the audit log.

Transactions are the caller's: every function runs its statements on the Connection it is given and never
commits or rolls back, so a change and its audit event are one transaction (``with engine.begin() as conn``,
or ``engine.connect()`` and ``conn.commit()``). One case needs care: :func:`authenticate` writes its
``login_failed`` row and then raises; commit in the ``except`` clause, or the failure is not counted and the
throttle never closes.

Nothing a person or a client sends can cause a database error: names and codes are checked before any query
(refused with an :class:`AccountError`, a Chinese line fit to show), and free text bound for the audit log
(addresses, subjects, details) is cleaned of control characters and cut to its column's length.

Who acted: ``actor`` is the signed-in username. Account changes with ``actor=None`` come from the command
line, and their audit events say so (``via: "cli"``); a failed sign-in also has no actor, its ``subject`` is
the username that was tried.

Times are stored in UTC. SQLite keeps them without a zone, so everything read back is made aware here.

The package's modules, each one concern: ``checks`` (the limits and the checks of names, passwords, roles and
ties), ``users`` (accounts), ``signin`` (authentication, throttling, sessions), ``tokens`` (API tokens),
``audit`` (the audit log) and ``_common`` (the helpers they share). Callers use the names re-exported here
(``from data import accounts``, then ``accounts.add_user``); a test that patches a helper patches it in the
module that looks it up.
"""

from data.accounts._common import MAX_SECRET, TOUCH_EVERY, AccountError
from data.accounts.audit import (
    EVENTS,
    MAX_ADDRESS,
    MAX_AUDIT_LIMIT,
    MAX_DETAIL,
    MAX_SUBJECT,
    AuditEvent,
    audit_events,
    record,
)
from data.accounts.checks import (
    MAX_DISPLAY_NAME,
    MAX_PASSWORD,
    MAX_USERNAME,
    MIN_PASSWORD,
    USERNAME_PATTERN,
    check_name,
    check_new_user,
    check_password,
    check_username,
)
from data.accounts.signin import (
    THROTTLE_FAILURES,
    THROTTLE_WINDOW,
    WRONG_CREDENTIALS,
    Throttled,
    authenticate,
    end_session,
    session_account,
    start_session,
)
from data.accounts.tokens import (
    MAX_TOKEN_DAYS,
    TOKEN_PREFIX,
    TokenInfo,
    create_token,
    list_tokens,
    revoke_token,
    token_account,
)
from data.accounts.users import (
    Account,
    add_user,
    disable,
    enable,
    get_user,
    list_users,
    require_user,
    scope_of,
    set_password,
    update,
)

__all__ = [
    "EVENTS",
    "MAX_ADDRESS",
    "MAX_AUDIT_LIMIT",
    "MAX_DETAIL",
    "MAX_DISPLAY_NAME",
    "MAX_PASSWORD",
    "MAX_SECRET",
    "MAX_SUBJECT",
    "MAX_TOKEN_DAYS",
    "MAX_USERNAME",
    "MIN_PASSWORD",
    "THROTTLE_FAILURES",
    "THROTTLE_WINDOW",
    "TOKEN_PREFIX",
    "TOUCH_EVERY",
    "USERNAME_PATTERN",
    "WRONG_CREDENTIALS",
    "Account",
    "AccountError",
    "AuditEvent",
    "Throttled",
    "TokenInfo",
    "add_user",
    "audit_events",
    "authenticate",
    "check_name",
    "check_new_user",
    "check_password",
    "check_username",
    "create_token",
    "disable",
    "enable",
    "end_session",
    "get_user",
    "list_tokens",
    "list_users",
    "record",
    "require_user",
    "revoke_token",
    "scope_of",
    "session_account",
    "set_password",
    "start_session",
    "token_account",
    "update",
]

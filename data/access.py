"""Who may read what: roles, the scope a reader has, and how it becomes SQL.

A reader's scope is built on the server from the session or the API token (never from anything the browser
sends) and travels inside :class:`data.queries.filters.Filters`, whose default is the anonymous visitor: a
route that forgets to pass it shows less, never more. The query layer applies it where filters become SQL:
indicator visibility in every figure, series and breakdown, row scope in every register read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Table, false, true

from data.catalog import Indicator

# role -> its name in the interface. admin: accounts and everything; leader: every figure and every row;
# department: a department head; township: a township head; clerk: data entry for one department.
ROLES: dict[str, str] = {
    "admin": "管理员",
    "leader": "领导",
    "department": "部门负责人",
    "township": "乡镇（街道）负责人",
    "clerk": "数据录入员",
}
# What each role is tied to: a department, a township, or nothing (it reads everything).
ROLE_SCOPE: dict[str, str | None] = {
    "admin": None,
    "leader": None,
    "department": "department",
    "township": "township",
    "clerk": "department",
}


class Action(StrEnum):
    """What a request does, declared on every route (dashboard/web/permissions.py) and every Dash callback."""

    # anyone, signed in or not, whatever DASHBOARD_ANONYMOUS says: the sign-in page, health checks, static files
    OPEN = "open"
    # figures of the indicators the reader may see (Scope.sees): visitors too when DASHBOARD_ANONYMOUS=public
    READ_FIGURES = "read_figures"
    # the wall's figures: as READ_FIGURES, or through a kiosk link (whose token the wall's routes check)
    WALL = "wall"
    # register rows behind a figure, within the reader's scope (Scope.rows)
    READ_ROWS = "read_rows"
    # freeze a deck as a snapshot, rename or delete one's own
    FREEZE = "freeze"
    # write a deck's text slides (工作亮点, 存在的问题, …): a department head only its own department's deck
    EDIT_DECK = "edit_deck"
    # the data page: templates, uploads, one's own batches
    UPLOAD = "upload"
    # publish, reject and roll back what others uploaded
    REVIEW = "review"
    # accounts, the audit log, kiosk links
    ADMIN = "admin"
    # the indicator catalog as the district has it: display names, visibility, responsible departments, targets
    EDIT_CATALOG = "edit_catalog"
    # follow-ups (督办, data/supervision.py): raise one, accept it (办结) or return it (退回)
    SUPERVISE = "supervise"
    # reply to a follow-up, for the unit it is addressed to only (data/supervision.may_reply checks the unit)
    REPLY = "reply"


# The one table of who may do what: role -> actions. Visitors get ANONYMOUS_ACTIONS (under DASHBOARD_ANONYMOUS=public).
_SIGNED_IN = {Action.OPEN, Action.READ_FIGURES, Action.WALL, Action.READ_ROWS, Action.FREEZE}
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    "admin": frozenset(Action),
    "leader": frozenset(
        {*_SIGNED_IN, Action.UPLOAD, Action.REVIEW, Action.EDIT_DECK, Action.EDIT_CATALOG, Action.SUPERVISE}
    ),
    "department": frozenset({*_SIGNED_IN, Action.UPLOAD, Action.EDIT_DECK, Action.REPLY}),
    "township": frozenset({*_SIGNED_IN, Action.REPLY}),
    "clerk": frozenset({*_SIGNED_IN, Action.UPLOAD, Action.REPLY}),
}
ANONYMOUS_ACTIONS: frozenset[Action] = frozenset({Action.OPEN, Action.READ_FIGURES, Action.WALL})


# The attribute a route's view or a Dash callback's function carries its declared action in (set by
# dashboard/web/permissions.requires and callbacks/common.needs, read by the gate and by the tests).
DECLARED = "required_action"


def declare_action(function: Any, action: Action) -> Any:
    setattr(function, DECLARED, action)
    return function


def declared_action(function: Any) -> Action | None:
    return getattr(function, DECLARED, None)


def roles_that(action: Action) -> tuple[str, ...]:
    """The roles allowed ``action``, in ROLES' order (the role tuples other modules use derive from here)."""
    return tuple(role for role in ROLES if action in ROLE_ACTIONS[role])


# What a visitor who has not signed in gets (DASHBOARD_ANONYMOUS): the desk with public indicators, or nothing.
ANONYMOUS_MODES: dict[str, str] = {"public": "未登录可看公开指标", "none": "必须登录"}


# Why a visitor who has not signed in gets no register row, wherever rows are asked for.
SIGN_IN_FOR_ROWS = "请先登录后再查看登记明细"


class Forbidden(Exception):
    """The reader may not read this; the message says so in Chinese."""


@dataclass(frozen=True)
class Scope:
    """What one reader may read.

    ``role`` None is the anonymous visitor. ``department``/``township``: the code the role is tied to;
    ``department_name``: that department's name, which the catalog's ``responsible`` column uses.
    """

    role: str | None = None
    department: str | None = None
    township: str | None = None
    department_name: str | None = None

    def __post_init__(self) -> None:
        if self.role is not None and self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        tied = ROLE_SCOPE.get(self.role) if self.role else None
        if tied == "department" and not self.department or tied == "township" and not self.township:
            raise ValueError(f"role {self.role!r} needs a {tied}")

    @property
    def signed_in(self) -> bool:
        return self.role is not None

    @property
    def everything(self) -> bool:
        """Leaders and admins read every figure and every row (those who review what others send)."""
        return self.role in roles_that(Action.REVIEW)

    def may(self, action: Action, anonymous_public: bool = True) -> bool:
        """Whether this reader may do ``action`` (ROLE_ACTIONS); a visitor only where DASHBOARD_ANONYMOUS allows."""
        if self.role is None:
            return action is Action.OPEN or (anonymous_public and action in ANONYMOUS_ACTIONS)
        return action in ROLE_ACTIONS[self.role]

    @property
    def reads_rows(self) -> bool:
        """Whether any register row may be shown (anonymous visitors see figures only)."""
        return self.signed_in

    def responsible_for(self, ind: Indicator) -> bool:
        return self.department_name is not None and ind.responsible == self.department_name

    def sees(self, ind: Indicator) -> bool:
        """Whether ``ind``'s figures may be shown: public to all, internal to the signed in, restricted to
        leaders, admins and the department responsible for it."""
        if ind.visibility == "public":
            return True
        if ind.visibility == "internal":
            return self.signed_in
        return self.everything or self.responsible_for(ind)

    def check(self, ind: Indicator) -> None:
        if not self.sees(ind):
            raise Forbidden(f"无权查看指标“{ind.name}”")

    def rows(self, register: Table, ind: Indicator, table: Table | None = None) -> ColumnElement[bool]:
        """The rows of ``register`` (behind ``ind``) this reader may read, as a clause on ``table`` (the
        register itself, or the summary table whose department and township columns mirror it).

        The department responsible for an indicator reads all its rows (a register with no department column,
        police incidents, is the public security bureau's alone); one with no township column belongs to no
        township.
        """
        table = register if table is None else table
        if self.everything:
            return true()
        if not self.reads_rows:
            return false()
        if self.department:
            # the department responsible for an indicator reads every row behind it (司法局 the disputes the
            # townships mediate): its head answers for the district's figure; otherwise only its own rows
            if self.responsible_for(ind):
                return true()
            if "department_code" in register.c:
                return table.c.department_code == self.department
            return false()
        if self.township and "township_code" in register.c:
            return table.c.township_code == self.township
        return false()

    def check_filter(self, departments: tuple[str, ...], townships: tuple[str, ...]) -> None:
        """Refuse a request for rows of another department or township (the API answers 403)."""
        if self.everything:
            return
        if not self.reads_rows:
            raise Forbidden(SIGN_IN_FOR_ROWS)
        if self.department and any(d != self.department for d in departments):
            raise Forbidden("只能查看本部门的登记明细")
        if self.township and not self.department and any(t != self.township for t in townships):
            raise Forbidden("只能查看本乡镇（街道）的登记明细")


ANONYMOUS = Scope()
# The operator at the command line (`dashboard check`, exports): every figure.
OPERATOR = Scope(role="admin")

"""The limits on usernames, passwords and display names, and the checks an account must pass before any
query: roles, and the department or township a role is tied to."""

from __future__ import annotations

import re

from sqlalchemy import Connection, Table, func, select

from data.access import ROLE_SCOPE, ROLES
from data.accounts._common import AccountError, _clean, _shown, _storable
from data.schema import account, department, township

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
# the column lengths, read from the schema: a limit said in a form or a message is the one the store has
MAX_USERNAME = account.c.username.type.length
USERNAME_PATTERN = re.compile(rf"[A-Za-z0-9_.@-]{{1,{MAX_USERNAME}}}")
MAX_DISPLAY_NAME = account.c.display_name.type.length


def check_username(username: object) -> str:
    """The username, or an AccountError saying what is wrong with it."""
    if not isinstance(username, str) or not username:
        raise AccountError("用户名不能为空")
    if len(username) > MAX_USERNAME:
        raise AccountError(f"用户名最多 {MAX_USERNAME} 个字符，当前有 {len(username):,} 个")
    if not USERNAME_PATTERN.fullmatch(username):
        raise AccountError(f"用户名 “{_shown(username)}” 无效：只能包含英文字母、数字和 _ . - @")
    return username


# A password needs this many different characters: aaaaaaaaaa and 1212121212 are one guess away.
MIN_DISTINCT = 4
# Runs a person types without thinking: along the digits, the alphabet or a keyboard row, either way.
_RUNS = (
    "01234567890",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz2wsx3edc4rfv",
)
# The first guesses of every password list (lower-cased, checked after the runs above).
_COMMON = frozenset(
    {"password", "passw0rd", "p@ssw0rd", "admin", "iloveyou", "woaini", "changeme", "welcome"}
)


def _weak(password: str, username: str | None) -> str | None:
    """Why a password of a fitting length is still too easy to guess, or None."""
    lowered = password.lower()
    if len(set(lowered)) < MIN_DISTINCT:
        return f"密码至少要有 {MIN_DISTINCT} 个不同的字符（不能是 aaaaaaaaaa、1212121212 这样的重复）"
    if any(lowered in run or lowered in run[::-1] for run in _RUNS):
        return "密码不能是连续的数字、字母或键盘上相邻的一串（如 1234567890、abcdefghij、qwertyuiop）"
    if username and len(username) >= 3 and username.lower() in lowered:
        return "密码不能包含用户名"
    stripped = lowered.rstrip("0123456789!@#$%^&*.-_ ")
    if stripped in _COMMON or lowered in _COMMON:
        return "密码太常见（如 password、admin 加数字），请换一个不易猜到的"
    return None


def check_password(password: object, username: str | None = None) -> str:
    """The password, or an AccountError in Chinese: between MIN_PASSWORD and MAX_PASSWORD characters, and not
    one of the first guesses (a repeated character, a run on the keyboard, the username, a common word)."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少需要 {MIN_PASSWORD} 个字符")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"密码最多 {MAX_PASSWORD} 个字符")
    reason = _weak(password, username)
    if reason:
        raise AccountError(reason)
    return password


def check_name(name: object) -> str:
    """A display name: printable, not blank, at most MAX_DISPLAY_NAME characters (stored verbatim)."""
    if not isinstance(name, str) or not name.strip():
        raise AccountError("显示名不能为空")
    if len(name) > MAX_DISPLAY_NAME:
        raise AccountError(f"显示名最多 {MAX_DISPLAY_NAME} 个字符，当前有 {len(name):,} 个")
    if _clean(name, MAX_DISPLAY_NAME) != name:
        raise AccountError("显示名不能含换行等控制字符或无法识别的字符")
    return name


def _check_role(role: object) -> str:
    if not isinstance(role, str) or role not in ROLES:
        choices = "、".join(f"{code}（{label}）" for code, label in ROLES.items())
        raise AccountError(f"没有角色 “{_shown(role)}”，可选：{choices}")
    return role


def _code_exists(conn: Connection, table: Table, code: object) -> bool:
    if not _storable(code, table.c.code.type.length):
        return False
    return conn.scalar(select(table.c.code).where(table.c.code == code)) is not None


def _check_ties(
    conn: Connection, role: str, dept: str | None, town: str | None
) -> tuple[str | None, str | None]:
    """The department and township codes ``role`` is tied to, as ROLE_SCOPE says, each checked to exist."""
    tie = ROLE_SCOPE[role]
    if tie is None and (dept is not None or town is not None):
        raise AccountError(f"角色 {role} 不归属部门或乡镇，不能指定 --department 或 --township")
    if tie == "department":
        if dept is None:
            raise AccountError(f"角色 {role} 需要 --department")
        if town is not None:
            raise AccountError(f"角色 {role} 只归属部门，不能指定 --township")
    if tie == "township":
        if town is None:
            raise AccountError(f"角色 {role} 需要 --township")
        if dept is not None:
            raise AccountError(f"角色 {role} 只归属乡镇，不能指定 --department")
    if dept is not None and not _code_exists(conn, department, dept):
        raise AccountError(f"部门代码 “{_shown(dept)}” 不存在")
    if town is not None and not _code_exists(conn, township, town):
        raise AccountError(f"乡镇代码 “{_shown(town)}” 不存在")
    return dept, town


def check_new_user(
    conn: Connection,
    username: str,
    role: str,
    *,
    department: str | None = None,
    township: str | None = None,
    name: str | None = None,
) -> None:
    """Everything :func:`add_user` checks except the password, so a form or a prompt can refuse early."""
    check_username(username)
    if name is not None:
        check_name(name)
    _check_ties(conn, _check_role(role), department, township)
    taken = conn.scalar(select(account.c.username).where(func.lower(account.c.username) == username.lower()))
    if taken is not None:
        raise AccountError(f"用户名 “{taken}” 已存在")

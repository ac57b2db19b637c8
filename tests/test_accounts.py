"""Accounts, sign-in, sessions, API tokens and the audit log (the data/accounts package), on both engines."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
import seeded
from alembic import command
from seeded import PASSWORD, add, seeded_store, sign_in, store_at_0003
from sqlalchemy import Engine, func, insert, inspect, select, text, update
from sqlalchemy.exc import DBAPIError

from data import accounts
from data.access import Scope
from data.accounts import AccountError, Throttled
from data.accounts._common import _utc
from data.schema import account, api_token, audit_event, department, dispute_case, login_session
from data.store import MIGRATIONS, _alembic_config, current_revision, head_revision, migrate

# The seeded stores of tests/seeded.py: departments SFJ and RSJ, townships qingshan and hexi, no accounts.
seeded_templates = seeded.seeded_templates
store = seeded.store


def events(engine: Engine, **kwargs) -> list[accounts.AuditEvent]:
    with engine.connect() as conn:
        return accounts.audit_events(conn, **kwargs)


def old_failures(engine: Engine, count: int, age: timedelta, *, subject=None, address=None) -> None:
    """login_failed rows from ``age`` ago: the window passing, without waiting ten minutes."""
    at = datetime.now(UTC) - age
    with engine.begin() as conn:
        conn.execute(
            insert(audit_event),
            [
                {
                    "at": at,
                    "actor": None,
                    "event": "login_failed",
                    "address": address,
                    "subject": subject,
                    "detail": "{}",
                }
                for _ in range(count)
            ],
        )


# --- creating and listing accounts --------------------------------------------------------------------------


def test_a_new_account_is_listed_with_its_role_and_scope(store):
    add(store, "zhang.san", "department", department="SFJ", name="张三")
    add(store, "li-si@qingshan", "township", township="qingshan")
    add(store, "boss", "leader")
    with store.connect() as conn:
        users = {a.username: a for a in accounts.list_users(conn)}
        assert list(users) == ["boss", "li-si@qingshan", "zhang.san"]
        zhang = users["zhang.san"]
        assert (zhang.name, zhang.role, zhang.role_name, zhang.department, zhang.township) == (
            "张三",
            "department",
            "部门负责人",
            "SFJ",
            None,
        )
        assert not zhang.disabled and zhang.last_login_at is None and zhang.created_at.tzinfo is not None
        # Without a display name, the username stands in.
        assert users["li-si@qingshan"].name == "li-si@qingshan"
        assert accounts.get_user(conn, "zhang.san") == zhang
        assert accounts.get_user(conn, "nobody") is None
        # The password is stored as an argon2id hash, never as itself.
        stored = conn.scalar(select(account.c.password_hash).where(account.c.username == "boss"))
        assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert [e.event for e in events(store)] == ["user_add"] * 3
    assert events(store)[0].detail == {"via": "cli", "role": "leader", "department": None, "township": None}


@pytest.mark.parametrize(
    ("username", "role", "kwargs", "message"),
    [
        ("wang", "leader", {"password": "123456789"}, "密码至少需要 10 个字符"),
        ("wang", "leader", {"password": "x" * 1025}, "密码最多 1024 个字符"),
        ("w" * 10_000, "leader", {}, "用户名最多 64 个字符，当前有 10,000 个"),
        ("", "leader", {}, "用户名不能为空"),
        ("王五", "leader", {}, "用户名 “王五” 无效：只能包含英文字母、数字和 _ . - @"),
        ("wang wu", "leader", {}, "无效"),
        ("wang\x00", "leader", {}, "无效"),
        ("wang\n", "leader", {}, "无效"),
        ("x';DROP TABLE account;--", "leader", {}, "无效"),
        ("wang", "boss", {}, "没有角色 “boss”，可选：admin（管理员）"),
        ("wang", "department", {}, "角色 department 需要 --department"),
        ("wang", "clerk", {}, "角色 clerk 需要 --department"),
        ("wang", "township", {}, "角色 township 需要 --township"),
        ("wang", "leader", {"department": "SFJ"}, "角色 leader 不归属部门或乡镇"),
        ("wang", "admin", {"township": "hexi"}, "角色 admin 不归属部门或乡镇"),
        ("wang", "department", {"department": "SFJ", "township": "hexi"}, "只归属部门，不能指定 --township"),
        ("wang", "township", {"department": "SFJ", "township": "hexi"}, "只归属乡镇，不能指定 --department"),
        ("wang", "department", {"department": "XX"}, "部门代码 “XX” 不存在"),
        ("wang", "department", {"department": "S" * 10_000}, "部门代码 “" + "S" * 40 + "…” 不存在"),
        ("wang", "department", {"department": "SF\x00J"}, "部门代码 “SF\ufffdJ” 不存在"),
        ("wang", "township", {"township": "nowhere"}, "乡镇代码 “nowhere” 不存在"),
        ("wang", "leader", {"name": "名" * 61}, "显示名最多 60 个字符"),
        ("wang", "leader", {"name": "   "}, "显示名不能为空"),
        ("wang", "leader", {"name": "王\n五"}, "显示名不能含换行等控制字符"),
        ("wang", "leader", {"name": "王\ud800五"}, "无法识别的字符"),
    ],
)
def test_each_invalid_account_is_refused_with_its_own_message(store, username, role, kwargs, message):
    with pytest.raises(AccountError) as err:
        add(store, username, role, **kwargs)
    shown = str(err.value)
    assert message in shown
    assert "\n" not in shown and len(shown) < 200
    with store.connect() as conn:
        assert accounts.list_users(conn) == []
    assert events(store) == []


def test_a_password_of_exactly_ten_characters_is_enough(store):
    add(store, "wang", password="7f3k9q2m8z")
    assert sign_in(store, "wang", "7f3k9q2m8z").username == "wang"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaa", "不同的字符"),
        ("1212121212", "不同的字符"),
        ("1234567890", "连续的数字"),
        ("0987654321", "连续的数字"),
        ("qwertyuiop", "键盘上相邻"),
        ("abcdefghijk", "连续的数字、字母"),
        ("zhangsan99", "包含用户名"),
        ("ZhangSan-2024", "包含用户名"),
        ("password2024", "太常见"),
        ("Admin@12345", "太常见"),
    ],
)
def test_passwords_guessed_first_are_refused_with_a_reason(store, password, reason):
    with pytest.raises(AccountError, match=reason):
        add(store, "zhangsan", password=password)
    add(store, "zhangsan", password="测试用的密码-0123")
    with store.begin() as conn, pytest.raises(AccountError, match=reason):
        accounts.set_password(conn, "zhangsan", password)


def test_a_taken_username_is_refused_whatever_its_case(store):
    add(store, "Wang")
    for name in ("Wang", "wang", "WANG"):
        with pytest.raises(AccountError, match="用户名 “Wang” 已存在"):
            add(store, name)


def test_sql_and_script_text_is_stored_verbatim_and_harmless(store):
    name = "<script>alert(1)</script>'; DROP TABLE account;--"
    add(store, "o.brien", name=name)
    with store.begin() as conn:
        accounts.record(
            conn,
            "download",
            actor="o.brien",
            address="1.2.3.4'); DELETE FROM account;--",
            subject="<img src=x onerror=alert(1)>",
            filters="' OR 1=1 --",
        )
    with store.connect() as conn:
        assert accounts.get_user(conn, "o.brien").name == name
        assert {"account", "audit_event", "department"} <= set(inspect(conn).get_table_names())
    event = events(store)[0]
    assert event.address == "1.2.3.4'); DELETE FROM account;--"
    assert event.subject == "<img src=x onerror=alert(1)>"
    assert event.detail == {"filters": "' OR 1=1 --"}


# --- changing accounts --------------------------------------------------------------------------------------


def test_set_password_changes_what_signs_in_and_ends_the_sessions(store):
    wang = add(store, "wang")
    with store.begin() as conn:
        cookie = accounts.start_session(conn, wang, address=None)
        accounts.set_password(conn, "wang", "a new password", actor="admin")
    with store.connect() as conn:
        assert accounts.session_account(conn, cookie, idle_seconds=3600) is None
        ended = conn.scalar(select(login_session.c.ended_at))
        assert ended is not None
    with pytest.raises(AccountError, match="用户名或密码错误"):
        sign_in(store, "wang", PASSWORD)
    assert sign_in(store, "wang", "a new password").username == "wang"
    passwd = [e for e in events(store) if e.event == "user_passwd"]
    assert [(e.actor, e.subject, e.detail) for e in passwd] == [("admin", "wang", {})]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda conn: accounts.set_password(conn, "ghost", PASSWORD), "用户名 “ghost” 不存在"),
        (lambda conn: accounts.set_password(conn, "wang", "short"), "密码至少需要 10 个字符"),
        (lambda conn: accounts.disable(conn, "g" * 10_000), "用户名 “" + "g" * 40 + "…” 不存在"),
        (lambda conn: accounts.enable(conn, "wang"), "账号 “wang” 没有停用"),
        (lambda conn: accounts.update(conn, "wang", role="king"), "没有角色 “king”"),
        (lambda conn: accounts.update(conn, "wang", role="clerk"), "角色 clerk 需要 --department"),
        (lambda conn: accounts.update(conn, "wang", department="SFJ"), "角色 leader 不归属部门或乡镇"),
        (lambda conn: accounts.update(conn, "wang", name=""), "显示名不能为空"),
        (lambda conn: accounts.update(conn, "nobody\x00", name="x"), "用户名 “nobody\ufffd” 不存在"),
    ],
)
def test_each_invalid_change_is_refused_with_its_own_message(store, change, message):
    add(store, "wang")
    with store.begin() as conn, pytest.raises(AccountError) as err:
        change(conn)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_a_disabled_account_cannot_sign_in_and_loses_its_sessions_and_tokens_until_enabled(store):
    wang = add(store, "wang")
    with store.begin() as conn:
        cookie = accounts.start_session(conn, wang, address=None)
        _, token = accounts.create_token(conn, "wang")
        accounts.disable(conn, "wang")
    with store.connect() as conn:
        assert accounts.get_user(conn, "wang").disabled
        assert accounts.session_account(conn, cookie, idle_seconds=3600) is None
        assert accounts.token_account(conn, token) is None
    with pytest.raises(AccountError, match="^用户名或密码错误$"):
        sign_in(store, "wang")
    with store.begin() as conn, pytest.raises(AccountError, match="账号 “wang” 已经停用"):
        accounts.disable(conn, "wang")
    with store.begin() as conn, pytest.raises(AccountError, match="已停用，不能创建令牌"):
        accounts.create_token(conn, "wang")
    with store.begin() as conn:
        accounts.enable(conn, "wang")
    with store.connect() as conn:
        # The token was never revoked: it works again; the session ended for good.
        assert accounts.token_account(conn, token).username == "wang"
        assert accounts.session_account(conn, cookie, idle_seconds=3600) is None
    assert sign_in(store, "wang").username == "wang"


def test_the_last_admin_can_be_neither_disabled_nor_demoted(store):
    add(store, "root", "admin")
    with store.begin() as conn, pytest.raises(AccountError, match="最后一个可用的管理员"):
        accounts.disable(conn, "root")
    with store.begin() as conn, pytest.raises(AccountError, match="最后一个可用的管理员"):
        accounts.update(conn, "root", role="leader")
    add(store, "second", "admin")
    with store.begin() as conn:
        accounts.update(conn, "root", role="leader")
    with store.begin() as conn, pytest.raises(AccountError, match="“second” 是最后一个可用的管理员"):
        accounts.disable(conn, "second")


def test_update_moves_an_account_and_ends_its_sessions_only_when_its_scope_changes(store):
    wang = add(store, "wang", "department", department="SFJ")
    with store.begin() as conn:
        cookie = accounts.start_session(conn, wang, address=None)
        renamed = accounts.update(conn, "wang", name="王五")
    assert renamed.name == "王五" and renamed.department == "SFJ"
    with store.begin() as conn:
        assert accounts.session_account(conn, cookie, idle_seconds=3600) is not None
        # Unchanged: no event, no session ended.
        assert accounts.update(conn, "wang", role="department", department="SFJ") == renamed
        assert accounts.session_account(conn, cookie, idle_seconds=3600) is not None
        moved = accounts.update(conn, "wang", department="RSJ")
        assert (moved.role, moved.department) == ("department", "RSJ")
        assert accounts.session_account(conn, cookie, idle_seconds=3600) is None
        # A tie the new role does not have is dropped; the new role's tie must be given.
        township_head = accounts.update(conn, "wang", role="township", township="hexi")
        assert (township_head.department, township_head.township) == (None, "hexi")
        leader = accounts.update(conn, "wang", role="leader")
        assert (leader.department, leader.township) == (None, None)
    updates = [e.detail["changed"] for e in events(store) if e.event == "user_update"]
    assert updates[::-1] == [
        {"name": ["wang", "王五"]},
        {"department": ["SFJ", "RSJ"]},
        {"role": ["department", "township"], "department": ["RSJ", None], "township": [None, "hexi"]},
        {"role": ["township", "leader"], "township": ["hexi", None]},
    ]


def test_scope_of_an_account_names_its_department(store):
    zhang = add(store, "zhang", "department", department="RSJ")
    li = add(store, "li", "township", township="qingshan")
    boss = add(store, "boss", "leader")
    with store.connect() as conn:
        assert accounts.scope_of(conn, zhang) == Scope(
            role="department", department="RSJ", department_name="区人力资源和社会保障局"
        )
        assert accounts.scope_of(conn, li) == Scope(role="township", township="qingshan")
        assert accounts.scope_of(conn, boss).everything


# --- signing in ---------------------------------------------------------------------------------------------


def test_signing_in_with_the_right_password_records_it_and_sets_the_last_sign_in(store):
    add(store, "wang")
    before = datetime.now(UTC)
    signed_in = sign_in(store, "wang", address="192.0.2.7")
    assert signed_in.username == "wang" and signed_in.last_login_at >= before - timedelta(seconds=1)
    latest = events(store)[0]
    assert (latest.event, latest.label, latest.actor, latest.address) == (
        "login_ok",
        "登录成功",
        "wang",
        "192.0.2.7",
    )


@pytest.mark.parametrize(
    ("username", "password", "reason"),
    [
        ("wang", "wrong password!", "wrong_password"),
        ("ghost", PASSWORD, "unknown_user"),
        ("Wang", PASSWORD, "unknown_user"),
        ("g" * 10_000, PASSWORD, "unknown_user"),
        ("wang", "x" * 100_000, "password_too_long"),
        ("disabled", PASSWORD, "disabled"),
    ],
)
def test_every_failed_sign_in_says_the_same_and_is_recorded_without_the_password(
    store, username, password, reason
):
    add(store, "wang")
    add(store, "disabled")
    with store.begin() as conn:
        accounts.disable(conn, "disabled")
    with pytest.raises(AccountError) as err:
        sign_in(store, username, password, address="192.0.2.7")
    assert str(err.value) == "用户名或密码错误" and not isinstance(err.value, Throttled)
    failed = events(store)[0]
    assert (failed.event, failed.actor, failed.address) == ("login_failed", None, "192.0.2.7")
    assert failed.subject == username[: accounts.MAX_SUBJECT] and failed.detail == {"reason": reason}
    with store.connect() as conn:
        logged = conn.execute(text("SELECT subject, detail FROM audit_event")).all()
    assert not any(password in (cell or "") for row in logged for cell in row)


def test_an_unknown_username_costs_the_same_hashing_time_as_a_wrong_password(store, real_password_cost):
    add(store, "wang")
    sign_in_times = {"wang": [], "ghost": []}
    # Three rounds each (below the lockout), alternating, and the fastest of each: on a loaded
    # machine one attempt can take several times another, and the fastest is the hashing's cost.
    for username in ("wang", "ghost") * 3:
        started = time.perf_counter()
        with pytest.raises(AccountError):
            sign_in(store, username, "wrong password!", address=None)
        sign_in_times[username].append(time.perf_counter() - started)
    # A query alone takes about a millisecond, an argon2 verification tens of them.
    assert min(sign_in_times["ghost"]) > 0.5 * min(sign_in_times["wang"])


def test_five_failed_sign_ins_for_a_username_lock_it_for_ten_minutes(store):
    add(store, "wang")
    for attempt in range(5):
        with pytest.raises(AccountError, match="用户名或密码错误"):
            sign_in(store, "wang", "wrong password!", address=f"10.0.0.{attempt}")
    # Refused before the password is looked at: the right one is refused too, from yet another address.
    with pytest.raises(Throttled) as err:
        sign_in(store, "wang", PASSWORD, address="10.9.9.9")
    assert 590 <= err.value.wait_seconds <= 600
    assert str(err.value) == "登录失败次数过多，请 10 分钟后再试"
    # Other accounts are not locked.
    add(store, "li")
    assert sign_in(store, "li", address="10.9.9.9").username == "li"


def test_five_failed_sign_ins_from_an_address_lock_it_whatever_the_username(store):
    add(store, "wang")
    for name in ("a", "b", "c", "d", "e"):
        with pytest.raises(AccountError):
            sign_in(store, name, PASSWORD, address="203.0.113.5")
    with pytest.raises(Throttled):
        sign_in(store, "wang", PASSWORD, address="203.0.113.5")
    assert sign_in(store, "wang", PASSWORD, address="203.0.113.6").username == "wang"


def test_the_lock_opens_when_the_oldest_failure_leaves_the_window(store):
    add(store, "wang")
    # Five failures eleven minutes ago: outside the window, no lock.
    old_failures(store, 5, timedelta(minutes=11), subject="wang")
    assert sign_in(store, "wang").username == "wang"
    # Four of them nine and a half minutes ago, one now: the lock lasts the thirty seconds left.
    old_failures(store, 4, timedelta(minutes=9, seconds=30), subject="wang")
    with pytest.raises(AccountError):
        sign_in(store, "wang", "wrong password!")
    with pytest.raises(Throttled) as err:
        sign_in(store, "wang")
    assert 25 <= err.value.wait_seconds <= 30
    assert str(err.value) == f"登录失败次数过多，请 {err.value.wait_seconds} 秒后再试"


def test_the_address_lock_also_opens_after_ten_minutes(store):
    add(store, "wang")
    old_failures(store, 5, timedelta(minutes=10, seconds=5), address="198.51.100.1")
    assert sign_in(store, "wang", address="198.51.100.1").username == "wang"
    old_failures(store, 5, timedelta(minutes=1), address="198.51.100.1")
    with pytest.raises(Throttled) as err:
        sign_in(store, "wang", address="198.51.100.1")
    assert 530 <= err.value.wait_seconds <= 540 and "9 分钟" in str(err.value)


# --- sessions -----------------------------------------------------------------------------------------------


def _age_session(engine: Engine, **ages: timedelta) -> None:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(update(login_session).values({column: now - age for column, age in ages.items()}))


def test_a_session_names_its_account_until_it_ends(store):
    wang = add(store, "wang", "department", department="SFJ")
    with store.begin() as conn:
        cookie = accounts.start_session(conn, wang, address="10.1.1.1")
    with store.connect() as conn:
        assert accounts.session_account(conn, cookie, idle_seconds=60) == wang
        stored = conn.execute(select(login_session)).one()
    assert stored.token_hash != cookie and len(stored.token_hash) == 64 and stored.address == "10.1.1.1"
    with store.begin() as conn:
        accounts.end_session(conn, cookie, address="10.1.1.1")
        # Ending it twice records nothing more.
        accounts.end_session(conn, cookie, address="10.1.1.1")
    with store.connect() as conn:
        assert accounts.session_account(conn, cookie, idle_seconds=60) is None
    assert [(e.event, e.actor) for e in events(store) if e.event == "logout"] == [("logout", "wang")]


@pytest.mark.parametrize("cookie", ["", "nonsense", "x" * 100_000, "a\x00b", "\ud800", None])
def test_an_unknown_or_malformed_session_token_is_nobody(store, cookie):
    with store.begin() as conn:
        assert accounts.session_account(conn, cookie, idle_seconds=60) is None
        accounts.end_session(conn, cookie)


def test_a_session_idle_for_longer_than_allowed_is_over(store):
    wang = add(store, "wang")
    with store.begin() as conn:
        cookie = accounts.start_session(conn, wang, address=None)
    _age_session(store, last_seen_at=timedelta(hours=2))
    with store.connect() as conn:
        assert accounts.session_account(conn, cookie, idle_seconds=3600) is None
        assert accounts.session_account(conn, cookie, idle_seconds=3 * 3600) == wang


def test_a_session_records_that_it_was_seen_at_most_once_a_minute(store):
    wang = add(store, "wang")
    with store.begin() as conn:
        cookie = accounts.start_session(conn, wang, address=None)
    _age_session(store, last_seen_at=timedelta(seconds=30))
    with store.begin() as conn:
        seen = conn.scalar(select(login_session.c.last_seen_at))
        accounts.session_account(conn, cookie, idle_seconds=3600)
        assert conn.scalar(select(login_session.c.last_seen_at)) == seen
    _age_session(store, last_seen_at=timedelta(minutes=5))
    with store.begin() as conn:
        accounts.session_account(conn, cookie, idle_seconds=3600)
        refreshed = _utc(conn.scalar(select(login_session.c.last_seen_at)))
    assert datetime.now(UTC) - refreshed < timedelta(seconds=10)


def test_a_session_started_before_the_password_changed_is_over(store):
    wang = add(store, "wang")
    with store.begin() as conn:
        cookie = accounts.start_session(conn, wang, address=None)
    # Not ended in the table (as if the password were changed by an older release): the times decide.
    _age_session(store, created_at=timedelta(minutes=5), last_seen_at=timedelta(minutes=5))
    with store.begin() as conn:
        conn.execute(update(account).values(password_changed_at=datetime.now(UTC) - timedelta(minutes=1)))
    with store.connect() as conn:
        assert accounts.session_account(conn, cookie, idle_seconds=3600) is None


# --- API tokens ---------------------------------------------------------------------------------------------


def test_a_token_acts_for_its_account_and_is_never_stored_or_listed(store):
    wang = add(store, "wang", "department", department="SFJ")
    with store.begin() as conn:
        token_id, token = accounts.create_token(conn, "wang", actor="root", address="10.0.0.9")
    assert token.startswith("fzt_") and len(token) > 40
    with store.begin() as conn:
        assert accounts.token_account(conn, token) == wang
        dump = [str(cell) for row in conn.execute(select(api_token)) for cell in row]
        dump += [str(cell) for row in conn.execute(select(audit_event)) for cell in row]
        (listed,) = accounts.list_tokens(conn)
        assert accounts.list_tokens(conn, "wang") == [listed]
    assert not any(token in cell or token[4:] in cell for cell in dump)
    assert (listed.id, listed.username, listed.status, listed.expires_at, listed.revoked_at) == (
        token_id,
        "wang",
        "有效",
        None,
        None,
    )
    assert listed.last_used_at is not None and token not in repr(listed)
    created = events(store)[0]
    assert (created.event, created.actor, created.subject, created.detail["token_id"]) == (
        "token_create",
        "root",
        "wang",
        token_id,
    )


def test_a_revoked_token_is_refused_for_good(store):
    add(store, "wang")
    with store.begin() as conn:
        token_id, token = accounts.create_token(conn, "wang")
        accounts.revoke_token(conn, token_id)
    with store.begin() as conn:
        assert accounts.token_account(conn, token) is None
        assert accounts.list_tokens(conn)[0].status == "已吊销"
        with pytest.raises(AccountError, match=f"令牌 {token_id} 已经吊销"):
            accounts.revoke_token(conn, token_id)
    for unknown in (999, 10**30, -1, 0):
        with store.begin() as conn, pytest.raises(AccountError, match=f"令牌 {unknown} 不存在"):
            accounts.revoke_token(conn, unknown)
    assert [e.event for e in events(store)][:2] == ["token_revoke", "token_create"]


def test_a_token_past_its_days_is_refused(store):
    add(store, "wang")
    with store.begin() as conn:
        token_id, token = accounts.create_token(conn, "wang", days=30)
        expires = accounts.list_tokens(conn)[0].expires_at
    assert timedelta(days=29, hours=23) < expires - datetime.now(UTC) <= timedelta(days=30)
    with store.begin() as conn:
        assert accounts.token_account(conn, token) is not None
        conn.execute(update(api_token).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    with store.begin() as conn:
        assert accounts.token_account(conn, token) is None
        assert accounts.list_tokens(conn)[0].status == "已过期"


@pytest.mark.parametrize("days", [0, -3, 3651, 10**30, True])
def test_a_token_lifetime_out_of_range_is_refused(store, days):
    add(store, "wang")
    with store.begin() as conn, pytest.raises(AccountError, match="令牌有效期应为 1 到 3650 天"):
        accounts.create_token(conn, "wang", days=days)


@pytest.mark.parametrize(
    "token", ["", "fzt_", "fzt_nonsense", "fzt_" + "x" * 100_000, "fzt_\x00", "fzt_\ud800", None]
)
def test_an_unknown_or_malformed_token_is_nobody(store, token):
    with store.begin() as conn:
        assert accounts.token_account(conn, token) is None


def test_a_token_records_its_use_at_most_once_a_minute(store):
    add(store, "wang")
    with store.begin() as conn:
        _, token = accounts.create_token(conn, "wang")
        accounts.token_account(conn, token)
        first = conn.scalar(select(api_token.c.last_used_at))
        accounts.token_account(conn, token)
        assert conn.scalar(select(api_token.c.last_used_at)) == first
        conn.execute(update(api_token).values(last_used_at=datetime.now(UTC) - timedelta(minutes=2)))
        accounts.token_account(conn, token)
        assert datetime.now(UTC) - _utc(conn.scalar(select(api_token.c.last_used_at))) < timedelta(seconds=10)


# --- the audit log ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET actor = 'someone else'",
        "DELETE FROM audit_event",
        "DELETE FROM audit_event WHERE id = 1",
    ],
)
def test_the_audit_log_refuses_updates_and_deletes_in_the_database(store, statement):
    add(store, "wang")
    with store.connect() as conn:
        with pytest.raises(DBAPIError, match="审计日志只能追加"):
            conn.execute(text(statement))
        conn.rollback()
        assert conn.scalar(select(func.count()).select_from(audit_event)) == 1
        assert conn.scalar(select(audit_event.c.actor)) is None


@pytest.mark.postgres
def test_the_audit_log_refuses_truncate_on_postgresql(pg_databases):
    # SQLite has no TRUNCATE: its DELETE without WHERE, refused above, is the same thing.
    engine = seeded_store(pg_databases.create())
    add(engine, "wang")
    with engine.connect() as conn, pytest.raises(DBAPIError, match="审计日志只能追加"):
        conn.execute(text("TRUNCATE audit_event"))
    engine.dispose()


def test_audit_events_come_newest_first_and_filter_by_day_user_and_count(store):
    add(store, "wang")
    add(store, "li")
    with pytest.raises(AccountError):
        sign_in(store, "wang", "wrong password!")
    sign_in(store, "li")
    with store.begin() as conn:
        conn.execute(
            insert(audit_event).values(
                at=datetime.now(UTC) - timedelta(days=3), actor="li", event="download", detail='{"rows": 3}'
            )
        )
    all_events = events(store)
    assert [e.event for e in all_events] == ["download", "login_ok", "login_failed", "user_add", "user_add"]
    assert [e.label for e in all_events][1:3] == ["登录成功", "登录失败"]
    # By or about a user: the failed sign-in is about wang, not by anyone.
    assert [e.event for e in events(store, user="wang")] == ["login_failed", "user_add"]
    assert [e.event for e in events(store, user="li")] == ["download", "login_ok", "user_add"]
    assert events(store, user="x" * 1000) == events(store, user="a\x00") == []
    today = datetime.now().date()
    assert "download" not in [e.event for e in events(store, since=today)]
    assert len(events(store, since=today - timedelta(days=4))) == 5
    assert events(store, since=date(2999, 1, 1)) == []
    assert [e.event for e in events(store, limit=2)] == ["download", "login_ok"]


def test_free_text_for_the_audit_log_is_cut_and_cleaned_never_a_database_error(store):
    with store.begin() as conn:
        accounts.record(
            conn,
            "download",
            actor="u" * 1000,
            address="a\x00b" * 100,
            subject="主题\ud800\n" * 500,
            huge="长" * 100_000,
            nested={"bad": "\x00\ud800"},
        )
    (event,) = events(store)
    assert event.actor == "u" * 64
    assert event.address == ("ab" * 32)
    assert len(event.subject) == 200 and "\n" not in event.subject and "\x00" not in event.subject
    assert "truncated" in event.detail and len(event.detail["truncated"]) == accounts.MAX_DETAIL


def test_an_unknown_audit_event_is_a_programming_error(store):
    with store.begin() as conn, pytest.raises(ValueError, match="unknown audit event"):
        accounts.record(conn, "login_maybe", actor=None)


def test_every_event_has_a_chinese_label():
    assert set(accounts.EVENTS) >= {"login_ok", "login_failed", "logout", "download", "token_create"}
    assert all(label and not label.isascii() for label in accounts.EVENTS.values())


# --- the migration ------------------------------------------------------------------------------------------


def test_migrating_a_0003_store_to_0004_keeps_its_data_and_downgrading_removes_the_accounts(empty_url):
    engine = store_at_0003(empty_url)
    assert migrate(engine) is True
    # the head is the newest migration file's (whichever later work added)
    newest = max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert current_revision(engine) == head_revision() == newest
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(dispute_case)) == 1
        # 0005 numbers the rows already there after their id
        assert conn.scalar(select(dispute_case.c.register_no)) == "R1"
        assert conn.scalars(select(department.c.code).order_by(department.c.code)).all() == ["RSJ", "SFJ"]
    add(engine, "wang", "department", department="SFJ")
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0003")
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        assert not tables & {"account", "api_token", "login_session", "audit_event"}
        assert conn.scalar(select(func.count()).select_from(dispute_case)) == 1
        if conn.dialect.name == "postgresql":
            assert (
                conn.scalar(text("SELECT count(*) FROM pg_proc WHERE proname = 'audit_event_append_only'"))
                == 0
            )
    # And up again: the triggers come back with the table.
    migrate(engine)
    add(engine, "wang")
    with engine.connect() as conn, pytest.raises(DBAPIError, match="审计日志只能追加"):
        conn.execute(text("DELETE FROM audit_event"))
    engine.dispose()

"""Kiosk links for wall displays (data/kiosk.py) and `dashboard kiosk`, on both engines."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import seeded
from conftest import assert_one_line_error
from conftest import run_cli as run
from sqlalchemy import Engine, func, select

from data import accounts, kiosk
from data.kiosk import KioskError
from data.schema import audit_event
from data.schema_screen import kiosk_link

# The seeded stores of tests/seeded.py: departments SFJ and RSJ, townships qingshan and hexi.
seeded_templates = seeded.seeded_templates
store = seeded.store


def create(engine: Engine, name: str = "一楼大厅", **kwargs) -> tuple[kiosk.KioskLink, str]:
    with engine.begin() as conn:
        return kiosk.create_link(conn, name, **kwargs)


def resolve(engine: Engine, token) -> kiosk.KioskLink | None:
    with engine.connect() as conn:
        return kiosk.link_for_token(conn, token)


def kiosk_events(engine: Engine) -> list[accounts.AuditEvent]:
    with engine.connect() as conn:
        return [e for e in accounts.audit_events(conn) if e.event.startswith("kiosk_")]


def counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(kiosk_link)), conn.scalar(
            select(func.count()).select_from(audit_event)
        )


# --- the data layer ------------------------------------------------------------------------------------------


def test_a_token_resolves_to_its_link_with_what_it_pins(store):
    made, token = create(store, screens=("overview", "mediation"), every=30, year=2024, township="qingshan")
    assert len(token) >= 40
    link = resolve(store, token)
    assert link == made
    assert link.name == "一楼大厅"
    assert link.screens == ("overview", "mediation")
    assert (link.every, link.year, link.township, link.department) == (30, 2024, "qingshan", None)
    assert not link.revoked and link.status == "有效" and link.last_seen_at is None
    assert link.created_by is None and link.created_at.tzinfo is not None

    every_screen, other = create(store, "二楼走廊", department="SFJ")
    assert resolve(store, other) == every_screen
    assert every_screen.screens == () and every_screen.department == "SFJ" and every_screen.year is None


def test_only_the_tokens_digest_is_stored(store):
    _, token = create(store)
    with store.connect() as conn:
        row = conn.execute(select(kiosk_link)).one()
    assert row.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert not any(token in str(value) for value in row)


@pytest.mark.parametrize("forged", ["", "x", "A" * 43, "A" * 10_000, None, 42, b"bytes"])
def test_forged_empty_and_huge_tokens_open_nothing(store, forged):
    create(store)
    assert resolve(store, forged) is None


def test_a_huge_token_is_refused_without_hashing(store, monkeypatch):
    hashed: list[str] = []
    monkeypatch.setattr(kiosk, "_digest", lambda text: hashed.append(text) or "0" * 64)
    assert resolve(store, "A" * 10_000) is None
    assert resolve(store, "A" * 201) is None
    assert hashed == []
    resolve(store, "A" * 200)
    assert hashed == ["A" * 200]


def test_a_revoked_link_still_resolves_and_says_so(store):
    _, token = create(store)
    _, kept = create(store, "二楼走廊")
    with store.begin() as conn:
        revoked = kiosk.revoke_link(conn, " 一楼大厅 ", actor="admin")
    assert revoked.revoked and revoked.status == "已停用" and revoked.revoked_by == "admin"
    link = resolve(store, token)
    assert link is not None and link.revoked and link.revoked_at is not None
    assert not resolve(store, kept).revoked
    with store.begin() as conn, pytest.raises(KioskError, match="已经停用"):
        kiosk.revoke_link(conn, "一楼大厅")
    with store.begin() as conn, pytest.raises(KioskError, match="没有名为 “三楼” 的大屏链接"):
        kiosk.revoke_link(conn, "三楼")
    with store.begin() as conn, pytest.raises(KioskError, match="没有名为"):
        kiosk.revoke_link(conn, "x" * 5000)


def test_links_are_listed_newest_first(store):
    with store.connect() as conn:
        assert kiosk.list_links(conn) == []
    create(store, "甲")
    create(store, "乙")
    with store.connect() as conn:
        assert [link.name for link in kiosk.list_links(conn)] == ["乙", "甲"]


def test_the_name_is_trimmed_and_kept_as_typed(store):
    link, _ = create(store, "  Lobby 大厅  ")
    assert link.name == "Lobby 大厅"
    with store.begin() as conn, pytest.raises(KioskError, match="已有名为 “Lobby 大厅”"):
        kiosk.create_link(conn, "Lobby 大厅 ")


@pytest.mark.parametrize(
    ("name", "kwargs", "fragment"),
    [
        ("一楼大厅", {}, "已有名为 “一楼大厅” 的大屏链接"),
        ("", {}, "名称不能为空"),
        ("   ", {}, "名称不能为空"),
        ("甲" * 61, {}, "最多 60 个字符"),
        ("一楼\n大厅", {}, "控制字符"),
        ("坏\ud800", {}, "控制字符"),
        ("乙", {"township": "nowhere"}, "乡镇代码 “nowhere” 不存在"),
        ("乙", {"department": "NOPE"}, "部门代码 “NOPE” 不存在"),
        ("乙", {"department": "x" * 500}, "部门代码"),
        ("乙", {"township": "qingshan", "department": "SFJ"}, "不能同时指定"),
        ("乙", {"year": 1999}, "年度应为 2000 到 2100"),
        ("乙", {"year": 2101}, "年度应为 2000 到 2100"),
        ("乙", {"year": True}, "年度"),
        ("乙", {"every": 4}, "轮播间隔（秒）应为 5 到 3600"),
        ("乙", {"every": 3601}, "轮播间隔"),
        ("乙", {"screens": ("overview", "a,b")}, "大屏名称 “a,b” 无效"),
        ("乙", {"screens": ("x" * 41,)}, "无效"),
        ("乙", {"screens": tuple(f"s{i:02d}{'y' * 30}" for i in range(20))}, "大屏列表太长"),
    ],
)
def test_refused_links_store_nothing(store, name, kwargs, fragment):
    create(store)
    before = counts(store)
    with store.begin() as conn, pytest.raises(KioskError, match=fragment) as caught:
        kiosk.create_link(conn, name, **kwargs)
    assert isinstance(caught.value, accounts.AccountError)  # so `dashboard` reports it in one line
    assert counts(store) == before


def test_seen_writes_at_most_once_per_ten_minutes(store):
    link, token = create(store)
    start = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)

    def seen_at(moment: datetime, stale: kiosk.KioskLink | None = None) -> datetime | None:
        with store.begin() as conn:
            kiosk.seen(conn, stale or kiosk.link_for_token(conn, token), now=moment)
        return resolve(store, token).last_seen_at

    assert seen_at(start) == start
    assert seen_at(start + timedelta(seconds=30)) == start
    assert seen_at(start + timedelta(minutes=9, seconds=59)) == start
    # Another worker holding the link as it was before the first check writes nothing either.
    assert seen_at(start + timedelta(minutes=5), stale=link) == start
    assert seen_at(start + timedelta(minutes=10)) == start + timedelta(minutes=10)
    assert seen_at(start + timedelta(minutes=31)) == start + timedelta(minutes=31)


def test_creating_and_revoking_are_audited(store):
    create(store, screens=("security",), year=2024)
    with store.begin() as conn:
        kiosk.create_link(conn, "二楼走廊", actor="admin")
        kiosk.revoke_link(conn, "一楼大厅", actor="admin")
    revoked, by_admin, by_cli = kiosk_events(store)
    assert (by_cli.event, by_cli.label, by_cli.subject, by_cli.actor) == (
        "kiosk_created",
        "创建大屏链接",
        "一楼大厅",
        None,
    )
    assert by_cli.detail["via"] == "cli"
    assert by_cli.detail["screens"] == ["security"] and by_cli.detail["year"] == 2024
    assert by_admin.actor == "admin" and "via" not in by_admin.detail
    assert (revoked.event, revoked.label, revoked.subject, revoked.actor) == (
        "kiosk_revoked",
        "停用大屏链接",
        "一楼大厅",
        "admin",
    )


@pytest.mark.slow
def test_the_data_layer_loads_no_web_code():
    code = (
        "import sys, data.kiosk; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'dash','flask','dashboard','callbacks','layouts'}))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


# --- dashboard kiosk ----------------------------------------------------------------------------------------


def test_the_command_prints_a_working_url_lists_and_revokes(store, tmp_path):
    env = {
        "DATABASE_URL": store.url.render_as_string(hide_password=False),
        "DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance"),
        "DASHBOARD_HOST": "10.1.2.3",
        "DASHBOARD_PORT": "8080",
    }
    empty = run("kiosk", "list", env=env)
    assert empty.returncode == 0 and empty.stdout.strip() == "还没有大屏链接。", empty.stderr

    made = run(
        "kiosk", "create", "一楼大厅", "--screens", "overview,mediation", "--every", "30",
        "--year", "2024", "--township", "qingshan", env=env,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    lines = made.stdout.strip().splitlines()
    url = lines[-1]
    assert url.startswith("http://10.1.2.3:8080/screen?kiosk=") and " " not in url
    assert "只显示这一次" in lines[-2]
    assert "总览、矛盾纠纷" in made.stdout and "30 秒" in made.stdout and "青山镇" in made.stdout
    token = parse_qs(urlsplit(url).query)["kiosk"][0]
    link = resolve(store, token)
    assert link is not None and link.screens == ("overview", "mediation")
    assert (link.every, link.year, link.township) == (30, 2024, "qingshan")

    other = run("kiosk", "create", "门厅", "--base-url", "https://fazhi.example.cn/", env=env)
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip().splitlines()[-1].startswith("https://fazhi.example.cn/screen?kiosk=")

    wide = run("kiosk", "create", "拼接屏", "--layout", "wide", env=env)
    assert wide.returncode == 0, wide.stderr
    assert parse_qs(urlsplit(wide.stdout.strip().splitlines()[-1]).query)["layout"] == ["wide"]

    listing = run("kiosk", "list", env=env)
    assert listing.returncode == 0, listing.stderr
    assert "一楼大厅" in listing.stdout and "门厅" in listing.stdout and "有效" in listing.stdout
    assert token not in listing.stdout

    revoked = run("kiosk", "revoke", "一楼大厅", env=env)
    assert revoked.returncode == 0 and revoked.stdout.strip() == "已停用大屏链接 一楼大厅", revoked.stderr
    assert resolve(store, token).revoked
    assert "已停用" in run("kiosk", "list", env=env).stdout
    assert_one_line_error(run("kiosk", "revoke", "一楼大厅", env=env), "已经停用")
    assert_one_line_error(run("kiosk", "revoke", "三楼", env=env), "没有名为 “三楼” 的大屏链接")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--screens", "overview,weather"], "没有名为 weather 的大屏，可选：overview（总览）"),
        (["--base-url", "ftp://example.cn"], "--base-url 应以 http:// 或 https:// 开头"),
        (["--township", "nowhere"], "乡镇代码 “nowhere” 不存在"),
        (["--township", "qingshan", "--department", "SFJ"], "不能与"),
        (["--year", "1999"], "年度应为 2000 到 2100"),
        (["--every", "2"], "轮播间隔"),
        (["--layout", "huge"], "没有名为 huge 的墙面布局，可选：standard"),
    ],
)
def test_the_command_refuses_in_one_line(store, tmp_path, args, fragment):
    env = {
        "DATABASE_URL": store.url.render_as_string(hide_password=False),
        "DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    before = counts(store)
    proc = run("kiosk", "create", "一楼大厅", *args, env=env)
    assert_one_line_error(proc, fragment)
    assert proc.stdout == ""
    assert counts(store) == before


def test_kiosk_is_wired_into_the_command():
    # The wiring: `dashboard kiosk` is a command of the same parser and table as the others.
    from dashboard.cli.arguments import parser
    from dashboard.cli.commands import COMMANDS

    assert COMMANDS["kiosk"].__module__ == "dashboard.cli.kiosk"
    args = parser().parse_args(["kiosk", "create", "甲", "--screens", "overview"])
    assert (args.command, args.action, args.name, args.screens) == ("kiosk", "create", "甲", "overview")

"""`dashboard user`, `token` and `audit`: run in-process through the same run() as the command, and a few
times as a real process, on both engines."""

from __future__ import annotations

import getpass
from datetime import datetime

import pytest
import seeded
from alembic import command
from conftest import assert_one_line_error
from conftest import run_cli as run_process
from seeded import PASSWORD, sign_in
from sqlalchemy import func, insert, inspect, select, update

from dashboard.cli.commands import run as run_command
from data import accounts
from data import demo_names as names
from data.access import Scope
from data.engine import open_engine
from data.schema import department, dispute_case, township
from data.store import _alembic_config, head_revision
from layouts.format import moment

# The seeded stores of tests/seeded.py: two departments, two townships, no accounts.
seeded_templates = seeded.seeded_templates
store = seeded.store


@pytest.fixture
def cli(store, monkeypatch, capsys):
    """Runs `dashboard ARGS` on the store; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("DATABASE_URL", store.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DASHBOARD_PASSWORD", PASSWORD)

    def invoke(*args: str) -> tuple[int, str, str]:
        code = run_command(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def refused(result: tuple[int, str, str], fragment: str) -> None:
    code, out, err = result
    assert code == 2, out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and fragment in lines[0], err


@pytest.fixture
def prompts(monkeypatch):
    """getpass answering with the given replies, recording the prompts it showed."""
    shown: list[str] = []

    def answer(*replies: str) -> list[str]:
        monkeypatch.delenv("DASHBOARD_PASSWORD", raising=False)
        queue = list(replies)

        def fake(prompt: str = "") -> str:
            shown.append(prompt)
            if not queue:
                raise EOFError
            return queue.pop(0)

        monkeypatch.setattr(getpass, "getpass", fake)
        return shown

    return answer


def test_user_add_takes_the_password_from_the_environment_and_confirms_in_one_line(cli, store):
    code, out, err = cli(
        "user", "add", "zhang", "--role", "department", "--department", "SFJ", "--name", "张三"
    )
    assert (code, err) == (0, "")
    assert out.strip() == "已新建账号 zhang（张三）：部门负责人，区司法局"
    assert sign_in(store, "zhang").department == "SFJ"


def test_user_add_asks_for_the_password_twice_when_none_is_set(cli, store, prompts):
    shown = prompts("a typed password", "a typed password")
    code, out, _ = cli("user", "add", "li", "--role", "township", "--township", "qingshan")
    assert code == 0 and out.strip() == "已新建账号 li（li）：乡镇（街道）负责人，青山镇"
    assert shown == ["密码：", "再输入一次："]
    assert sign_in(store, "li", "a typed password").username == "li"


@pytest.mark.parametrize(
    ("replies", "prompted", "fragment"),
    [
        (("a typed password", "another password"), 2, "两次输入的密码不一致"),
        (("too short",), 1, "密码至少需要 10 个字符"),
        ((), 1, "没有读到密码"),
    ],
)
def test_a_password_that_cannot_be_used_creates_nothing(cli, store, prompts, replies, prompted, fragment):
    shown = prompts(*replies)
    refused(cli("user", "add", "li", "--role", "leader"), fragment)
    assert len(shown) == prompted
    with store.connect() as conn:
        assert accounts.list_users(conn) == []


def test_an_invalid_account_is_refused_before_the_password_is_asked_for(cli, prompts):
    shown = prompts("a typed password", "a typed password")
    refused(cli("user", "add", "li", "--role", "department", "--department", "XX"), "部门代码 “XX” 不存在")
    assert shown == []


def test_user_list_shows_names_roles_places_status_and_last_sign_in(cli, store):
    assert cli("user", "list")[1].strip() == "还没有账号：用 dashboard user add 新建"
    cli("user", "add", "zhang", "--role", "department", "--department", "RSJ", "--name", "张三")
    cli("user", "add", "li", "--role", "township", "--township", "hexi")
    cli("user", "add", "boss", "--role", "leader")
    cli("user", "disable", "boss")
    signed_in = sign_in(store, "zhang")
    code, out, _ = cli("user", "list")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split() == ["用户名", "显示名", "角色", "部门/乡镇", "状态", "最近登录"]
    assert [row.split()[:5] for row in rows] == [
        ["boss", "boss", "领导", "全区", "停用"],
        ["li", "li", "乡镇（街道）负责人", "河西街道", "正常"],
        ["zhang", "张三", "部门负责人", "区人力资源和社会保障局", "正常"],
    ]
    assert rows[2].endswith(moment(signed_in.last_login_at))
    assert rows[0].endswith("—")


def test_user_passwd_changes_the_password(cli, store, prompts):
    cli("user", "add", "wang", "--role", "leader")
    prompts("the new password", "the new password")
    code, out, _ = cli("user", "passwd", "wang")
    assert code == 0 and "已修改 wang 的密码" in out
    assert sign_in(store, "wang", "the new password").username == "wang"


def test_user_disable_and_enable(cli, store):
    cli("user", "add", "wang", "--role", "leader")
    assert cli("user", "disable", "wang")[0] == 0
    with pytest.raises(accounts.AccountError):
        sign_in(store, "wang")
    refused(cli("user", "disable", "wang"), "账号 “wang” 已经停用")
    assert cli("user", "enable", "wang")[1].strip() == "已启用账号 wang"
    assert sign_in(store, "wang").username == "wang"


def test_user_set_changes_role_scope_and_name(cli, store):
    cli("user", "add", "wang", "--role", "clerk", "--department", "SFJ")
    code, out, _ = cli(
        "user", "set", "wang", "--role", "township", "--township", "qingshan", "--name", "王五"
    )
    assert code == 0 and out.strip() == "已修改账号 wang（王五）：乡镇（街道）负责人，青山镇"
    assert cli("user", "set", "wang", "--name", "王五")[1].strip() == "账号 wang 没有变化"
    refused(cli("user", "set", "wang"), "请至少指定")
    with store.connect() as conn:
        changed = accounts.get_user(conn, "wang")
    assert (changed.role, changed.department, changed.township, changed.name) == (
        "township",
        None,
        "qingshan",
        "王五",
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("user", "add", "wang", "--role", "leader"), "用户名 “wang” 已存在"),
        (("user", "add", "li", "--role", "king"), "没有角色 “king”"),
        (("user", "add", "li", "--role", "department"), "角色 department 需要 --department"),
        (("user", "add", "li", "--role", "leader", "--department", "SFJ"), "角色 leader 不归属部门或乡镇"),
        (("user", "add", "li", "--role", "department", "--department", "XX"), "部门代码 “XX” 不存在"),
        (("user", "add", "l" * 10_000, "--role", "leader"), "用户名最多 64 个字符"),
        (("user", "add", "li", "--department", "SFJ", "--township", "hexi", "--role", "x"), "不能与"),
        (("user", "add", "li"), "缺少参数：--role"),
        (("user", "passwd", "ghost"), "用户名 “ghost” 不存在"),
        (("user", "disable", "ghost"), "用户名 “ghost” 不存在"),
        (("user", "enable", "wang"), "账号 “wang” 没有停用"),
        (("user", "set", "wang", "--role", "clerk"), "角色 clerk 需要 --department"),
        (("user", "frobnicate"), "没有 'frobnicate' 这个选项"),
        (("user",), "缺少参数：{add,list,passwd,disable,enable,set}"),
        (("token", "create", "ghost"), "用户名 “ghost” 不存在"),
        (("token", "create", "wang", "--days", "0"), "参数 --days：必须大于 0"),
        (("token", "create", "wang", "--days", "99999"), "令牌有效期应为 1 到 3650 天"),
        (("token", "list", "ghost"), "用户名 “ghost” 不存在"),
        (("token", "revoke", "41"), "令牌 41 不存在"),
        (("token", "revoke", "9" * 40), "不存在"),
        (("token", "revoke", "abc"), "参数 ID：应为整数"),
        (("audit", "--since", "2024-13-01"), "参数 --since：应为日期 YYYY-MM-DD"),
        (("audit", "--limit", "0"), "参数 --limit：必须大于 0"),
    ],
)
def test_every_refusal_is_one_chinese_line_and_exit_code_2(cli, args, fragment):
    cli("user", "add", "wang", "--role", "leader")
    refused(cli(*args), fragment)


def test_token_create_prints_the_token_once_alone_on_the_last_line(cli, store):
    cli("user", "add", "wang", "--role", "department", "--department", "SFJ")
    code, out, _ = cli("token", "create", "wang", "--days", "30")
    assert code == 0
    *said, token = out.strip().splitlines()
    assert token.startswith("fzt_") and " " not in token
    assert "已为 wang 创建令牌 #1（有效期至 " in said[0]
    with store.begin() as conn:
        assert accounts.token_account(conn, token).username == "wang"
    code, listing, _ = cli("token", "list")
    assert code == 0 and token not in listing and token[4:] not in listing
    header, row = listing.strip().splitlines()
    assert header.split() == ["ID", "用户名", "创建时间", "到期时间", "状态", "最近使用"]
    assert row.split()[:2] == ["1", "wang"] and "有效" in row
    assert cli("token", "list", "wang")[1] == listing
    assert cli("token", "revoke", "1")[1].strip() == "已吊销令牌 #1"
    assert "已吊销" in cli("token", "list")[1]
    refused(cli("token", "revoke", "1"), "令牌 1 已经吊销")
    with store.begin() as conn:
        assert accounts.token_account(conn, token) is None


def test_audit_prints_who_did_what_in_local_time(cli, store):
    assert cli("audit")[1].strip() == "没有符合条件的审计记录"
    cli("user", "add", "wang", "--role", "leader")
    cli("user", "add", "li", "--role", "leader")
    with pytest.raises(accounts.AccountError):
        sign_in(store, "wang", "wrong password!", address="192.0.2.9")
    code, out, _ = cli("audit")
    assert code == 0
    header, *rows = out.strip().splitlines()
    assert header.split() == ["时间", "操作人", "事件", "地址", "对象", "详情"]
    assert [row.split()[2:6] for row in rows] == [
        ["—", "登录失败", "192.0.2.9", "wang"],
        ["命令行", "新建账号", "—", "li"],
        ["命令行", "新建账号", "—", "wang"],
    ]
    assert '{"reason":"wrong_password"}' in rows[0]
    with store.connect() as conn:
        newest = accounts.audit_events(conn, limit=1)[0]
    assert rows[0].startswith(moment(newest.at, seconds=True))
    assert len(cli("audit", "--user", "wang")[1].strip().splitlines()) == 3
    assert len(cli("audit", "--limit", "1")[1].strip().splitlines()) == 2
    today = datetime.now().date().isoformat()
    assert len(cli("audit", "--since", today)[1].strip().splitlines()) == 4
    assert cli("audit", "--since", "2999-01-01")[1].strip() == "没有符合条件的审计记录"


def test_account_commands_need_an_initialised_and_current_store(empty_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", empty_url)
    monkeypatch.setenv("DASHBOARD_PASSWORD", PASSWORD)
    code = run_command(["user", "list"])
    expected = "不存在：请先运行 dashboard init" if empty_url.startswith("sqlite") else "尚未初始化"
    refused((code, *capsys.readouterr()), expected)
    engine = open_engine(empty_url, create=True)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0003")
    engine.dispose()
    for args in (["user", "add", "wang", "--role", "leader"], ["token", "list"], ["audit"]):
        code = run_command(args)
        refused(
            (code, *capsys.readouterr()),
            f"数据库结构版本 0003 落后于程序（{head_revision()}）：请运行 dashboard init 升级",
        )


@pytest.mark.slow  # builds a whole demo store (14–30 s)
def test_init_demo_force_keeps_every_account_and_its_scope(empty_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", empty_url)
    monkeypatch.setenv("DASHBOARD_PASSWORD", PASSWORD)
    small = ("--scale", "0.05")
    assert run_command(["init", "--demo", *small]) == 0
    assert run_command(["user", "add", "zhang", "--role", "department", "--department", "SFJ"]) == 0
    assert run_command(["user", "add", "li", "--role", "township", "--township", "qingshan"]) == 0
    engine = open_engine(empty_url)
    with engine.begin() as conn:
        # A name changed since: regenerating writes the demo's name over it, the code and the tie stay.
        conn.execute(update(department).where(department.c.code == "SFJ").values(name="旧名称"))
    capsys.readouterr()
    assert run_command(["init", "--demo", "--force", *small]) == 0, capsys.readouterr()
    zhang, li = sign_in(engine, "zhang"), sign_in(engine, "li")
    with engine.connect() as conn:
        assert accounts.scope_of(conn, zhang) == Scope(
            role="department", department="SFJ", township=None, department_name="区司法局"
        )
        assert accounts.scope_of(conn, li) == Scope(role="township", department=None, township="qingshan")
        assert conn.execute(
            select(department.c.code, department.c.sort).order_by(department.c.sort)
        ).all() == [(code, i) for i, (code, _name, _short) in enumerate(names.DEPARTMENTS)]
        assert conn.scalar(select(func.count()).select_from(township)) == len(names.TOWNSHIPS)
        assert conn.scalar(select(func.count()).select_from(dispute_case)) > 0
    # A tie to a code the demo does not have would point at nothing: refused, naming the account, and the
    # store is left as it was.
    with engine.begin() as conn:
        conn.execute(insert(department).values(code="XX", name="临时部门", short_name="临时", sort=99))
    assert run_command(["user", "set", "zhang", "--department", "XX"]) == 0
    capsys.readouterr()
    refused(
        (run_command(["init", "--demo", "--force", *small]), *capsys.readouterr()),
        "示例数据中没有这些账号所属的部门或乡镇：zhang（XX）",
    )
    with engine.connect() as conn:
        assert accounts.get_user(conn, "zhang").department == "XX"
        assert conn.scalar(select(department.c.name).where(department.c.code == "XX")) == "临时部门"
    engine.dispose()


# --- as a real process --------------------------------------------------------------------------------------


def test_init_upgrades_a_0003_store_then_accounts_work_end_to_end(empty_url):
    engine = seeded.store_at_0003(empty_url)
    env = {"DATABASE_URL": empty_url, "DASHBOARD_PASSWORD": PASSWORD}
    proc = run_process("init", env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(dispute_case)) == 1
        assert {"account", "audit_event"} <= set(inspect(conn).get_table_names())
    proc = run_process("user", "add", "wang", "--role", "township", "--township", "hexi", env=env)
    assert (
        proc.returncode == 0
        and proc.stdout.strip() == "已新建账号 wang（wang）：乡镇（街道）负责人，河西街道"
    )
    proc = run_process("token", "create", "wang", env=env)
    assert proc.returncode == 0, proc.stderr
    token = proc.stdout.strip().splitlines()[-1]
    with engine.begin() as conn:
        assert accounts.token_account(conn, token).township == "hexi"
    assert_one_line_error(
        run_process("user", "add", "wang", "--role", "leader", env=env), "用户名 “wang” 已存在"
    )
    engine.dispose()


def test_the_help_lists_the_account_commands(tmp_path):
    proc = run_process("-h", env={"DASHBOARD_INSTANCE_PATH": str(tmp_path)})
    assert proc.returncode == 0 and "{init,serve,check,user,token,audit," in proc.stdout
    proc = run_process("token", "-h", env={"DASHBOARD_INSTANCE_PATH": str(tmp_path)})
    assert "{create,list,revoke}" in proc.stdout

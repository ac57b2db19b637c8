"""`dashboard supervise` on both engines: the cycle, the id alone on create's last line, --user's rights and scope,
and every refusal one Chinese line with exit 2 and nothing changed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import assert_one_line_error, run_cli
from import_support import copy_store

from data.access import OPERATOR
from data.engine import open_engine
from data.supervision import State, get

DUE = (date.today() + timedelta(days=5)).isoformat()


@pytest.fixture(params=["sqlite", "postgresql"])
def env(request, demo_urls, tmp_path, pg_databases):
    url = copy_store(demo_urls[request.param], tmp_path, pg_databases)
    return {"DATABASE_URL": url, "DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance")}


def _create(env, *extra: str):
    return run_cli(
        "supervise",
        "create",
        "--indicator",
        "mediation_success_rate",
        "--due",
        DUE,
        "--text",
        "请说明原因",
        *extra,
        env=env,
    )


def _state(env, sid: int) -> State:
    engine = open_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return get(conn, sid, OPERATOR).state
    finally:
        engine.dispose()


def test_the_cycle_at_the_command_line(env, tmp_path):
    made = _create(env, "--department", "SFJ", "--user", "leader")
    assert made.returncode == 0, made.stderr
    sid = int(made.stdout.strip().splitlines()[-1])
    listed = run_cli("supervise", "list", "--open", "--user", "justice", env=env)
    assert listed.returncode == 0 and "调处成功率" in listed.stdout and "待办" in listed.stdout
    # another department's head sees none of it
    other = run_cli("supervise", "list", "--user", "market", env=env)
    assert other.returncode == 0 and "调处成功率" not in other.stdout and "还没有督办" in other.stdout
    pdf = tmp_path / "说明.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    replied = run_cli(
        "supervise", "reply", str(sid), "--text", "已整改", "--file", str(pdf), "--user", "justice", env=env
    )
    assert replied.returncode == 0, replied.stderr
    assert _state(env, sid) is State.REPLIED
    back = run_cli("supervise", "return", str(sid), "--text", "请补充", env=env)
    assert back.returncode == 0 and _state(env, sid) is State.RETURNED
    assert run_cli("supervise", "reply", str(sid), "--text", "已补充", env=env).returncode == 0
    closed = run_cli("supervise", "close", str(sid), env=env)
    assert closed.returncode == 0 and _state(env, sid) is State.CLOSED
    assert "没有未办结的督办" in run_cli("supervise", "list", "--open", env=env).stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--department", "NOPE"), "没有代码为 NOPE 的部门"),
        (("--township", "NOPE"), "没有代码为 NOPE 的乡镇（街道）"),
        (("--department", "SFJ", "--user", "justice"), "只有领导和管理员可以发起督办"),
        (("--department", "SFJ", "--user", "nobody"), "nobody"),
    ],
)
def test_bad_creates_are_one_line_and_change_nothing(env, extra, message):
    assert_one_line_error(_create(env, *extra), message)
    assert "还没有督办" in run_cli("supervise", "list", env=env).stdout


def test_a_past_deadline_and_a_reply_from_outside_the_unit_are_refused(env, tmp_path):
    past = (date.today() - timedelta(days=1)).isoformat()
    late = run_cli(
        "supervise",
        "create",
        "--indicator",
        "mediation_success_rate",
        "--department",
        "SFJ",
        "--due",
        past,
        "--text",
        "x",
        env=env,
    )
    assert_one_line_error(late, "已经过去")
    assert_one_line_error(
        run_cli(
            "supervise",
            "create",
            "--indicator",
            "mediation_success_rate",
            "--department",
            "SFJ",
            "--due",
            "2026-13-40",
            "--text",
            "x",
            env=env,
        ),
        "YYYY-MM-DD",
    )
    sid = int(_create(env, "--department", "SFJ").stdout.strip().splitlines()[-1])
    assert_one_line_error(
        run_cli("supervise", "reply", str(sid), "--text", "x", "--user", "market", env=env), "没有编号为"
    )
    assert_one_line_error(
        run_cli("supervise", "reply", str(sid), "--text", "x", "--user", "leader", env=env), "负责人和录入员"
    )
    exe = tmp_path / "报告.pdf"
    exe.write_bytes(b"MZ\x90\0" + b"\0" * 60)
    assert_one_line_error(
        run_cli(
            "supervise", "reply", str(sid), "--text", "x", "--file", str(exe), "--user", "justice", env=env
        ),
        "实际是可执行程序",
    )
    assert_one_line_error(run_cli("supervise", "close", str(sid), env=env), "单位回复后才能办结")
    assert _state(env, sid) is State.OPEN


def test_an_empty_store_lists_nothing_and_refuses_units(empty_url, tmp_path):
    env = {"DATABASE_URL": empty_url, "DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance")}
    assert run_cli("init", env=env).returncode == 0
    assert "还没有督办" in run_cli("supervise", "list", env=env).stdout
    assert_one_line_error(_create(env, "--department", "SFJ"), "没有代码为 SFJ 的部门")

"""The `dashboard` command as a person runs it: real processes, real stores, one-line errors."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from sqlalchemy import delete, select

from data import facts
from data.schema import dispute_case
from data.store import open_engine


def run(*args: str, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess, fragment: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], proc.stderr


def test_init_demo_then_check_on_the_embedded_store(tmp_path):
    env = {"DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance")}
    first = run("init", "--demo", env=env)
    assert first.returncode == 0, first.stderr
    assert "2024 年登记数据已生成" in first.stdout
    assert (tmp_path / "instance" / "dashboard.db").is_file()
    again = run("init", "--demo", env=env)
    assert again.returncode == 0 and "跳过" in again.stdout
    check = run("check", "--year", "2024", env=env)
    assert check.returncode == 0, check.stdout
    assert "共 50 项，0 项不同。" in check.stdout
    assert "mediation_success_rate" in check.stdout and "允许误差内" in check.stdout


def test_check_names_the_figures_that_differ(tmp_path):
    env = {"DASHBOARD_INSTANCE_PATH": str(tmp_path)}
    assert run("init", "--demo", env=env).returncode == 0
    engine = open_engine(f"sqlite:///{tmp_path / 'dashboard.db'}")
    with engine.begin() as conn:
        victim = conn.scalar(select(dispute_case.c.id).where(dispute_case.c.year == 2024).limit(1))
        conn.execute(delete(dispute_case).where(dispute_case.c.id == victim))
        facts.refresh(conn, ["dispute_case"])
    engine.dispose()
    check = run("check", env=env)
    assert check.returncode == 1
    differing = [line for line in check.stdout.splitlines() if "不同" in line and "项不同" not in line]
    assert [line.split()[0] for line in differing] == ["disputes_mediated"]
    assert "1 项不同" in check.stdout


def test_check_on_postgresql(demo_urls):
    check = run("check", env={"DATABASE_URL": demo_urls["postgresql"]})
    assert check.returncode == 0 and "0 项不同" in check.stdout


@pytest.mark.parametrize(
    ("args", "env", "fragment"),
    [
        (("init",), {"DATABASE_URL": "::nonsense::"}, "数据库地址格式错误"),
        (("check",), {"DATABASE_URL": "postgresql+psycopg://u:pw@127.0.0.1:1/x"}, "无法连接数据库"),
        (("serve", "--port", "1"), {"DATABASE_URL": "sqlite:////no/such/dir/x.db"}, "目录不存在"),
        (("check", "--year", "2023"), {}, "只有 2024 年"),
        (("init", "--demo", "--scale", "0"), {}, "--scale"),
        (("init", "--demo", "--rows", "-5"), {}, "--rows"),
        (("init",), {"DASHBOARD_PORT": "eighty"}, "DASHBOARD_PORT"),
    ],
)
def test_errors_are_one_line_and_a_nonzero_exit(tmp_path, args, env, fragment):
    assert_one_line_error(run(*args, env={"DASHBOARD_INSTANCE_PATH": str(tmp_path)} | env), fragment)


def test_serving_an_uninitialised_store_says_what_to_do(tmp_path):
    assert_one_line_error(run("serve", env={"DASHBOARD_INSTANCE_PATH": str(tmp_path)}), "dashboard init")


def test_init_sizes_a_benchmark_store_by_rows(tmp_path):
    env = {"DASHBOARD_INSTANCE_PATH": str(tmp_path)}
    proc = run("init", "--demo", "--rows", "600000", env=env)
    assert proc.returncode == 0, proc.stderr
    total = int(proc.stdout.split("共写入 ")[1].split(" 行")[0].replace(",", ""))
    assert abs(total - 600_000) < 1_000
    # A larger store no longer matches the report, and check says so.
    assert run("check", env=env).returncode == 1


def test_check_on_a_store_without_that_year(tmp_path):
    env = {"DASHBOARD_INSTANCE_PATH": str(tmp_path)}
    assert run("init", env=env).returncode == 0
    assert_one_line_error(run("check", env=env), "没有 2024 年的数据")


def test_serve_answers_on_the_chosen_port(demo_urls):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items()} | {"DATABASE_URL": demo_urls["sqlite"]}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/dimensions", timeout=2) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "server did not come up"
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
            assert "法治政府建设数据驾驶舱" in resp.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_init_after_an_upgrade_rebuilds_the_summaries(tmp_path):
    """A store from before the category summaries gets them from `dashboard init`, without new demo data."""
    from sqlalchemy import func, select

    from data.schema import category_fact

    env = {"DASHBOARD_INSTANCE_PATH": str(tmp_path)}
    assert run("init", "--demo", env=env).returncode == 0
    engine = open_engine(f"sqlite:///{tmp_path / 'dashboard.db'}")
    with engine.begin() as conn:
        conn.execute(delete(category_fact))
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
        conn.exec_driver_sql("DROP TABLE category_fact")
        conn.exec_driver_sql("ALTER TABLE indicator DROP COLUMN categories")
    proc = run("init", env=env)
    assert proc.returncode == 0 and "重新汇总" in proc.stdout, proc.stdout + proc.stderr
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(category_fact)) > 0
    engine.dispose()

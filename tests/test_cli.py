"""The `dashboard` command as a person runs it: real processes, real stores, one-line errors."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import types
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config as AlembicConfig
from conftest import assert_one_line_error, run_cli
from sqlalchemy import create_engine, delete, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import PendingRollbackError

from dashboard import cli
from dashboard.cli import INTERRUPTED
from data import catalog, facts
from data.engine import LOCK_WAIT, open_engine
from data.report import REPORT_CSV
from data.schema import dispute_case, meta
from data.store import MIGRATIONS, migrate

# Most of the command is checked in-process (conftest.run_cli: the same exit codes and output, without a second
# of imports per call); what only a process shows (a server on a port, Ctrl-C) is spawned and marked slow.
run = run_cli


@pytest.mark.slow  # builds a whole demo store (14–30 s)
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


@pytest.mark.slow  # builds a whole demo store (14–30 s)
def test_check_names_the_figures_that_differ(tmp_path, demo_urls):
    # a copy of the shared demo store (SQLite's backup: a consistent copy), so that this one may be changed
    env = {"DASHBOARD_INSTANCE_PATH": str(tmp_path)}
    with (
        closing(sqlite3.connect(make_url(demo_urls["sqlite"]).database)) as source,
        closing(sqlite3.connect(tmp_path / "dashboard.db")) as copy,
    ):
        source.backup(copy)
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


@pytest.mark.postgres
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


@pytest.mark.slow  # builds a 200,000-row store
def test_init_sizes_a_benchmark_store_by_rows(tmp_path):
    env = {"DASHBOARD_INSTANCE_PATH": str(tmp_path)}
    proc = run("init", "--demo", "--rows", "200000", env=env)
    assert proc.returncode == 0, proc.stderr
    total = int(proc.stdout.split("共写入 ")[1].split(" 行")[0].replace(",", ""))
    assert abs(total - 200_000) < 1_000
    # A store of another size no longer matches the report, and check says so.
    assert run("check", env=env).returncode == 1


def test_check_on_a_store_without_that_year(tmp_path):
    env = {"DASHBOARD_INSTANCE_PATH": str(tmp_path)}
    assert run("init", env=env).returncode == 0
    assert_one_line_error(run("check", env=env), "没有 2024 年的数据")


def _ctrl_c_works() -> None:
    # A shell without job control starts background commands with SIGINT ignored, and Python then never
    # raises KeyboardInterrupt: the command under test gets Ctrl+C as it would at a terminal, however the
    # suite was started.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_serve_answers_on_the_chosen_port(demo_urls):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items()} | {"DATABASE_URL": demo_urls["sqlite"]}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port)],
        env=env,
        preexec_fn=_ctrl_c_works,
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
        # Ctrl+C is how the README says to stop it: a normal end, no traceback.
        proc.send_signal(signal.SIGINT)
        output = proc.communicate(timeout=20)[0]
        assert proc.returncode == 0 and "Traceback" not in output, output
        assert output.rstrip().endswith("==> 已停止"), output
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.mark.slow  # builds a whole demo store (14–30 s)
def test_init_after_an_upgrade_rebuilds_the_summaries(tmp_path):
    """A store from before the category summaries gets them from `dashboard init`, without new demo data."""
    from sqlalchemy import func, select

    from data.schema import category_fact

    env = {"DASHBOARD_INSTANCE_PATH": str(tmp_path)}
    assert run("init", "--demo", "--scale", "0.05", env=env).returncode == 0
    engine = open_engine(f"sqlite:///{tmp_path / 'dashboard.db'}")
    with engine.begin() as conn:
        # The store as 0001 left it: the later migrations' own downgrades undo exactly what they added.
        # SQLite rebuilds `indicator` to drop a column, which its summaries refer to: no key checks meanwhile.
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    proc = run("init", env=env)
    assert proc.returncode == 0 and "重新汇总" in proc.stdout, proc.stdout + proc.stderr
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(category_fact)) > 0
    engine.dispose()


# --- bad input and faults: one line, exit code 2, never a traceback ---------------------------------------


def _tables_and_rows(url: str) -> dict[str, list]:
    """Every table of a store with its rows, to prove a refused command changed nothing."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{name}"'))))
                for name in inspect(conn).get_table_names()
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", ["same_named_table", "foreign_history"])
def test_init_refuses_a_database_that_is_not_ours_and_changes_nothing(empty_url, kind):
    engine = create_engine(empty_url)
    with engine.begin() as conn:
        if kind == "same_named_table":
            conn.exec_driver_sql("CREATE TABLE meta (owner VARCHAR(20))")
            conn.exec_driver_sql("INSERT INTO meta VALUES ('another app')")
        else:
            conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
            conn.exec_driver_sql("INSERT INTO alembic_version VALUES ('a1b2c3d4e5f6')")
            conn.exec_driver_sql("CREATE TABLE customer (id INTEGER PRIMARY KEY, name VARCHAR(20))")
            conn.exec_driver_sql("INSERT INTO customer VALUES (1, 'someone')")
    engine.dispose()
    before = _tables_and_rows(empty_url)
    proc = run("init", "--demo", env={"DATABASE_URL": empty_url})
    fragment = "已有与本程序同名的表（meta）" if kind == "same_named_table" else "a1b2c3d4e5f6）不是本程序的"
    assert_one_line_error(proc, fragment)
    assert _tables_and_rows(empty_url) == before
    # check refuses it too: the foreign history by name; the bare tables as not initialised (init then refuses).
    expected = "dashboard init" if kind == "same_named_table" else "a1b2c3d4e5f6）不是本程序的"
    assert_one_line_error(run("check", env={"DATABASE_URL": empty_url}), expected)


@pytest.mark.slow  # waits out the lock (6 s)
def test_init_gives_up_on_a_locked_store_within_seconds(empty_url):
    env = {"DATABASE_URL": empty_url}
    assert run("init", env=env).returncode == 0
    holder = create_engine(empty_url)
    with holder.connect() as conn:
        if conn.dialect.name == "sqlite":
            # Another program writing: sqlite3's own BEGIN EXCLUSIVE, outside SQLAlchemy's transaction handling.
            conn.connection.driver_connection.isolation_level = None
            conn.exec_driver_sql("BEGIN EXCLUSIVE")
        else:
            conn.exec_driver_sql("LOCK TABLE indicator IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        proc = run("init", env=env, timeout=60)
        waited = time.monotonic() - started
        conn.rollback()
    holder.dispose()
    assert_one_line_error(proc, f"正被其他程序锁定（已等待 {LOCK_WAIT:g} 秒）")
    assert LOCK_WAIT <= waited < LOCK_WAIT + 20
    # Once the other program is done, init runs.
    assert run("init", env=env).returncode == 0


def test_init_on_a_read_only_store_says_so(empty_url):
    assert run("init", env={"DATABASE_URL": empty_url}).returncode == 0
    url = make_url(empty_url)
    if url.get_backend_name() == "sqlite":
        read_only = f"sqlite:///file:{url.database}?mode=ro&uri=true"
    else:
        options = {"options": "-c default_transaction_read_only=on"}
        read_only = url.update_query_dict(options).render_as_string(hide_password=False)
    assert_one_line_error(run("init", "--demo", env={"DATABASE_URL": read_only}), "是只读的")


REPORT_HEADER = "area,code,name_zh,value,unit,bound,yoy_pct,seed_item,note\n"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (REPORT_HEADER + "service,service_center_departments,进驻部门数\n", "第 2 行：有 3 列，应有 9 列"),
        (b"", "是空的"),
        (REPORT_HEADER, "只有列名，没有数据行"),
        (REPORT_HEADER + "service,no_such_code,名称,5,个,exact,,5,\n", "不在指标目录中：no_such_code"),
        (REPORT_HEADER + "service,complaints,投诉,很多,件,exact,,5,\n", "value 应为数字，当前为 '很多'"),
        (REPORT_HEADER + "service,complaints,投诉,3,件,exact,nan,5,\n", "yoy_pct 应为数字"),
        (REPORT_HEADER + "service,complaints,投诉,3,件,roughly,,5,\n", "bound 应为 exact、at_least、approx"),
        ("代码,数值\ncomplaints,3\n".encode("gbk"), "不是 UTF-8 编码"),
        ("code,value\ncomplaints,3\n", "缺少列：area,name_zh"),
        (None, "不存在"),
        ("directory", "是一个目录"),
    ],
)
def test_check_says_what_is_wrong_with_a_report_file(tmp_path, demo_urls, content, fragment):
    path = tmp_path / "report.csv"
    if content == "directory":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    proc = run("check", "--report", str(path), env={"DATABASE_URL": demo_urls["sqlite"]})
    assert_one_line_error(proc, fragment)


def test_check_reads_a_report_saved_with_a_bom(tmp_path, demo_url):
    path = tmp_path / "report.csv"
    path.write_bytes(b"\xef\xbb\xbf" + REPORT_CSV.read_bytes())
    proc = run("check", "--report", str(path), env={"DATABASE_URL": demo_url})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "共 50 项，0 项不同。" in proc.stdout


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg2://postgres@127.0.0.1:5432/test",
        "postgresql+asyncpg://postgres@127.0.0.1:5432/test",
        "postgresql+pg8000://postgres@127.0.0.1:5432/test",
        "sqlite+aiosqlite:///x.db",
    ],
)
def test_a_driver_that_is_not_installed_is_named_with_the_one_to_use(url):
    for name in ("init", "check", "serve"):
        assert_one_line_error(run(name, env={"DATABASE_URL": url}), "PostgreSQL 请写成 postgresql+psycopg://")


def test_serve_on_a_port_in_use_says_so(demo_urls):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = run("serve", "--port", str(port), env={"DATABASE_URL": demo_urls["sqlite"]})
    assert_one_line_error(proc, f"无法监听 127.0.0.1:{port}：端口已被其他程序占用")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((), "缺少参数"),
        (("frobnicate",), "没有 'frobnicate' 这个选项"),
        (("check", "--year", "二〇二四"), "参数 --year：应为整数"),
        (("check", "--year", "2024", "--unknown"), "无法识别的参数：--unknown"),
        (("init", "--demo", "--rows", "0"), "参数 --rows：必须大于 0"),
        (("init", "--demo", "--scale", "nan"), "参数 --scale：应为大于 0 的数"),
        (("init", "--demo", "--scale", "inf"), "参数 --scale"),
        (("init", "--demo", "--rows", "10", "--scale", "2"), "参数 --scale 不能与 --rows 同时使用"),
        (("init", "--demo", "--rows", "9" * 30), "示例数据最多约"),
        (("serve", "--port", "70000"), "端口 70000 无效"),
        (("serve", "--port", "http"), "参数 --port：应为整数"),
    ],
)
def test_bad_arguments_are_one_line_in_chinese(tmp_path, args, fragment):
    assert_one_line_error(run(*args, env={"DASHBOARD_INSTANCE_PATH": str(tmp_path)}), fragment)


def test_an_instance_folder_that_cannot_be_made_is_named(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    for folder, reason in ((blocker, "已有同名的文件"), (blocker / "sub", "路径中有一段是文件")):
        proc = run("init", env={"DASHBOARD_INSTANCE_PATH": str(folder)})
        assert_one_line_error(proc, f"无法创建实例目录 {folder}：{reason}")


# --- Ctrl-C during `init --demo` -------------------------------------------------------------------------


def _interrupt_init_demo(url: str, delay: float) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()} | {"DATABASE_URL": url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "init", "--demo"],
        env=env,
        preexec_fn=_ctrl_c_works,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)
    assert proc.poll() is None, "init --demo ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _demo_state(url: str) -> tuple[bool, int]:
    """Whether the store says it holds the demo data, and how many register rows it holds."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if "meta" not in inspect(conn).get_table_names():
                return False, 0
            flagged = conn.scalar(select(meta.c.value).where(meta.c.key == "demo")) == "true"
            return flagged, conn.scalar(select(func.count()).select_from(dispute_case))
    finally:
        engine.dispose()


def _interrupt_then_rerun(url: str, delay: float) -> None:
    interrupted = _interrupt_init_demo(url, delay)
    assert interrupted.returncode == 2, interrupted.stdout + interrupted.stderr
    assert interrupted.stderr.strip().splitlines() == [INTERRUPTED], interrupted.stderr
    if url.startswith("sqlite") and not Path(make_url(url).database).exists():
        state = (False, 0)
    else:
        state = _demo_state(url)
    # Nothing half-written: the demo load is one transaction, rolled back whole.
    assert state == (False, 0), state
    # Starting over succeeds (a small demo: the full one and its check against the report are
    # test_init_demo_then_check_on_the_embedded_store's; here what matters is what the interruption left).
    again = run("init", "--demo", "--scale", "0.05", env={"DATABASE_URL": url})
    assert again.returncode == 0, again.stdout + again.stderr
    assert "跳过" not in again.stdout and "共写入" in again.stdout
    flagged, rows = _demo_state(url)
    assert flagged and rows > 0


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.5, 2.0, 5.0])
def test_init_demo_interrupted_on_sqlite_starts_over_cleanly(tmp_path, delay):
    _interrupt_then_rerun(f"sqlite:///{tmp_path / 'dashboard.db'}", delay)


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("delay", [2.0, 5.0])
def test_init_demo_interrupted_on_postgresql_starts_over_cleanly(pg_databases, delay):
    _interrupt_then_rerun(pg_databases.create(), delay)


SWALLOWED = """
import os, signal, sys, weakref
from sqlalchemy import create_engine, text
from dashboard import cli

cli._guard_commits()
engine = create_engine(f"sqlite:///{sys.argv[1]}")
with engine.begin() as conn:
    conn.execute(text("CREATE TABLE t (x INTEGER)"))


class Thing:
    pass


def swallowing(_ref):
    os.kill(os.getpid(), signal.SIGINT)
    for _ in range(10000):  # Ctrl-C's handler runs in here, and CPython prints what it raised and carries on
        pass


thing, shown = Thing(), []
ref = weakref.ref(thing, swallowing)
try:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        del thing
        shown.append("went on")
except KeyboardInterrupt:
    shown.append("refused at commit")
with engine.connect() as conn:
    shown.append(str(conn.execute(text("SELECT count(*) FROM t")).scalar()))
print(" / ".join(shown))
"""


@pytest.mark.slow
def test_a_ctrl_c_that_python_swallows_still_stops_the_next_commit(tmp_path):
    """CPython ignores an exception raised in a weakref callback (seen once in a CI-like run of init --demo: the
    Ctrl-C landed in SQLAlchemy's and the demo load committed); the command still commits nothing after it."""
    script = tmp_path / "swallowed.py"
    script.write_text(SWALLOWED, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "t.db")], capture_output=True, text=True, timeout=60
    )
    assert "Exception ignored" in done.stderr and "KeyboardInterrupt" in done.stderr, done.stderr
    assert done.stdout.strip() == "went on / refused at commit / 0", done.stdout + done.stderr


def test_a_migration_cut_short_leaves_no_half_schema(empty_url, monkeypatch):
    """Ctrl-C at the end of the migration (the catalog load after the DDL) rolls the DDL back too, SQLite included."""
    engine = open_engine(empty_url, create=True)

    def interrupted(_conn):
        raise KeyboardInterrupt

    monkeypatch.setattr(catalog, "sync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        migrate(engine)
    monkeypatch.undo()
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []
    assert migrate(engine) is True
    engine.dispose()


def test_an_error_a_library_raises_while_cleaning_up_after_ctrl_c_still_reads_as_interrupted(
    monkeypatch, capsys
):
    # In CI a Ctrl-C landed inside alembic's batch migration, whose clean-up then met SQLAlchemy's
    # PendingRollbackError: the command printed a traceback and 意外错误 instead of saying it was interrupted.
    def run(_argv):
        cli._pressed.set()
        raise PendingRollbackError("Can't reconnect until invalid transaction is rolled back.")

    monkeypatch.setattr(cli, "_load_commands", lambda: types.SimpleNamespace(run=run))
    monkeypatch.setattr(cli, "_guard_commits", lambda: None)
    monkeypatch.setattr(cli, "_ignore_further_interrupts", lambda: None)
    try:
        assert cli.main([]) == 2
    finally:
        cli._pressed.clear()
    assert capsys.readouterr().err.strip() == INTERRUPTED

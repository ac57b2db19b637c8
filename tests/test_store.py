"""Opening and migrating the store on each engine, and the one-line errors when it cannot be used."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from data import catalog
from data.engine import StoreError, open_engine
from data.schema import indicator, metadata
from data.store import current_revision, head_revision, migrate, require_current


def test_migrations_build_the_schema_on_an_empty_store(empty_url):
    engine = open_engine(empty_url, create=True)
    with pytest.raises(StoreError, match="尚未初始化"):
        require_current(engine)
    migrate(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        # The migrations and the schema module describe exactly the same tables, columns and indexes.
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diff == []
        assert set(inspect(conn).get_table_names()) == set(metadata.tables) | {"alembic_version"}
    require_current(engine)
    engine.dispose()


def test_migrating_twice_changes_nothing_and_keeps_the_catalog(empty_url):
    engine = open_engine(empty_url, create=True)
    assert migrate(engine) is True
    assert migrate(engine) is False  # nothing to rebuild: the summaries stay as they are
    with engine.connect() as conn:
        codes = {row.code for row in conn.execute(indicator.select())}
    assert codes == set(catalog.load())
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "数据库地址格式错误"),
        ("mysql://u@h/db", "不支持的数据库类型"),
        ("postgresql+nosuchdriver://u@h/db", "不支持的数据库驱动"),
        ("sqlite:////no/such/folder/x.db", "目录不存在"),
    ],
)
def test_a_malformed_url_is_one_clear_line(url, message):
    with pytest.raises(StoreError, match=message) as err:
        open_engine(url)
    assert "\n" not in str(err.value)


def test_an_unreachable_server_names_where_without_the_password():
    with pytest.raises(StoreError) as err:
        open_engine("postgresql+psycopg://alice:secret@127.0.0.1:1/nowhere")
    text = str(err.value)
    assert text.startswith("无法连接数据库 postgresql+psycopg://alice:***@127.0.0.1:1/nowhere")
    assert "secret" not in text and "\n" not in text


def test_upgrading_from_the_first_release_keeps_the_data(empty_url):
    from alembic import command
    from sqlalchemy import insert, select

    from data.schema import department
    from data.store import _alembic_config

    engine = open_engine(empty_url, create=True)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
        conn.execute(insert(department).values(code="SFJ", name="区司法局", short_name="司法局", sort=0))
    migrate(engine)
    assert current_revision(engine) == head_revision() != "0001"
    with engine.connect() as conn:
        assert conn.scalars(select(department.c.name)).all() == ["区司法局"]
    engine.dispose()


def test_the_store_reads_while_it_writes_but_another_programs_file_keeps_its_journal(tmp_path):
    import sqlite3

    ours = tmp_path / "ours.db"
    migrate(open_engine(f"sqlite:///{ours}", create=True))
    assert sqlite3.connect(ours).execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    theirs = tmp_path / "theirs.db"
    with sqlite3.connect(theirs) as conn:
        conn.execute("CREATE TABLE meta (key TEXT)")
    with pytest.raises(StoreError, match="同名的表"):
        migrate(open_engine(f"sqlite:///{theirs}", create=True))
    assert sqlite3.connect(theirs).execute("PRAGMA journal_mode").fetchone()[0] == "delete"

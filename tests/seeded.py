"""A small seeded store, shared by the tests of accounts, the accounts' CLI and kiosk links: two departments,
two townships and no accounts, built once per engine and copied for each test; and how those tests sign in.

A plugin (tests/conftest.py names it in ``pytest_plugins``), so test modules take its fixtures without importing
one another.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from alembic import command
from conftest import ENGINES, PerEngine, new_store_url
from import_support import copy_store
from sqlalchemy import Engine, insert

from data import accounts
from data.engine import open_engine
from data.schema import department, dispute_case, township
from data.store import _alembic_config, migrate

PASSWORD = "correct horse battery"
DEPARTMENTS = [("SFJ", "区司法局", "司法局"), ("RSJ", "区人力资源和社会保障局", "人社局")]
TOWNSHIPS = [("qingshan", "青山镇", "镇"), ("hexi", "河西街道", "街道")]


def seed_places(conn) -> None:
    conn.execute(
        insert(department),
        [{"code": c, "name": n, "short_name": s, "sort": i} for i, (c, n, s) in enumerate(DEPARTMENTS)],
    )
    conn.execute(
        insert(township),
        [{"code": c, "name": n, "kind": k, "sort": i} for i, (c, n, k) in enumerate(TOWNSHIPS)],
    )


def store_at_0003(url: str) -> Engine:
    """A store as the release before accounts left it (migration 0003): places and one dispute case."""
    engine = open_engine(url, create=True)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0003")
        seed_places(conn)
        conn.execute(
            insert(dispute_case).values(
                occurred_on=date(2024, 3, 1),
                year=2024,
                month=3,
                department_code="SFJ",
                township_code="qingshan",
                level="乡镇",
                dispute_type="邻里纠纷",
                success=True,
            )
        )
    return engine


def seeded_store(url: str) -> Engine:
    """A migrated store holding two departments and two townships, and nothing else."""
    engine = open_engine(url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        seed_places(conn)
    return engine


@pytest.fixture(scope="session")
def seeded_templates(tmp_path_factory, pg_databases) -> dict[str, str]:
    """One seeded store per engine, built once and copied for each test (a migration costs more than a copy)."""

    def build(kind: str) -> str:
        url = new_store_url(kind, tmp_path_factory.mktemp("accounts"), pg_databases)
        seeded_store(url).dispose()
        return url

    return PerEngine(build)


@pytest.fixture(params=ENGINES)
def store(request, seeded_templates, pg_databases, tmp_path) -> Iterator[Engine]:
    """A fresh copy of the seeded store on each engine."""
    engine = open_engine(copy_store(seeded_templates[request.param], tmp_path, pg_databases))
    yield engine
    engine.dispose()


def add(engine: Engine, username: str, role: str = "leader", **kwargs) -> accounts.Account:
    with engine.begin() as conn:
        return accounts.add_user(conn, username, kwargs.pop("password", PASSWORD), role, **kwargs)


def sign_in(engine: Engine, username: str, password: str = PASSWORD, address: str | None = "10.0.0.1"):
    """authenticate as a web request does it: the failure is committed though the sign-in is refused."""
    with engine.connect() as conn:
        try:
            return accounts.authenticate(conn, username, password, address=address)
        finally:
            conn.commit()

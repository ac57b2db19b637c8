"""What the big screen's benchmarks share: a demo store in a throwaway instance, kiosk links made with the real
command, and the repository's gunicorn configuration serving it (scripts/bench_wall_load.py,
scripts/bench_wall_browser.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench_desk import BIN, start_gunicorn, wait_until_up
from sqlalchemy import Engine, create_engine, text, update

from data.schema import reported_figure
from data.store import bump_data_version

# The figure a benchmark changes so that walls repaint: 进驻部门, on the overview and the service screen.
CHANGED = "service_center_departments"


@dataclass
class Wall:
    base: str
    engine: Engine
    instance: Path

    def kiosk(self, name: str, *options: str) -> str:
        """A kiosk link's URL, as `dashboard kiosk create` prints it (alone on its last line)."""
        done = subprocess.run(
            [BIN / "dashboard", "kiosk", "create", name, "--base-url", self.base, *options],
            env=_env(self.instance),
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout.strip().splitlines()[-1]

    def change_data(self, step: int) -> None:
        """What a publish ends with: one figure changed and the data version bumped, in one transaction."""
        with self.engine.begin() as conn:
            conn.execute(
                update(reported_figure)
                .where(reported_figure.c.indicator_code == CHANGED, reported_figure.c.year == 2024)
                .values(value=reported_figure.c.value + (1 if step % 2 else -1))
            )
            bump_data_version(conn)


def _env(instance: Path) -> dict[str, str]:
    env = {**os.environ, "DASHBOARD_INSTANCE_PATH": str(instance)}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    return env


@contextmanager
def served(rows: int | None = None) -> Iterator[Wall]:
    """The demo store (optionally of about ``rows`` register rows) served by gunicorn with gunicorn.conf.py."""
    instance = Path(tempfile.mkdtemp(prefix="fazhi-wall-bench-"))
    env = _env(instance)
    sized = ["--rows", str(rows)] if rows else []
    subprocess.run([BIN / "dashboard", "init", "--demo", *sized], env=env, check=True, capture_output=True)
    server, base = start_gunicorn(env)
    engine = create_engine(f"sqlite:///{instance / 'dashboard.db'}")
    try:
        wait_until_up(base + "/screen/version", server)
        with engine.connect() as conn:
            figure = conn.execute(
                text("SELECT count(*) FROM reported_figure WHERE indicator_code = :c AND year = 2024"),
                {"c": CHANGED},
            ).scalar()
        if not figure:
            raise SystemExit(f"the demo store has no 2024 figure {CHANGED}")
        yield Wall(base, engine, instance)
    finally:
        server.terminate()
        server.wait(timeout=30)
        engine.dispose()
        shutil.rmtree(instance, ignore_errors=True)

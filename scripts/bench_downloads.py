"""Benchmark of the 明细 downloads: CPU, wall time, size and memory of a CSV and an Excel download of every row
behind a figure, beside the floor of reading those rows from the store alone.

    .venv/bin/python scripts/bench_downloads.py                      # the demo store of scripts/run
    .venv/bin/python scripts/bench_downloads.py --database-url URL --code hotline_requests --year 2024

The downloads go through the app's own route (/download/records.csv and .xlsx) with Flask's test client, so
the figures are the server's work without the network.
"""

from __future__ import annotations

import argparse
import resource
import secrets
import tempfile
import time
from pathlib import Path

from dashboard import create_app
from data import accounts
from data.access import OPERATOR
from data.engine import open_engine
from data.queries.filters import Filters
from data.queries.records import stream_records

ROOT = Path(__file__).resolve().parent.parent
BENCH_USER = "bench-leader"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", default=f"sqlite:///{ROOT / 'instance' / 'dashboard.db'}")
    ap.add_argument("--code", default="hotline_requests")
    ap.add_argument("--year", type=int, default=2024)
    args = ap.parse_args()

    engine = open_engine(args.database_url)
    cpu, wall = time.process_time(), time.perf_counter()
    with engine.connect() as conn:
        _columns, rows = stream_records(conn, args.code, Filters(args.year, scope=OPERATOR))
        count = sum(1 for _ in rows)
    floor_cpu, floor_wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{args.code}, {args.year}: {count:,} rows")
    print(f"floor, reading the rows from the store: cpu {floor_cpu:.2f} s, wall {floor_wall:.2f} s")

    app = create_app({"database_url": args.database_url, "instance_path": tempfile.mkdtemp()})
    client = app.server.test_client()
    # downloads are for signed-in readers: a leader's token for this run, revoked at the end
    token_id, token = reader_token(engine)
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    for kind in ("csv", "xlsx"):
        cpu, wall = time.process_time(), time.perf_counter()
        response = client.get(f"/download/records.{kind}?year={args.year}&code={args.code}")
        body = response.get_data()
        response.close()
        used, took = time.process_time() - cpu, time.perf_counter() - wall
        print(
            f"{kind}: HTTP {response.status_code}, {len(body) / 1e6:.1f} MB, cpu {used:.2f} s "
            f"({used / floor_cpu:.1f}× the floor), wall {took:.2f} s, peak RSS of the process {rss_mb():.0f} MB"
        )
    with engine.begin() as conn:
        accounts.revoke_token(conn, token_id)


def reader_token(engine) -> tuple[int, str]:  # noqa: ANN001 - an Engine
    """A token of the leader account `bench-leader` (made when missing; its password is random)."""
    with engine.begin() as conn:
        if accounts.get_user(conn, BENCH_USER) is None:
            accounts.add_user(conn, BENCH_USER, secrets.token_urlsafe(24), "leader")
        return accounts.create_token(conn, BENCH_USER, days=1)


if __name__ == "__main__":
    main()

"""The download limits hold as the README says: a finished Excel download gives its slot back (it used to keep
it, and after two every download of every user answered 429 until a restart), and a client's 10 a minute are
counted once for all workers (in the instance folder, or in Redis when REDIS_URL is set)."""

from __future__ import annotations

import pytest
import redis
from download_support import address, fresh_minute

from dashboard import create_app
from dashboard.config import REDIS_PREFIX
from dashboard.pages.desk import downloads

QUERY = "/download/records.{kind}?year=2024&township=qingshan&code=reconsideration_applications"
REDIS = "redis://127.0.0.1:6379/0"


def leader(url: str, tokens: dict, **config):
    # One proxy in front, so that each test is its own client (X-Forwarded-For) and no two runs share a count.
    client = create_app({"database_url": url, "proxies": 1, **config}).server.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {tokens[url]['leader']}"
    return client


def fetch(client, kind: str, address: str) -> int:
    """One download read in full and closed, as the WSGI server closes a body it has sent."""
    resp = client.get(QUERY.format(kind=kind), headers={"X-Forwarded-For": address})
    resp.get_data()
    resp.close()
    return resp.status_code


def test_excel_downloads_give_their_slot_back(demo_url, demo_tokens):
    fresh_minute()
    client = leader(demo_url, demo_tokens)
    me = address()
    kinds = ["xlsx", "xlsx", "csv", "xlsx", "xlsx", "csv", "xlsx"]
    assert [fetch(client, kind, me) for kind in kinds] == [200] * len(kinds)
    # Nobody else is locked out either.
    assert fetch(client, "xlsx", address()) == 200


def test_the_per_minute_limit_is_shared_by_workers_on_one_machine(demo_urls, demo_tokens, tmp_path):
    """Two apps on one instance folder are two gunicorn workers: together they allow PER_MINUTE, not twice it."""
    fresh_minute()
    url = demo_urls["sqlite"]
    folder = tmp_path / "instance"
    workers = [leader(url, demo_tokens, instance_path=folder) for _ in range(2)]
    me = address()
    statuses = [fetch(workers[n % 2], "csv", me) for n in range(downloads.PER_MINUTE)]
    assert statuses == [200] * downloads.PER_MINUTE
    for worker in workers:
        refused = worker.get(QUERY.format(kind="csv"), headers={"X-Forwarded-For": me})
        assert refused.status_code == 429 and "每人每分钟最多 10 次" in refused.get_data(as_text=True)
        assert 0 < int(refused.headers["Retry-After"]) <= 60
    # Another client still has its own ten.
    assert fetch(workers[0], "csv", address()) == 200


def test_with_redis_the_limit_is_shared_by_workers_on_any_machine(demo_urls, demo_tokens, tmp_path):
    server = redis.Redis.from_url(REDIS)
    try:
        server.ping()
    except redis.RedisError:
        pytest.fail("Redis at 127.0.0.1:6379 is part of the test environment")
    fresh_minute()
    url = demo_urls["sqlite"]
    # Different instance folders: only Redis can join their counts.
    workers = [
        leader(url, demo_tokens, redis_url=REDIS, instance_path=tmp_path / f"machine{n}") for n in range(2)
    ]
    me = address()
    statuses = [fetch(workers[n % 2], "csv", me) for n in range(downloads.PER_MINUTE)]
    assert statuses == [200] * downloads.PER_MINUTE
    assert fetch(workers[1], "csv", me) == 429
    assert server.keys(f"{REDIS_PREFIX}limit:download:{me}:*")

"""Printing decks and drawing charts is limited per client (for all workers), visitors included: 8 anonymous
clients looping on PDFs used to slow the whole site without a single 429."""

from __future__ import annotations

from download_support import address, fresh_minute

from dashboard import create_app
from dashboard.web.export_limits import RENDERS_PER_MINUTE

# A chart that is not on the slide: refused (404) before the browser is started, but counted like any render.
NO_CHART = "/present/annual/slides/2/nothing.png?year=2024"


def test_a_client_printing_too_often_gets_a_429_from_every_worker(demo_urls, tmp_path):
    fresh_minute()
    workers = [
        create_app(
            {"database_url": demo_urls["sqlite"], "instance_path": tmp_path / "instance", "proxies": 1}
        ).server.test_client()
        for _ in range(2)
    ]
    me = address()
    statuses = [
        workers[n % 2].get(NO_CHART, headers={"X-Forwarded-For": me}).status_code
        for n in range(RENDERS_PER_MINUTE)
    ]
    assert 429 not in statuses
    for worker in workers:
        for path in (NO_CHART, "/present/annual/deck.pdf?year=2024"):
            refused = worker.get(path, headers={"X-Forwarded-For": me})
            assert refused.status_code == 429 and "每人每分钟最多" in refused.get_data(as_text=True)
            assert 0 < int(refused.headers["Retry-After"]) <= 60
    # the deck itself still opens, and another client may still print
    assert workers[0].get("/present/annual?year=2024", headers={"X-Forwarded-For": me}).status_code == 200
    assert workers[1].get(NO_CHART, headers={"X-Forwarded-For": address()}).status_code != 429

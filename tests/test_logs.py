"""The log: one line per request (method, path, status, milliseconds), errors with their traceback in the log only."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest

from dashboard import create_app
from dashboard.web import logs
from dashboard.web.permissions import requires
from data.access import Action

REQUEST_LINE = re.compile(r"^(GET|POST) (\S+) (\d{3}) (\d+\.\d) ms$")


@pytest.fixture
def app(demo_urls, tmp_path):
    app = create_app({"database_url": demo_urls["sqlite"], "instance_path": tmp_path})

    # A view that fails the way a bug would: what the user gets and what the log gets are checked below.
    def _fail():
        raise RuntimeError("a bug the user must not see")

    app.server.add_url_rule("/test-failure", "test_failure", requires(Action.OPEN)(_fail))
    return app


def request_lines(records: list[logging.LogRecord]) -> list[tuple[str, str, int]]:
    lines = []
    for record in records:
        if record.name == logs.REQUEST_LOGGER:
            match = REQUEST_LINE.match(record.getMessage())
            assert match, record.getMessage()
            lines.append((match[1], match[2], int(match[3])))
    return lines


def test_each_request_is_one_line_with_method_path_status_and_milliseconds(app, caplog):
    client = app.server.test_client()
    caplog.set_level(logging.INFO, logger=logs.REQUEST_LOGGER)
    answered = [
        ("GET", path, client.get(path).status_code)
        for path in [
            "/api/v1/dimensions",
            "/api/v1/values?year=abc",
            "/api/v1/no-such-thing",
            # Answered by a before_request hook that returns early (the basic plotly.js bundle): still logged.
            "/_dash-component-suites/plotly/package_data/plotly.min.js",
        ]
    ]
    post = client.post("/_dash-update-component", data="x", content_type="text/plain")
    answered.append(("POST", "/_dash-update-component", post.status_code))

    assert [status for *_, status in answered] == [200, 400, 404, 200, post.status_code]
    assert 400 <= post.status_code < 500
    # The path without its query string; the status the client got.
    assert request_lines(caplog.records) == [(m, p.split("?")[0], s) for m, p, s in answered]
    record = next(r for r in caplog.records if r.name == logs.REQUEST_LOGGER)
    assert record.levelno == logging.INFO
    assert (record.method, record.path, record.status) == ("GET", "/api/v1/dimensions", 200)
    assert 0 < record.ms < 10_000


def test_an_error_goes_to_the_log_with_its_traceback_and_not_to_the_user(app, caplog):
    caplog.set_level(logging.INFO)
    response = app.server.test_client().get("/test-failure")

    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "RuntimeError" not in body and "a bug" not in body
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].name.startswith("dashboard")
    assert errors[0].exc_info and errors[0].exc_info[0] is RuntimeError
    assert request_lines(caplog.records) == [("GET", "/test-failure", 500)]


@pytest.fixture
def configured_logging() -> Iterator[None]:
    """``logs.configure()`` for one test, then the logging pytest had (it replaces the root's handlers)."""
    root = logging.getLogger()
    names = ["dashboard", "gunicorn.error", "gunicorn.access"]
    saved = (
        root.handlers[:],
        root.level,
        {n: (logging.getLogger(n).level, logging.getLogger(n).propagate) for n in names},
    )
    logs._configured = False
    yield
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])
    for name, (level, propagate) in saved[2].items():
        logging.getLogger(name).setLevel(level)
        logging.getLogger(name).propagate = propagate
    logs._configured = False


def test_configured_logging_writes_each_request_and_error_once_to_stderr(app, configured_logging, capsys):
    logs.configure()
    logs.configure()  # a second call (the CLI's main run twice in one process) adds nothing
    client = app.server.test_client()
    client.get("/api/v1/dimensions")
    client.get("/test-failure")
    logging.getLogger("sqlalchemy.engine").info("libraries' INFO stays out")

    err = capsys.readouterr().err
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"
    assert re.search(
        rf"(?m)^{stamp} INFO \[\d+\] dashboard\.request: GET /api/v1/dimensions 200 \d+\.\d ms$", err
    )
    assert re.search(rf"(?m)^{stamp} INFO \[\d+\] dashboard\.request: GET /test-failure 500 \d+\.\d ms$", err)
    # The error once, in the same format, followed by its traceback.
    assert len(re.findall(rf"(?m)^{stamp} ERROR \[\d+\] dashboard[.\w]*: .*/test-failure", err)) == 1, err
    assert "Traceback (most recent call last)" in err and "RuntimeError: a bug the user must not see" in err
    assert "libraries' INFO" not in err
    assert err.count(" dashboard.request: ") == 2

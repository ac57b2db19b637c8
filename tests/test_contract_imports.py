"""The API's contract as the other two readers meet it: a visitor without a token (every operation, the upload
included: it must answer 401 as documented), and a leader's token on the upload itself, on a store of its own
(schemathesis found it refusing requests its schema allows, accepting ones it forbids, and OPTIONS naming a GET
it does not have)."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from conftest import PASSWORD  # noqa: F401 - the accounts of PEOPLE are in the copied store
from import_support import copy_store
from werkzeug.serving import make_server

from dashboard import create_app
from dashboard.api.routes import PREFIX
from data import accounts
from data.engine import open_engine

# starts processes (a capped child, schemathesis): outside the fast tier
pytestmark = pytest.mark.slow


def schemathesis(base_url: str, cwd, *extra: str, examples: int = 100) -> str:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{base_url}{PREFIX}/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(examples),
        "--generation-deterministic",
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--no-color",
        *extra,
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=480, cwd=cwd, check=False)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-8000:]
    assert re.search(r"Test cases:\s+(\d+) generated, \1 passed", output), output[-3000:]
    return output


@pytest.fixture
def own_server(demo_urls, tmp_path, pg_databases) -> Iterator[tuple[str, str]]:
    """The app on a copy of the demo store (uploads write batches into it), and a leader's token."""
    url = copy_store(demo_urls["sqlite"], tmp_path, pg_databases)
    engine = open_engine(url)
    with engine.begin() as conn:
        token = accounts.create_token(conn, "leader")[1]
    engine.dispose()
    app = create_app({"database_url": url, "instance_path": tmp_path / "instance"})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", token
    server.shutdown()
    app.server.extensions["dashboard.jobs"].shutdown()


def test_the_upload_keeps_its_contract_for_a_leader(own_server, tmp_path):
    base_url, token = own_server
    output = schemathesis(
        base_url,
        tmp_path,
        "-H",
        f"Authorization: Bearer {token}",
        "--include-operation-id",
        "postImport",
        examples=30,
    )
    assert "Tested: 1" in output, output[-3000:]


def test_a_visitor_meets_the_documented_contract_everywhere(base_url, tmp_path):
    output = schemathesis(base_url, tmp_path, examples=30)
    assert "Tested:" in output, output[-3000:]

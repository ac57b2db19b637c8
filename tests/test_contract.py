"""The served API against its own OpenAPI document, property-based: schemathesis with every check it has.

The app runs on the demo SQLite store in a thread (the base_url fixture) and schemathesis loads the document
from /api/v1/openapi.json as any client would. Each operation gets its examples, the coverage phase (every
boundary of every parameter, every undocumented method) and fuzzing, with valid and invalid data; generation
is deterministic, so a run in CI repeats exactly. The checks: no 5xx, every status, content type, header and
body as documented, invalid data refused, valid data accepted, 405 with its Allow header.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.request import urlopen

import pytest

from dashboard.api.shapes import PREFIX

# starts processes (servers, workers, the command): outside the fast tier
pytestmark = pytest.mark.slow

# Cases per operation in the fuzzing phase; the coverage phase adds its own (about 160 in all).
MAX_EXAMPLES = 100


def test_the_api_keeps_its_documented_contract(base_url, demo_urls, demo_tokens, tmp_path):
    # as a leader (an API token): the records operation is then exercised, not only refused with a 401
    token = demo_tokens[demo_urls["sqlite"]]["leader"]
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
        str(MAX_EXAMPLES),
        "--generation-deterministic",
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--no-color",
        "-H",
        f"Authorization: Bearer {token}",
        # Uploads write batches and files into the store every other test reads, and each waits on its check:
        # tests/test_contract_imports.py runs schemathesis on it on a store of its own (and every operation as a
        # visitor), tests/test_data_page.py sends it real files, good and bad.
        "--exclude-operation-id",
        "postImport",
        # A reply writes into the shared store too, and the store holds no follow-up to reply to:
        # tests/test_api_supervisions.py sends it real replies on stores of its own.
        "--exclude-operation-id",
        "postSupervisionReply",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=tmp_path, check=False)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-8000:]
    # Every documented operation was exercised but the upload and the follow-up's reply (schemathesis also leaves
    # out the route it read the document from).
    with urlopen(f"{base_url}{PREFIX}/openapi.json") as resp:
        operations = sum(len(methods) for methods in json.load(resp)["paths"].values())
    assert f"Tested: {operations - 3}" in output, output[-3000:]
    # Every generated case passed. The one warning allowed: GET /api/v1/imports/{id} answers 404 for every id,
    # since the shared demo store holds no batch (tests/test_data_page.py reads real ones).
    assert re.search(r"Test cases:\s+(\d+) generated, \1 passed", output), output[-3000:]
    warned = (
        re.findall(r"^  - (.+)$", output.split("WARNINGS")[-1].split("SUMMARY")[0], re.M)
        if "WARNINGS" in output
        else []
    )
    assert "No issues found" in output or warned == ["GET /api/v1/imports/{id}"], output[-3000:]

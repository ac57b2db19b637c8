"""Every way to the figures and the rows, for every kind of reader, on both engines: nobody gets a row or a
figure the rules do not give them, and nobody is refused what the rules do give them.

Readers: a visitor, a leader, the head of 区市场监督管理局 (SCJGJ), the head of 青山镇, and a clerk of SCJGJ.
Ways in: /api/v1/indicators, /api/v1/values, /api/v1/records, the CSV download, and the callbacks that draw
the cards and open and page the records dialog (requests forged as the browser would send them). One figure
is made restricted for the run (the shipped catalog has none): only leaders and 区司法局 may see it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from dashboard import create_app
from dashboard.pages.desk import downloads
from dashboard.web import guard
from data import catalog
from data.access import OPERATOR, Scope
from data.engine import open_engine
from data.queries.filters import Filters
from data.queries.records import count_records, has_records
from data.registers import column_labels
from layouts import ids

READERS = {
    None: Scope(),
    "leader": Scope(role="leader"),
    "market": Scope(role="department", department="SCJGJ", department_name="区市场监督管理局"),
    "qingshan": Scope(role="township", township="qingshan"),
    "clerk": Scope(role="clerk", department="SCJGJ", department_name="区市场监督管理局"),
}
RESTRICTED = "reconsideration_applications"
# One figure of each register, and rates whose parts differ in visibility.
CODES = [
    "service_transactions",
    "service_good_rating_rate",
    "double_random_inspections",
    "enforcement_cases_recorded",
    "enterprise_requests",
    "disputes_mediated",
    RESTRICTED,
    "reconsideration_accepted",
    "agency_head_court_appearance_rate",
    "criminal_alerts",
    "administrative_detentions",
    "hotline_visited",
    "complaints",
    "themed_publicity_events",
]
FILTERS = [
    {},
    {"department": ["ZRZYJ"]},
    {"department": ["SCJGJ"]},
    {"township": ["baisha"]},
    {"township": ["qingshan"]},
]


@pytest.fixture
def restricted(monkeypatch, internal):
    cat = catalog.load()
    monkeypatch.setitem(cat, RESTRICTED, replace(cat[RESTRICTED], visibility="restricted"))


@pytest.fixture
def client_of(demo_url, bearer, restricted, tmp_path, monkeypatch):
    # the readers here ask for far more downloads a minute than one person may
    monkeypatch.setattr(downloads, "PER_MINUTE", 10_000)
    app = create_app({"database_url": demo_url, "instance_path": tmp_path})

    def make(who):
        client = app.server.test_client()
        if who:
            client.environ_base["HTTP_AUTHORIZATION"] = bearer(who)["Authorization"]
        return client

    make.app = app
    return make


def visible(who) -> set[str]:
    return {c for c, i in catalog.load().items() if READERS[who].sees(i)}


def in_scope(who, row: dict, code: str) -> bool:
    """Whether a row behind ``code``, as the API, the grid or a download shows it, is the reader's to read: the
    department responsible for the figure (for a rate: its denominator) reads every row behind it."""
    cat = catalog.load()
    behind = cat[cat[code].denominator] if cat[code].is_rate else cat[code]
    if READERS[who].responsible_for(behind):
        return True
    if who in ("market", "clerk"):
        return row.get("department_name") == "区市场监督管理局"
    if who == "qingshan":
        return row.get("township_name") == "青山镇"
    return who == "leader"


def refused_filter(who, filters: dict) -> bool:
    scope = READERS[who]
    return (scope.department and any(d != scope.department for d in filters.get("department", []))) or (
        scope.township
        and not scope.department
        and any(t != scope.township for t in filters.get("township", []))
    )


def query(code: str, filters: dict) -> str:
    parts = [f"code={code}", "year=2024"] + [f"{k}={','.join(v)}" for k, v in filters.items()]
    return "&".join(parts)


@pytest.mark.parametrize("who", list(READERS))
def test_the_api_lists_and_values_only_the_figures_a_reader_may_see(client_of, who):
    client = client_of(who)
    allowed = visible(who)
    listed = {i["code"] for i in client.get("/api/v1/indicators").get_json()["indicators"]}
    assert listed == allowed
    for filters in ("", "&department=ZRZYJ", "&township=baisha"):
        values = client.get(f"/api/v1/values?year=2024{filters}").get_json()["values"]
        assert {v["code"] for v in values} == allowed
    assert (RESTRICTED in allowed) == (who == "leader")


def everyone(url: str, code: str, filters: dict) -> int:
    """The rows behind ``code`` for a reader who may read them all: what a leader must be given."""
    engine = open_engine(url)
    with engine.connect() as conn:
        chosen = Filters(
            2024, tuple(filters.get("department", ())), tuple(filters.get("township", ())), scope=OPERATOR
        )
        total = count_records(conn, code, chosen)
    engine.dispose()
    return total


@pytest.mark.slow  # every reader's whole downloads (8–15 s each)
@pytest.mark.parametrize("who", list(READERS))
def test_api_records_and_downloads_give_each_reader_their_rows_and_no_others(client_of, demo_url, who):
    client = client_of(who)
    scope = READERS[who]
    for code in CODES:
        for filters in FILTERS:
            api = client.get(f"/api/v1/records?{query(code, filters)}&limit=500")
            with client.get(f"/download/records.csv?{query(code, filters)}") as download:
                # read and closed: a download being written holds one of the worker's few slots until then
                download.get_data()
            if who is None:
                assert (api.status_code, download.status_code) == (401, 401)
                continue
            if not has_records(code, scope) or refused_filter(who, filters):
                assert (api.status_code, download.status_code) == (403, 403), (code, filters)
                continue
            assert (api.status_code, download.status_code) == (200, 200), (code, filters)
            rows = api.get_json()["rows"]
            assert all(in_scope(who, r, code) for r in rows), (code, filters)
            if who == "leader":
                assert api.get_json()["total"] == everyone(demo_url, code, filters), (code, filters)
            # the download heads its columns with the register's labels (承办单位, 乡镇（街道）...)
            column = {label: name for name, label in column_labels(downloads.register_behind(code)).items()}
            sheet = [
                {column.get(k, k): v for k, v in row.items()}
                for row in csv.DictReader(io.StringIO(download.get_data().decode("utf-8-sig")))
            ]
            assert len(sheet) == api.get_json()["total"]
            assert all(in_scope(who, r, code) for r in sheet), (code, filters)


def _body(app, output_part: str, values: dict) -> dict:
    """A callback request as the browser sends it, for the callback whose outputs include ``output_part``."""
    output = next(k for k in app.callback_map if output_part in k)
    spec = app.callback_map[output]
    declared = [{"id": o["id"], "property": o["property"].split("@")[0]} for o in guard._outputs(output)]

    def entries(items):
        return [{**s, "value": values.get(f"{s['id']}.{s['property']}")} for s in items]

    return {
        "output": output,
        "outputs": declared if output.startswith("..") else declared[0],
        "inputs": entries(spec["inputs"]),
        "state": entries(spec["state"]),
        "changedPropIds": [f"{s['id']}.{s['property']}" for s in spec["inputs"]],
    }


def _post(client, body: dict):
    return client.post(guard.ENDPOINT, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("who", list(READERS))
def test_forged_callbacks_show_each_reader_their_figures_and_rows_and_no_others(client_of, who):
    client, app = client_of(who), client_of.app
    allowed = visible(who)
    state = {"year": 2024, "department": [], "township": []}
    for area in ("service", "reconsideration", "hotline"):
        resp = _post(
            client, _body(app, f"{ids.panel(area, 'kpis')}.children", {f"{ids.FILTERS}.data": state})
        )
        shown = {c for c in catalog.load() if f'"data-code": "{c}"' in json.dumps(resp.get_json())}
        area_codes = {c for c, i in catalog.load().items() if i.area == area}
        assert shown & area_codes == allowed & area_codes
    for code in CODES:
        for filters in FILTERS:
            chosen = {**state, **filters}
            opened = _post(
                client,
                _body(
                    app,
                    f"{ids.RECORDS_DIALOG}.is_open",
                    {f"{ids.RECORDS_REQUEST}.data": {"code": code, "at": 1}, f"{ids.FILTERS}.data": chosen},
                ),
            )
            rows = _post(
                client,
                _body(
                    app,
                    f"{ids.RECORDS_GRID}.getRowsResponse",
                    {
                        f"{ids.RECORDS_GRID}.getRowsRequest": {"startRow": 0, "endRow": 500},
                        f"{ids.RECORDS_CODE}.data": {"code": code, "filters": chosen},
                    },
                ),
            )
            if not has_records(code, READERS[who]):
                # nothing opens and no row comes back (Dash's "no update")
                # a visitor is refused the rows callback itself (it needs read_rows); a reader gets no update
                assert (opened.status_code, rows.status_code) == (204, 401 if who is None else 204), (
                    code,
                    filters,
                )
                continue
            assert (opened.status_code, rows.status_code) == (200, 200), (code, filters)
            got = rows.get_json()["response"][ids.RECORDS_GRID]["getRowsResponse"]["rowData"]
            assert all(in_scope(who, r, code) for r in got), (code, filters)
            if refused_filter(who, filters):
                assert got == [], (code, filters)

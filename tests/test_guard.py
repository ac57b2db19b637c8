"""Forged callback requests, property-based over every callback the app registers, on both engines.

The property: a body that passes, or nearly passes, the guard's shape check, with any JSON in its values
(nested thousands deep, integers past 64 bits, NaN and infinities, text, lists, objects) or in its bookkeeping
fields, ends in a 4xx or a handled answer: never a 5xx, and no callback fails on it (the callbacks' error
handler would turn a failure into a 200 with a banner; that is a handled fault, not input validation).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from dashboard import create_app
from dashboard.web import guard
from data import catalog
from data.engine import open_engine
from data.queries.filters import MAX_CODES
from data.schema import department, township
from layouts import ids

ENDPOINT = guard.ENDPOINT
# Examples per callback and engine: about sixty callbacks share a budget of ~30 s.
EXAMPLES = 40
HUGE_INTS = [2**63, -(2**63) - 1, 2**64 + 1, 10**40, -(10**40)]
ODD_FLOATS = [float("nan"), float("inf"), float("-inf"), 1e308, -0.0]
# Text a database may refuse to bind (a NUL byte, a lone surrogate) or a query may trip over.
ODD_TEXTS = ["", "\x00", "SFJ\x00", "\ud800", "' OR 1=1 --", "x" * 5000, '{"a":1}.value', "区本级"]


class Deep:
    """A value nested ``depth`` levels deep, written as JSON text (Python's encoder would refuse it)."""

    def __init__(self, depth: int, kind: str) -> None:
        self.depth, self.kind = depth, kind

    def text(self) -> str:
        if self.kind == "list":
            return "[" * self.depth + "0" + "]" * self.depth
        return '{"a":' * self.depth + "0" + "}" * self.depth


def encode(body: Any) -> str:
    deep: list[Deep] = []

    def placeholder(value: object) -> str:
        if not isinstance(value, Deep):
            raise TypeError(type(value))
        deep.append(value)
        return f"@@deep{len(deep) - 1}@@"

    text = json.dumps(body, default=placeholder)  # NaN and Infinity as Python writes them
    for i, value in enumerate(deep):
        text = text.replace(f'"@@deep{i}@@"', value.text())
    return text


@st.composite
def weighted(draw, *choices: tuple[int, st.SearchStrategy]) -> Any:
    """One of ``choices`` (weight, strategy), drawn in proportion to the weights."""
    index = draw(st.sampled_from([i for i, (weight, _) in enumerate(choices) for _ in range(weight)]))
    return draw(choices[index][1])


texts = weighted((3, st.text(max_size=20)), (1, st.sampled_from(ODD_TEXTS)))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(HUGE_INTS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(ODD_FLOATS),
    texts,
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
deep_values = st.builds(
    Deep, st.sampled_from([guard.MAX_DEPTH + 1, 200, 900, 5000]), st.sampled_from(["list", "dict"])
)
odd = weighted((3, json_values), (1, deep_values))


def plausible_values(codes: list[str]) -> dict[tuple[str, str] | str, st.SearchStrategy]:
    """Values near what the page sends, property by property, so that forged requests reach the callbacks."""
    years = weighted(
        (6, st.sampled_from([2022, 2023, 2024, 2025])),
        (1, st.sampled_from([0, 9999, 10_000, -1, *HUGE_INTS])),
        (1, odd),
    )
    code = weighted((3, st.sampled_from(codes)), (2, st.sampled_from(ODD_TEXTS)), (1, st.text(max_size=12)))
    some_codes = st.lists(code, max_size=4)
    code_lists = weighted((6, some_codes), (1, st.just(codes[:1] * (MAX_CODES + 1))), (1, odd))
    state = st.fixed_dictionaries(
        {"year": years, "department": code_lists, "township": code_lists}, optional={"extra": odd}
    )
    indicator = weighted((3, st.sampled_from(list(catalog.load()))), (1, odd))
    rows = weighted(
        (2, st.sampled_from([0, 50, 100, 500, 10**6])),
        (2, st.integers(-(2**64), 2**64)),
        (1, st.sampled_from(HUGE_INTS)),
        (1, odd),
    )
    point = st.fixed_dictionaries({"customdata": weighted((3, st.sampled_from(codes)), (1, odd))})
    click = weighted((3, st.fixed_dictionaries({"points": st.lists(point, max_size=2)})), (1, odd))
    return {
        (ids.FILTERS, "data"): state,
        (ids.RECORDS_CODE, "data"): st.fixed_dictionaries({"code": indicator, "filters": state}),
        (ids.RECORDS_REQUEST, "data"): st.fixed_dictionaries({"code": indicator, "at": odd}),
        (ids.RECORDS_GRID, "getRowsRequest"): st.fixed_dictionaries(
            {"startRow": rows, "endRow": rows}, optional={"sortModel": odd, "filterModel": odd}
        ),
        (ids.URL, "pathname"): st.sampled_from(["/", "/mediation", "/nowhere", "//"]),
        (ids.URL, "search"): st.sampled_from(["", "?year=2024", "?year=x&department=SFJ,,", "?" + "&" * 50]),
        (ids.YEAR, "value"): years,
        (ids.DEPARTMENT, "value"): code_lists,
        (ids.TOWNSHIP, "value"): code_lists,
        "clickData": click,
        "n_clicks": weighted((3, st.integers(0, 10)), (1, odd)),
    }


def _entry(spec: dict, plausible: dict) -> st.SearchStrategy:
    key = (spec["id"], spec["property"])
    value = plausible[key] if key in plausible else plausible.get(spec["property"], odd)
    exact = st.fixed_dictionaries(
        {"id": st.just(spec["id"]), "property": st.just(spec["property"])},
        optional={"value": weighted((4, value), (1, odd))},
    )
    # Nearly right: an extra key, no property, another id, or not an object at all.
    near = st.one_of(
        exact.map(lambda e: {**e, "extra": 1}),
        exact.map(lambda e: {k: v for k, v in e.items() if k != "property"}),
        exact.map(lambda e: {**e, "id": e["id"] + "x"}),
        json_values,
    )
    return weighted((12, exact), (1, near))


BOOKKEEPING = ["output", "outputs", "inputs", "state", "changedPropIds"]


@st.composite
def bodies(draw, output: str, spec: dict, plausible: dict) -> dict:
    declared = [{"id": o["id"], "property": o["property"].split("@")[0]} for o in guard._outputs(output)]
    prop_ids = [f"{s['id']}.{s['property']}" for s in spec["inputs"]]
    body: dict[str, Any] = {
        "output": output,
        "outputs": declared if output.startswith("..") else declared[0],
        "inputs": [draw(_entry(s, plausible)) for s in spec["inputs"]],
        "changedPropIds": draw(st.lists(st.sampled_from(prop_ids), max_size=len(prop_ids), unique=True)),
    }
    state = [draw(_entry(s, plausible)) for s in spec["state"]]
    if state or draw(st.booleans()):
        body["state"] = state
    # Now and then a bookkeeping field of the wrong type, or missing.
    wrong = draw(
        weighted((4, st.just([])), (1, st.lists(st.sampled_from(BOOKKEEPING), max_size=2, unique=True)))
    )
    for key in wrong:
        replacement = draw(st.one_of(odd, st.just(None), st.just("missing")))
        if replacement == "missing":
            body.pop(key, None)
        else:
            body[key] = replacement
    return body


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine_url(request, demo_urls) -> str:
    return demo_urls[request.param]


@pytest.fixture(scope="module")
def app(engine_url, tmp_path_factory):
    return create_app({"database_url": engine_url, "instance_path": tmp_path_factory.mktemp("inst")})


@pytest.fixture(scope="module")
def codes(engine_url) -> list[str]:
    engine = open_engine(engine_url)
    with engine.connect() as conn:
        found = [*conn.scalars(select(department.c.code)), *conn.scalars(select(township.c.code))]
    engine.dispose()
    return found


class Failures(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _forge(client, failures: Failures, output: str, strategy: st.SearchStrategy):
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def forged(body: dict) -> None:
        failures.records.clear()
        resp = client.post(ENDPOINT, data=encode(body), content_type="application/json")
        assert resp.status_code < 500, (output, resp.status_code, resp.data[:300], encode(body)[:500])
        if resp.status_code == 400:
            assert "error" in resp.get_json()
        assert not failures.records, (output, failures.records[0].getMessage(), encode(body)[:500])

    return forged


@pytest.mark.slow  # hypothesis forges every callback (10 s)
def test_no_forged_callback_request_ends_in_a_server_error(app, codes):
    client = app.server.test_client()
    plausible = plausible_values(codes)
    failures = Failures()
    watched = [logging.getLogger("dashboard.callbacks"), app.server.logger]
    for logger in watched:
        logger.addHandler(failures)
    try:
        for output, spec in sorted(app.callback_map.items()):
            _forge(client, failures, output, bodies(output, spec, plausible))()
    finally:
        for logger in watched:
            logger.removeHandler(failures)

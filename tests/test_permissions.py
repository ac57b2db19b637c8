"""Every route declares the action it needs, and the declaration holds: walked over the app's whole ``url_map``.

A route with no declaration fails the first test (and is refused at run time, shown below); every declared route
that is not open is refused to a visitor and to every role that lacks its action (data/access.py ROLE_ACTIONS).
"""

from __future__ import annotations

import itertools
import re

import pytest
from conftest import PASSWORD, PEOPLE
from flask import Flask
from werkzeug.exceptions import HTTPException

from dashboard import create_app
from dashboard.web import permissions
from data.access import ANONYMOUS_ACTIONS, ROLE_ACTIONS, Action, declared_action

OWN = {"Origin": "http://localhost"}
# as the pages' scripts ask: forms without a script are answered with a redirect to their page and its message
ASKED = OWN | {"X-Requested-With": "XMLHttpRequest"}
SAMPLES = ("1", "x", "csv")


@pytest.fixture(scope="module")
def apps(demo_urls, tmp_path_factory):
    built = {
        mode: create_app(
            {
                "database_url": demo_urls["sqlite"],
                "instance_path": tmp_path_factory.mktemp(f"perm-{mode}"),
                "anonymous": mode,
            }
        )
        for mode in ("public", "none")
    }
    yield built
    for app in built.values():
        app.server.extensions["dashboard.jobs"].shutdown()


def undeclared(server: Flask) -> list[str]:
    return sorted(
        r.rule for r in server.url_map.iter_rules() if permissions.required(server, r.endpoint) is None
    )


def routes(server: Flask) -> list[tuple[str, str, Action]]:
    """(method, a URL of the rule, its action) for every rule and method of the app."""
    out = []
    adapter = server.url_map.bind("localhost")
    for rule in server.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append(
                (method, sample_url(adapter, rule, method), permissions.required(server, rule.endpoint))
            )
    return out


def sample_url(adapter, rule, method: str) -> str:
    """A URL that reaches ``rule`` itself, not another (the desk's catch-all would answer anything): each part
    filled with the first sample its converter accepts."""
    names = list(rule._converters)  # noqa: SLF001 - the parts of the rule
    for values in itertools.product(SAMPLES, repeat=len(names)):
        url = rule.rule
        for name, value in zip(names, values, strict=True):
            url = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, url)
        try:
            if adapter.match(url, method=method)[0] == rule.endpoint:
                return url
        except HTTPException:
            continue
    raise AssertionError(f"no sample URL reaches {rule.rule}")


def client_of(app, name: str | None):
    client = app.server.test_client()
    if name is not None:
        signed = client.post("/login", data={"username": name, "password": PASSWORD}, headers=OWN)
        assert signed.status_code == 303, name
    return client


def refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code in (302, 303) and "/login" in response.headers.get("Location", "")


def test_every_route_declares_the_action_it_needs(apps):
    for app in apps.values():
        assert undeclared(app.server) == []


def test_a_route_added_without_a_declaration_is_found_and_refused(apps, demo_urls, tmp_path):
    app = create_app({"database_url": demo_urls["sqlite"], "instance_path": tmp_path})
    app.server.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    assert undeclared(app.server) == ["/forgotten"]
    answer = client_of(app, "admin").get("/forgotten")
    assert answer.status_code == 403 and "secret" not in answer.get_data(as_text=True)
    app.server.extensions["dashboard.jobs"].shutdown()


@pytest.mark.parametrize("mode", ["public", "none"])
def test_a_visitor_is_refused_every_route_that_is_not_open_to_visitors(apps, mode):
    app = apps[mode]
    client = client_of(app, None)
    visitor = ANONYMOUS_ACTIONS if mode == "public" else {Action.OPEN}
    checked = 0
    for method, url, action in routes(app.server):
        if action in visitor:
            continue
        answer = client.open(url, method=method, headers=ASKED)
        assert refused(answer), (method, url, action, answer.status_code)
        checked += 1
    assert checked > 20


@pytest.mark.parametrize("name", sorted(PEOPLE))
def test_each_role_is_refused_every_route_whose_action_it_lacks(apps, name):
    app = apps["public"]
    role = PEOPLE[name][0]
    client = client_of(app, name)
    lacking = [(m, u, a) for m, u, a in routes(app.server) if a not in ROLE_ACTIONS[role]]
    for method, url, action in lacking:
        answer = client.open(url, method=method, headers=ASKED)
        assert answer.status_code == 403, (name, method, url, action, answer.status_code)
    if role != "admin":
        assert lacking, f"{role} lacks nothing: the table gives every role everything"


def test_every_server_callback_declares_the_action_it_needs(apps):
    app = apps["public"]
    server_side = {out: spec for out, spec in app.callback_map.items() if "callback" in spec}
    assert len(server_side) >= 5
    assert {
        out: declared_action(spec["callback"])
        for out, spec in server_side.items()
        if declared_action(spec["callback"]) is None
    } == {}


def test_a_visitor_is_refused_the_callbacks_that_need_rows(apps):
    app = apps["public"]
    client = client_of(app, None)
    rows = [
        out
        for out, spec in app.callback_map.items()
        if declared_action(spec.get("callback")) is Action.READ_ROWS
    ]
    assert rows, "no callback declares rows: the records grid's must"
    for output in rows:
        spec = app.callback_map[output]
        body = {
            "output": output,
            "outputs": [
                {"id": o.split(".")[0], "property": o.split(".")[1]} for o in output.strip(".").split("...")
            ]
            if output.startswith("..")
            else {"id": output.split(".")[0], "property": output.split(".")[1]},
            "inputs": [{"id": i["id"], "property": i["property"], "value": None} for i in spec["inputs"]],
            "state": [
                {"id": s["id"], "property": s["property"], "value": None} for s in spec.get("state", [])
            ],
            "changedPropIds": [],
        }
        answer = client.post("/_dash-update-component", json=body, headers=ASKED)
        assert answer.status_code == 401, (output, answer.status_code, answer.get_data(as_text=True)[:200])

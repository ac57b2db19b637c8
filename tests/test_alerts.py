"""Warnings (预警, data/alerts.py) on both engines: the rules raise what they should on a district's own store
filled by imports (evaluated at publish, gone with a rollback) and on the demo store with a target set to be
missed; every role reads only its own warnings and the district's, through the API and the command alike; a
threshold that is not a number is refused with a Chinese message and changes nothing."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import PEOPLE, assert_one_line_error, client_as, run_cli
from org_support import DEPARTMENTS, TOWNSHIPS, command_line, fill, register_file
from sqlalchemy import and_

from dashboard import create_app
from data import alert_rules, alerts, facts, kiosk, supervision_changes, targets
from data.access import ANONYMOUS, OPERATOR
from data.accounts.audit import audit_events
from data.catalog import load
from data.catalog_sql import condition_expr
from data.engine import open_engine
from data.registers import MATTER_TYPES
from data.schema import OPEN_ROWS, REGISTERS
from data.schema_alerts import alert_rule_setting
from data.store import begin_write
from data.supervision import Who
from layouts.paths import ALERT_RULES_PATH
from layouts.screens import ALERT_ROWS, BY_NAME

ROWS_2025 = [
    ("J25-1", date(2025, 1, 5), "区司法局", "城关街道", True),
    ("J25-2", date(2025, 2, 6), "区司法局", "城关街道", True),
    ("J25-3", date(2025, 2, 7), "区司法局", "青山镇", False),
    ("J25-4", date(2025, 1, 8), "区信访局", "青山镇", True),
    ("J25-5", date(2025, 2, 9), "区信访局", "青山镇", True),
    ("J25-6", date(2025, 12, 9), "区信访局", "城关街道", True),
]
# January and February of 2026, every dispute unresolved: 同比 falls against the same months of 2025
ROWS_2026 = [
    ("J26-1", date(2026, 1, 5), "区司法局", "城关街道", False),
    ("J26-2", date(2026, 2, 6), "区信访局", "青山镇", False),
]


@pytest.fixture
def district(empty_url, monkeypatch, capsys):
    invoke = command_line(empty_url, monkeypatch, capsys, stderr=True)
    invoke("init")
    engine = open_engine(empty_url)
    yield invoke, engine
    engine.dispose()


def publish(invoke, template, out, rows) -> int:
    register_file(template, out, rows)
    batch = int(invoke("import", out).strip().splitlines()[-1])
    return int(re.search(r"已发布为版本 (\d+)", invoke("batch", "publish", batch))[1])


def found(engine, year: int, scope=OPERATOR, **unit) -> set[tuple[str, str, str, str | None]]:
    return {
        (a.rule_id, a.indicator_code, a.unit_kind, a.unit_code)
        for a in alerts.alerts_for(engine, scope, year, **unit)
    }


def test_an_empty_store_warns_when_its_imported_data_is_published(district, tmp_path):
    invoke, engine = district
    assert alerts.alerts_for(engine, OPERATOR, 2025) == []
    assert "共 0 条" in invoke("alert", "evaluate")
    assert "没有数据" in invoke("alert", "list", "--year", 2025, ok=2)
    app = create_app(
        {"database_url": engine.url.render_as_string(hide_password=False), "instance_path": tmp_path}
    )
    empty = app.server.test_client().get("/api/v1/alerts?year=2025")
    assert empty.status_code == 400 and "没有数据" in empty.get_json()["error"]
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()
    invoke("org", "template", "-o", tmp_path / "org-t.xlsx")
    invoke("org", "import", fill(tmp_path / "org-t.xlsx", tmp_path / "org.xlsx", DEPARTMENTS, TOWNSHIPS))
    invoke("template", "dispute_case", "-o", tmp_path / "t.xlsx")
    invoke("target", "set", "mediation_success_rate", "--year", 2025, "--value", 90)
    publish(invoke, tmp_path / "t.xlsx", tmp_path / "2025.xlsx", ROWS_2025)
    # evaluated by the publish itself: 5 of 6 (83.33%) misses 90%; 司法局 2 of 3 and 青山镇 2 of 3 too
    raised = found(engine, 2025)
    missed = {(kind, unit) for rule, code, kind, unit in raised if rule == "target_missed"}
    assert missed == {("district", None), ("department", "SFJ"), ("township", "qingshan")}
    (district_one,) = [
        a
        for a in alerts.alerts_for(engine, OPERATOR, 2025)
        if a.rule_id == "target_missed" and not a.unit_code
    ]
    assert district_one.level == "红" and district_one.numbers["target"] == 90
    assert district_one.numbers["value"] == 83.33 and district_one.since == date.today()
    assert "83.33%" in district_one.message and "90.00%" in district_one.message
    # two members are too few to name a last one, until an admin lowers the threshold
    assert not [r for r in raised if r[0] == "last_place"]
    out = invoke("alert", "set", "last_place", "--threshold", 2)
    assert "阈值 2个单位" in out
    last = {(code, unit) for rule, code, kind, unit in found(engine, 2025) if rule == "last_place"}
    assert last == {
        ("mediation_success_rate", "SFJ"),
        ("disputes_resolved", "SFJ"),
        ("mediation_success_rate", "qingshan"),
        ("disputes_resolved", "qingshan"),
    }
    # a year in progress: both its months against the same months of 2025, whose 4 resolved fell to none
    version = publish(invoke, tmp_path / "t.xlsx", tmp_path / "2026.xlsx", ROWS_2026)
    worse = {(rule, code) for rule, code, kind, unit in found(engine, 2026) if kind == "district"}
    assert {("yoy_worse", "disputes_resolved"), ("yoy_rate_worse", "mediation_success_rate")} <= worse
    # a rollback takes the year and its warnings away again
    invoke("version", "rollback", version)
    assert found(engine, 2026) == set()
    assert found(engine, 2025)


def test_a_target_set_to_be_missed_on_the_demo_store_is_red(app):
    engine = app.server.extensions["dashboard.engine"]
    before = found(engine, 2024)
    assert ("target_missed", "mediation_success_rate", "district", None) not in before
    with begin_write(engine) as conn:
        targets.set_target(conn, "mediation_success_rate", 2024, 99.9)  # evaluates the year again
    after = found(engine, 2024)
    assert after - before >= {("target_missed", "mediation_success_rate", "district", None)}
    with begin_write(engine) as conn:
        targets.unset_target(conn, "mediation_success_rate", 2024)
    assert found(engine, 2024) == before
    # a rule's overdue requests in the demo's last year: the district's count is its units' sum
    overdue = [a for a in alerts.alerts_for(engine, OPERATOR, 2025) if a.rule_id == "hotline_overdue"]
    district_total = sum(a.numbers["overdue"] for a in overdue if a.unit_kind == "district")
    assert district_total > 0
    assert district_total >= sum(a.numbers["overdue"] for a in overdue if a.unit_kind == "department")


# who reads whose: the units a reader's list may hold besides the district
OWN_UNITS = {
    "admin": None,
    "leader": None,
    "market": {("department", "SCJGJ")},
    "justice": {("department", "SFJ")},
    "police": {("department", "GAFJ")},
    "qingshan": {("township", "qingshan")},
    "clerk": {("department", "SCJGJ")},
    None: set(),
}


def test_every_role_reads_the_districts_warnings_and_its_own_through_the_api(app):
    engine = app.server.extensions["dashboard.engine"]
    every = alerts.alerts_for(engine, OPERATOR, 2025)
    assert {a.unit_kind for a in every} == {"district", "department", "township"}
    for name, own in OWN_UNITS.items():
        client = client_as(app, name)
        body = client.get("/api/v1/alerts?year=2025").get_json()
        units = {(a["unit_kind"], a["unit_code"]) for a in body["alerts"]}
        if own is None:
            assert len(body["alerts"]) == len(every), name
            continue
        assert units - {("district", None)} <= own, name
        expected = [a for a in every if a.unit_kind == "district" or (a.unit_kind, a.unit_code) in own]
        if name is None:  # a visitor, as a kiosk link: public indicators only
            expected = [a for a in expected if alerts_public(a)]
        assert len(body["alerts"]) == len(expected), name
        assert {a["level"] for a in body["alerts"]} <= {"红", "黄"}
    # a unit named: only its warnings, and only for readers who may read them
    leader = client_as(app, "leader")
    sfj = leader.get("/api/v1/alerts?year=2025&department=SFJ").get_json()["alerts"]
    assert sfj and {a["unit_code"] for a in sfj} == {"SFJ"}
    justice = client_as(app, "justice")
    assert justice.get("/api/v1/alerts?year=2025&department=SFJ").get_json()["alerts"] == sfj
    refused = justice.get("/api/v1/alerts?year=2025&department=SCJGJ")
    assert refused.status_code == 403 and "本单位" in refused.get_json()["error"]
    for query, parameter in (
        ("year=abc", "year"),
        ("year=1999", "year"),
        ("year=2025&department=NOPE", "department"),
        ("year=2025&department=SFJ,GAFJ", "department"),
        ("year=2025&colour=red", "colour"),
    ):
        resp = leader.get(f"/api/v1/alerts?{query}")
        assert resp.status_code == 400 and resp.get_json()["parameter"] == parameter, query
    assert "/api/v1/alerts" in leader.get("/api/v1/openapi.json").get_json()["paths"]


def alerts_public(a: alerts.Alert) -> bool:
    return load()[a.indicator_code].visibility == "public"


def test_the_command_lists_a_readers_warnings_and_refuses_a_bad_threshold(app):
    url = str(app.server.extensions["dashboard.engine"].url.render_as_string(hide_password=False))
    env = {"DATABASE_URL": url}
    engine = app.server.extensions["dashboard.engine"]
    proc = run_cli("alert", "list", "--year", "2025", "--as", "justice", env=env)
    assert proc.returncode == 0, proc.stderr
    units = {line.split()[1] for line in proc.stdout.splitlines()[1:-1]}
    assert units <= {"全区", "区司法局"} and "区司法局" in units
    mine = [a for a in alerts.alerts_for(engine, OPERATOR, 2025) if a.unit_code in (None, "SFJ")]
    assert f"共 {len(mine)} 条" in proc.stdout
    assert_one_line_error(
        run_cli("alert", "list", "--year", "2025", "--department", "SCJGJ", "--as", "justice", env=env),
        "本单位",
    )
    assert_one_line_error(run_cli("alert", "list", "--year", "2025", "--as", "nobody", env=env), "没有用户")
    assert_one_line_error(run_cli("alert", "list", "--year", "1999", env=env), "没有数据")
    before = alerts.alerts_for(engine, OPERATOR, 2025)
    for bad, fragment in (("abc", "应为数字"), ("nan", "应为数字"), ("-5", "之间"), ("1e9", "之间")):
        assert_one_line_error(run_cli("alert", "set", "yoy_worse", "--threshold", bad, env=env), fragment)
    assert_one_line_error(run_cli("alert", "set", "no_such_rule", "--threshold", "5", env=env), "没有编号")
    with engine.connect() as conn:
        assert conn.execute(alert_rule_setting.select()).first() is None
    assert alerts.alerts_for(engine, OPERATOR, 2025) == before


def test_the_rules_file_is_checked_and_a_threshold_is_parsed_strictly():
    rules = alert_rules.declared()
    assert {r.kind for r in rules.values()} == set(alert_rules.KINDS)
    rule = rules["yoy_worse"]
    assert alert_rules.parse_threshold(rule, " 25 ") == 25
    for bad in ("abc", "", None, "inf", "1e999", "-1"):
        with pytest.raises(alert_rules.RuleError):
            alert_rules.parse_threshold(rule, bad)
    assert alerts.alerts_in.__doc__ and ANONYMOUS.role is None
    assert set(PEOPLE) <= set(OWN_UNITS)


OWN = {"Origin": "http://localhost"}


def test_an_admin_changes_a_rule_on_its_page_and_a_bad_threshold_is_a_chinese_400(app):
    engine = app.server.extensions["dashboard.engine"]
    admin = client_as(app, "admin")
    page = admin.get(ALERT_RULES_PATH)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for rule in alert_rules.declared().values():
        assert f'data-rule="{rule.id}"' in text and rule.name in text
    before = alerts.alerts_for(engine, OPERATOR, 2025)
    for threshold, level, fragment in (
        ("abc", "黄", "应为数字"),
        ("", "黄", "应为数字"),
        ("5000", "黄", "之间"),
        ("20", "紫", "红”或“黄"),
    ):
        resp = admin.post(
            ALERT_RULES_PATH, data={"rule": "yoy_worse", "threshold": threshold, "level": level}, headers=OWN
        )
        assert resp.status_code == 400 and fragment in resp.get_data(as_text=True), threshold
    resp = admin.post(ALERT_RULES_PATH, data={"rule": "nope", "threshold": "5", "level": "红"}, headers=OWN)
    assert resp.status_code == 400 and "没有编号" in resp.get_data(as_text=True)
    assert alerts.alerts_for(engine, OPERATOR, 2025) == before
    # a lower threshold, red: more warnings, every one of them red, at once
    resp = admin.post(
        ALERT_RULES_PATH, data={"rule": "yoy_worse", "threshold": "5", "level": "红"}, headers=OWN
    )
    assert resp.status_code == 303
    shown = admin.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已修改“同比明显变差”" in shown
    now = [a for a in alerts.alerts_for(engine, OPERATOR, 2025) if a.rule_id == "yoy_worse"]
    was = [a for a in before if a.rule_id == "yoy_worse"]
    assert len(now) > len(was) and {a.level for a in now} == {"红"}
    with engine.connect() as conn:
        assert [e.subject for e in audit_events(conn) if e.event == "alert_rule_set"] == ["yoy_worse"]
    # only admins
    leader = client_as(app, "leader")
    assert leader.get(ALERT_RULES_PATH).status_code == 403
    refused = leader.post(
        ALERT_RULES_PATH, data={"rule": "yoy_worse", "threshold": "1", "level": "红"}, headers=OWN
    )
    assert refused.status_code == 403


def test_an_overdue_follow_up_heads_the_leaders_warning_panel_and_never_a_kiosk_links(app):
    """Overdue 督办 are red lines before the warnings on a signed-in leader's wall, saying the indicator, the unit
    and how late, never the request's text; a kiosk link's wall (a visitor's) lists none."""
    engine = app.server.extensions["dashboard.engine"]
    with begin_write(engine) as conn:
        _, token = kiosk.create_link(conn, "大厅", screens=["alerts"], year=2025)
        supervision_changes.create(
            conn,
            Who(None, OPERATOR),
            "disputes_mediated",
            "department",
            "SFJ",
            date(2026, 1, 10),
            "请说明调处数下降的原因（内部）",
            today=date(2026, 1, 1),
        )
    index = [p.kind for p in BY_NAME["alerts"].panels].index("alerts")
    panel = client_as(app, "leader").get("/screen/data?screen=alerts&year=2025").get_json()["panels"][index]
    first = panel["rows"][0]
    late = (date.today() - date(2026, 1, 10)).days
    assert first["level"] == "红" and first["unit"] == "区司法局"
    assert first["text"] == f"督办逾期 {late} 天：各级调委会和矛调中心调处纠纷（2026年1月10日截止）"
    assert not any("内部" in r["text"] for r in panel["rows"])
    wall = app.server.test_client().get(f"/screen/data?screen=alerts&kiosk={token}").get_json()
    assert not any(r["text"].startswith("督办") for r in wall["panels"][index]["rows"])


def test_the_walls_warning_panel_lists_red_first_and_a_kiosk_link_only_the_districts_public_ones(app):
    engine = app.server.extensions["dashboard.engine"]
    with begin_write(engine) as conn:
        _, token = kiosk.create_link(conn, "大厅", screens=["alerts"], year=2025)
    index = [p.kind for p in BY_NAME["alerts"].panels].index("alerts")
    leader = client_as(app, "leader").get("/screen/data?screen=alerts&year=2025").get_json()
    rows = leader["panels"][index]["rows"]
    every = alerts.alerts_for(engine, OPERATOR, 2025)
    assert len(rows) == min(len(every), ALERT_ROWS)
    levels = [r["level"] for r in rows]
    assert levels == sorted(levels, key=["红", "黄"].index) and "红" in levels and "黄" in levels
    assert {r["colour"] for r in rows} == {"red", "amber"}
    assert {r["unit"] for r in rows} - {"全区"}, "a leader's wall lists the units' warnings too"
    wall = app.server.test_client().get(f"/screen/data?screen=alerts&kiosk={token}").get_json()
    shown = wall["panels"][index]["rows"]
    public = [a for a in every if a.unit_kind == "district" and alerts_public(a)]
    assert [r["text"] for r in shown] == [a.message for a in public][:ALERT_ROWS]
    assert shown and {r["unit"] for r in shown} == {"全区"}
    # the panel can go on any screen: it is a declared kind the wall draws
    assert "alerts" in (Path(__file__).parents[1] / "dashboard/static/screen.js").read_text(encoding="utf-8")


def test_a_reconsideration_open_past_its_legal_limit_is_red_for_the_district_and_its_respondent(app):
    engine = app.server.extensions["dashboard.engine"]
    table = REGISTERS["reconsideration_application"]
    case = {
        "matter_type": MATTER_TYPES[0],
        "accepted": True,
        "outcome": "审理中",
        "closed_on": None,
        "department_code": "SFJ",
        "township_code": "qingshan",
        "year": 2025,
    }
    with begin_write(engine) as conn:
        conn.execute(
            table.insert(),
            [  # open for 276 days at the data date (2025-12-31), open for 59 days, closed late but closed
                {**case, "register_no": "FY-OPEN", "occurred_on": date(2025, 3, 30), "month": 3},
                {**case, "register_no": "FY-NEW", "occurred_on": date(2025, 11, 2), "month": 11},
                {
                    **case,
                    "register_no": "FY-DONE",
                    "occurred_on": date(2025, 3, 1),
                    "month": 3,
                    "closed_on": date(2025, 9, 1),
                },
            ],
        )
        facts.refresh(conn, ["reconsideration_application"], years=[2025])
        alerts.evaluate(conn, [2025])
    raised = [a for a in alerts.alerts_for(engine, OPERATOR, 2025) if a.rule_id == "reconsideration_overdue"]
    assert {(a.unit_kind, a.unit_code, a.numbers["overdue"]) for a in raised} == {
        ("district", None, 1),
        ("department", "SFJ", 1),
        ("township", "qingshan", 1),
    }
    assert all(a.level == "红" and "行政复议超过法定期限1件" in a.message for a in raised)
    assert raised[0].numbers == {"overdue": 1, "limit_days": 60, "as_of": "2025-12-31"}


def test_every_overdue_rule_reads_its_registers_open_rows_through_their_partial_index():
    from sqlalchemy.dialects import postgresql, sqlite

    for rule in alert_rules.declared().values():
        if rule.kind != "overdue":
            continue
        table = REGISTERS[rule.register]
        ind = load()[rule.indicators[0]]
        wanted = and_(condition_expr(table, ind.condition), condition_expr(table, rule.open_when))
        index = OPEN_ROWS[rule.register]
        for dialect in (postgresql.dialect(), sqlite.dialect()):
            ours = str(wanted.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
            theirs = index.dialect_options[dialect.name]["where"]
            theirs = str(theirs.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
            assert ours == theirs, (rule.id, dialect.name)

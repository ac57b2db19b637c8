"""Targets by year and unit (data/targets.py, `dashboard target`) on a district's own store, on both engines:
the catalog's target is the default, a year's district target replaces it, a unit's own target applies to that
unit's figures; bad input is one Chinese line, exit 2, nothing changed."""

from __future__ import annotations

import pytest
from org_support import DEPARTMENTS, TOWNSHIPS, fill, in_process

from dashboard import create_app
from data import targets
from data.access import OPERATOR
from data.accounts.audit import audit_events
from data.catalog import load
from data.engine import open_engine
from data.queries.figures import figures
from data.queries.filters import Filters
from data.schema import calendar


@pytest.fixture
def cli(empty_url, monkeypatch, capsys):
    return in_process(empty_url, monkeypatch, capsys)


@pytest.fixture
def district(cli, tmp_path):
    cli("org", "template", "-o", str(tmp_path / "t.xlsx"))
    fill(tmp_path / "t.xlsx", tmp_path / "org.xlsx", DEPARTMENTS, TOWNSHIPS)
    assert cli("org", "import", str(tmp_path / "org.xlsx"))[0] == 0
    engine = open_engine(cli.url)
    with engine.begin() as conn:  # years with data, as a publish leaves them (data/years.py)
        conn.execute(calendar.insert(), [{"year": 2025, "month": 12}, {"year": 2026, "month": 2}])
    yield cli, engine
    engine.dispose()


def target_of(engine, code: str, year: int, **filters) -> float | None:
    with engine.connect() as conn:
        return figures(conn, Filters(year, scope=OPERATOR, **filters), codes=[code])[0].target


def test_a_year_and_a_unit_have_their_own_targets(district, tmp_path):
    cli, engine = district
    assert target_of(engine, "complaints", 2026) == 0  # the catalog's
    assert target_of(engine, "disputes_mediated", 2026) is None
    assert cli("target", "set", "disputes_mediated", "--year", "2026", "--value", "120")[0] == 0
    code, text, _ = cli(
        "target", "set", "disputes_mediated", "--year", "2026", "--value", "80", "--department", "SFJ"
    )
    assert code == 0 and "区司法局的目标值：80件" in text
    cli("target", "set", "disputes_mediated", "--year", "2026", "--value", "30", "--township", "qingshan")
    cli("target", "set", "mediation_success_rate", "--year", "2025", "--value", "99.5")
    assert target_of(engine, "disputes_mediated", 2026) == 120
    assert target_of(engine, "disputes_mediated", 2026, departments=("SFJ",)) == 80
    assert target_of(engine, "disputes_mediated", 2026, townships=("qingshan",)) == 30
    # a unit without its own target, or several units: the district's
    assert target_of(engine, "disputes_mediated", 2026, departments=("XFJ",)) == 120
    assert target_of(engine, "disputes_mediated", 2026, departments=("SFJ", "XFJ")) == 120
    assert target_of(engine, "disputes_mediated", 2025) is None
    assert target_of(engine, "mediation_success_rate", 2025) == 99.5
    # replacing keeps one value; the listing says whose it is
    cli("target", "set", "disputes_mediated", "--year", "2026", "--value", "125")
    code, text, _ = cli("target", "list", "--year", "2026")
    assert code == 0
    lines = text.strip().splitlines()
    assert len(lines) == 4 and "125件" in lines[1] and "全区" in lines[1] and "区司法局" in lines[2]
    assert "99.5%" in cli("target", "list")[1]
    # the API carries the year's target, the unit's where the filter names one unit
    app = create_app({"database_url": cli.url, "instance_path": tmp_path / "instance"})
    client = app.server.test_client()
    for query, want in (("year=2026", 125), ("year=2026&department=SFJ", 80), ("year=2025", None)):
        values = {v["code"]: v for v in client.get(f"/api/v1/values?{query}").get_json()["values"]}
        assert values["disputes_mediated"]["target"] == want, query
        assert values["complaints"]["target"] == 0
    # unset: the catalog's default applies again
    code, text, _ = cli("target", "unset", "disputes_mediated", "--year", "2026")
    assert code == 0 and "125" in text
    assert target_of(engine, "disputes_mediated", 2026) is None
    assert target_of(engine, "disputes_mediated", 2026, departments=("SFJ",)) == 80
    with engine.connect() as conn:
        done = [(e.event, e.subject, e.detail.get("year")) for e in audit_events(conn)]
    assert done[0] == ("target_unset", "disputes_mediated", 2026)
    assert sum(e == "target_set" for e, _, _ in done) == 5


BAD = [
    (("nope", "--year", "2026", "--value", "1"), "没有代码为 nope 的指标"),
    (("disputes_mediated", "--year", "2026", "--value", "很多"), "应为数字"),
    (("disputes_mediated", "--year", "2026", "--value", "nan"), "应为数字"),
    (("mediation_success_rate", "--year", "2026", "--value", "100.5"), "目标值应在 0 到 100 之间"),
    (("legality_review_coverage", "--year", "2026", "--value", "101"), "目标值应在 0 到 100 之间"),
    (("disputes_mediated", "--year", "2026", "--value", "-3"), "不能为负数"),
    (("disputes_mediated", "--year", "1800", "--value", "3"), "年度 1800 超出范围"),
    (("disputes_mediated", "--year", "二〇二六", "--value", "3"), "应为整数"),
    (
        ("disputes_mediated", "--year", "2026", "--value", "3", "--department", "qingshan"),
        "没有代码为 qingshan 的部门",
    ),
    (
        ("disputes_mediated", "--year", "2026", "--value", "3", "--township", "NOPE"),
        "没有代码为 NOPE 的乡镇",
    ),
]


def test_bad_targets_are_refused_and_change_nothing(district):
    cli, engine = district
    for args, fragment in BAD:
        code, out, err = cli("target", "set", *args)
        assert code == 2 and out == "", args
        assert err.startswith("错误：") and fragment in err, (args, err)
    with engine.connect() as conn:
        assert targets.list_targets(conn) == []
        assert not [e for e in audit_events(conn) if e.event.startswith("target")]


def test_unsetting_a_target_never_set_is_refused(district):
    cli, _ = district
    code, _, err = cli("target", "unset", "disputes_mediated", "--year", "2026", "--department", "SFJ")
    assert code == 2 and "2026 年没有为“各级调委会和矛调中心调处纠纷”设置SFJ 的目标" in err
    assert load()["disputes_mediated"].target is None

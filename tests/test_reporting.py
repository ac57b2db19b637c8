"""The reporting rhythm (data/reporting.py, `dashboard reporting`): duties, their refusals, the default due day
from DASHBOARD_REPORT_DAY, and a month's status for 12 registers × 250 units answered in well under a second."""

from __future__ import annotations

import time
from datetime import date

import pytest
from org_support import fill, in_process
from sqlalchemy import insert

from dashboard.config import ConfigError, from_env
from data import reporting
from data.engine import open_engine
from data.registers import REGISTERS
from data.schema import department, township
from data.schema_district import report_duty


@pytest.fixture
def cli(empty_url, monkeypatch, capsys):
    return in_process(empty_url, monkeypatch, capsys)


def test_duties_are_set_listed_and_refused_with_reasons(cli, tmp_path, monkeypatch):
    cli("org", "template", "-o", str(tmp_path / "t.xlsx"))
    fill(
        tmp_path / "t.xlsx",
        tmp_path / "o.xlsx",
        [["SFJ", "区司法局", "", 1]],
        [["qingshan", "青山镇", "镇", 1]],
    )
    cli("org", "import", str(tmp_path / "o.xlsx"))
    assert "还没有报送责任" in cli("reporting", "status", "--month", "2026-02")[1]
    code, text, _ = cli("reporting", "duty", "set", "SFJ", "dispute_case", "hotline_request", "--day", "5")
    assert code == 0 and text.splitlines() == [
        "区司法局每月报送“矛盾纠纷调处登记”，次月 5 日前",
        "区司法局每月报送“12345热线诉求登记”，次月 5 日前",
    ]
    monkeypatch.setenv("DASHBOARD_REPORT_DAY", "15")
    assert "次月 15 日前" in cli("reporting", "duty", "set", "qingshan", "dispute_case")[1]
    listing = cli("reporting", "duty", "list")[1]
    assert listing.count("次月 5 日") == 2 and "次月 15 日" in listing
    status = cli("reporting", "status", "--month", "2026-12")[1].splitlines()
    assert "2027年1月5日" in status[1] and "2027年1月15日" in status[3]
    for args, fragment in [
        (("duty", "set", "NOPE", "dispute_case"), "没有代码为 NOPE"),
        (("duty", "set", "SFJ", "ledger"), "没有名为 ledger 的登记簿"),
        (("duty", "set", "SFJ", "dispute_case", "--day", "31"), "报送日应为 1 到 28"),
        (("duty", "unset", "qingshan", "hotline_request"), "没有报送 hotline_request 的责任"),
        (("status", "--month", "2026-13"), "应为月份 YYYY-MM"),
        (("status", "--month", "1800-01"), "应为月份 YYYY-MM"),
    ]:
        code, _, err = cli("reporting", *args)
        assert code == 2 and fragment in err, (args, err)
    assert cli("reporting", "duty", "unset", "SFJ", "hotline_request")[0] == 0
    assert cli("reporting", "duty", "list")[1].count("区司法局") == 1
    monkeypatch.setenv("DASHBOARD_REPORT_DAY", "30")
    code, _, err = cli("reporting", "duty", "list")
    assert code == 2 and "DASHBOARD_REPORT_DAY 应为 1 到 28 之间的整数" in err
    with pytest.raises(ConfigError):
        from_env({"DASHBOARD_REPORT_DAY": "十"})
    assert from_env({}).report_day == 10


def test_due_dates_fall_in_the_following_month():
    assert reporting.due_date(2026, 2, 10) == date(2026, 3, 10)
    assert reporting.due_date(2026, 12, 28) == date(2027, 1, 28)


def test_a_months_status_for_250_units_and_12_registers_is_quick(cli):
    engine = open_engine(cli.url)
    with engine.begin() as conn:
        conn.execute(
            insert(department),
            [{"code": f"D{i}", "name": f"第{i}局", "short_name": f"{i}局", "sort": i} for i in range(200)],
        )
        conn.execute(
            insert(township),
            [{"code": f"t{i}", "name": f"第{i}镇", "kind": "镇", "sort": i} for i in range(50)],
        )
        units = [f"D{i}" for i in range(200)] + [f"t{i}" for i in range(50)]
        conn.execute(
            insert(report_duty),
            [{"unit_code": u, "register": r, "due_day": None} for u in units for r in REGISTERS],
        )
    started = time.perf_counter()
    with engine.connect() as conn:
        rows = reporting.status(conn, 2026, 2)
    took = time.perf_counter() - started
    engine.dispose()
    assert len(rows) == 250 * len(REGISTERS)
    assert all(r.published_at is None for r in rows)
    assert reporting.summary(rows, date(2026, 3, 1)) == "应报 250 个单位，已报 0 个"
    assert took < 1, took

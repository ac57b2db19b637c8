"""The reporting matrix (/data/reporting) on a store that holds only what a district put there, on both engines:
the colours of units × months, the 催报 list, the same verdicts as `dashboard reporting status`, who may see what.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest
from conftest import PASSWORD
from sqlalchemy import insert

from dashboard import create_app
from data import accounts, org, reporting
from data.engine import open_engine
from data.schema import department, import_batch, published_version, township
from data.store import migrate
from layouts.paths import DATA_PATH, REPORTING_PATH

OWN = {"Origin": "http://localhost"}
TODAY = date.today()
YEAR = TODAY.year - 2  # every month of it is long due, whatever the day the tests run


def _publish(conn, register: str, month: int, sent: date, dept=None, town=None, rolled_back=False) -> None:
    first = date(YEAR, month, 1)
    last = reporting.due_date(YEAR, month, 1).replace(day=1).toordinal() - 1
    batch = conn.execute(
        insert(import_batch).values(
            kind="register",
            register=register,
            department_code=dept,
            township_code=town,
            period_start=first,
            period_end=date.fromordinal(last),
            status="published",
            step="",
            progress=0,
            created_at=datetime.now(UTC),
            error_count=0,
        )
    ).inserted_primary_key[0]
    conn.execute(
        insert(published_version).values(
            batch_id=batch,
            published_at=datetime(sent.year, sent.month, sent.day, 4, tzinfo=UTC),
            summary="{}",
            rolled_back_at=datetime.now(UTC) if rolled_back else None,
        )
    )


@pytest.fixture
def app(empty_url, tmp_path):
    engine = open_engine(empty_url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(department),
            [
                {"code": "SFJ", "name": "区司法局", "short_name": "司法局", "sort": 1},
                {"code": "XFJ", "name": "区信访局", "short_name": "信访局", "sort": 2},
            ],
        )
        conn.execute(insert(township).values(code="qingshan", name="青山镇", kind="镇", sort=1))
        for name, role, dept in [
            ("admin", "admin", None),
            ("leader", "leader", None),
            ("justice", "department", "SFJ"),
            ("clerk", "clerk", "SFJ"),
        ]:
            accounts.add_user(conn, name, PASSWORD, role, department=dept)
        reporting.set_duty(conn, "SFJ", "dispute_case", 5)
        reporting.set_duty(conn, "XFJ", "dispute_case")
        reporting.set_duty(conn, "XFJ", "hotline_request")
        reporting.set_duty(conn, "qingshan", "dispute_case")
        _publish(conn, "dispute_case", 1, date(YEAR, 2, 3), dept="SFJ")  # on time (day 5)
        _publish(conn, "dispute_case", 2, date(YEAR, 3, 20), dept="SFJ")  # 15 days late
        _publish(conn, "dispute_case", 4, date(YEAR, 5, 2), dept="SFJ", rolled_back=True)  # not sent
        _publish(conn, "dispute_case", 1, date(YEAR, 2, 9), dept="XFJ")  # on time; its hotline is not sent
        _publish(conn, "dispute_case", 3, date(YEAR, 4, 1))  # the whole district's March: everyone's
        org.end_unit(conn, "qingshan", date(YEAR, 7, 1))
    engine.dispose()
    built = create_app({"database_url": empty_url, "instance_path": tmp_path})
    yield built
    built.server.extensions["dashboard.jobs"].shutdown()
    built.server.extensions["dashboard.engine"].dispose()


def client(app, name: str | None):
    c = app.server.test_client()
    if name:
        resp = c.post("/login", data={"username": name, "password": PASSWORD}, headers=OWN)
        assert resp.status_code == 303
    return c


def states(body: str) -> dict[str, list[str]]:
    """unit code -> the 12 months' states, as the page shows them."""
    return {
        code: re.findall(r'data-state="(\w+)"', row)
        for code, row in re.findall(r'<tr data-unit="(\w+)">(.*?)</tr>', body, re.S)
    }


def test_the_matrix_colours_units_by_month_as_the_status_command_says(app):
    resp = client(app, "leader").get(f"{REPORTING_PATH}?year={YEAR}")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    got = states(body)
    assert list(got) == ["SFJ", "XFJ", "qingshan"]
    assert got["SFJ"] == ["on_time", "late", "on_time"] + ["overdue"] * 9
    # XFJ's January: its dispute register on time, its hotline register never sent: the worst wins
    assert got["XFJ"] == ["overdue"] * 12
    # qingshan ended on 1 July: it owes nothing from July
    assert (
        got["qingshan"] == ["overdue", "overdue", "on_time", "overdue", "overdue", "overdue"] + ["none"] * 6
    )
    text = html.unescape(body)
    assert "矛盾纠纷调处登记：迟报 15 天" in text
    assert "12345热线诉求登记：未报，逾期" in text
    # each cell's lines are the CLI's verdicts for that month
    with app.server.extensions["dashboard.engine"].connect() as conn:
        for s in reporting.status(conn, YEAR, 2, 10):
            assert f"{s.duty.register_label}：{s.verdict(TODAY)}" in text
    # 催报: December's data, that every unit still in force owes and none sent (qingshan ended in July)
    chase = text[text.index('id="chase"') : text.index('id="matrix"')]
    assert f"{YEAR}年12月的数据" in chase
    assert chase.count("<tr><td>") == 3 and "青山镇" not in chase
    late = (TODAY - date(YEAR + 1, 1, 10)).days
    assert f"<td>区信访局</td><td>12345热线诉求登记</td><td>{YEAR + 1}年1月10日</td>" in chase
    assert f"{late} 天" in chase and "区司法局" in chase and f"{YEAR + 1}年1月5日" in chase


def test_a_year_not_yet_due_is_grey_and_has_nothing_to_chase(app):
    body = client(app, "admin").get(f"{REPORTING_PATH}?year={TODAY.year + 2}").get_data(as_text=True)
    got = states(body)
    assert got["SFJ"] == ["pending"] * 12 and got["XFJ"] == ["pending"] * 12
    assert "qingshan" not in got  # ended: it owes nothing that year
    assert f"{TODAY.year + 2}年还没有到期的月份" in body


def test_a_department_head_sees_only_their_row_and_others_are_refused(app):
    body = client(app, "justice").get(f"{REPORTING_PATH}?year={YEAR}").get_data(as_text=True)
    assert list(states(body)) == ["SFJ"] and "区信访局" not in body
    assert "报送情况" in client(app, "justice").get(DATA_PATH).get_data(as_text=True)
    clerk = client(app, "clerk")
    resp = clerk.get(REPORTING_PATH)
    assert resp.status_code == 403 and "无权查看报送情况" in resp.get_data(as_text=True)
    assert REPORTING_PATH not in clerk.get(DATA_PATH).get_data(as_text=True)
    visitor = client(app, None).get(REPORTING_PATH)
    assert visitor.status_code == 303 and "/login" in visitor.headers["Location"]


@pytest.mark.parametrize("year", ["20x4", "1999", "12345", "<b>"])
def test_a_wrong_year_is_refused_in_chinese(app, year):
    resp = client(app, "leader").get(REPORTING_PATH, query_string={"year": year})
    assert resp.status_code == 400 and "年份应为 2000 到 2100 之间的四位数字" in resp.get_data(as_text=True)


def test_no_duties_yet_says_how_to_set_them(empty_url, tmp_path):
    engine = open_engine(empty_url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        accounts.add_user(conn, "leader", PASSWORD, "leader")
    engine.dispose()
    built = create_app({"database_url": empty_url, "instance_path": tmp_path})
    try:
        resp = client(built, "leader").get(REPORTING_PATH)
        assert resp.status_code == 200 and "dashboard reporting duty set" in resp.get_data(as_text=True)
    finally:
        built.server.extensions["dashboard.jobs"].shutdown()
        built.server.extensions["dashboard.engine"].dispose()

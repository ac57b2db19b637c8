"""A real district's first days, on both engines, with only the commands and files a district has: `dashboard
init` (no demo), its organisation from the workbook, the register template filled in Excel, registers for a new
year imported and published, the year in every list, figures by unit adding up, a rename, a merge with its
同比 on comparable scope, and a rollback that takes the year away again."""

from __future__ import annotations

import re
from datetime import date

import pytest
from org_support import (
    DEPARTMENTS,
    ROWS_2025,
    ROWS_2026,
    TOWNSHIPS,
    command_line,
    fill,
    publish,
    register_file,
)

from dashboard import create_app
from data.access import OPERATOR
from data.engine import open_engine
from data.queries.dimensions import dimensions
from data.queries.figures import figures
from data.queries.filters import Filters

CODE = "disputes_mediated"


@pytest.fixture
def district(empty_url, monkeypatch, capsys):
    return command_line(empty_url, monkeypatch, capsys)


def value(url: str, year: int, **filters) -> object:
    engine = open_engine(url)
    with engine.connect() as conn:
        got = {f.code: f for f in figures(conn, Filters(year, scope=OPERATOR, **filters), codes=[CODE])}[CODE]
    engine.dispose()
    return got


def test_from_an_empty_store_to_published_figures_of_the_districts_own_units(district, empty_url, tmp_path):
    district("init")
    engine = open_engine(empty_url)
    with engine.connect() as conn:
        assert dimensions(conn).years == []
    # The organisation, from the workbook the district fills in.
    district("org", "template", "-o", tmp_path / "组织机构模板.xlsx")
    org_file = fill(tmp_path / "组织机构模板.xlsx", tmp_path / "组织机构.xlsx", DEPARTMENTS, TOWNSHIPS)
    assert "已新增 6 个单位" in district("org", "import", org_file)
    district("district", "--name", "新建区")
    # A register template that offers the district's own units, filled and published for two years.
    district("template", "dispute_case", "-o", tmp_path / "纠纷模板.xlsx")
    publish(district, tmp_path / "纠纷模板.xlsx", tmp_path / "纠纷2025.xlsx", ROWS_2025)
    with engine.connect() as conn:
        assert dimensions(conn).years == [2025]
    version_2026 = publish(district, tmp_path / "纠纷模板.xlsx", tmp_path / "纠纷2026.xlsx", ROWS_2026)
    with engine.connect() as conn:
        dims = dimensions(conn)
    assert dims.years == [2025, 2026]
    assert [d["code"] for d in dims.departments] == ["SFJ", "XFJ", "GAFJ", "_none"]

    # The year is in the API's lists and values, and the page opens on it.
    app = create_app({"database_url": empty_url, "instance_path": tmp_path / "instance"})
    client = app.server.test_client()
    assert client.get("/api/v1/dimensions").get_json()["years"] == [2025, 2026]
    values = client.get("/api/v1/values?year=2026").get_json()["values"]
    assert {v["code"]: v for v in values}[CODE]["value"] == 6
    assert {v["code"]: v for v in values}[CODE]["previous"] == 5

    # Figures by unit add up to the district's, by department and by township.
    total = value(empty_url, 2026)
    assert (total.value, total.previous) == (6, 5)
    assert sum(value(empty_url, 2026, departments=(d["code"],)).value for d in dims.departments) == 6
    assert sum(value(empty_url, 2026, townships=(t["code"],)).value for t in dims.townships) == 6
    assert value(empty_url, 2026, departments=("SFJ",)).value == 4

    # A rename by code changes no figure.
    renamed = [["SFJ", "区司法行政局", "司法行政局", 1], *DEPARTMENTS[1:]]
    fill(tmp_path / "组织机构模板.xlsx", tmp_path / "改名.xlsx", renamed, TOWNSHIPS)
    assert "区司法局 → 区司法行政局" in district("org", "import", tmp_path / "改名.xlsx")
    assert value(empty_url, 2026) == total
    assert value(empty_url, 2026, departments=("SFJ",)).value == 4

    # A merge: totals are the same; the new unit's 同比 counts the old unit's rows of 2025 (可比口径), the old
    # unit's rows stay its own.
    before = {year: value(empty_url, year) for year in (2025, 2026)}
    sfj_2025 = value(empty_url, 2025, departments=("SFJ",)).value
    district("org", "merge", "XFJ", "SFJ", "--on", "2026-03-01")
    assert {year: value(empty_url, year) for year in (2025, 2026)} == before
    sfj = value(empty_url, 2026, departments=("SFJ",))
    assert (sfj_2025, sfj.value, sfj.previous) == (3, 4, 5)
    assert sfj.yoy_pct == -20.0
    xfj = value(empty_url, 2026, departments=("XFJ",))
    assert (xfj.value, xfj.previous) == (1, 2)
    assert (sfj.compared_with, xfj.compared_with, value(empty_url, 2026).compared_with) == (
        "含原区信访局",
        None,
        None,
    )
    api = {v["code"]: v for v in client.get("/api/v1/values?year=2026&department=SFJ").get_json()["values"]}
    assert (api[CODE]["previous"], api[CODE]["compared_with"]) == (5, "含原区信访局")
    # a figure not split by department shows the district's, with nothing to say about predecessors
    assert api["criminal_alerts"]["compared_with"] is None
    with engine.connect() as conn:
        # The old unit stays in the lists: its history is visible.
        assert "XFJ" in dimensions(conn).department_codes()

    # After the merger, rows of the old unit dated from the merger on are refused (an old template still offers
    # it); its earlier rows are still its own.
    late = [
        ("J26-8", date(2026, 2, 20), "区信访局", "青山镇", True),
        ("J26-9", date(2026, 3, 5), "区信访局", "青山镇", True),
    ]
    register_file(tmp_path / "纠纷模板.xlsx", tmp_path / "迟到.xlsx", late)
    refused = district("import", tmp_path / "迟到.xlsx", ok=1)
    assert (
        "第3行“承办单位”列：“区信访局”已于2026年3月1日并入区司法行政局，此后的登记不能再记在它名下" in refused
    )
    assert "第2行" not in refused

    # Targets for the year, and the justice bureau's own.
    district("target", "set", CODE, "--year", 2026, "--value", 10)
    district("target", "set", CODE, "--year", 2026, "--value", 5, "--department", "SFJ")
    assert value(empty_url, 2026).target == 10
    assert value(empty_url, 2026, departments=("SFJ",)).target == 5
    assert value(empty_url, 2026, departments=("GAFJ",)).target == 10
    assert value(empty_url, 2025).target is None
    assert {v["code"]: v for v in client.get("/api/v1/values?year=2026&department=SFJ").get_json()["values"]}[
        CODE
    ]["target"] == 5

    # The reporting rhythm: who owes what, who sent it. February's register came in the district's batch;
    # March's from the justice bureau itself; the police never sent theirs. The merged unit owes nothing after
    # its merger.
    district("reporting", "duty", "set", "SFJ", "dispute_case")
    district("reporting", "duty", "set", "XFJ", "dispute_case")
    district("reporting", "duty", "set", "GAFJ", "police_incident", "--day", 5)
    march = [("J26-7", date(2026, 3, 3), "区司法行政局", "城关街道", True)]
    publish(district, tmp_path / "纠纷模板.xlsx", tmp_path / "纠纷3月.xlsx", march, "--department", "SFJ")
    february = district("reporting", "status", "--month", "2026-02").splitlines()
    sfj, xfj, police = (next(line for line in february if line.startswith(c)) for c in ("SFJ", "XFJ", "GAFJ"))
    assert "（全区批次）" in sfj and "（全区批次）" in xfj
    assert "2026年3月5日" in police and "未报" in police
    assert february[-1].startswith("2026年2月：应报 3 个单位，已报 2 个")
    third = district("reporting", "status", "--month", "2026-03").splitlines()
    assert [line.split()[0] for line in third[1:-1]] == ["SFJ", "GAFJ"]
    assert "全区批次" not in third[1] and "未报" not in third[1]
    assert third[-1].startswith("2026年3月：应报 2 个单位，已报 1 个")
    assert value(empty_url, 2026).value == 7

    # Rolling back the 2026 versions takes the year away again; the page opens on 2025.
    district("version", "rollback", version_2026)  # and the later one of March
    with engine.connect() as conn:
        assert dimensions(conn).years == [2025]
    answer = client.get("/api/v1/values?year=2026")
    assert answer.status_code == 400 and "2026" in answer.get_json()["error"]
    engine.dispose()


def test_a_year_of_reported_figures_only_comes_and_goes_with_them(district, empty_url):
    district("init")
    batch = int(
        district("figure", "set", "legality_review_coverage", "--year", 2027, "--value", 98).split()[-1]
    )
    engine = open_engine(empty_url)
    with engine.connect() as conn:
        assert dimensions(conn).years == []  # staged, not published
    version = int(re.search(r"已发布为版本 (\d+)", district("batch", "publish", batch))[1])
    with engine.connect() as conn:
        assert dimensions(conn).years == [2027]
    assert value(empty_url, 2027).value == 0  # a year held counts as zero where no row matched
    district("version", "rollback", version)
    with engine.connect() as conn:
        assert dimensions(conn).years == []
    engine.dispose()

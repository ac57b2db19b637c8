"""Real data in, end to end, on both engines: a department's file checked, staged with a preview of what it would
change, published in one transaction, rejected, rolled back; reported figures through the same review; who may
do what; and the same at the command line.

Every test works on its own copy of a small demo store (scale 0.02), built once per engine for the module, so
tests publish and roll back freely. Expected numbers are counted from the register tables with SQL, never
taken from the code under test. The files (dispute registers unless said) are written by hand: CSV in UTF-8,
UTF-8 with a BOM and GB18030, and .xlsx by openpyxl.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from conftest import ENGINES, PerEngine, new_store_url
from import_support import (
    HEAD,
    MAX_BYTES,
    build_store,
    cli_command,
    cli_env,
    copy_store,
    count,
    data_version,
    desk,
    fact_sum,
    last_line,
    run_cli,
    staged_count,
    write_csv,
)
from openpyxl import Workbook
from sqlalchemy import Engine, and_, select
from sqlalchemy.engine import make_url

from data import catalog
from data.access import OPERATOR
from data.accounts import audit_events
from data.demo_names import DEPARTMENTS
from data.engine import open_engine
from data.imports import batches, preview, publish, stage, versions
from data.imports import figures as reported
from data.imports.batches import Actor, Batch, BatchError
from data.queries.figures import figures
from data.queries.filters import Filters
from data.schema import dispute_case, import_batch, reported_figure

LEADER = Actor("leader", "leader")
# The clerk of the market regulator (as tests/conftest.py's PEOPLE has one).
CLERK = Actor("clerk", "clerk", "SCJGJ")
MARCH = (date(2024, 3, 1), date(2024, 3, 31))


# --- stores ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def templates(tmp_path_factory, pg_databases) -> dict[str, str]:
    """A small demo store per engine, built once; the tests work on copies."""
    return PerEngine(
        lambda kind: build_store(new_store_url(kind, tmp_path_factory.mktemp("template"), pg_databases))
    )


@dataclass
class Store:
    url: str
    engine: Engine
    uploads: Path


@pytest.fixture(params=ENGINES)
def store(request, templates, tmp_path, pg_databases) -> Iterator[Store]:
    """A store of the test's own, for tests that publish."""
    url = copy_store(templates[request.param], tmp_path, pg_databases)
    engine = open_engine(url)
    yield Store(url, engine, tmp_path / "uploads")
    engine.dispose()


@pytest.fixture(scope="module", params=ENGINES)
def shared(request, templates, tmp_path_factory, pg_databases) -> Iterator[Store]:
    """One store per engine for the tests that only stage: they add batches, never change a published row."""
    folder = tmp_path_factory.mktemp("shared")
    url = copy_store(templates[request.param], folder, pg_databases)
    engine = open_engine(url)
    yield Store(url, engine, folder / "uploads")
    engine.dispose()


def staged(store: Store, path: Path, actor: Actor = LEADER, **scope) -> Batch:
    """Receive and check a file as the data page and the command line do."""
    scope.setdefault("register", "dispute_case")
    batch_id = stage.receive(store.engine, store.uploads, path, path.name, actor, **scope)
    return stage.check(store.engine, store.uploads, batch_id, actor, MAX_BYTES)


def content(seen: dict) -> dict:
    """What the desk shows of a register, without the data version (which every change bumps)."""
    return {k: seen[k] for k in ("rows", "facts", "categories")}


def read_batch(store: Store, batch_id: int) -> Batch:
    with store.engine.begin() as conn:
        return batches.get(conn, batch_id)


# --- the justice bureau's March 2024 -----------------------------------------------------------------------


def justice(start: date = MARCH[0], end: date = MARCH[1]):
    return and_(dispute_case.c.department_code == "SFJ", dispute_case.c.occurred_on.between(start, end))


def published(conn, where) -> dict[str, tuple]:
    """Register number -> (date, department, township, level, type, success, closed) of the published rows."""
    c = dispute_case.c
    query = select(
        c.register_no,
        c.occurred_on,
        c.department_code,
        c.township_code,
        c.level,
        c.dispute_type,
        c.success,
        c.closed_on,
    )
    return {
        number: (day, dept, town, level, kind, bool(success), closed)
        for number, day, dept, town, level, kind, success, closed in conn.execute(
            query.where(where).order_by(c.register_no)
        )
    }


def cells(number: str, row: tuple) -> list[str]:
    day, dept, town, level, kind, success, closed = row
    return [
        number,
        day.isoformat(),
        dept or "",
        town or "",
        level,
        kind,
        "是" if success else "否",
        closed.isoformat() if closed else "",
    ]


NEW = {
    "SFJ-2024-N1": (date(2024, 3, 2), "SFJ", "qingshan", "乡镇", "邻里纠纷", True, date(2024, 3, 9)),
    "SFJ-2024-N2": (date(2024, 3, 15), "SFJ", None, "区", "劳动争议", False, None),
    "SFJ-2024-N3": (date(2024, 3, 31), "SFJ", "baisha", "村居", "其他", True, date(2024, 4, 2)),
}


def march_file(store: Store, folder: Path, encoding: str = "utf-8-sig") -> tuple[Path, dict, dict]:
    """The bureau's March: four published rows as they are, the fifth with its outcome changed, the rest left
    out, three new ones. Returns the file, the rows it holds and the rows published before."""
    with store.engine.connect() as conn:
        old = published(conn, justice())
    assert len(old) > 8, "the demo's March should hold more rows than the file keeps"
    numbers = list(old)
    rows = {n: old[n] for n in numbers[:4]}
    fifth = old[numbers[4]]
    rows[numbers[4]] = (*fifth[:5], not fifth[5], fifth[6])
    rows |= NEW
    path = write_csv(folder / "三月调处登记.csv", [cells(n, r) for n, r in rows.items()], encoding)
    return path, rows, old


def expected_district(store: Store, rows: dict, old: dict) -> dict[str, tuple]:
    """The district's 2024 figures before and after replacing ``old`` with ``rows``, counted from the register."""
    year = dispute_case.c.year == 2024
    with store.engine.connect() as conn:
        mediated = count(conn, year)
        resolved = count(conn, year, dispute_case.c.success.is_(True))
    mediated_after = mediated - len(old) + len(rows)
    resolved_after = resolved - sum(r[5] for r in old.values()) + sum(r[5] for r in rows.values())
    assert (mediated, resolved) != (mediated_after, resolved_after)
    return {
        "disputes_mediated": (mediated, mediated_after),
        "disputes_resolved": (resolved, resolved_after),
        "mediation_success_rate": (
            pytest.approx(round(resolved / mediated * 100, 4), abs=1e-4),
            pytest.approx(round(resolved_after / mediated_after * 100, 4), abs=1e-4),
        ),
    }


def district(batch: Batch) -> dict[str, tuple]:
    return {
        f["code"]: (f["before"], f["after"]) for f in batch.preview["figures"] if f["level"] == "district"
    }


def desk_value(store: Store, code: str, year: int = 2024) -> float | None:
    with store.engine.connect() as conn:
        (fig,) = figures(conn, Filters(year=year, scope=OPERATOR), codes=[code])
    return fig.value


# --- staging -----------------------------------------------------------------------------------------------


def test_a_valid_file_is_staged_with_a_preview_counted_from_the_register_and_the_desk_unchanged(
    shared, tmp_path
):
    path, rows, old = march_file(shared, tmp_path)
    expected = expected_district(shared, rows, old)
    with shared.engine.connect() as conn:
        before = desk(conn)
        qingshan = count(conn, dispute_case.c.year == 2024, dispute_case.c.township_code == "qingshan")
    mediated_before = desk_value(shared, "disputes_mediated")
    assert mediated_before == expected["disputes_mediated"][0]

    batch = staged(shared, path, department_code="SFJ", period=MARCH)

    assert (batch.status, batch.status_zh, batch.error_count) == ("staged", "待审核", 0)
    assert batch.rows_total == len(rows) == 8
    assert (batch.department_code, batch.period_start, batch.period_end) == ("SFJ", *MARCH)
    assert staged_count(shared.engine, batch.id) == 8
    assert batch.preview["rows"] == {
        "total": 8,
        "added": 3,
        "replaced": 1,
        "unchanged": 4,
        "removed": len(old) - 5,
    }
    assert district(batch) == expected
    # A township's figure too: qingshan loses the bureau's March rows there and gains SFJ-2024-N1.
    in_qingshan = sum(r[2] == "qingshan" for r in old.values())
    township = {
        (f["code"], f["member"]): (f["before"], f["after"])
        for f in batch.preview["figures"]
        if f["level"] == "township_code"
    }
    # (A figure that does not move is not listed.)
    moved = township.get(("disputes_mediated", "qingshan"), (qingshan, qingshan))
    assert moved == (qingshan, qingshan - in_qingshan + 1)
    # Nothing a reader sees has changed: rows, summaries, data version, the desk's figure.
    with shared.engine.connect() as conn:
        assert desk(conn) == before
    assert desk_value(shared, "disputes_mediated") == mediated_before


@pytest.mark.parametrize("kind", ["xlsx", "gb18030", "utf-8-sig"])
def test_cells_written_the_ways_people_write_them_are_stored_as_the_register_keeps_them(
    shared, tmp_path, kind
):
    rows = [
        [
            "ＳＦＪ－０００１",
            "２０２４年３月５日",
            "司法局",
            " 青山镇 ",
            "区",
            "婚姻家庭",
            " 是 ",
            "2024/3/20",
        ],
        ["SFJ-0002", "2024/3/5", "区司法局 ", "qingshan", " 乡镇", "邻里纠纷 ", "否", ""],
        ["SFJ-0003", date(2024, 3, 7), "SFJ", "城关街道", "村居", "其他", "Y", "20240331"],
        ["  SFJ-0004", 45356, "", "", "区", "其他", 1, ""],
    ]
    if kind == "xlsx":
        wb = Workbook()
        wb.active.append(HEAD)
        for row in rows:
            wb.active.append(row)
        path = tmp_path / "三月.xlsx"
        wb.save(path)
    else:
        text = [[c.isoformat() if isinstance(c, date) else str(c) for c in row] for row in rows]
        path = write_csv(tmp_path / "三月.csv", text, kind)

    batch = staged(shared, path, department_code="SFJ")

    assert batch.status == "staged", batch.errors
    # No period given: the whole months of the file's dates.
    assert (batch.period_start, batch.period_end) == MARCH
    with shared.engine.connect() as conn:
        got = list(preview.staged_rows(conn, batch.id))
    keys = ("register_no", "occurred_on", "department_code", "township_code", "level", "dispute_type")
    assert got == [
        dict(zip((*keys, "success", "closed_on"), row, strict=True))
        for row in (
            ("SFJ-0001", "2024-03-05", "SFJ", "qingshan", "区", "婚姻家庭", True, "2024-03-20"),
            ("SFJ-0002", "2024-03-05", "SFJ", "qingshan", "乡镇", "邻里纠纷", False, None),
            ("SFJ-0003", "2024-03-07", "SFJ", "chengguan", "村居", "其他", True, "2024-03-31"),
            ("SFJ-0004", "2024-03-05", "SFJ", None, "区", "其他", True, None),
        )
    ]


def test_a_file_with_errors_stages_nothing_and_names_every_error_with_its_row_and_column(shared, tmp_path):
    with shared.engine.connect() as conn:
        # A number the bureau used in May: outside a March batch, so the file may not reuse it.
        (elsewhere, row), *_ = published(conn, justice(date(2024, 5, 1), date(2024, 5, 31))).items()
        before = desk(conn)
    ok = ["区", "婚姻家庭", "是", ""]
    rows = [
        ["X-1", "2024-03-04", "司法局", "青山镇", "区", "婚姻家庭", "是", "2024-03-24"],
        ["X-2", "2024-03-05", "", "青山", *ok],
        ["X-3", "2024-02-30", "", "", *ok],
        ["X-1", "2024-03-06", "", "", *ok],
        ["X-4", "2024-03-07", "区公安分局", "", *ok],
        ["X-5", "2024-04-01", "", "", *ok],
        ["X-6", "2024-03-08", "", "", "区", "邻里", "是", ""],
        ["X-7", "2024-03-09", "", "", "区", "婚姻家庭", "也许", ""],
        ["X-8", "2024-03-20", "", "", "区", "婚姻家庭", "是", "2024-03-10"],
        ["X-9", "2024-03-21", "", "", "", "婚姻家庭", "是", ""],
        [elsewhere, "2024-03-22", "", "", *ok],
        ["", "2024-03-23", "", "", *ok],
    ]
    path = write_csv(tmp_path / "有错误.csv", rows, "gb18030")

    batch = staged(shared, path, department_code="SFJ", period=MARCH)

    assert (batch.status, batch.status_zh) == ("invalid", "有错误")
    assert batch.rows_total == 12
    assert staged_count(shared.engine, batch.id) == 0
    errors = [(e["row"], e["column"], e["message"]) for e in batch.errors]
    assert errors == [
        (3, "乡镇（街道）", "第3行“乡镇（街道）”列：“青山”不在乡镇列表中，是否为“青山镇”？"),
        (
            4,
            "受理日期",
            "第4行“受理日期”列：“2024-02-30”不是有效日期，请写成 2024-03-05、2024/3/5、2024年3月5日或 Excel 日期",
        ),
        (5, "登记编号", "第5行“登记编号”列：登记编号“X-1”与第2行重复"),
        (6, "承办单位", "第6行“承办单位”列：“区公安分局”不是本批次的部门（区司法局）"),
        (7, "受理日期", "第7行“受理日期”列：2024-04-01 不在本批次的期间（2024-03-01 至 2024-03-31）内"),
        (8, "纠纷类型", "第8行“纠纷类型”列：“邻里”不在纠纷类型的可选值中，是否为“邻里纠纷”？"),
        (9, "调处成功", "第9行“调处成功”列：“也许”应为“是”或“否”"),
        (10, "结案日期", "第10行“结案日期”列：结案日期早于受理日期"),
        (11, "调处层级", "第11行“调处层级”列：必填，不能为空"),
        (
            12,
            "登记编号",
            f"第12行“登记编号”列：登记编号“{elsewhere}”已用于本批次范围以外的一条记录（{row[0].isoformat()}），不能重复",
        ),
        (13, "登记编号", "第13行“登记编号”列：必填，不能为空"),
    ]
    assert batch.error_count == len(errors)
    with shared.engine.connect() as conn:
        assert desk(conn) == before
        (upload,) = [e for e in audit_events(conn) if e.subject == f"批次 {batch.id}"]
    assert upload.event == "batch_upload" and upload.detail["errors"] == len(errors)
    with pytest.raises(BatchError, match="只有待审核的批次可以发布"):
        publish.publish(shared.engine, batch.id, LEADER)


def test_a_number_published_inside_the_batch_scope_may_be_reused_but_not_one_outside_it(shared, tmp_path):
    with shared.engine.connect() as conn:
        ((inside, row), *_) = published(conn, justice()).items()
        other = published(conn, and_(dispute_case.c.department_code != "SFJ", dispute_case.c.year == 2024))
    outside = next(iter(other))
    changed = cells(inside, (*row[:5], not row[5], row[6]))
    fine = staged(shared, write_csv(tmp_path / "a.csv", [changed]), department_code="SFJ")
    assert fine.status == "staged" and fine.preview["rows"]["replaced"] == 1
    reused = staged(shared, write_csv(tmp_path / "b.csv", [[outside, *changed[1:]]]), department_code="SFJ")
    assert reused.status == "invalid"
    assert [e["message"] for e in reused.errors] == [
        f"第2行“登记编号”列：登记编号“{outside}”已用于本批次范围以外的一条记录"
        f"（{other[outside][0].isoformat()}），不能重复"
    ]


# --- publishing --------------------------------------------------------------------------------------------


def test_publishing_replaces_the_bureaus_march_and_the_figures_become_the_previews_after(store, tmp_path):
    path, rows, old = march_file(store, tmp_path)
    with store.engine.connect() as conn:
        before = desk(conn)
        others_before = published(conn, ~justice())
    batch = staged(store, path, department_code="SFJ", period=MARCH)
    after = district(batch)

    done = publish.publish(store.engine, batch.id, LEADER)

    assert (done.status, done.reviewed_by) == ("published", "leader")
    assert staged_count(store.engine, batch.id) == 0
    with store.engine.connect() as conn:
        assert published(conn, justice()) == rows
        assert published(conn, ~justice()) == others_before
        for code in ("disputes_mediated", "disputes_resolved"):
            assert fact_sum(conn, code, 2024) == after[code][1]
        assert data_version(conn) > before["data_version"]
        first = desk(conn)
        (version,) = versions.versions(conn)
        events = [e for e in audit_events(conn) if e.subject == f"批次 {batch.id}"]
    assert desk_value(store, "disputes_mediated") == after["disputes_mediated"][1]
    assert (version.batch_id, version.published_by, version.rolled_back_at) == (batch.id, "leader", None)
    file = {
        "file": path.name,
        "size": path.stat().st_size,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }
    counts = {"total": 8, "added": 3, "replaced": 1, "unchanged": 4, "removed": len(old) - 5}
    by_event = {e.event: e for e in events}
    assert set(by_event) == {"batch_upload", "batch_publish"}
    for event in by_event.values():
        assert event.actor == "leader"
        assert {k: event.detail.get(k) for k in file} == file
        assert event.detail["rows"] == counts
    assert by_event["batch_publish"].detail["version"] == version.id

    # The same file again: the preview says nothing changes, and publishing it changes nothing.
    again = staged(store, path, department_code="SFJ", period=MARCH)
    assert again.preview["rows"] == {"total": 8, "added": 0, "replaced": 0, "unchanged": 8, "removed": 0}
    assert again.preview["figures"] == []
    publish.publish(store.engine, again.id, LEADER)
    with store.engine.connect() as conn:
        second = desk(conn)
    assert content(second) == content(first)


def test_a_number_another_batch_published_since_staging_stops_the_publish_and_leaves_the_batch_to_reject(
    store, tmp_path
):
    """Two batches staged with one new number; the second to publish meets the first's row under the register's
    unique number, after its own rows were already deleted: the whole publish is undone, and the batch waits
    for its reviewer to reject it."""
    ok = ["区", "婚姻家庭", "是", ""]
    justice_file = write_csv(tmp_path / "sfj.csv", [["SAME-1", "2024-03-04", "", "", *ok]])
    labour_file = write_csv(tmp_path / "rsj.csv", [["SAME-1", "2024-03-04", "", "", *ok]])
    first = staged(store, labour_file, department_code="RSJ", period=MARCH)
    second = staged(store, justice_file, department_code="SFJ", period=MARCH)
    publish.publish(store.engine, first.id, LEADER)
    with store.engine.connect() as conn:
        before = desk(conn)

    with pytest.raises(publish.NumberTaken, match="登记编号已被此后发布的其他记录使用"):
        publish.publish(store.engine, second.id, LEADER)

    with store.engine.connect() as conn:
        assert desk(conn) == before
        assert len(versions.versions(conn)) == 1
    waiting = read_batch(store, second.id)
    assert waiting.status == "staged" and "请驳回本批次" in waiting.step
    assert staged_count(store.engine, second.id) == 1
    publish.reject(store.engine, second.id, LEADER, "登记编号与人社局的记录重复")
    assert read_batch(store, second.id).status == "rejected"


def test_a_rejection_needs_a_reason_and_a_rejected_batch_cannot_be_published(store, tmp_path):
    path, _, _ = march_file(store, tmp_path)
    batch = staged(store, path, department_code="SFJ", period=MARCH)
    with store.engine.connect() as conn:
        before = desk(conn)

    for reason in ("", "  \n\t "):
        with pytest.raises(BatchError, match="驳回须写明理由"):
            publish.reject(store.engine, batch.id, LEADER, reason)
    assert read_batch(store, batch.id).status == "staged"

    done = publish.reject(store.engine, batch.id, LEADER, "  三月的数据不全， 请补齐后重报 ")
    assert (done.status, done.reason, done.reviewed_by) == (
        "rejected",
        "三月的数据不全， 请补齐后重报",
        "leader",
    )
    assert staged_count(store.engine, batch.id) == 0
    with pytest.raises(BatchError, match="已驳回，只有待审核的批次可以发布"):
        publish.publish(store.engine, batch.id, LEADER)
    with pytest.raises(BatchError, match="已驳回，只有待审核的批次可以驳回"):
        publish.reject(store.engine, batch.id, LEADER, "再驳回一次")
    with store.engine.connect() as conn:
        assert desk(conn) == before
        (event,) = [e for e in audit_events(conn) if e.event == "batch_reject"]
    assert (event.subject, event.detail["reason"]) == (f"批次 {batch.id}", "三月的数据不全， 请补齐后重报")


# --- versions and rollback ---------------------------------------------------------------------------------


def test_rolling_back_a_version_undoes_it_and_every_later_one_and_restores_the_store_exactly(store, tmp_path):
    with store.engine.connect() as conn:
        before = desk(conn)
    path, _, _ = march_file(store, tmp_path)
    first = staged(store, path, department_code="SFJ", period=MARCH)
    publish.publish(store.engine, first.id, LEADER)
    # The second overlaps the first: it replaces the bureau's March (the first's rows) and April.
    ok = ["区", "婚姻家庭", "是", ""]
    spring = write_csv(
        tmp_path / "春.csv",
        [["SPRING-1", "2024-03-10", "", "", *ok], ["SPRING-2", "2024-04-10", "", "", *ok]],
    )
    second = staged(store, spring, department_code="SFJ", period=(MARCH[0], date(2024, 4, 30)))
    assert second.preview["rows"]["removed"] > 8
    publish.publish(store.engine, second.id, LEADER)
    with store.engine.connect() as conn:
        v2, v1 = versions.versions(conn)
        version_published = data_version(conn)
    assert (v1.batch_id, v2.batch_id) == (first.id, second.id)

    undone = versions.rollback(store.engine, v1.id, LEADER)

    assert undone == [v2.id, v1.id]
    with store.engine.connect() as conn:
        now = desk(conn)
        assert all(v.rolled_back_by == "leader" and v.rolled_back_at for v in versions.versions(conn))
        events = [e for e in audit_events(conn) if e.event == "version_rollback"]
    assert content(now) == content(before)
    assert now["data_version"] > version_published
    assert desk_value(store, "disputes_mediated") == count_2024(store)
    assert [(e.subject, e.actor, e.detail["batch"]) for e in events] == [
        (f"版本 {v1.id}", "leader", first.id),
        (f"版本 {v2.id}", "leader", second.id),
    ]
    assert {read_batch(store, b.id).status for b in (first, second)} == {"rolled_back"}
    for version in (v1, v2):
        with pytest.raises(BatchError, match=f"版本 {version.id} 已于 .* 回滚"):
            versions.rollback(store.engine, version.id, LEADER)
    with pytest.raises(BatchError, match="已回滚，只有待审核的批次可以发布"):
        publish.publish(store.engine, first.id, LEADER)
    with pytest.raises(BatchError, match="没有版本 999"):
        versions.rollback(store.engine, 999, LEADER)


def count_2024(store: Store) -> int:
    with store.engine.connect() as conn:
        return count(conn, dispute_case.c.year == 2024)


# --- reported figures --------------------------------------------------------------------------------------


def reported_row(store: Store, code: str, year: int):
    with store.engine.connect() as conn:
        found = conn.execute(
            select(reported_figure.c.value, reported_figure.c.as_of, reported_figure.c.source).where(
                reported_figure.c.indicator_code == code, reported_figure.c.year == year
            )
        ).first()
    return None if found is None else tuple(found)


def test_a_reported_figure_is_published_through_review_and_a_rollback_restores_the_old_one(store):
    code = "service_center_departments"
    old = reported_row(store, code, 2024)
    assert old is not None and old[0] == desk_value(store, code)
    with store.engine.connect() as conn:
        version_before = data_version(conn)

    batch_id = reported.submit(store.engine, LEADER, code, 2024, 47, note="  2024年 年报 ")
    batch = read_batch(store, batch_id)
    assert (batch.kind, batch.status) == ("figure", "staged")
    assert [(f["code"], f["before"], f["after"]) for f in batch.preview["figures"]] == [(code, old[0], 47)]
    assert reported_row(store, code, 2024) == old

    publish.publish(store.engine, batch_id, LEADER)
    value, as_of, source = reported_row(store, code, 2024)
    assert (value, source) == (47, "2024年 年报")
    assert desk_value(store, code) == 47
    # A year that had no figure: its rollback removes it again.
    empty_year = reported.submit(store.engine, LEADER, code, 2021, 30)
    publish.publish(store.engine, empty_year, LEADER)
    assert reported_row(store, code, 2021)[0] == 30
    with store.engine.connect() as conn:
        listed = versions.versions(conn)
        assert data_version(conn) > version_before

    versions.rollback(store.engine, listed[-1].id, LEADER)
    assert reported_row(store, code, 2024) == old
    assert reported_row(store, code, 2021) is None
    assert desk_value(store, code) == old[0]


def test_a_reported_figure_that_cannot_be_entered_is_refused_and_stages_nothing(shared):
    refused = [
        ("disputes_mediated", 5, LEADER, "“disputes_mediated”不是需要填报的数字"),
        ("no_such_figure", 5, LEADER, "“no_such_figure”不是需要填报的数字"),
        ("service_center_departments", -1, LEADER, "数值 -1 应为不小于 0 的数"),
        ("service_center_departments", float("nan"), LEADER, "数值 nan 应为不小于 0 的数"),
        ("service_center_departments", 44, CLERK, "“进驻区政务服务中心部门数”由区行政审批局填报"),
    ]
    last = select(import_batch.c.id).order_by(import_batch.c.id.desc()).limit(1)
    with shared.engine.connect() as conn:
        before = conn.scalar(last)
    for code, value, actor, message in refused:
        with pytest.raises(BatchError, match=message):
            reported.submit(shared.engine, actor, code, 2024, value)
    with shared.engine.connect() as conn:
        assert conn.scalar(last) == before


# --- who may do what ---------------------------------------------------------------------------------------

INSPECTION_HEAD = ["登记编号", "检查日期", "检查部门", "乡镇（街道）", "企业", "检查结果"]
POLICE_HEAD = ["登记编号", "接报日期", "乡镇（街道）", "警情性质", "类别", "破案"]


def test_a_clerk_uploads_for_their_own_department_only_and_cannot_review(store, tmp_path):
    rows = [
        ["SCJG-1", "2024-06-03", "", "青山镇", "某某商贸有限公司", "未发现问题"],
        ["SCJG-2", "2024-06-04", "区市场监督管理局", "", "某某食品店", "责令整改"],
    ]
    path = write_csv(tmp_path / "抽查.csv", rows, head=INSPECTION_HEAD)
    with pytest.raises(BatchError, match="只能上传本部门的数据"):
        stage.receive(
            store.engine, store.uploads, path, path.name, CLERK, register="inspection", department_code="SFJ"
        )
    # Without naming the register, the same refusal comes from checking, as the batch's only error.
    named_later = staged(store, path, CLERK, register=None, department_code="SFJ")
    assert named_later.status == "invalid"
    assert [e["message"] for e in named_later.errors] == ["只能上传本部门的数据"]
    township_head = Actor("qingshan", "township")
    with pytest.raises(BatchError, match="只有数据录入员、部门负责人和审核人"):
        staged(store, path, township_head, register="inspection")
    wrong = write_csv(
        tmp_path / "别的部门.csv",
        [["SCJG-3", "2024-06-05", "区司法局", "", "某店", "立案查处"]],
        head=INSPECTION_HEAD,
    )
    assert [e["message"] for e in staged(store, wrong, CLERK, register="inspection").errors] == [
        "第2行“检查部门”列：“区司法局”不是本批次的部门（区市场监督管理局）"
    ]

    batch = staged(store, path, CLERK, register="inspection")

    assert (batch.status, batch.department_code, batch.created_by) == ("staged", "SCJGJ", "clerk")
    with store.engine.connect() as conn:
        assert {p["department_code"] for p in preview.staged_rows(conn, batch.id)} == {"SCJGJ"}
    for act in (
        lambda: publish.publish(store.engine, batch.id, CLERK),
        lambda: publish.reject(store.engine, batch.id, CLERK, "不对"),
    ):
        with pytest.raises(BatchError, match="只有审核人（领导或管理员）可以发布、驳回或回滚数据"):
            act()
    assert publish.publish(store.engine, batch.id, LEADER).status == "published"
    with store.engine.connect() as conn:
        (version,) = versions.versions(conn)
    with pytest.raises(BatchError, match="只有审核人"):
        versions.rollback(store.engine, version.id, CLERK)
    assert versions.rollback(store.engine, version.id, LEADER) == [version.id]


def test_police_registers_are_uploaded_by_the_department_the_catalog_names_and_by_no_other(shared, tmp_path):
    responsible = {i.responsible for i in catalog.load().values() if i.register == "police_incident"}
    police = [code for code, name, _ in DEPARTMENTS if name in responsible]
    assert police == ["GAFJ"]
    path = write_csv(
        tmp_path / "警情.csv",
        [
            ["JQ-1", "2024-03-02", "青山镇", "刑事", "盗窃", "是"],
            ["JQ-2", "2024-03-03", "", "治安", "噪音扰民", "否"],
        ],
        head=POLICE_HEAD,
    )
    with pytest.raises(BatchError, match="警情登记由区公安分局上传"):
        staged(shared, path, CLERK, register="police_incident")
    with pytest.raises(BatchError, match="警情登记不分部门，不能按部门导入"):
        staged(shared, path, LEADER, register="police_incident", department_code="GAFJ")

    for actor in (Actor("police", "department", "GAFJ"), Actor("police-clerk", "clerk", "GAFJ")):
        batch = staged(shared, path, actor, register="police_incident")
        assert (batch.status, batch.department_code, batch.rows_total) == ("staged", None, 2)


# --- the command line --------------------------------------------------------------------------------------


@pytest.fixture
def cli(templates, tmp_path, pg_databases) -> Iterator[tuple[dict[str, str], Engine]]:
    """The environment of `dashboard` on a copy of the small SQLite store, and an engine on it."""
    url = copy_store(templates["sqlite"], tmp_path, pg_databases)
    engine = open_engine(url)
    yield cli_env(url, tmp_path / "instance"), engine
    engine.dispose()


def one_line_error(proc: subprocess.CompletedProcess, fragment: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and fragment in lines[0], proc.stderr


def test_dashboard_import_prints_the_batch_id_last_and_a_file_with_errors_every_error(cli, tmp_path):
    """The id alone on the last line (scripts read it), exit 0; every error and exit 1; `batch retry` of a batch
    that did not fail is refused (it used to stage the rows a second time and break the batch)."""
    env, engine = cli
    ok = ["区", "婚姻家庭", "是", ""]
    good = write_csv(
        tmp_path / "好.csv", [["C-1", "2024-03-04", "", "", *ok], ["C-2", "2024-03-05", "", "", *ok]]
    )
    bad = write_csv(
        tmp_path / "坏.csv",
        [
            ["C-3", "2024-03-04", "", "青山", *ok],
            ["C-4", "2024年3月32日", "", "", *ok],
            ["C-3", "2024-03-06", "", "", *ok],
        ],
    )

    done = run_cli("import", str(good), "--department", "SFJ", "--period", "2024-03", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "行：共 2；新增 2" in done.stdout and "调处纠纷" in done.stdout
    batch_id = int(last_line(done))
    assert staged_count(engine, batch_id) == 2
    # Only a check cut short may be checked again: a staged batch is left as it is.
    one_line_error(run_cli("batch", "retry", str(batch_id), env=env), "只有检查中断的批次可以重新检查")
    with engine.begin() as conn:
        assert batches.get(conn, batch_id).status == "staged"
    assert staged_count(engine, batch_id) == 2

    failed = run_cli("import", str(bad), "--department", "SFJ", "--period", "2024-03", env=env)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr, failed.stdout + failed.stderr
    lines = failed.stdout.splitlines()
    assert "坏.csv：发现 3 处错误，未暂存任何数据" in lines
    for message in (
        "第2行“乡镇（街道）”列：“青山”不在乡镇列表中，是否为“青山镇”？",
        "第3行“受理日期”列：“2024年3月32日”不是有效日期，请写成 2024-03-05、2024/3/5、2024年3月5日或 Excel 日期",
        "第4行“登记编号”列：登记编号“C-3”与第2行重复",
    ):
        assert f"  {message}" in lines
    invalid_id = int(last_line(failed))
    assert invalid_id == batch_id + 1 and staged_count(engine, invalid_id) == 0


def test_dashboard_import_dry_run_leaves_nothing_to_publish(cli, tmp_path):
    env, engine = cli
    path = write_csv(tmp_path / "试.csv", [["T-1", "2024-03-04", "", "", "区", "婚姻家庭", "是", ""]])
    with engine.connect() as conn:
        before = desk(conn)
    dry = run_cli("import", str(path), "--department", "SFJ", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "试运行：以上是发布后会发生的变化，本批次已作废" in dry.stdout and "新增 1" in dry.stdout
    batch_id = int(last_line(dry))
    assert staged_count(engine, batch_id) == 0
    one_line_error(run_cli("batch", "publish", str(batch_id), env=env), "只有待审核的批次可以发布")
    with engine.connect() as conn:
        assert desk(conn) == before


@pytest.mark.slow
def test_bad_input_at_the_command_line_is_one_chinese_line_and_never_a_traceback(cli, tmp_path):
    env, _ = cli
    good = write_csv(tmp_path / "好.csv", [["B-1", "2024-03-04", "", "", "区", "婚姻家庭", "是", ""]])
    macro, empty = tmp_path / "宏.xlsm", tmp_path / "空.csv"
    macro.write_bytes(good.read_bytes())
    empty.write_bytes(b"")
    refused = {
        ("import", str(macro)): "不接收“.xlsm”文件：含宏的工作簿不予接收，请另存为 .xlsx 后再上传。",
        ("import", str(empty)): "文件是空的，请检查后重新上传。",
    }
    errors = {
        ("import", str(tmp_path / "没有.csv")): f"找不到文件 {tmp_path / '没有.csv'}",
        ("import", str(good), "--register", "nope"): "没有 'nope' 这个选项",
        ("import", str(good), "--department", "NOPE"): "没有代码为 NOPE 的部门",
    }
    # Started together: each is a fresh interpreter of a second or two.
    procs = {
        args: subprocess.Popen(
            cli_command(*args), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for args in (*refused, *errors)
    }
    outcome = {}
    for args, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        outcome[args] = subprocess.CompletedProcess(args, proc.returncode, out, err)
    for args, fragment in errors.items():
        one_line_error(outcome[args], fragment)
    for args, reason in refused.items():
        out, err = outcome[args].stdout, outcome[args].stderr
        assert outcome[args].returncode == 1 and "Traceback" not in err, out + err
        lines = out.splitlines()
        assert f"  {reason}" in lines and lines[-1].isdigit()
        # Nothing to mark in a file that was never read.
        assert "batch annotate" not in out


@pytest.fixture
def full_demo(tmp_path, demo_urls) -> dict[str, str]:
    """The environment of a command on a copy of the shared full demo store (which `dashboard check` compares
    with the 2024 report): SQLite's backup makes a consistent copy that this module may change."""
    instance = tmp_path / "instance"
    instance.mkdir()
    with (
        closing(sqlite3.connect(make_url(demo_urls["sqlite"]).database)) as source,
        closing(sqlite3.connect(instance / "dashboard.db")) as copy,
    ):
        source.backup(copy)
    return cli_env(f"sqlite:///{instance / 'dashboard.db'}", instance)


def test_import_publish_and_rollback_at_the_command_line_leave_the_report_figures_as_they_were(
    full_demo, tmp_path
):
    env = full_demo
    engine = open_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            before = desk(conn)
            old = published(conn, justice())
        # The bureau's March without its first two rows.
        path = write_csv(tmp_path / "三月.csv", [cells(n, r) for n, r in list(old.items())[2:]])
        imported = run_cli("import", str(path), "--department", "SFJ", "--period", "2024-03", env=env)
        assert imported.returncode == 0, imported.stdout + imported.stderr
        batch_id = int(last_line(imported))
        assert "删除 2" in imported.stdout

        publishing = run_cli("batch", "publish", str(batch_id), env=env)
        assert publishing.returncode == 0, publishing.stderr
        assert f"批次 {batch_id} 已发布为版本 1" in publishing.stdout
        differs = run_cli("check", env=env)
        assert differs.returncode == 1
        assert [
            line.split()[0] for line in differs.stdout.splitlines() if "不同" in line and "项不同" not in line
        ] == ["disputes_mediated"]

        rolled = run_cli("version", "rollback", "1", env=env)
        assert rolled.returncode == 0, rolled.stderr
        assert "已回滚版本 1，数据恢复到版本 1 发布之前" in rolled.stdout
        check = run_cli("check", env=env)
        assert check.returncode == 0 and "共 50 项，0 项不同。" in check.stdout, check.stdout
        with engine.connect() as conn:
            now = desk(conn)
        assert content(now) == content(before)
    finally:
        engine.dispose()

"""Follow-ups (督办) in the store, on both engines: the cycle, who may do what, who sees what, bad input, and the
attachments' checks (data/supervision.py, data/supervision_files.py)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from import_support import copy_store
from sqlalchemy import func, select

from data import accounts
from data.access import Scope
from data.engine import open_engine
from data.imports.intake import MB
from data.schema import audit_event
from data.store import migrate
from data.supervision import (
    COMMAND_LINE,
    NotAllowed,
    NotFound,
    State,
    SupervisionError,
    Who,
    get,
    inbox_count,
    listing,
    overdue_for,
    supervisions_for,
)
from data.supervision_changes import close, create, reply, send_back
from data.supervision_files import Refused, check, keep, stored_path

LEADER = Who("leader", Scope(role="leader"))
JUSTICE = Who("justice", Scope(role="department", department="SFJ", department_name="区司法局"))
MARKET = Who("market", Scope(role="department", department="SCJGJ", department_name="区市场监管局"))
CLERK = Who("clerk", Scope(role="clerk", department="SCJGJ"))
QINGSHAN = Who("qingshan", Scope(role="township", township="qingshan"))
TODAY = date.today()
DUE = TODAY + timedelta(days=7)


@pytest.fixture
def engine(request, demo_urls, tmp_path, pg_databases):
    kind = getattr(request, "param", None) or "sqlite"
    url = copy_store(demo_urls[kind], tmp_path, pg_databases)
    built = open_engine(url)
    yield built
    built.dispose()


both = pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


def _raise(engine, who=LEADER, unit=("department", "SFJ"), due=DUE, code="mediation_success_rate") -> int:
    with engine.begin() as conn:
        return create(conn, who, code, unit[0], unit[1], due, "请说明调处成功率下降的原因")


@both
def test_the_whole_cycle_is_kept_and_audited(engine):
    sid = _raise(engine)
    with engine.connect() as conn:
        assert inbox_count(conn, JUSTICE.scope) == 1
        assert inbox_count(conn, LEADER.scope) == 0
    with engine.begin() as conn:
        reply(conn, JUSTICE, sid, "已组织复盘，原因见附件。")
    with engine.connect() as conn:
        assert get(conn, sid, LEADER.scope).state is State.REPLIED
        assert inbox_count(conn, JUSTICE.scope) == 0
        assert inbox_count(conn, LEADER.scope) == 1
    with engine.begin() as conn:
        send_back(conn, LEADER, sid, "请补充整改措施")
    with engine.connect() as conn:
        assert get(conn, sid, JUSTICE.scope).state is State.RETURNED
        assert inbox_count(conn, JUSTICE.scope) == 1
    with engine.begin() as conn:
        reply(conn, JUSTICE, sid, "整改措施：每周例会。")
        close(conn, LEADER, sid)
    with engine.connect() as conn:
        item = get(conn, sid, LEADER.scope)
        events = conn.execute(
            select(audit_event.c.event).where(audit_event.c.subject == f"督办 {sid}")
        ).scalars()
        events = list(events)
    assert item.state is State.CLOSED and item.closed_at is not None and not item.is_open
    assert [e.kind for e in item.entries] == ["reply", "return", "reply", "close"]
    assert [e.author for e in item.entries] == ["justice", "leader", "justice", "leader"]
    assert item.indicator_name == "调处成功率" and item.unit_name == "区司法局"
    assert events == [
        "supervise_raise",
        "supervise_reply",
        "supervise_return",
        "supervise_reply",
        "supervise_close",
    ]
    assert supervisions_for(engine, JUSTICE.scope) == []
    assert [s.id for s in supervisions_for(engine, JUSTICE.scope, open_only=False)] == [sid]


@both
def test_a_unit_sees_only_its_own_follow_ups(engine):
    mine = _raise(engine)
    theirs = _raise(engine, unit=("department", "SCJGJ"))
    town = _raise(engine, unit=("township", "qingshan"))
    with engine.connect() as conn:
        assert {s.id for s in listing(conn, LEADER.scope)} == {mine, theirs, town}
        assert [s.id for s in listing(conn, JUSTICE.scope)] == [mine]
        assert [s.id for s in listing(conn, CLERK.scope)] == [theirs]
        assert [s.id for s in listing(conn, QINGSHAN.scope)] == [town]
        assert listing(conn, Scope()) == []
        with pytest.raises(NotFound):
            get(conn, theirs, JUSTICE.scope)
    with engine.begin() as conn, pytest.raises(NotFound):
        reply(conn, JUSTICE, theirs, "不是我们的")


@both
def test_who_may_raise_reply_and_close(engine):
    sid = _raise(engine)
    with engine.begin() as conn, pytest.raises(NotAllowed, match="只有领导和管理员"):
        create(conn, JUSTICE, "mediation_success_rate", "department", "SFJ", DUE, "自己督办自己")
    # a leader reads it but is not of the unit: replying is the unit's
    with engine.begin() as conn, pytest.raises(NotAllowed, match="区司法局的负责人和录入员"):
        reply(conn, LEADER, sid, "替他们回复")
    with engine.begin() as conn, pytest.raises(SupervisionError, match="单位回复后才能办结"):
        close(conn, LEADER, sid)
    with engine.begin() as conn:
        reply(conn, COMMAND_LINE, sid, "命令行代为回复")
    with engine.begin() as conn, pytest.raises(NotAllowed):
        close(conn, JUSTICE, sid)
    with engine.connect() as conn:
        assert get(conn, sid, LEADER.scope).state is State.REPLIED


@both
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"code": "no_such"}, "没有代码为 no_such 的指标"),
        ({"unit": ("department", "NOPE")}, "没有代码为 NOPE 的部门"),
        ({"unit": ("township", "SFJ")}, "没有代码为 SFJ 的乡镇（街道）"),
        ({"due": TODAY - timedelta(days=1)}, "已经过去"),
        ({"due": TODAY + timedelta(days=800)}, "超过一年以后"),
    ],
)
def test_bad_follow_ups_are_refused_and_nothing_is_kept(engine, args, message):
    with pytest.raises(SupervisionError, match=message):
        _raise(engine, **args)
    with engine.connect() as conn:
        assert listing(conn, LEADER.scope) == []


def test_empty_text_and_too_long_text_are_refused(engine):
    with engine.begin() as conn, pytest.raises(SupervisionError, match="请填写督办要求"):
        create(conn, LEADER, "mediation_success_rate", "department", "SFJ", DUE, " \n\t ")
    with engine.begin() as conn, pytest.raises(SupervisionError, match="最多 2000 个字"):
        create(conn, LEADER, "mediation_success_rate", "department", "SFJ", DUE, "字" * 2001)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_an_empty_store_has_no_follow_ups_and_refuses_units_it_lacks(kind, tmp_path, pg_databases):
    from conftest import new_store_url

    built = open_engine(new_store_url(kind, tmp_path, pg_databases), create=True)
    migrate(built)
    try:
        with built.begin() as conn:
            accounts.add_user(conn, "leader", "测试用的密码-0123", "leader")
        assert supervisions_for(built, LEADER.scope, open_only=False) == []
        with built.connect() as conn:
            assert inbox_count(conn, LEADER.scope) == 0
        with pytest.raises(SupervisionError, match="没有代码为 SFJ 的部门"):
            _raise(built)
        with built.connect() as conn:
            assert (
                conn.scalar(
                    select(func.count())
                    .select_from(audit_event)
                    .where(audit_event.c.event.like("supervise%"))
                )
                == 0
            )
    finally:
        built.dispose()


# --- attachments ------------------------------------------------------------------------------------------------


def _docx(extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        for name, body in (extra or {}).items():
            z.writestr(name, body)
    return out.getvalue()


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/media/big.bin", b"\0" * (150 * MB))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "body", "kind"),
    [
        ("情况说明.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", "pdf"),
        ("现场.JPG", b"\xff\xd8\xff\xe0\0\x10JFIF", "jpeg"),
        ("截图.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "png"),
        ("整改报告.docx", _docx(), "docx"),
    ],
)
def test_attachments_of_the_kinds_taken_pass_and_are_kept_once(tmp_path, name, body, kind):
    path = tmp_path / "upload"
    path.write_bytes(body)
    checked = check(path, name, 20 * MB)
    assert checked.kind == kind and checked.size == len(body) and checked.name == name
    kept = keep(tmp_path / "store", path, checked)
    assert kept == stored_path(tmp_path / "store", checked.sha256) and kept.read_bytes() == body
    assert keep(tmp_path / "store", path, checked) == kept


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("报告.pdf", b"MZ\x90\0\x03\0\0\0" + b"\0" * 100, "不是PDF 文件（实际是可执行程序）"),
        ("报告.exe", b"MZ\x90\0", "不接收“.exe”文件"),
        ("报告", b"%PDF-1.4", "没有扩展名的文件"),
        ("报告.doc", b"\xd0\xcf\x11\xe0", "另存为 .docx"),
        ("报告.docx", b"%PDF-1.4 not a zip", "不是Word 文档（实际是PDF 文件）"),
        ("报告.xlsx", _docx(), "不是Excel 工作簿"),
        ("报告.docx", _docx({"word/vbaProject.bin": b"x"}), "含宏"),
        ("报告.docx", b"PK\x03\x04broken", "已损坏"),
        ("空.pdf", b"", "是空的"),
        ("照片.png", b"\xff\xd8\xff\xe0", "不是PNG 图片"),
    ],
)
def test_attachments_that_are_not_what_they_say_are_refused(tmp_path, name, body, message):
    path = tmp_path / "upload"
    path.write_bytes(body)
    with pytest.raises(Refused, match=message):
        check(path, name, 20 * MB)


def test_a_zip_bomb_and_a_file_over_the_limit_are_refused(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(_bomb())
    with pytest.raises(Refused, match="疑似恶意构造"):
        check(path, "bomb.docx", 20 * MB)
    big = tmp_path / "big.pdf"
    with big.open("wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(200 * MB)
    with pytest.raises(Refused, match="超过 20 MB 的大小上限"):
        check(big, "大文件.pdf", 20 * MB)


def test_overdue_ones_are_the_open_ones_past_their_deadline(engine):
    sid = _raise(engine)
    later = TODAY + timedelta(days=8)
    assert [s.id for s in overdue_for(engine, LEADER.scope, today=later)] == [sid]
    assert overdue_for(engine, LEADER.scope) == []
    assert overdue_for(engine, MARKET.scope, today=later) == []
    with engine.begin() as conn:
        reply(conn, JUSTICE, sid, "已说明")
        close(conn, LEADER, sid)
    assert overdue_for(engine, LEADER.scope, today=later) == []

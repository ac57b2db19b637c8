"""The follow-up pages (/supervise) through the app on both engines: the cycle by forms, the header's inbox, who
sees and may do what, and bad input answered in Chinese with what was typed kept (never a 500)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from conftest import client_as

from dashboard.config import Config
from dashboard.pages.supervise.routes import FORM_OVERHEAD, reply_limit, supervision_url
from data.supervision_files import MAX_FILES
from layouts.paths import (
    SUPERVISE_NEW_PATH,
    SUPERVISE_PATH,
    SUPERVISION_CLOSE_PATH,
    SUPERVISION_REPLY_PATH,
    SUPERVISION_RETURN_PATH,
)

OWN = {"Origin": "http://localhost"}
DUE = (date.today() + timedelta(days=10)).isoformat()
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _raise(client, unit: str = "department:SFJ", **changes) -> int:
    form = {
        "indicator": "mediation_success_rate",
        "unit": unit,
        "due": DUE,
        "text": "请说明调处成功率排名靠后的原因",
    }
    answer = client.post(SUPERVISE_NEW_PATH, data=form | changes, headers=OWN)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    return int(re.search(r"/(\d+)\?notice=raised", answer.headers["Location"])[1])


def _reply(client, sid: int, text: str = "已复盘，见附件。", files=()):
    data = {"text": text, "files": [(io.BytesIO(body), name) for name, body in files]}
    return client.post(
        supervision_url(sid, SUPERVISION_REPLY_PATH),
        data=data,
        headers=OWN,
        content_type="multipart/form-data",
    )


def test_the_cycle_through_the_forms(app):
    leader, justice = client_as(app, "leader"), client_as(app, "justice")
    form = leader.get(SUPERVISE_NEW_PATH + "?indicator=mediation_success_rate&department=SFJ")
    page = form.get_data(as_text=True)
    assert form.status_code == 200
    assert '<option value="mediation_success_rate" selected>' in page
    assert '<option value="department:SFJ" selected>' in page
    sid = _raise(leader)
    # the unit's inbox counts it, on the desk's header and on the follow-up pages
    layout = justice.get("/_dash-layout").get_data(as_text=True)
    assert re.search(r'"children":"1"[^{}]*"id":"account-inbox-count"', layout), layout
    assert "account-inbox-count" not in leader.get("/_dash-layout").get_data(as_text=True)
    listed = justice.get(SUPERVISE_PATH).get_data(as_text=True)
    assert 'class="inbox-count" aria-label="1 件待处理"' in listed and "调处成功率" in listed
    answer = _reply(justice, sid, files=[("情况说明.pdf", PDF)])
    assert answer.status_code == 303
    shown = leader.get(supervision_url(sid)).get_data(as_text=True)
    assert "已回复" in shown and "情况说明.pdf" in shown and "已复盘，见附件。" in shown
    link = re.search(r'href="([^"]+/file/\d+)"', shown)[1]
    got = justice.get(link)
    assert got.status_code == 200 and got.data == PDF and got.mimetype == "application/pdf"
    # another unit's head cannot fetch it, even knowing its address
    assert client_as(app, "market").get(link).status_code == 404
    assert (
        leader.post(
            supervision_url(sid, SUPERVISION_RETURN_PATH), data={"text": "请补充措施"}, headers=OWN
        ).status_code
        == 303
    )
    assert "退回" in justice.get(supervision_url(sid)).get_data(as_text=True)
    assert _reply(justice, sid, "措施：每周调度。").status_code == 303
    closed = leader.post(supervision_url(sid, SUPERVISION_CLOSE_PATH), data={"text": ""}, headers=OWN)
    assert closed.status_code == 303
    final = leader.get(supervision_url(sid)).get_data(as_text=True)
    assert "已办结" in final and "同意办结。" in final
    # closed: gone from the open list, kept in the whole one
    assert f'data-id="{sid}"' not in leader.get(SUPERVISE_PATH).get_data(as_text=True)
    assert f'data-id="{sid}"' in leader.get(SUPERVISE_PATH + "?show=all").get_data(as_text=True)


def test_a_unit_never_sees_another_units_follow_up(app):
    leader = client_as(app, "leader")
    sid = _raise(leader, unit="department:SCJGJ")
    justice, market, clerk, town = (client_as(app, n) for n in ("justice", "market", "clerk", "qingshan"))
    assert f'data-id="{sid}"' not in justice.get(SUPERVISE_PATH).get_data(as_text=True)
    assert f'data-id="{sid}"' not in town.get(SUPERVISE_PATH).get_data(as_text=True)
    assert justice.get(supervision_url(sid)).status_code == 404
    refused = _reply(justice, sid, "不是我们的")
    assert refused.status_code == 404
    # the market department's head and clerk see it and may reply
    assert f'data-id="{sid}"' in market.get(SUPERVISE_PATH).get_data(as_text=True)
    assert _reply(clerk, sid, "录入员回复").status_code == 303


def test_who_may_raise_and_decide(app):
    justice = client_as(app, "justice")
    assert justice.get(SUPERVISE_NEW_PATH).status_code == 403
    assert justice.post(SUPERVISE_NEW_PATH, data={}, headers=OWN).status_code == 403
    sid = _raise(client_as(app, "admin"))
    assert _reply(justice, sid).status_code == 303
    assert justice.post(supervision_url(sid, SUPERVISION_CLOSE_PATH), headers=OWN).status_code == 403
    # a leader may read and decide but not reply in the unit's name
    leader = client_as(app, "leader")
    assert _reply(leader, sid).status_code == 403
    visitor = client_as(app, None).get(SUPERVISE_PATH)
    assert visitor.status_code == 303 and "/login" in visitor.headers["Location"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": "department:NOPE"}, "没有代码为 NOPE 的部门"),
        ({"due": (date.today() - timedelta(days=1)).isoformat()}, "已经过去"),
        ({"due": "明天"}, "YYYY-MM-DD"),
        ({"indicator": "nope"}, "没有代码为 nope 的指标"),
        ({"unit": ""}, "请选择督办的部门或乡镇（街道）"),
    ],
)
def test_a_bad_follow_up_is_refused_and_what_was_typed_is_kept(app, changes, message):
    leader = client_as(app, "leader")
    form = {
        "indicator": "mediation_success_rate",
        "unit": "department:SFJ",
        "due": DUE,
        "text": "请说明原因，谢谢",
    }
    answer = leader.post(SUPERVISE_NEW_PATH, data=form | changes, headers=OWN)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and message in page
    assert "请说明原因，谢谢" in page
    assert 'data-id="' not in leader.get(SUPERVISE_PATH + "?show=all").get_data(as_text=True)


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/media/big.bin", b"\0" * (150 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("报告.pdf", b"MZ\x90\0\x03\0\0\0" + b"\0" * 64, "实际是可执行程序"),
        ("报告.docx", "bomb", "疑似恶意构造"),
        ("工具.exe", b"MZ", "不接收“.exe”文件"),
    ],
)
def test_a_bad_attachment_refuses_the_reply_and_keeps_its_text(app, name, body, message):
    sid = _raise(client_as(app, "leader"))
    justice = client_as(app, "justice")
    answer = _reply(justice, sid, "这段文字不能丢", files=[(name, _bomb() if body == "bomb" else body)])
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and message in page and "这段文字不能丢" in page
    assert "待办" in justice.get(supervision_url(sid)).get_data(as_text=True)


def test_a_reply_over_the_body_limit_is_a_chinese_413(app):
    sid = _raise(client_as(app, "leader"))
    # 200 MB declared: refused on the declared length, before a byte of it is read
    answer = client_as(app, "justice").post(
        supervision_url(sid, SUPERVISION_REPLY_PATH),
        data=b"x",
        headers=OWN,
        content_type="multipart/form-data; boundary=x",
        environ_overrides={"CONTENT_LENGTH": str(200 * 1024 * 1024)},
    )
    assert answer.status_code == 413 and "请求体过大" in answer.get_data(as_text=True)
    assert "待办" in client_as(app, "justice").get(supervision_url(sid)).get_data(as_text=True)


def test_a_figure_offers_a_follow_up_to_those_who_may_raise_one():
    from callbacks.figures import raise_href
    from data.access import Scope
    from data.queries.filters import Filters
    from layouts.cards import kpi_card

    leader = Scope(role="leader")
    assert raise_href("mediation_success_rate", Filters(year=2024, departments=("SFJ",), scope=leader)) == (
        f"{SUPERVISE_NEW_PATH}?indicator=mediation_success_rate&department=SFJ"
    )
    assert raise_href("x", Filters(year=2024, townships=("qingshan",), scope=leader)).endswith(
        "&township=qingshan"
    )
    assert raise_href("x", Filters(year=2024, scope=leader)) == f"{SUPERVISE_NEW_PATH}?indicator=x"
    head = Scope(role="department", department="SFJ", department_name="区司法局")
    assert raise_href("x", Filters(year=2024, scope=head)) is None
    figure = {"code": "x", "name": "数", "unit": "件", "value": 1, "yoy_pct": None, "yoy_points": None}
    figure |= {"as_of": None, "source": "登记簿"}
    about = {
        "definition": "口径",
        "responsible": "区司法局",
        "period": "年度",
        "direction": "up",
        "target": None,
    }
    assert "督办" in str(kpi_card(figure, about, [], drill=False, raise_href="/x").to_plotly_json())
    assert "督办" not in str(kpi_card(figure, about, [], drill=False).to_plotly_json())


@pytest.mark.parametrize(("upload_mb", "attachment_mb"), [(50, 20), (50, 5), (10, 20), (200, 200)])
def test_a_reply_never_takes_more_than_an_upload_may_be(upload_mb, attachment_mb):
    """nginx's client_max_body_size is the upload limit plus 1 MB (README, tests/test_deploy.py): a reply the app
    would take must get through it, so a reply is bounded by the upload limit too."""
    cfg = Config(max_upload_mb=upload_mb, max_attachment_mb=attachment_mb)
    limit = reply_limit(cfg)
    assert limit <= cfg.max_upload_bytes + FORM_OVERHEAD <= (upload_mb + 1) * 1024 * 1024
    assert limit == min(MAX_FILES * cfg.max_attachment_bytes, cfg.max_upload_bytes) + FORM_OVERHEAD

"""Monthly reports delivered (月报) on both engines: `dashboard deliver` keeps each unit's /mine as PDF and Word in
its readers' inbox and the district's in the leaders', pushes the exact JSON WeCom and DingTalk robots accept to a
local fake receiver, retries a webhook that times out, answers 500 or redirects a bounded number of times and
reports it, and never writes a webhook's key to the output or the logs; `dashboard channel` and its bad input."""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import assert_one_line_error, client_as, run_cli

from dashboard.content import monthly
from dashboard.exports import robots
from data import catalog, delivery, org
from data.access import Scope
from data.engine import open_engine
from data.queries.mine import district_view, mine_view
from data.queries.periods import Period

MARKET = Scope(role="department", department="SCJGJ", department_name="区市场监督管理局")
WECOM_KEY = "wecom-secret-693f1c2a"
DING_KEY = "ding-secret-1e5b77d0"
FAKE_PDF = b"%PDF-1.7 fake"


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # /slow answers after the client gave up: its broken pipe is expected, and a traceback printed from this
        # thread would land in whatever a later test captures from stderr
        pass


class Receiver:
    """A robot's webhook on this machine: /ok answers {"errcode": 0}, /fail 500, /slow after a second, /moved
    302 to /ok; every request's path and JSON body is kept."""

    def __init__(self) -> None:
        self.got: list[tuple[str, dict]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                path = self.path.split("?")[0]
                receiver.got.append((self.path, body))
                if path == "/slow":
                    time.sleep(1.0)
                if path == "/moved":
                    self.send_response(302)
                    self.send_header("Location", "/ok")
                    self.end_headers()
                    return
                status = 500 if path == "/fail" else 200
                answer = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def paths(self) -> list[str]:
        return [p.split("?")[0] for p, _ in self.got]


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


@pytest.fixture
def store_url(app) -> str:
    return app.server.extensions["dashboard.engine"].url.render_as_string(hide_password=False)


@pytest.fixture
def fast_robots(monkeypatch):
    """No browser in the fast tier (the PDF is a stand-in; a browser test prints a real one) and short waits."""
    monkeypatch.setattr(monthly, "mine_pdf", lambda html, browser_path="": FAKE_PDF)
    monkeypatch.setattr(robots, "TIMEOUT", 0.3)
    monkeypatch.setattr(robots, "PAUSE", 0.0)


def cli(url: str, *args: str):
    return run_cli(*args, env={"DATABASE_URL": url})


def test_a_delivery_keeps_each_units_report_and_pushes_what_the_robots_accept(
    app, store_url, receiver, fast_robots, caplog
):
    caplog.set_level(logging.DEBUG)
    assert (
        cli(
            store_url, "channel", "add", "全区群", "--webhook", f"{receiver.url}/ok?key={WECOM_KEY}"
        ).returncode
        == 0
    )
    added = cli(
        store_url,
        "channel",
        "add",
        "市场局群",
        "--webhook",
        f"{receiver.url}/ok?access_token={DING_KEY}",
        "--department",
        "SCJGJ",
        "--kind",
        "dingtalk",
    )
    assert added.returncode == 0 and DING_KEY not in added.stdout and "access_token=***" in added.stdout
    done = cli(store_url, "deliver", "--month", "2024-02", "--unit", "SCJGJ", "--unit", "qingshan")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "月报 3 份" in done.stdout and "失败 0 个" in done.stdout

    # the exact JSON each robot accepts: WeCom {"msgtype": "markdown", "markdown": {"content"}}, DingTalk
    # {"msgtype": "markdown", "markdown": {"title", "text"}}, with the summary and the link
    engine = open_engine(store_url)
    with engine.connect() as conn:
        name = org.district_name(conn)
        whole = district_view(conn, Scope(role="leader"), Period(2024, "month", 2), name).to_dict()
        market = mine_view(conn, MARKET, Period(2024, "month", 2)).to_dict()
    bodies = {p.split("?")[1].split("=")[0]: b for p, b in receiver.got}
    title, lines = monthly.summary(whole, name, "/mine/reports")
    assert bodies["key"] == {
        "msgtype": "markdown",
        "markdown": {
            "content": "\n".join([f"### {title}", *(f"> {line}" for line in lines[:-1]), lines[-1]])
        },
    }
    title, lines = monthly.summary(market, name, "/mine/reports")
    assert bodies["access_token"] == {
        "msgtype": "markdown",
        "markdown": {
            "title": title,
            "text": "\n".join([f"### {title}", *(f"> {line}" for line in lines[:-1]), lines[-1]]),
        },
    }
    assert (
        title == "区市场监督管理局工作月报 · 2024年2月"
        and lines[-1] == "完整月报（PDF、Word）：/mine/reports"
    )
    # never a figure that is not public in a group chat
    cat = catalog.load()
    public = {i.name for i in cat.values() if i.visibility == "public"}
    for body in bodies.values():
        text = body["markdown"].get("content") or body["markdown"]["text"]
        named = {
            line[2:].split("：")[0] for line in text.splitlines() if line.startswith("> ") and "：" in line
        }
        assert named and named <= public
    # the keys are in no output and no log
    everything = done.stdout + done.stderr + added.stderr + caplog.text
    assert WECOM_KEY not in everything and DING_KEY not in everything
    listed = cli(store_url, "channel", "list")
    assert "key=***" in listed.stdout and WECOM_KEY not in listed.stdout and DING_KEY not in listed.stdout

    # each reader's inbox: their unit's report; leaders every report, the district's too
    market_client = client_as(app, "market")
    inbox = market_client.get("/mine/reports").get_data(as_text=True)
    assert (
        "区市场监督管理局工作月报 · 2024年2月" in inbox
        and "青山镇" not in inbox
        and "法治政府建设月报" not in inbox
    )
    with engine.connect() as conn:
        reports = {r.unit_code: r for r in delivery.reports_for(conn, Scope(role="leader"))}
    engine.dispose()
    assert set(reports) == {"", "SCJGJ", "qingshan"}
    mine_id, other_id = reports["SCJGJ"].id, reports["qingshan"].id
    word = market_client.get(f"/mine/reports/{mine_id}.docx")
    assert word.status_code == 200 and word.data[:2] == b"PK"
    assert market_client.get(f"/mine/reports/{mine_id}.pdf").data == FAKE_PDF
    # another unit's report is not there for them, nor the district's, nor any file kind but two
    assert market_client.get(f"/mine/reports/{other_id}.pdf").status_code == 404
    assert market_client.get(f"/mine/reports/{reports[''].id}.docx").status_code == 404
    assert market_client.get(f"/mine/reports/{mine_id}.exe").status_code == 404
    leader = client_as(app, "leader").get("/mine/reports").get_data(as_text=True)
    assert "法治政府建设月报 · 2024年2月" in leader and "青山镇工作月报" in leader
    assert client_as(app, None).get(f"/mine/reports/{mine_id}.docx").status_code in (401, 404)

    # a second run replaces the month's reports; a dry run keeps nothing and pushes nothing
    pushed = len(receiver.got)
    assert cli(store_url, "deliver", "--month", "2024-02", "--unit", "SCJGJ", "--dry-run").returncode == 0
    assert len(receiver.got) == pushed
    assert cli(store_url, "deliver", "--month", "2024-02", "--unit", "SCJGJ").returncode == 0
    engine = open_engine(store_url)
    with engine.connect() as conn:
        assert len(delivery.reports_for(conn, Scope(role="leader"))) == 3
    engine.dispose()


def test_a_webhook_that_times_out_fails_or_redirects_is_retried_a_bounded_number_of_times_and_reported(
    app, store_url, receiver, fast_robots, caplog
):
    caplog.set_level(logging.DEBUG)
    for name, path in (("慢", "slow"), ("坏", "fail"), ("跳", "moved")):
        assert (
            cli(
                store_url,
                "channel",
                "add",
                name,
                "--webhook",
                f"{receiver.url}/{path}?key={WECOM_KEY}-{path}",
            ).returncode
            == 0
        )
    done = cli(store_url, "deliver", "--month", "2024-02", "--unit", "SCJGJ")
    assert done.returncode == 1
    out = done.stdout
    assert "没有应答，已重试 3 次" in out and "HTTP 500" in out and "重定向（HTTP 302）" in out
    assert "失败 3 个" in out
    # three tries each, and the redirect never followed to where it points
    paths = receiver.paths()
    assert paths.count("/slow") == paths.count("/fail") == paths.count("/moved") == 3
    assert "/ok" not in paths
    everything = out + done.stderr + caplog.text
    assert WECOM_KEY not in everything and "key=***" in everything
    # the reports are kept all the same
    engine = open_engine(store_url)
    with engine.connect() as conn:
        assert len(delivery.reports_for(conn, Scope(role="leader"))) == 2
    engine.dispose()


def test_channels_and_months_refused_with_one_chinese_line_and_nothing_kept(empty_url):
    assert cli(empty_url, "init").returncode == 0
    assert "还没有推送通道" in cli(empty_url, "channel", "list").stdout
    for args, fragment in (
        (("channel", "add", "群", "--webhook", "ftp://robot.example/send?key=abc"), "webhook 地址无效"),
        (
            (
                "channel",
                "add",
                "群",
                "--webhook",
                "https://robot.example/send?key=abc",
                "--department",
                "NOPE",
            ),
            "没有代码为",
        ),
        (("channel", "add", "群 聊", "--webhook", "https://robot.example/send?key=abc"), "通道名称"),
        (
            ("channel", "add", "群", "--webhook", "https://robot.example/send?key=abc", "--kind", "slack"),
            "slack",
        ),
        (("channel", "remove", "没有这个"), "没有名为"),
        (("deliver", "--month", "2026-13"), "月份“2026-13”无效"),
        (("deliver", "--month", "2999-01"), "还没有结束"),
        (("deliver", "--month", "2024-02"), "没有2024年的数据"),
    ):
        proc = cli(empty_url, *args)
        assert_one_line_error(proc, fragment)
        assert "abc" not in proc.stderr
    ok = cli(empty_url, "channel", "add", "群", "--webhook", "https://robot.example/send?key=abc")
    assert ok.returncode == 0 and "key=***" in ok.stdout
    assert_one_line_error(
        cli(empty_url, "channel", "add", "群", "--webhook", "https://robot.example/send?key=abd"), "已有名为"
    )
    assert cli(empty_url, "channel", "remove", "群").returncode == 0
    engine = open_engine(empty_url)
    with engine.connect() as conn:
        assert delivery.list_channels(conn) == []
    engine.dispose()


def test_redacting_hides_every_query_value_and_any_password():
    assert delivery.redact("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6") == (
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***"
    )
    assert delivery.redact(
        "https://user:pw@oapi.dingtalk.com/robot/send?access_token=x&timestamp=1&sign=s"
    ) == ("https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=***&sign=***")


def test_a_robots_message_is_cut_to_what_wecom_takes():
    body = robots.payload("wecom", "月报", ["很长的一行" * 2000, "链接"])
    assert len(body["markdown"]["content"].encode()) <= robots.WECOM_LIMIT
    with pytest.raises(ValueError):
        robots.payload("slack", "月报", ["链接"])


@pytest.mark.browser
def test_a_delivered_report_holds_a_real_pdf(app, store_url):
    assert cli(store_url, "deliver", "--month", "2024-02", "--unit", "qingshan").returncode == 0
    engine = open_engine(store_url)
    with engine.connect() as conn:
        found = {r.unit_code: r for r in delivery.reports_for(conn, Scope(role="leader"))}
        title, pdf = delivery.report_file(
            conn, Scope(role="township", township="qingshan"), found["qingshan"].id, "pdf"
        )
    engine.dispose()
    assert pdf.startswith(b"%PDF") and title == "青山镇工作月报 · 2024年2月"


def test_celery_beat_delivers_the_month_before_on_the_twelfth():
    from datetime import date

    from dashboard.jobs import celery_worker

    entry = celery_worker.app.conf.beat_schedule["monthly-reports"]
    assert entry["task"] == celery_worker.DELIVER == celery_worker.deliver_last_month.name
    assert entry["schedule"].day_of_month == {12} and entry["schedule"].hour == {6}
    assert celery_worker.last_month(date(2026, 3, 12)) == "2026-02"
    assert celery_worker.last_month(date(2027, 1, 12)) == "2026-12"
    # what the task hands `deliver` is a month it accepts
    assert delivery.parse_month(celery_worker.last_month(date.today())) < (date.today().year + 1, 1)

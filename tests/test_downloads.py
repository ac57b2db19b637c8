"""Downloads of the rows behind a figure: streamed, the same rows as the grid, safe cells, bounded, refused
when they should be."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import datetime

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select, update

from dashboard import create_app
from dashboard.pages.desk import downloads
from data.access import OPERATOR
from data.engine import open_engine
from data.queries.filters import Filters
from data.queries.records import all_records
from data.registers import column_labels
from data.schema import enforcement_case
from layouts import records as view

QUERY = "/download/records.{kind}?year=2024&township=qingshan&code=disputes_mediated"


def signed_in(url: str, tokens: dict, **config):
    """A client of an app over ``url`` whose every request is a leader's (an API token)."""
    client = create_app({"database_url": url, **config}).server.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {tokens[url]['leader']}"
    return client


@pytest.fixture
def client(demo_url, demo_tokens):
    return signed_in(demo_url, demo_tokens)


def expected_rows(url: str, code: str, filters: Filters) -> list[list[str]]:
    engine = open_engine(url)
    with engine.connect() as conn:
        page = all_records(conn, code, filters)
    engine.dispose()
    shown = view.shown_columns(page.columns)
    return [[str(view.safe(view.cell(r.get(c)))) for c in shown] for r in page.rows]


def test_a_csv_download_streams_exactly_the_rows_behind_the_figure(client, demo_url):
    resp = client.get(QUERY.format(kind="csv"))
    assert resp.status_code == 200 and resp.is_streamed
    assert (
        "attachment" in resp.headers["Content-Disposition"] and ".csv" in resp.headers["Content-Disposition"]
    )
    # its charset named once
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(resp.get_data().decode("utf-8-sig"))))
    assert rows[0][:2] == ["序号", "受理日期"]
    expected = expected_rows(
        demo_url, "disputes_mediated", Filters(2024, townships=("qingshan",), scope=OPERATOR)
    )
    assert rows[1:] == expected and len(expected) > 100


def test_an_excel_download_holds_the_same_rows_as_a_person_reads_them(client, demo_url, tmp_path):
    """A title row, a frozen header with a filter, 序号 1…N (not the store's id), real dates shown as
    2024年3月5日, and columns wide enough for what they hold."""
    resp = client.get(QUERY.format(kind="xlsx"))
    assert resp.status_code == 200 and resp.mimetype == downloads.MIMETYPES["xlsx"]
    (tmp_path / "x.xlsx").write_bytes(resp.get_data())
    resp.close()
    sheet = load_workbook(tmp_path / "x.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    expected = expected_rows(
        demo_url, "disputes_mediated", Filters(2024, townships=("qingshan",), scope=OPERATOR)
    )
    title = rows[0][0]
    assert title.startswith("调处纠纷") or "纠纷" in title
    assert (
        "2024年" in title and "青山镇" in title and f"共 {len(expected):,} 条" in title and "导出于" in title
    )
    assert rows[1][:2] == ("序号", "受理日期") and len(rows) - 2 == len(expected)
    assert [row[0] for row in rows[2:]] == list(range(1, len(expected) + 1))
    # the other columns hold what the grid holds; dates are dates
    dates = [row[1] for row in rows[2:]]
    assert all(isinstance(d, datetime) for d in dates)
    assert [d.date().isoformat() for d in dates] == [row[1] for row in expected]
    assert sheet.cell(row=3, column=2).number_format == 'yyyy"年"m"月"d"日"'
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:{get_column_letter(len(rows[1]))}{len(rows)}"
    header = rows[1]
    for col, label in enumerate(header, 1):
        width = sheet.column_dimensions[get_column_letter(col)].width
        # what a person sees: a date as 2024年3月5日, a Chinese character two columns wide
        shown = [r[col - 1] for r in rows[1:50]]
        longest = max(
            10 if isinstance(v, datetime) else sum(1 + (ord(ch) > 0x2E7F) for ch in str(v or ""))
            for v in shown
        )
        assert width >= min(longest, 40), (label, width)


def test_cells_with_control_characters_or_formulas_stay_text_in_both_formats(
    demo_urls, demo_tokens, tmp_path
):
    store = tmp_path / "store.db"
    shutil.copy(demo_urls["sqlite"].removeprefix("sqlite:///"), store)
    engine = open_engine(f"sqlite:///{store}")
    with engine.begin() as conn:
        victim = conn.scalar(select(enforcement_case.c.id).where(enforcement_case.c.year == 2024).limit(1))
        conn.execute(
            update(enforcement_case)
            .where(enforcement_case.c.id == victim)
            .values(subject='=HYPERLINK("http://x")\x01\x0b坏字符')
        )
    engine.dispose()
    client = create_app({"database_url": f"sqlite:///{store}"}).server.test_client()
    # the copy holds the same accounts and tokens as the store it was copied from
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {demo_tokens[demo_urls['sqlite']]['leader']}"
    query = "/download/records.{kind}?year=2024&code=enforcement_cases_recorded"
    xlsx = client.get(query.format(kind="xlsx"))
    assert xlsx.status_code == 200
    (tmp_path / "x.xlsx").write_bytes(xlsx.get_data())
    book = load_workbook(tmp_path / "x.xlsx")
    cells = [c for row in book.active.iter_rows() for c in row]
    # a text cell: no apostrophe to see, and no formula (the CSV needs the apostrophe, Excel does not)
    (found,) = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert found.value == '=HYPERLINK("http://x")坏字符' and found.data_type == "s"
    text = client.get(query.format(kind="csv")).get_data().decode("utf-8-sig")
    assert '\'=HYPERLINK(""http://x"")坏字符' in text and "\x01" not in text


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("?year=2024&code=nope", "code"),
        ("?year=2024&code=service_center_items", "code"),
        ("?year=1999&code=disputes_mediated", "year"),
        ("?year=2024&code=disputes_mediated&township=atlantis", "township"),
        ("?year=2024&code=disputes_mediated&extra=1", "extra"),
        ("?code=disputes_mediated", "year"),
    ],
)
def test_bad_download_requests_are_a_400_in_chinese(client, query, reason):
    resp = client.get(f"/download/records.csv{query}")
    assert resp.status_code == 400 and reason in resp.get_data(as_text=True)
    assert resp.mimetype == "text/plain"


def test_an_unknown_format_is_a_404(client):
    assert client.get("/download/records.pdf?year=2024&code=disputes_mediated").status_code == 404


def test_more_rows_than_the_cap_are_refused_before_any_is_read(client, monkeypatch):
    monkeypatch.setattr(downloads, "MAX_DOWNLOAD_ROWS", 100)
    resp = client.get(QUERY.format(kind="csv"))
    assert resp.status_code == 400 and "超过一次下载的上限 100 条" in resp.get_data(as_text=True)


def test_one_client_asking_too_often_gets_a_429_with_retry_after(demo_urls, demo_tokens):
    client = signed_in(demo_urls["sqlite"], demo_tokens)
    small = "/download/records.csv?year=2024&township=qingshan&code=reconsideration_applications"

    def ask():
        resp = client.get(small)
        resp.get_data()
        resp.close()  # the server is done with it: its download slot is free again
        return resp

    assert [ask().status_code for _ in range(downloads.PER_MINUTE)] == [200] * downloads.PER_MINUTE
    last = ask()
    assert (
        last.status_code == 429
        and last.headers["Retry-After"]
        and "下载太频繁" in last.get_data(as_text=True)
    )


def test_downloads_being_written_at_once_are_limited_per_worker(client):
    held = [client.get(QUERY.format(kind="csv")) for _ in range(downloads.AT_ONCE)]
    assert [r.status_code for r in held] == [200] * downloads.AT_ONCE
    busy = client.get(QUERY.format(kind="csv"))
    assert busy.status_code == 429 and "正在生成的下载太多" in busy.get_data(as_text=True)
    for resp in held:
        resp.close()
    freed = client.get(QUERY.format(kind="csv"))
    assert freed.status_code == 200
    freed.close()


def test_behind_a_proxy_each_client_has_its_own_limit_and_a_forged_header_counts_for_nothing(
    demo_urls, demo_tokens
):
    small = "/download/records.csv?year=2024&township=qingshan&code=reconsideration_applications"

    def used_up(client, address: str) -> bool:
        for _ in range(downloads.PER_MINUTE):
            client.get(small, headers={"X-Forwarded-For": address}).close()
        return client.get(small, headers={"X-Forwarded-For": address}).status_code == 429

    proxied = signed_in(demo_urls["sqlite"], demo_tokens, proxies=1)
    assert used_up(proxied, "10.0.0.1")
    other = proxied.get(small, headers={"X-Forwarded-For": "10.0.0.2"})
    assert other.status_code == 200
    other.close()

    direct = signed_in(demo_urls["sqlite"], demo_tokens)
    assert used_up(direct, "10.0.0.1")
    # Without a proxy configured, a client cannot pose as another by sending the header.
    assert direct.get(small, headers={"X-Forwarded-For": "10.0.0.3"}).status_code == 429


@pytest.mark.parametrize(
    ("who", "query", "status"),
    [
        (None, QUERY, 401),
        ("qingshan", QUERY.replace("township=qingshan", "township=baisha"), 403),
        ("market", QUERY + "&department=ZRZYJ", 403),
        ("market", QUERY, 200),
        ("qingshan", QUERY, 200),
    ],
)
def test_a_download_is_for_signed_in_readers_and_only_of_their_own_rows(demo_url, bearer, who, query, status):
    client = create_app({"database_url": demo_url}).server.test_client()
    resp = client.get(query.format(kind="csv"), headers=bearer(who) if who else {})
    assert resp.status_code == status
    if status != 200:
        assert "登录" in resp.get_data(as_text=True) or "本" in resp.get_data(as_text=True)
        return
    rows = list(csv.DictReader(io.StringIO(resp.get_data().decode("utf-8-sig"))))
    if who == "market":
        assert {r[column_labels("dispute_case")["department_name"]] for r in rows} <= {"区市场监督管理局"}
    else:
        assert rows and {r["乡镇（街道）"] for r in rows} == {"青山镇"}


def test_every_download_is_in_the_audit_log(demo_url, bearer):
    from data import accounts

    client = create_app({"database_url": demo_url}).server.test_client()
    assert client.get(QUERY.format(kind="csv"), headers=bearer("qingshan")).status_code == 200
    engine = open_engine(demo_url)
    with engine.connect() as conn:
        last = next(e for e in accounts.audit_events(conn, user="qingshan") if e.event == "download")
    engine.dispose()
    assert last.subject == "disputes_mediated"
    assert last.detail["township"] == ["qingshan"] and last.detail["year"] == 2024 and last.detail["rows"] > 0

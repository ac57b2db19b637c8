"""Signing in and out through the web: cookies, where each reader lands, throttling, tokens, anonymous mode."""

from __future__ import annotations

import json

import pytest
from conftest import PASSWORD
from sqlalchemy import create_engine

from dashboard import create_app
from dashboard.app import app_title
from dashboard.web.security import SESSION_COOKIE

ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture
def app(demo_url):
    return create_app({"database_url": demo_url})


def sign_in(client, name: str, password: str = PASSWORD, address: str = "127.0.0.1", **form):
    return client.post(
        "/login",
        data={"username": name, "password": password, **form},
        headers=ORIGIN,
        environ_base={"REMOTE_ADDR": address},
    )


def cookie_header(resp) -> str:
    return next(v for k, v in resp.headers.items() if k == "Set-Cookie" and v.startswith(SESSION_COOKIE))


def layout_text(client) -> str:
    return json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)


def test_the_session_cookie_is_http_only_and_same_site_lax_and_secure_when_configured(demo_url):
    plain = create_app({"database_url": demo_url}).server.test_client()
    header = cookie_header(sign_in(plain, "leader"))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    secure = create_app({"database_url": demo_url, "secure_cookies": "1"}).server.test_client()
    assert "Secure" in cookie_header(sign_in(secure, "leader"))


@pytest.mark.parametrize(("name", "landing"), [("market", "/mine"), ("qingshan", "/mine"), ("leader", "/")])
def test_a_head_lands_on_their_own_figures_and_a_leader_on_the_overview(app, name, landing):
    resp = sign_in(app.server.test_client(), name)
    assert resp.status_code == 303 and resp.headers["Location"] == landing


def test_the_page_asked_for_comes_back_after_sign_in_but_never_another_site(app):
    client = app.server.test_client()
    assert (
        sign_in(client, "leader", next="/mediation?year=2023").headers["Location"] == "/mediation?year=2023"
    )
    for hostile in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        assert sign_in(client, "leader", next=hostile).headers["Location"] == "/"


def test_the_header_names_the_reader_and_their_role(app):
    client = app.server.test_client()
    assert "登录" in layout_text(client)
    sign_in(client, "market")
    text = layout_text(client)
    assert "market" in text and "部门负责人" in text and "区市场监督管理局" in text and "退出" in text


def test_a_wrong_password_is_a_401_in_chinese_and_sets_no_cookie(app):
    resp = sign_in(app.server.test_client(), "leader", "not-the-password", address="10.1.0.1")
    assert resp.status_code == 401
    assert "用户名或密码错误" in resp.get_data(as_text=True)
    assert SESSION_COOKIE not in resp.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(
    "form",
    [
        {"username": "x" * 10_000, "password": PASSWORD},
        {"username": "leader' OR '1'='1", "password": "' OR ''='"},
        {"username": "<script>alert(1)</script>", "password": "p" * 20},
        {"username": "", "password": ""},
        {"username": "leader", "password": "p" * 100_000},
    ],
)
def test_hostile_sign_in_forms_get_a_4xx_and_no_session(app, form):
    resp = app.server.test_client().post(
        "/login", data=form, headers=ORIGIN, environ_base={"REMOTE_ADDR": "10.1.0.2"}
    )
    assert 400 <= resp.status_code < 500
    assert "<script>alert" not in resp.get_data(as_text=True)
    assert SESSION_COOKIE not in resp.headers.get("Set-Cookie", "")


def test_five_failures_for_one_username_make_the_sixth_try_wait(app):
    client = app.server.test_client()
    for n in range(5):
        assert sign_in(client, "nobody-by-name", "wrong-password", address=f"10.2.0.{n}").status_code == 401
    resp = sign_in(client, "nobody-by-name", "wrong-password", address="10.2.0.9")
    assert resp.status_code == 429
    assert int(resp.headers["Retry-After"]) > 0
    assert "登录失败次数过多" in resp.get_data(as_text=True)


def test_five_failures_from_one_address_make_even_the_right_password_wait(app):
    client = app.server.test_client()
    for n in range(5):
        assert sign_in(client, f"unknown-{n}", "wrong-password", address="10.3.0.1").status_code == 401
    assert sign_in(client, "leader", address="10.3.0.1").status_code == 429
    # another address is not held up by it
    assert sign_in(client, "leader", address="10.3.0.2").status_code == 303


def test_signing_out_ends_the_session_on_the_server(app):
    client = app.server.test_client()
    token = cookie_header(sign_in(client, "market")).split(";")[0].split("=", 1)[1]
    assert "market" in layout_text(client)
    resp = client.post("/logout", headers=ORIGIN)
    assert resp.status_code == 303 and resp.headers["Location"] == "/login"
    # the old cookie, sent again by someone who kept it, names nobody
    other = app.server.test_client()
    other.set_cookie(SESSION_COOKIE, token)
    assert "market" not in layout_text(other)
    assert other.get("/api/v1/records?code=disputes_mediated&year=2024").status_code == 401


def test_a_tampered_or_unknown_cookie_is_a_visitor_and_is_forgotten(app):
    client = app.server.test_client()
    client.set_cookie(SESSION_COOKIE, "forged-" + "A" * 40)
    resp = client.get("/_dash-layout")
    assert resp.status_code == 200
    assert f"{SESSION_COOKIE}=;" in resp.headers.get("Set-Cookie", "")
    client.set_cookie(SESSION_COOKIE, "x" * 1000)
    assert client.get("/api/v1/values?year=2024").status_code == 200


def test_an_api_token_identifies_its_account_and_a_bad_one_is_a_401(app, bearer, internal):
    client = app.server.test_client()
    codes = {v["code"] for v in client.get("/api/v1/values?year=2024").get_json()["values"]}
    assert "complaints" not in codes
    with_token = client.get("/api/v1/values?year=2024", headers=bearer("qingshan")).get_json()
    assert "complaints" in {v["code"] for v in with_token["values"]}
    for header in ("Bearer fzt_not-a-token", "Bearer " + "x" * 5000, "Bearer"):
        resp = client.get("/api/v1/values?year=2024", headers={"Authorization": header})
        assert resp.status_code in (200, 401)
        if header != "Bearer":
            assert resp.status_code == 401 and resp.get_json()["error"]


def test_with_anonymous_none_a_visitor_reaches_only_the_sign_in_page_and_health(demo_url, bearer):
    client = create_app({"database_url": demo_url, "anonymous": "none"}).server.test_client()
    resp = client.get("/mediation?year=2024")
    assert resp.status_code == 303
    assert resp.headers["Location"].startswith("/login?next=") and "mediation" in resp.headers["Location"]
    assert client.get("/api/v1/values?year=2024").status_code == 401
    assert client.get("/api/v1/dimensions").status_code == 401
    assert client.post("/_dash-update-component", json={}).status_code == 401
    assert client.get("/_dash-layout").status_code == 401
    for path in ("/login", "/healthz", "/readyz", "/assets/2-app/app.css"):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/values?year=2024", headers=bearer("leader")).status_code == 200
    sign_in(client, "leader")
    assert client.get("/mediation?year=2024").status_code == 200


def test_the_request_log_names_the_reader_who_signed_in(app, bearer, caplog):
    client = app.server.test_client()
    with caplog.at_level("INFO", logger="dashboard.request"):
        client.get("/api/v1/values?year=2024", headers=bearer("market"))
        client.get("/api/v1/values?year=2024")
    lines = [r.getMessage() for r in caplog.records if r.name == "dashboard.request"]
    assert lines[-2].endswith(" ms user=market")
    assert lines[-1].endswith(" ms") and "user=" not in lines[-1]


def test_the_server_rendered_pages_carry_the_districts_name_and_the_bare_title_without_a_store(app):
    page = app.server.test_client().get("/login").get_data(as_text=True)
    assert "<title>登录 · 示例区法治政府建设数据驾驶舱</title>" in page
    assert '<h1 class="app-title">示例区法治政府建设数据驾驶舱</h1>' in page
    nowhere = create_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    assert app_title(nowhere) == "法治政府建设数据驾驶舱"

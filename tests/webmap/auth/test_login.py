"""Logging in and out with the form, /me, and the CSRF check of the login itself."""

import pytest

from tests.webmap.api.apptest import PASSWORD, bearer, login

pytestmark = pytest.mark.db


def test_login_page_has_a_csrf_protected_form(client):
    page = client.get("/login")
    assert page.status_code == 200 and b'name="csrf_token"' in page.data
    no_token = client.post("/login", data={"username": "editor", "password": PASSWORD})
    assert no_token.status_code == 403


def test_login_redirects_and_me_tells_the_role(app, tokens):
    browser = app.test_client()
    assert browser.get("/me").get_json()["authenticated"] is False
    csrf = browser.get("/me").get_json()["csrf_token"]
    r = browser.post(
        "/login",
        data={
            "username": "planner",
            "password": PASSWORD,
            "csrf_token": csrf,
            "next": "/collections",
        },
    )
    assert r.status_code == 302 and r.headers["Location"] == "/collections"
    me = browser.get("/me").get_json()
    assert (me["user"], me["role"], me["authenticated"]) == ("planner", "planner", True)
    assert "plan" in me["capabilities"] and "personal" not in me["capabilities"]
    assert me["csrf_token"]


def test_wrong_password_is_401_without_saying_which_part(app, tokens):
    browser = app.test_client()
    csrf = browser.get("/me").get_json()["csrf_token"]
    for name in ("editor", "nobody"):
        r = browser.post("/login", data={"username": name, "password": "wrong", "csrf_token": csrf})
        assert r.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in r.text
    for name in ("editor", "nobody"):
        form = {"username": name, "password": "wrong", "csrf_token": csrf}
        r = browser.post("/login?lang=en", data=form)
        assert r.status_code == 401 and b"Wrong user name or password" in r.data
    assert browser.get("/me").get_json()["authenticated"] is False


def test_next_cannot_leave_the_site(app, tokens):
    browser = app.test_client()
    csrf = browser.get("/me").get_json()["csrf_token"]
    r = browser.post(
        "/login",
        data={
            "username": "viewer",
            "password": PASSWORD,
            "csrf_token": csrf,
            "next": "//evil.example/",
        },
    )
    assert r.headers["Location"] == "/"


def test_json_login_and_logout(app, tokens):
    browser = app.test_client()
    csrf = browser.get("/me").get_json()["csrf_token"]
    r = browser.post(
        "/login", json={"username": "crew", "password": PASSWORD}, headers={"X-CSRFToken": csrf}
    )
    assert r.status_code == 200 and r.get_json()["role"] == "crew"
    csrf = r.get_json()["csrf_token"]
    out = browser.post("/logout", headers={"X-CSRFToken": csrf, "Accept": "application/json"})
    assert out.get_json()["authenticated"] is False


def test_session_reads_protected_layers_and_bad_tokens_are_401(app, client, tokens):
    browser = app.test_client()
    login(browser, "viewer")
    assert browser.get("/collections/water_pipe/items").status_code == 200
    r = client.get("/collections/water_pipe/items", headers=bearer("twin_not-a-token"))
    assert r.status_code == 401 and "token" in r.get_json()["detail"]
    assert client.get("/me", headers=bearer(tokens["admin"])).get_json()["role"] == "admin"

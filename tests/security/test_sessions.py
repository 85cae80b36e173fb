"""Hole 9: sessions survived a password change.  Every session now names the
user's session generation, checked on each request; a password change,
deactivation or "sign out everywhere" raises it and ends every session."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.security.accounts import forged_session, new_user, user_id
from tests.webmap.api.apptest import PASSWORD, bearer, login
from twin.auth import users
from twin.cli import cli
from twin.db.engine import session_scope

pytestmark = pytest.mark.db


def _signed_in(client) -> bool:
    return client.get("/me").get_json()["authenticated"]


def _two_browsers(app, name):
    first, second = app.test_client(), app.test_client()
    login(first, name)
    login(second, name)
    assert _signed_in(first) and _signed_in(second)
    return first, second


def test_a_password_change_ends_every_session_even_a_replayed_cookie(app, api_engine):
    name = new_user(api_engine, "editor")
    first, second = _two_browsers(app, name)
    stolen = first.get_cookie("session").value
    with session_scope(api_engine) as session:
        users.set_password(session, name, "a brand new password")
    assert not _signed_in(first) and not _signed_in(second)
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert not _signed_in(thief)
    write = thief.post("/collections/lighting_light/items", json={})
    assert write.status_code == 401
    login(first, name, "a brand new password")
    assert _signed_in(first)


def test_deactivation_ends_sessions_and_stops_api_tokens(app, api_engine):
    name = new_user(api_engine, "viewer")
    with session_scope(api_engine) as session:
        token = users.issue_token(session, name)
    browser, _ = _two_browsers(app, name)
    tool = app.test_client()
    assert tool.get("/me", headers=bearer(token)).get_json()["user"] == name
    with session_scope(api_engine) as session:
        users.set_active(session, name, False)
    assert not _signed_in(browser)
    refused = tool.get("/collections/water_pipe/items", headers=bearer(token))
    assert refused.status_code == 401 and "token" in refused.get_json()["detail"]
    csrf = browser.get("/me").get_json()["csrf_token"]
    again = browser.post(
        "/login", data={"username": name, "password": PASSWORD, "csrf_token": csrf}
    )
    assert again.status_code == 401
    with session_scope(api_engine) as session:
        users.set_active(session, name, True)
    assert tool.get("/me", headers=bearer(token)).get_json()["user"] == name
    assert not _signed_in(browser)  # enabling does not bring old sessions back


def test_sign_out_everywhere_from_one_browser_ends_the_others(app, api_engine):
    name = new_user(api_engine, "planner")
    first, second = _two_browsers(app, name)
    csrf = first.get("/me").get_json()["csrf_token"]
    out = first.post(
        "/logout/everywhere", headers={"X-CSRFToken": csrf, "Accept": "application/json"}
    )
    assert out.status_code == 200 and out.get_json()["authenticated"] is False
    assert not _signed_in(first) and not _signed_in(second)
    login(second, name)
    assert _signed_in(second)


def test_sign_out_everywhere_needs_the_csrf_token_and_a_user(app, api_engine):
    name = new_user(api_engine, "viewer")
    first, second = _two_browsers(app, name)
    riding = first.post("/logout/everywhere")  # a form on another site, without the token
    assert riding.status_code == 403 and "CSRF" in riding.get_json()["detail"]
    assert _signed_in(first) and _signed_in(second)
    anonymous = app.test_client().post("/logout/everywhere")
    assert anonymous.status_code == 401 and "log in" in anonymous.get_json()["detail"]


def test_admin_signs_a_user_out_with_the_cli(app, api_engine, api_db_url, tmp_path):
    name = new_user(api_engine, "crew")
    first, second = _two_browsers(app, name)
    env = {"DATABASE_URL": api_db_url, "TWIN_HOME": str(tmp_path)}
    done = CliRunner().invoke(cli, ["users", "signout", name], env=env)
    assert done.exit_code == 0, done.output
    assert f"every session of {name} ended" in done.output
    assert not _signed_in(first) and not _signed_in(second)
    disabled = CliRunner().invoke(cli, ["users", "disable", name], env=env)
    assert disabled.exit_code == 0 and "disabled" in disabled.output
    unknown = CliRunner().invoke(cli, ["users", "signout", "nobody-at-all"], env=env)
    assert unknown.exit_code == 1 and "no user named 'nobody-at-all'" in unknown.output


def test_a_cookie_of_an_older_generation_signed_with_the_real_key_is_refused(app, api_engine):
    """Even a validly signed cookie is only as good as its generation."""
    name = new_user(api_engine, "admin")
    uid = user_id(api_engine, name)
    browser = app.test_client()
    browser.set_cookie("session", forged_session(app.secret_key, {"_user_id": f"{uid}:0"}))
    assert browser.get("/me").get_json()["user"] == name
    with session_scope(api_engine) as session:
        users.end_sessions(session, name)
    assert not _signed_in(browser)
    for stale in (str(uid), f"{uid}:0", f"{uid}:-1", f"{uid}:x", f"{uid}:1:0"):
        browser.set_cookie("session", forged_session(app.secret_key, {"_user_id": stale}))
        assert not _signed_in(browser), stale
    browser.set_cookie("session", forged_session(app.secret_key, {"_user_id": f"{uid}:1"}))
    assert _signed_in(browser)

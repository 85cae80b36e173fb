"""Hole 9: 200 wrong logins met no slowdown, and login timing told known names from unknown.

Failed logins are now counted per account and per address in
``auth.login_failures`` (so every process sees them); past a few free
failures each try must wait, twice as long each time.  Every login makes
exactly one password check, known user or not.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from werkzeug import security

from tests.security.accounts import browser, new_user, try_login, unique_address
from tests.webmap.api.apptest import PASSWORD
from twin.auth import throttle
from twin.auth import users as accounts
from twin.config import Settings
from twin.db.engine import session_scope
from webmap import create_app

pytestmark = pytest.mark.db


def _guess(client, name, times, password="wrong guess"):
    return [try_login(client, name, password).status_code for _ in range(times)]


def _wait_of(engine, key) -> float:
    """The wait set by the last failure of ``key`` (seconds, 0 if none)."""
    with engine.connect() as conn:
        wait = conn.execute(
            text(
                "SELECT extract(epoch FROM blocked_until - last_failed_at) "
                "FROM auth.login_failures WHERE key = :k"
            ),
            {"k": key},
        ).scalar()
    return float(wait or 0)


def _unblock(engine, key):
    """As if the wait had passed (the count stays)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE auth.login_failures SET blocked_until = now() - interval '1 second' "
                "WHERE key = :k AND blocked_until IS NOT NULL"
            ),
            {"k": key},
        )


def _fail_until(engine, key, fail, *, wait_s=8) -> list[float]:
    """Call ``fail()`` (a wrong login) until ``key`` must wait ``wait_s``, skipping the
    shorter waits on the way (a slow machine must not outlast them); the waits seen."""
    waits = []
    while _wait_of(engine, key) < wait_s:
        _unblock(engine, key)
        assert fail().status_code == 401
        waits.append(_wait_of(engine, key))
    return waits


def test_guessing_a_password_is_slowed_down_and_says_so(app, api_engine):
    name = new_user(api_engine, "admin")
    attacker = browser(app, unique_address())
    _fail_until(api_engine, f"account:{name}", lambda: try_login(attacker, name, "wrong guess"))
    blocked = try_login(attacker, name, "wrong guess")
    assert blocked.status_code == 429 and 1 <= int(blocked.headers["Retry-After"]) <= 8
    assert "Đăng nhập sai quá nhiều lần" in blocked.text and "giây" in blocked.text
    csrf = attacker.get("/me").get_json()["csrf_token"]
    form = {"username": name, "password": "wrong guess", "csrf_token": csrf}
    english = attacker.post("/login?lang=en", data=form)
    assert english.status_code == 429 and "Too many failed logins: wait" in english.text
    # while blocked even the right password opens nothing, from any address
    right = try_login(browser(app, unique_address()), name, PASSWORD)
    assert right.status_code == 429
    assert not attacker.get("/me").get_json()["authenticated"]


def test_each_further_failure_doubles_the_wait(app, api_engine):
    name = new_user(api_engine, "editor")
    attacker = browser(app, unique_address())
    waits = _fail_until(
        api_engine, f"account:{name}", lambda: try_login(attacker, name, "wrong"), wait_s=16
    )
    assert waits == [0] * throttle.ACCOUNT.free + [1, 2, 4, 8, 16]


def test_a_successful_login_forgets_the_accounts_failures(app, api_engine):
    name = new_user(api_engine, "viewer")
    person = browser(app, unique_address())
    _guess(person, name, throttle.ACCOUNT.free)
    assert try_login(person, name, PASSWORD, next="/collections").status_code == 302
    assert _wait_of(api_engine, f"account:{name}") == 0
    person = browser(app, unique_address())
    assert _guess(person, name, throttle.ACCOUNT.free) == [401] * throttle.ACCOUNT.free
    assert _wait_of(api_engine, f"account:{name}") == 0


def test_one_address_guessing_many_accounts_is_slowed_down(app, api_engine):
    address = unique_address()
    attacker = browser(app, address)
    names = (f"someone_{i}" for i in range(1000))
    waits = _fail_until(
        api_engine, f"address:{address}", lambda: try_login(attacker, next(names), "password1")
    )
    assert waits[: throttle.ADDRESS.free] == [0] * throttle.ADDRESS.free
    fresh_name = try_login(attacker, "yet-another-name", "password1")
    assert fresh_name.status_code == 429 and int(fresh_name.headers["Retry-After"]) >= 1
    name = new_user(api_engine, "viewer")
    assert try_login(browser(app, unique_address()), name, PASSWORD).status_code == 302


def test_the_counts_hold_across_processes(app, api_engine, api_db_url, tmp_path):
    """A second app on the same database (another worker) sees the block."""
    name = new_user(api_engine, "admin")
    address = unique_address()
    first = browser(app, address)
    _fail_until(api_engine, f"account:{name}", lambda: try_login(first, name, "wrong guess"))
    other = create_app(
        Settings(home=tmp_path, database_url=api_db_url, secret_key="k" * 40), {"TESTING": True}
    )
    assert try_login(browser(other, address), name, PASSWORD).status_code == 429


def test_parallel_guesses_do_not_slip_past_the_count(app, api_engine):
    """A burst of guesses at once meets the same limit as one after another."""
    name = new_user(api_engine, "admin")
    key = f"account:{name}"
    first = browser(app, unique_address())
    _fail_until(api_engine, key, lambda: try_login(first, name, "wrong guess"))
    _unblock(api_engine, key)  # the next failure sets a wait of 16 s
    clients = [browser(app, unique_address()) for _ in range(12)]
    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        codes = list(pool.map(lambda c: try_login(c, name, "wrong guess").status_code, clients))
    assert sorted(codes) == [401] + [429] * (len(clients) - 1)


def test_a_json_login_gets_a_problem_with_retry_after(app, api_engine):
    name = new_user(api_engine, "crew")
    client = browser(app, unique_address())
    headers = {"X-CSRFToken": client.get("/me").get_json()["csrf_token"]}
    body = {"username": name, "password": "wrong guess"}
    _fail_until(
        api_engine, f"account:{name}", lambda: client.post("/login", json=body, headers=headers)
    )
    r = client.post("/login", json={**body, "password": PASSWORD}, headers=headers)
    assert r.status_code == 429 and r.mimetype == "application/problem+json"
    problem = r.get_json()
    assert problem["status"] == 429 and "Too many failed logins" in problem["detail"]
    assert int(r.headers["Retry-After"]) >= 1


@pytest.fixture
def password_checks(app, monkeypatch):
    """Every password hash made or checked once the web app is up (calls go through unchanged)."""
    calls = []

    def check(pwhash, password):
        calls.append(("check", pwhash.split("$", 1)[0]))
        return security.check_password_hash(pwhash, password)

    def generate(password, *args, **kwargs):
        calls.append(("generate", None))
        return security.generate_password_hash(password, *args, **kwargs)

    monkeypatch.setattr(accounts, "check_password_hash", check)
    monkeypatch.setattr(accounts, "generate_password_hash", generate)
    return calls


def test_unknown_and_known_users_cost_the_same_one_password_check(api_engine, password_checks):
    known = new_user(api_engine, "viewer")
    tool = new_user(api_engine, "viewer", password=None)
    disabled = new_user(api_engine, "viewer")
    with session_scope(api_engine) as session:
        accounts.set_active(session, disabled, False)
        method = accounts.get_user(session, known).password_hash.split("$", 1)[0]
    password_checks.clear()
    with session_scope(api_engine) as session:
        for name in (known, "no-such-user", tool, disabled):
            assert accounts.authenticate(session, name, "wrong guess") is None
            assert password_checks == [("check", method)], name
            password_checks.clear()
        assert accounts.authenticate(session, known, PASSWORD).name == known
        assert password_checks == [("check", method)]

"""Fixtures of the web API tests: an app on its own database, users of every role, a live server.

API tests commit (the app runs its own transactions), so they use a
database of their own in the test cluster rather than the shared one, and
never disturb other tests' counts.  The app connects as the app login (which
may only read and write data), as ``twin web serve`` does; the fixtures that
prepare users connect as the owner.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, pool
from werkzeug.serving import make_server

from tests.databases import app_role_url, scratch_database
from twin.auth import users
from twin.config import Settings
from twin.db.engine import session_scope
from webmap import create_app

ROLES = ("viewer", "crew", "editor", "planner", "admin")
PASSWORD = "a good password"


@pytest.fixture(scope="session")
def api_db_url(db_url):
    """A migrated database of its own in the test cluster (dropped at the end)."""
    with scratch_database(db_url, "twin_api", copy=True) as url:
        yield url


@pytest.fixture(scope="session")
def api_engine(api_db_url):
    engine = create_engine(api_db_url, poolclass=pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(api_db_url, db_home, tmp_path_factory):
    settings = Settings(
        home=tmp_path_factory.mktemp("api-home"),
        database_url=api_db_url,
        app_database_url=app_role_url(api_db_url, db_home),
        secret_key="test-secret",
    )
    return create_app(settings, {"TESTING": True})


def users_with_tokens(engine, roles=ROLES) -> dict[str, str]:
    """A user named after each role (password PASSWORD); role -> an API token of that user."""
    out = {}
    with session_scope(engine) as session:
        for role in roles:
            users.add_user(session, role, role, PASSWORD)
            out[role] = users.issue_token(session, role, label="tests")
    return out


@pytest.fixture(scope="session")
def tokens(api_engine) -> dict[str, str]:
    """A user named after each role (password PASSWORD) and an API token for each."""
    return users_with_tokens(api_engine)


@pytest.fixture
def client(app):
    return app.test_client()


def bearer(token: str, **headers) -> dict:
    return {"Authorization": f"Bearer {token}", **headers}


def login(client, name: str, password: str = PASSWORD) -> str:
    """Log a test client in through the form; returns its CSRF token for writes."""
    csrf = client.get("/me").get_json()["csrf_token"]
    response = client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": csrf, "next": "/collections"},
    )
    assert response.status_code == 302, response.data
    return client.get("/me").get_json()["csrf_token"]


@pytest.fixture(scope="session")
def live_server(app):
    """The app served over real HTTP on a free loopback port, for GDAL and schemathesis."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()

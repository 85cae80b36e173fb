"""The planner page's app on a database of its own, with a user (and token) per role.

One database serves every test of the page in a session (and worker); each
test names the plans it saves, so they do not see each other's.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, pool

from tests.twin.zoning.own_db import scratch_database
from twin.auth import users
from twin.config import Settings
from twin.db.engine import session_scope
from webmap import create_app

PASSWORD = "a good password"


@pytest.fixture(scope="session")
def own_db_url(db_url):
    with scratch_database(db_url, "twin_zoning_web") as url:
        yield url


@pytest.fixture(scope="session")
def own_engine(own_db_url):
    engine = create_engine(own_db_url, poolclass=pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(own_db_url, tmp_path_factory):
    settings = Settings(
        home=tmp_path_factory.mktemp("zoning-home"),
        database_url=own_db_url,
        secret_key="test-secret",
    )
    return create_app(settings, {"TESTING": True})


@pytest.fixture(scope="session")
def tokens(own_engine) -> dict[str, str]:
    """Users named after the roles viewer, planner and admin, with an API token each."""
    out = {}
    with session_scope(own_engine) as session:
        for role in ("viewer", "planner", "admin"):
            users.add_user(session, role, role, PASSWORD)
            out[role] = users.issue_token(session, role, label="tests")
    return out


@pytest.fixture
def client(app):
    return app.test_client()

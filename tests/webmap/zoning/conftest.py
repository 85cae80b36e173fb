"""The planner page's app on a database of its own, with a user (and token) per role."""

from __future__ import annotations

import pytest

from tests.twin.zoning.own_db import own_db_url, own_engine  # noqa: F401
from twin.auth import users
from twin.config import Settings
from twin.db.engine import session_scope
from webmap import create_app

PASSWORD = "a good password"


@pytest.fixture(scope="module")
def app(own_db_url, tmp_path_factory):  # noqa: F811
    settings = Settings(
        home=tmp_path_factory.mktemp("zoning-home"),
        database_url=own_db_url,
        secret_key="test-secret",
    )
    return create_app(settings, {"TESTING": True})


@pytest.fixture(scope="module")
def tokens(own_engine) -> dict[str, str]:  # noqa: F811
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

"""The planner page's app on a database of its own, with a user (and token) per role.

One database serves every test of the page in a session (and worker); each
test names the plans it saves, so they do not see each other's.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, pool

from tests.twin.zoning.own_db import scratch_database
from tests.webmap.api.apptest import PASSWORD, users_with_tokens  # noqa: F401  (PASSWORD: the tests')
from twin.config import Settings
from webmap import create_app


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
    return users_with_tokens(own_engine, ("viewer", "planner", "admin"))


@pytest.fixture
def client(app):
    return app.test_client()

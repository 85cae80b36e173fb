"""The web app on the small demo city, connected as the app login (as ``twin serve`` is)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, pool

from tests.databases import app_role_url
from tests.twin.network import demo_db
from tests.webmap.map.apptest import login
from twin.config import Settings
from webmap import create_app

network_demo = demo_db.network_demo  # the shared demo city, a fixture


@pytest.fixture(scope="session")
def app(network_demo, db_home):
    settings = Settings(
        home=network_demo.home,
        database_url=network_demo.url,
        app_database_url=app_role_url(network_demo.url, db_home),
        secret_key="simulation-test-secret",
    )
    return create_app(settings, {"TESTING": True})


@pytest.fixture
def demo_engine(network_demo):
    eng = create_engine(network_demo.url, poolclass=pool.NullPool)
    yield eng
    eng.dispose()


@pytest.fixture
def viewer(app):
    client = app.test_client()
    client.csrf = login(client, "vera")
    return client

"""The web app on the small demo city, with a viewer, a crew member and an editor."""

from __future__ import annotations

import pytest

from tests.twin.network.demo_db import acquire, pipe_with_valves, release
from tests.webmap.map.apptest import login
from twin.config import Settings
from webmap import create_app


@pytest.fixture(scope="session")
def network_demo(db_url, tmp_path_factory):
    """The small demo city in a database of its own (see :mod:`tests.twin.network.demo_db`)."""
    yield acquire(db_url, tmp_path_factory)
    release(db_url)


@pytest.fixture(scope="session")
def app(network_demo):
    settings = Settings(
        home=network_demo.home, database_url=network_demo.url, secret_key="outage-test-secret"
    )
    return create_app(settings, {"TESTING": True})


@pytest.fixture(scope="session")
def pipe(network_demo) -> str:
    return pipe_with_valves(network_demo.url)


@pytest.fixture
def crew(app):
    client = app.test_client()
    client.csrf = login(client, "cris")
    return client

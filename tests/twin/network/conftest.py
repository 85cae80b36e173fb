"""The small demo city for the database tests of the network package."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, pool

from tests.twin.network.demo_db import acquire, release


@pytest.fixture(scope="session")
def network_demo(db_url, tmp_path_factory):
    """The small demo city in a database of its own (see :mod:`tests.twin.network.demo_db`)."""
    yield acquire(db_url, tmp_path_factory)
    release(db_url)


@pytest.fixture
def network_engine(network_demo):
    engine = create_engine(network_demo.url, poolclass=pool.NullPool)
    yield engine
    engine.dispose()

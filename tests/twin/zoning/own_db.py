"""A migrated database of its own in the test cluster, for tests whose code commits.

The CLI, the web app and the demo loader run their own transactions, so their
tests cannot use the rolled-back ``session``; a database of their own keeps
what they commit away from every other test (and is dropped at the end).
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, pool

from tests.databases import scratch_database


@pytest.fixture(scope="module")
def own_db_url(db_url):
    with scratch_database(db_url, "twin_zoning") as url:
        yield url


@pytest.fixture(scope="module")
def own_engine(own_db_url):
    engine = create_engine(own_db_url, poolclass=pool.NullPool)
    yield engine
    engine.dispose()

"""A migrated database of its own in the test cluster, for tests whose code commits.

The CLI and the web app run their own transactions, so their tests cannot
use the rolled-back ``session``; a database of their own keeps what they
commit away from every other test (and is dropped at the end).
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from twin.db import migrate


@pytest.fixture(scope="module")
def own_db_url(db_url):
    url = make_url(db_url)
    name = f"twin_zoning_{uuid.uuid4().hex[:10]}"
    server = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    own = url.set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(own)
    yield own
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(scope="module")
def own_engine(own_db_url):
    engine = create_engine(own_db_url, poolclass=pool.NullPool)
    yield engine
    engine.dispose()

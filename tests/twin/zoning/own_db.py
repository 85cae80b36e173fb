"""A migrated database of its own in the test cluster, for tests whose code commits.

The CLI, the web app and the demo loader run their own transactions, so their
tests cannot use the rolled-back ``session``; a database of their own keeps
what they commit away from every other test (and is dropped at the end).
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from twin.db import migrate


@contextmanager
def scratch_database(db_url: str, prefix: str):
    """The URL of a new migrated database on the server of ``db_url``, dropped on exit."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    server = create_engine(db_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(db_url).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="module")
def own_db_url(db_url):
    with scratch_database(db_url, "twin_zoning") as url:
        yield url


@pytest.fixture(scope="module")
def own_engine(own_db_url):
    engine = create_engine(own_db_url, poolclass=pool.NullPool)
    yield engine
    engine.dispose()

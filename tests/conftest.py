"""Fixtures shared by the whole suite: one real PostGIS per test session.

The database is DATABASE_URL when set; otherwise an embedded cluster in a
temporary folder, started by the same mechanism ``twin db start`` uses.
Each test gets a connection inside a transaction that is rolled back, so
tests never see each other's data.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, pool
from sqlalchemy.orm import Session

from twin.config import Settings
from twin.db import migrate
from twin.db.cluster import Cluster


@pytest.fixture(scope="session")
def db_home(tmp_path_factory):
    return tmp_path_factory.mktemp("twin-home")


@pytest.fixture(scope="session")
def db_url(db_home):
    """A migrated database for the session (external, or embedded and started here)."""
    external = os.environ.get("DATABASE_URL")
    if external:
        url = Settings(database_url=external).database_url
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
        migrate.upgrade(url)
        yield url
        return
    cluster = Cluster(db_home)
    cluster.start()
    url = cluster.url()
    migrate.upgrade(url)
    yield url
    cluster.stop()


@pytest.fixture(scope="session")
def engine(db_url):
    eng = create_engine(db_url, poolclass=pool.NullPool)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine):
    """A session whose work is rolled back at the end of the test."""
    connection = engine.connect()
    transaction = connection.begin()
    sess = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield sess
    finally:
        sess.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def settings(db_home, db_url):
    return Settings(home=db_home, database_url=db_url)

"""Fixtures shared by the whole suite: one real PostGIS per test session.

The database is DATABASE_URL when set; otherwise an embedded cluster in a
temporary folder, started by the same mechanism ``twin db start`` uses.

``demo_small_url`` is a database of its own on the same server (created,
migrated and loaded with the small demo city once per session and xdist
worker), so tests that read a whole connected town — outage, API, browser —
share it without seeing the rolled-back work of the main test database.
Each test gets a connection inside a transaction that is rolled back, so
tests never see each other's data.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, pool
from sqlalchemy.orm import Session

from tests.databases import scratch_database
from twin.config import Settings
from twin.db import migrate
from twin.db.cluster import Cluster
from twin.demo.load import load


@pytest.fixture(scope="session")
def db_home():
    """The test cluster's home, outside pytest's base folder.

    pytest re-creates its base folder with mode 0700 when another session
    starts; a server running as the unprivileged ``twin-pg`` user (we are
    root) would lose its data folder mid-run.  A folder of its own avoids that.
    """
    home = Path(tempfile.mkdtemp(prefix="twin-test-home-"))
    yield home
    shutil.rmtree(home, ignore_errors=True)


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


@pytest.fixture(scope="session")
def demo_small(db_url, tmp_path_factory):
    """The small demo city loaded into a database of its own: url, home and load result."""
    name = f"demo_small_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with scratch_database(db_url, "demo_small", name=name) as url:
        home = tmp_path_factory.mktemp("demo-home")
        messages = []
        result = load(url, scale="small", seed=1, home=home, echo=messages.append,
                      progress=False)
        yield SimpleNamespace(url=url, home=home, result=result, messages=messages)


@pytest.fixture(scope="session")
def demo_small_url(demo_small):
    """URL of a migrated database holding the small demo city (seed 1)."""
    return demo_small.url


@pytest.fixture
def demo_engine(demo_small_url):
    eng = create_engine(demo_small_url, poolclass=pool.NullPool)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright, one per test process.

    Playwright runs one sync driver per process, so every browser test shares
    this one (each test opens its own context).  Playwright never downloads a
    browser here: the executable is the ``chromium`` package's.
    """
    from playwright.sync_api import sync_playwright

    from tests.webmap.map.apptest import CHROMIUM_ARGS

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is not installed (make test installs it)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()

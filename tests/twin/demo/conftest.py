"""Fixtures of the demo twin: the small city as records, and loaded in a scratch database.

``demo_small_url`` is a database of its own on the test server (created,
migrated and loaded once per session and worker), so tests that read a
whole connected town — outage, API, browser — can share it without seeing
each other's rolled-back work in the main test database.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from twin.db import migrate
from twin.demo.generate import generate_city
from twin.demo.load import load


@pytest.fixture(scope="session")
def small_city():
    """The small demo city (seed 1) as generated records."""
    return generate_city("small", seed=1)


def _scratch_database(db_url: str, name: str) -> str:
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(db_url).set(database=name).render_as_string(hide_password=False)


def _drop_database(db_url: str, name: str) -> None:
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def demo_small(db_url, tmp_path_factory):
    """The small demo city loaded into a database of its own: url, home and load result."""
    name = f"demo_small_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    url = _scratch_database(db_url, name)
    migrate.upgrade(url)
    home = tmp_path_factory.mktemp("demo-home")
    messages = []
    result = load(url, scale="small", seed=1, home=home, echo=messages.append, progress=False)
    yield SimpleNamespace(url=url, home=home, result=result, messages=messages)
    _drop_database(db_url, name)


@pytest.fixture(scope="session")
def demo_small_url(demo_small):
    """URL of a migrated database holding the small demo city (seed 1)."""
    return demo_small.url


@pytest.fixture
def demo_engine(demo_small_url):
    eng = create_engine(demo_small_url, poolclass=pool.NullPool)
    yield eng
    eng.dispose()

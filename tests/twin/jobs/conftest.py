"""A database of their own for the job tests (jobs commit), reached as the app login."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, pool

from tests.databases import app_role_url, scratch_database
from tests.twin.jobs import kinds  # noqa: F401  (registers the test kinds)


@pytest.fixture(scope="package")
def jobs_url(db_url, db_home):
    with scratch_database(db_url, "twin_jobs") as url:
        yield app_role_url(url, db_home) or url


@pytest.fixture(scope="package")
def jobs_engine(jobs_url):
    engine = create_engine(jobs_url, poolclass=pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def queue() -> str:
    """A queue of the test's own, so no other runner takes its jobs."""
    return f"test-{uuid.uuid4().hex[:10]}"

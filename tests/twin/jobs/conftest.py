"""A database of their own for the job tests (jobs commit), reached as the app login."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, pool

from tests.databases import app_role_url, scratch_database
from tests.twin.jobs import kinds  # registers the test kinds
from twin.jobs import Runner


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


@pytest.fixture
def runner(jobs_engine, queue, tmp_path):
    """A pool of two workers on the test's queue, quick to poll and to beat."""
    runner = Runner(jobs_engine, tmp_path, workers=2, queue=queue, poll_s=0.05, heartbeat_s=0.1)
    yield runner
    kinds.RELEASE.set()
    runner.stop()
    kinds.RELEASE.clear()

"""Fixtures of the import/export tests: a database of their own, the command line,
and the model files read by hand.

``twin asset import`` commits, so command-line tests run against a scratch
database on the test server (one per worker), emptied before each test,
never against the rolled-back ``session`` of the main test database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, pool, text

from tests.databases import scratch_database
from twin.cli import cli
from twin.models import MODELS


@pytest.fixture(scope="session")
def io_url(db_url):
    """URL of a migrated scratch database for the tests that commit."""
    name = f"twin_io_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with scratch_database(db_url, "twin_io", name=name) as url:
        yield url


@pytest.fixture
def io_engine(io_url):
    """An engine on the scratch database, emptied of features and history first."""
    eng = create_engine(io_url, poolclass=pool.NullPool)
    tables = [f'{m.__table__.schema}."{m.__table__.name}"' for m in MODELS.values()]
    with eng.begin() as conn:  # DELETE: much faster than TRUNCATE on small tables
        if conn.execute(text("SELECT to_regclass('auth.users')")).scalar():
            tables.append("auth.users")
        for table in [*tables, "audit.history", "audit.bulk_load"]:
            conn.execute(text(f"DELETE FROM {table}"))
    yield eng
    eng.dispose()


@pytest.fixture
def twin(io_engine, io_url):
    """Run ``twin ARGS...`` on the scratch database; returns the click result."""
    runner = CliRunner()

    def run(*args):
        return runner.invoke(
            cli, [str(a) for a in args], env={"DATABASE_URL": io_url}, catch_exceptions=False
        )

    return run


@pytest.fixture
def sql(io_engine):
    """``sql(query, **params)``: the first column of the first row, on the scratch database."""

    def first(query: str, **params):
        with io_engine.connect() as conn:
            return conn.execute(text(query), params).scalar()

    return first


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "data"


def _inp_rows(path: Path) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {}
    current = None
    for line in path.read_text().splitlines():
        line = line.split(";", 1)[0].strip()
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]").upper(), [])
        elif line and current is not None:
            current.append(line.split())
    return sections


@pytest.fixture(scope="session")
def inp_rows():
    """Data rows of an EPANET/SWMM file by section, read independently of the
    importer so counts and lengths are checked against the file itself."""
    return _inp_rows

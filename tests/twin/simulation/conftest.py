"""Fixtures of the simulation tests: a scratch database per test and the command line.

``twin import`` and ``twin simulate`` commit, so each test that uses them
gets a database of its own (a copy of the migrated test database).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, pool

from tests.databases import scratch_database
from tests.twin.network import demo_db
from twin.cli import cli

network_demo = demo_db.network_demo  # the shared demo city, a fixture

DATA = Path(__file__).resolve().parents[2] / "data" / "water_epanet"


@pytest.fixture
def water_url(db_url):
    """A migrated database of the test's own."""
    with scratch_database(db_url, "twin_water", copy=True) as url:
        yield url


@pytest.fixture
def water_engine(water_url):
    eng = create_engine(water_url, poolclass=pool.NullPool)
    yield eng
    eng.dispose()


@pytest.fixture
def twin(water_url, tmp_path):
    """Run ``twin ARGS...`` on the test's database; returns the click result."""
    runner = CliRunner()

    def run(*args):
        env = {"DATABASE_URL": water_url, "TWIN_HOME": str(tmp_path)}
        return runner.invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)

    return run


@pytest.fixture
def import_model(twin):
    """``import_model(name)``: the EPANET model ``name`` imported with ``twin import``."""

    def run(name: str):
        result = twin("import", DATA / f"{name}.inp", "--layer", "water",
                      "--origin", "106.2,21.28", "--units", "1")
        assert result.exit_code == 0, result.output
        return DATA / f"{name}.inp"

    return run


@pytest.fixture
def demo_water_engine(network_demo):
    eng = create_engine(network_demo.url, poolclass=pool.NullPool)
    yield eng
    eng.dispose()

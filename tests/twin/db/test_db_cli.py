"""``twin db``: the embedded cluster's life, and a DATABASE_URL server left alone."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.databases import scratch_database
from twin.cli import cli
from twin.db import migrate

pytestmark = pytest.mark.db


def _twin(env: dict, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.stdout


def test_a_database_url_server_is_used_as_it_is(db_url, tmp_path):
    with scratch_database(db_url, "db_cli", copy=True) as url:
        env = {"DATABASE_URL": url, "TWIN_HOME": str(tmp_path)}
        head = migrate.current_revision(url)
        assert head
        assert "starts none of its own" in _twin(env, "db", "start")
        status = _twin(env, "db", "status")
        assert status.startswith("PostgreSQL ") and ", PostGIS 3" in status
        assert f"migration: {head}\n" in status
        assert "last backup: none" in status
        assert _twin(env, "db", "url") == url.replace("postgresql+psycopg://", "postgresql://") + "\n"
        assert _twin(env, "db", "migrate") == f"migrated to {head}\n"


@pytest.mark.slow
def test_the_embedded_cluster_starts_reports_and_stops(tmp_path):
    env = {"DATABASE_URL": None, "TWIN_HOME": str(tmp_path)}
    try:
        assert _twin(env, "db", "start").startswith("PostGIS started: ")
        assert "PostGIS already running" in _twin(env, "db", "start")
        status = _twin(env, "db", "status")
        assert status.startswith(f"embedded PostGIS in {tmp_path}")
        assert "migration: none" in status
        assert _twin(env, "db", "url", "--driver").startswith("postgresql+psycopg://")
    finally:
        assert _twin(env, "db", "stop") == "PostGIS stopped.\n"
    assert _twin(env, "db", "status", code=3).endswith(": not running\n")

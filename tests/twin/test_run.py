"""``twin run``, the main job: migrate, load the demo once, make a first admin."""

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import create_engine, pool, text

from tests.databases import scratch_database
from twin.cli import cli
from twin.db.migrate import alembic_config

pytestmark = [pytest.mark.db, pytest.mark.slow]


def test_run_prepares_an_empty_database_once(db_url, tmp_path):
    runner = CliRunner()
    with scratch_database(db_url, "twin_run", migrated=False) as url:
        env = {"DATABASE_URL": url, "TWIN_HOME": str(tmp_path)}
        first = runner.invoke(cli, ["run", "--scale", "small", "--no-serve"], env=env)
        assert first.exit_code == 0, first.output
        head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
        assert f"migration: {head}" in first.output
        assert "created the user 'admin'" in first.output
        secret = tmp_path / "admin.password"
        assert secret.stat().st_mode & 0o077 == 0
        engine = create_engine(url, poolclass=pool.NullPool)
        with engine.connect() as conn:
            pipes = conn.execute(text("SELECT count(*) FROM assets.water_pipe")).scalar()
        assert pipes > 100
        second = runner.invoke(cli, ["run", "--scale", "small", "--no-serve"], env=env)
        assert second.exit_code == 0, second.output
        assert "created the user" not in second.output
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM assets.water_pipe")).scalar() == pipes
            assert conn.execute(text("SELECT count(*) FROM auth.users")).scalar() == 1
        engine.dispose()

"""What a twin holds, compared before and after a restore; the ``twin db`` command."""

from __future__ import annotations

from pathlib import Path

import psycopg
from click.testing import CliRunner

from twin.cli import cli

#: The table the restore tests edit.
TABLE = "trees_tree"


def snapshot(url: str) -> dict:
    """Every row of the edited table, the history and the users, as the database holds them."""
    with psycopg.connect(url) as conn:
        return {
            "features": conn.execute(
                f"SELECT code, version, to_jsonb(t) FROM assets.{TABLE} t ORDER BY code"
            ).fetchall(),
            "history": conn.execute(
                "SELECT id, code, version, action, changed_by, changed_at, old, new "
                "FROM audit.history ORDER BY id").fetchall(),
            "users": conn.execute("SELECT name, role FROM auth.users ORDER BY name").fetchall(),
        }


def twin(home: Path, *args: str, database_url: str = ""):
    """Run ``twin db ARGS`` for ``home`` (its embedded cluster unless ``database_url``)."""
    return CliRunner().invoke(cli, ["db", *args], env={"TWIN_HOME": str(home),
                                                       "DATABASE_URL": database_url})

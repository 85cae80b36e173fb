"""Backups of a DATABASE_URL database: pg_dump out, pg_restore into an empty database."""

import pytest
from sqlalchemy import create_engine, pool

from layers import feature_type
from tests.databases import scratch_database
from tests.factories import sample_geometry, sample_properties
from tests.twin.db.snapshots import TABLE, snapshot, twin
from twin.auth.users import add_user
from twin.db.backup import read_manifest
from twin.db.engine import session_scope
from twin.edits import create_feature

pytestmark = pytest.mark.db


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_dump_of_an_external_database_restores_into_an_empty_one(db_url, tmp_path):
    ft = feature_type(TABLE)
    with scratch_database(db_url, "backup_src") as source, \
            scratch_database(db_url, "backup_dst", migrated=False) as target:
        engine = create_engine(source, poolclass=pool.NullPool)
        with session_scope(engine) as session:
            create_feature(session, TABLE, sample_properties(ft, code="TRE-DUMP"),
                           sample_geometry(ft), user="alice")
            add_user(session, "dumped", "editor", "dumped-password")
        engine.dispose()
        made = twin(tmp_path, "backup", "--out", str(tmp_path / "dump.tar"),
                    database_url=source)
        assert made.exit_code == 0, made.output
        assert "logical" in made.output
        manifest = read_manifest(tmp_path / "dump.tar")
        assert manifest["kind"] == "logical" and manifest["migration"]
        assert (tmp_path / "dump.tar").stat().st_mode & 0o077 == 0

        at = twin(tmp_path, "restore", str(tmp_path / "dump.tar"), "--at", "2026-01-01T00:00",
                  database_url=target)
        assert at.exit_code == 1 and "logical backup (pg_dump)" in at.output

        done = twin(tmp_path, "restore", str(tmp_path / "dump.tar"), database_url=target)
        assert done.exit_code == 0, done.output
        expected = snapshot(_plain(source))
        assert expected["features"] and snapshot(_plain(target)) == expected

        again = twin(tmp_path, "restore", str(tmp_path / "dump.tar"), database_url=target)
        assert again.exit_code == 1 and "holds a twin already: add --yes" in again.output
        replaced = twin(tmp_path, "restore", str(tmp_path / "dump.tar"), "--yes",
                        database_url=target)
        assert replaced.exit_code == 0, replaced.output
        assert snapshot(_plain(target)) == expected

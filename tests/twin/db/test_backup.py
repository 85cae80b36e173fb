"""The restore drill: edits, a backup, more edits, then restores of a real embedded cluster.

One cluster in a home of its own goes through the whole drill in order (the
tests of this module share it and run in this order, on one xdist worker).
Snapshots of the tables are taken at the backup and at a moment ``T``
between later edits; restores must bring back exactly those rows.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, pool, select

from layers import feature_type
from tests.factories import sample_geometry, sample_properties
from tests.twin.db.snapshots import TABLE, snapshot, twin
from twin.api.timetravel import state_at
from twin.auth.users import add_user, authenticate
from twin.db import archive, migrate
from twin.db.backup import LOCAL_TZ, last_backup, parse_time, read_manifest
from twin.db.cluster import Cluster
from twin.db.engine import session_scope
from twin.edits import create_feature, delete_feature, update_feature

pytestmark = [pytest.mark.db, pytest.mark.slow, pytest.mark.xdist_group("backup_drill")]


class Drill:
    """The cluster of the drill and what it held at the moments that matter."""

    def __init__(self, home: Path):
        self.home = home
        self.cluster = Cluster(home)
        self.cluster.start()
        self.url = self.cluster.url()
        migrate.upgrade(self.url)

    @property
    def plain(self) -> str:
        return self.cluster.url("postgresql")

    def edit(self, change) -> None:
        engine = create_engine(self.url, poolclass=pool.NullPool)
        with session_scope(engine) as session:
            change(session)
        engine.dispose()

    def now(self) -> datetime:
        with psycopg.connect(self.plain) as conn:
            return conn.execute("SELECT clock_timestamp()").fetchone()[0]


def _create(session, code: str, dx: float) -> None:
    ft = feature_type(TABLE)
    create_feature(session, TABLE, sample_properties(ft, code=code), sample_geometry(ft, dx),
                   user="alice")


def _set_height(session, code: str, version: int, height: float) -> None:
    update_feature(session, TABLE, code, {"height_m": height}, expected_version=version,
                   user="bob")


@pytest.fixture(scope="module")
def drill():
    """Edits, a backup, more edits around a moment T, everything archived."""
    home = Path(tempfile.mkdtemp(prefix="twin-backup-drill-"))
    d = Drill(home)
    try:
        d.edit(lambda s: (_create(s, "TRE-A", 0.0),
                          add_user(s, "early", "editor", "early-password")))
        with psycopg.connect(d.plain, autocommit=True) as conn:
            conn.execute("CREATE ROLE twin_report_reader LOGIN")
        made = twin(home, "backup")
        assert made.exit_code == 0, made.output
        d.backup_file = Path(made.output.split("backup written: ")[1].split(" (")[0])
        d.at_backup = snapshot(d.plain)
        d.edit(lambda s: (_set_height(s, "TRE-A", 1, 7.0), _create(s, "TRE-B", 0.001),
                          add_user(s, "before_t", "viewer", "viewer-password")))
        time.sleep(0.2)
        d.moment = d.now()
        d.at_moment = snapshot(d.plain)
        then = state_at(TABLE, d.moment)
        d.edit(lambda s: setattr(d, "past", [tuple(row) for row in s.execute(
            select(then.c.code, then.c.version).order_by(then.c.code))]))
        time.sleep(0.2)
        d.edit(lambda s: (_set_height(s, "TRE-A", 2, 9.0),
                          delete_feature(s, TABLE, "TRE-B", expected_version=1, user="bob"),
                          _create(s, "TRE-C", 0.002),
                          add_user(s, "after_t", "viewer", "viewer-password")))
        d.at_end = snapshot(d.plain)
        archive.switch_and_wait(d.plain)
        yield d
    finally:
        d.cluster.stop()
        shutil.rmtree(home, ignore_errors=True)


def test_backup_file_is_private_and_described(drill):
    assert drill.backup_file.parent == drill.home / "backups"
    assert drill.backup_file.stat().st_mode & 0o077 == 0
    assert (drill.home / "backups").stat().st_mode & 0o777 == 0o700
    manifest = read_manifest(drill.backup_file)
    assert manifest["kind"] == "base"
    assert manifest["migration"] and manifest["postgresql"].startswith("15")
    assert manifest["postgis"] and manifest["end_lsn"]


def test_status_shows_last_backup_and_archive(drill):
    shown = twin(drill.home, "status")
    assert shown.exit_code == 0, shown.output
    assert f"{drill.backup_file}" in shown.output and "MiB, base" in shown.output
    assert "WAL archive: " in shown.output and "failed" not in shown.output
    with psycopg.connect(drill.plain) as conn:
        assert conn.execute("SHOW data_checksums").fetchone() == ("on",)


def test_restore_refuses_to_replace_a_twin_without_yes(drill):
    refused = twin(drill.home, "restore", str(drill.backup_file))
    assert refused.exit_code == 1
    assert "holds a twin already: add --yes" in refused.output
    assert snapshot(drill.plain) == drill.at_end


def test_restore_refuses_a_moment_before_the_backup(drill):
    manifest = read_manifest(drill.backup_file)
    early = datetime.fromisoformat(manifest["started_at"]).astimezone(LOCAL_TZ)
    refused = twin(drill.home, "restore", str(drill.backup_file), "--yes",
                   "--at", early.replace(tzinfo=None).isoformat())
    assert refused.exit_code == 1
    assert "is earlier; use an older backup" in refused.output
    assert snapshot(drill.plain) == drill.at_end


def test_restore_at_a_moment_equals_the_twin_then(drill):
    local = drill.moment.astimezone(LOCAL_TZ).replace(tzinfo=None).isoformat()
    assert parse_time(local) == drill.moment
    port, url = drill.cluster.port(), drill.cluster.url()
    done = twin(drill.home, "restore", str(drill.backup_file), "--at", local, "--yes")
    assert done.exit_code == 0, done.output
    assert drill.cluster.port() == port and drill.cluster.url() == url
    restored = snapshot(drill.plain)
    assert restored == drill.at_moment
    assert [(code, version) for code, version, _ in restored["features"]] == drill.past
    assert [name for name, _ in restored["users"]] == ["before_t", "early"]
    # The restored twin takes edits and archives them on a timeline of its own.
    drill.edit(lambda s: _set_height(s, "TRE-A", 2, 3.0))
    archive.switch_and_wait(drill.plain)


def test_a_moment_beyond_the_archive_fails_clearly_keeping_the_old_data(drill):
    moment = drill.now()
    failed = twin(drill.home, "restore", str(drill.backup_file), "--at", moment.isoformat(),
                  "--yes")
    assert failed.exit_code == 1
    assert "recovery ended before configured recovery target was reached" in failed.output
    aside = Path(failed.output.split("the previous data is in ")[1].split()[0])
    assert (aside / "pg" / "PG_VERSION").exists() and (aside / "pg.secret").exists()
    assert not drill.cluster.running()
    # The next tests need a twin that starts, whatever order they run in.
    again = twin(drill.home, "restore", str(drill.backup_file), "--yes")
    assert again.exit_code == 0, again.output


def test_plain_restore_equals_the_backup_with_users_and_roles(drill):
    done = twin(drill.home, "restore", str(drill.backup_file), "--yes")
    assert done.exit_code == 0, done.output
    assert "the previous data is in" in done.output
    assert snapshot(drill.plain) == drill.at_backup
    engine = create_engine(drill.url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        assert authenticate(session, "early", "early-password") is not None
    engine.dispose()
    with psycopg.connect(drill.plain) as conn:
        role = conn.execute("SELECT rolcanlogin FROM pg_roles "
                            "WHERE rolname = 'twin_report_reader'").fetchone()
    assert role == (True,)
    assert not (drill.cluster.data_dir / "recovery.signal").exists()


def test_restore_into_a_new_home_needs_only_the_file(drill):
    """Another machine: no cluster, no password, no archive; the file brings them all."""
    home = Path(tempfile.mkdtemp(prefix="twin-backup-new-home-"))
    cluster = Cluster(home)
    try:
        done = twin(home, "restore", str(drill.backup_file))
        assert done.exit_code == 0, done.output
        assert "previous data" not in done.output
        assert cluster.secret_file.read_text() == drill.cluster.secret_file.read_text()
        assert cluster.secret_file.stat().st_mode & 0o077 == 0
        assert snapshot(cluster.url("postgresql")) == drill.at_backup
    finally:
        cluster.stop()
        shutil.rmtree(home, ignore_errors=True)


def _segments(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if len(p.name) == 24)


def _archived(path: Path, seconds: float = 60.0) -> bool:
    """Whether the archiver (which runs on its own) has copied ``path`` yet."""
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return path.exists()


def test_backup_with_prune_drops_only_the_wal_older_than_it(drill):
    history = drill.cluster.wal_archive / "00000002.history"
    assert _archived(history), "the restore's new timeline was never archived"
    archived = _segments(drill.cluster.wal_archive)
    made = twin(drill.home, "backup", "--prune")
    assert made.exit_code == 0, made.output
    first = read_manifest(last_backup(drill.home).path)["first_wal"]
    # pg_archivecleanup orders segments by position, whatever their timeline.
    assert any(name[8:] < first[8:] for name in archived)
    kept = _segments(drill.cluster.wal_archive)
    assert kept and all(name[8:] >= first[8:] for name in kept)
    assert history.exists()

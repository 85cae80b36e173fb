"""Rebuilding the twin from a backup file, optionally rolled forward to a moment.

A base backup replaces the embedded cluster's data folder (the old one is
moved aside, never deleted) and the server recovers from it: to the end of
the backup, or with ``at`` through the WAL archive to that moment.  A logical
backup is loaded into the configured database with ``pg_restore``.
"""

from __future__ import annotations

import tarfile
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, inspect, pool
from sqlalchemy.engine import make_url

from ..config import Settings
from ..errors import TwinError
from . import archive
from .backup import HOME_SECRETS, backups_dir, extract_member, read_manifest, run_client, utc_stamp
from .cluster import Cluster, ClusterError
from .engine import database_url

__all__ = ["restore"]

#: Recovery through a long archive can take a while; the server says how far it is in its log.
RECOVERY_TIMEOUT_S = 3600


def restore(settings: Settings, path: Path, *, at: datetime | None = None,
            yes: bool = False) -> str:
    """Restore ``path`` into the twin of ``settings``; returns a sentence saying what was done.

    Refuses to replace a twin that exists unless ``yes``.
    """
    manifest = read_manifest(path)
    if manifest["kind"] == "logical":
        if at is not None:
            raise ClusterError(f"{path} is a logical backup (pg_dump): it has no WAL to roll "
                               "forward, so --at needs a base backup of the embedded cluster")
        return _restore_logical(settings, path, yes=yes)
    if settings.database_url:
        raise ClusterError(f"{path} is a base backup of an embedded cluster: unset DATABASE_URL "
                           "to restore it into this home's cluster")
    if at is not None:
        _check_reachable(at, manifest)
    return _restore_base(Cluster(settings.home), path, at=at, yes=yes)


def _check_reachable(at: datetime, manifest: dict) -> None:
    finished = datetime.fromisoformat(manifest["finished_at"])
    if at < finished:
        raise ClusterError(f"the backup was finished at {finished.isoformat()}: --at "
                           f"{at.isoformat()} is earlier; use an older backup")
    if at > datetime.now(UTC):
        raise ClusterError(f"--at {at.isoformat()} is in the future")


def _restore_base(cluster: Cluster, path: Path, *, at: datetime | None, yes: bool) -> str:
    if cluster.initialised() and not yes:
        raise ClusterError(f"{cluster.data_dir} holds a twin already: add --yes to stop it, "
                           "move it aside and restore")
    aside = _move_aside(cluster)
    kept = f"; the previous data is in {aside}" if aside else ""
    log_from = cluster.log_file.stat().st_size if cluster.log_file.exists() else 0
    try:
        _recover(cluster, path, at, log_from)
    except (TwinError, OSError, tarfile.TarError, psycopg.Error) as exc:
        # A server that stops right after starting fails its first connections.
        said = archive.last_server_error(cluster.log_file, log_from)
        _leave_stopped(cluster)
        raise ClusterError(f"restore of {path} failed: {exc}; the server said: {said}{kept}"
                           ) from exc
    moment = f"as it was at {at.isoformat()}" if at else "as it was at the end of the backup"
    return f"restored {path} {moment}{kept}"


def _leave_stopped(cluster: Cluster) -> None:
    """No half-recovered server stays up (one that failed may still be shutting down)."""
    try:
        cluster.stop()
    except ClusterError:
        if cluster.running():
            raise


def _recover(cluster: Cluster, path: Path, at: datetime | None, log_from: int) -> None:
    """Unpack the base backup into an empty data folder and let the server recover it."""
    cluster.data_dir.mkdir(mode=0o700)
    with tarfile.open(path) as bundle:
        _unpack(bundle, "base.tar.gz", cluster.data_dir)
        _unpack(bundle, "pg_wal.tar.gz", cluster.data_dir / "pg_wal")
        for name in set(bundle.getnames()) & set(HOME_SECRETS):
            extract_member(bundle, name, cluster.home / name)
    cluster.wal_archive.mkdir(mode=0o700, exist_ok=True)
    archive.prepare_recovery(cluster.data_dir, cluster.wal_archive, at)
    cluster.take_data()
    cluster.start_server()
    archive.wait_promoted(cluster.url("postgresql", "postgres"), RECOVERY_TIMEOUT_S,
                          cluster.log_file, alive=cluster.running, log_from=log_from)
    archive.finish_recovery(cluster.data_dir)
    cluster.start()  # the logins, once the server accepts writes


def _move_aside(cluster: Cluster) -> Path | None:
    """Stop the cluster and keep its data folder and password under ``<home>/aside/<time>``."""
    if not cluster.data_dir.exists():
        return None
    cluster.stop()
    aside = cluster.home / "aside" / utc_stamp()
    aside.mkdir(mode=0o700, parents=True)
    cluster.data_dir.rename(aside / cluster.data_dir.name)
    for name in HOME_SECRETS:
        if (cluster.home / name).exists():
            (cluster.home / name).rename(aside / name)
    return aside


def _unpack(bundle: tarfile.TarFile, name: str, target: Path) -> None:
    """Unpack a compressed member into ``target``; nothing may land outside it.

    pg_basebackup writes its gzip files in several members, which only the
    random-access reader (``r:gz``, not the stream ``r|gz``) follows.
    """
    target.mkdir(mode=0o700, exist_ok=True)
    with tarfile.open(fileobj=bundle.extractfile(name), mode="r:gz") as part:
        part.extractall(target, filter="data")


def _restore_logical(settings: Settings, path: Path, *, yes: bool) -> str:
    url = database_url(settings)
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        holds_twin = inspect(conn).has_table("alembic_version", schema="public")
    engine.dispose()
    if holds_twin and not yes:
        raise ClusterError("the database holds a twin already: add --yes to replace it")
    name = make_url(url).database
    dump = backups_dir(settings.home) / ".restoring.dump"
    with tarfile.open(path) as bundle:
        extract_member(bundle, "twin.dump", dump)
    try:
        # One transaction: a failed restore leaves the database as it was.
        run_client("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                   "--exit-on-error", str(dump), url=url)
    finally:
        dump.unlink(missing_ok=True)
    return f"restored {path} into the database {name}"

"""Backups of the whole twin: users, history, plans and live state in one file.

A backup is one tar file that starts with a small manifest
(``twin-backup.json``: kind, time, WAL positions, server and migration
versions), followed by

* for the embedded cluster, ``pg_basebackup``'s compressed tar output with the
  WAL it needs (``base.tar.gz``, ``pg_wal.tar.gz``, ``backup_manifest``) and
  the passwords the copied roles match (:data:`HOME_SECRETS`): a physical,
  consistent copy taken online, which the WAL archive can roll forward;
* for a ``DATABASE_URL`` server, ``pg_dump -Fc`` of the database
  (``twin.dump``): logical, restorable into any server, no point in time.

Backups are written with mode 0600 into a 0700 folder: they hold every
password hash and every personal attribute of the twin.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy.engine import make_url

from ..config import Settings
from . import migrate
from .cluster import Cluster, ClusterError, find_bindir
from .engine import database_url

__all__ = ["HOME_SECRETS", "LOCAL_TZ", "Backup", "backups_dir", "extract_member", "last_backup",
           "make_backup", "parse_time", "read_manifest", "run_client", "utc_stamp"]

#: Times given without an offset are the province's local time.
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MANIFEST = "twin-backup.json"
#: Files of the home holding passwords of the cluster's roles: a base backup
#: carries them, since the copied roles accept only those.
HOME_SECRETS = ("pg.secret", "pg-app.secret")
FORMAT = 1


@dataclass(frozen=True)
class Backup:
    """A backup file and its manifest."""

    path: Path
    manifest: dict

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    @property
    def finished_at(self) -> datetime:
        return datetime.fromisoformat(self.manifest["finished_at"])


def parse_time(value: str) -> datetime:
    """An ISO 8601 moment; without an offset it is local time (Asia/Ho_Chi_Minh).

    >>> parse_time("2026-12-07T10:30").isoformat()
    '2026-12-07T10:30:00+07:00'
    """
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ClusterError(f"{value!r} is not an ISO 8601 time such as 2026-12-07T10:30:00"
                           ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)


def utc_stamp() -> str:
    """Now in UTC, for file names that sort by time."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def backups_dir(home: Path) -> Path:
    folder = home / "backups"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def run_client(program: str, *args: str, url: str) -> None:
    """Run a PostgreSQL client program against ``url``; its error becomes a :class:`ClusterError`.

    The connection goes in ``-d`` without its password, which travels in the
    environment: command lines are visible to every user of the machine.
    """
    u = make_url(url)
    conninfo = u.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False)
    env = {**os.environ, "PGPASSWORD": u.password or ""}
    cmd = [str(find_bindir() / program), "-d", conninfo, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise ClusterError(f"{program} failed: {proc.stderr.strip() or proc.stdout.strip()}")


def _plain(url: str) -> str:
    """The libpq spelling of a SQLAlchemy URL."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def _server_facts(url: str) -> dict:
    with psycopg.connect(_plain(url)) as conn:
        version, postgis, now = conn.execute(
            "SELECT current_setting('server_version'), "
            "(SELECT extversion FROM pg_extension WHERE extname = 'postgis'), now()").fetchone()
    return {"postgresql": version, "postgis": postgis, "migration": migrate.current_revision(url),
            "at": now}


def _add_bytes(bundle: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    info.mtime = int(datetime.now().timestamp())
    bundle.addfile(info, io.BytesIO(data))


def _write_bundle(out: Path, manifest: dict, parts: list[Path], secrets: dict[str, bytes]
                  ) -> None:
    """The manifest first (cheap to read back), then the parts; 0600 from the start."""
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as bundle:
        _add_bytes(bundle, MANIFEST, json.dumps(manifest, indent=2).encode())
        for part in parts:
            bundle.add(part, arcname=part.name)
        for name, data in secrets.items():
            _add_bytes(bundle, name, data)


def _base_backup(url: str, work: Path) -> tuple[dict, list[Path]]:
    before = _server_facts(url)
    run_client("pg_basebackup", "-D", str(work), "-F", "tar", "-z", "-X", "stream",
               "-c", "fast", "-l", "twin backup", url=url)
    after = _server_facts(url)
    wal = json.loads((work / "backup_manifest").read_text())["WAL-Ranges"][0]
    with psycopg.connect(_plain(url)) as conn:
        first = conn.execute("SELECT pg_walfile_name(%s::pg_lsn)", (wal["Start-LSN"],)
                             ).fetchone()[0]
    manifest = {"kind": "base", "timeline": wal["Timeline"], "start_lsn": wal["Start-LSN"],
                "end_lsn": wal["End-LSN"], "first_wal": first,
                "started_at": before["at"].isoformat(), "finished_at": after["at"].isoformat()}
    parts = [work / name for name in ("base.tar.gz", "pg_wal.tar.gz", "backup_manifest")]
    return {**manifest, **_versions(after)}, parts


def _logical_backup(url: str, work: Path) -> tuple[dict, list[Path]]:
    before = _server_facts(url)
    dump = work / "twin.dump"
    run_client("pg_dump", "-F", "custom", "-f", str(dump), url=url)
    after = _server_facts(url)
    manifest = {"kind": "logical", "database": make_url(url).database,
                "started_at": before["at"].isoformat(), "finished_at": after["at"].isoformat()}
    return {**manifest, **_versions(after)}, [dump]


def _versions(facts: dict) -> dict:
    return {key: facts[key] for key in ("postgresql", "postgis", "migration")}


def make_backup(settings: Settings, out: Path | None = None, *, prune: bool = False) -> Backup:
    """Back the twin up online into ``out`` (default: a new file in ``<home>/backups``).

    ``prune`` then removes the archived WAL older than this backup: only older
    backups could use it (to be restored to moments before this one).
    """
    url = database_url(settings)
    folder = backups_dir(settings.home)
    out = Path(out) if out else folder / f"twin-{utc_stamp()}.tar"
    if out.exists():
        raise ClusterError(f"{out} exists already: choose another --out")
    if not out.parent.is_dir():
        raise ClusterError(f"{out.parent} is not a folder: create it first")
    with tempfile.TemporaryDirectory(dir=folder, prefix=".making-") as tmp:
        work = Path(tmp) / "parts"
        if settings.database_url:
            work.mkdir(mode=0o700)
            manifest, parts = _logical_backup(url, work)
            secrets = {}
        else:
            manifest, parts = _base_backup(url, work)
            secrets = {name: (settings.home / name).read_bytes() for name in HOME_SECRETS
                       if (settings.home / name).exists()}
        manifest = {"format": FORMAT, **manifest}
        _write_bundle(out, manifest, parts, secrets)
    backup = Backup(out.absolute(), manifest)
    _remember(folder, backup)
    if prune and manifest["kind"] == "base":
        proc = subprocess.run([str(find_bindir() / "pg_archivecleanup"),
                               str(Cluster(settings.home).wal_archive), manifest["first_wal"]],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise ClusterError(f"backup written to {out}, but pg_archivecleanup failed: "
                               f"{proc.stderr.strip()}")
    return backup


def _remember(folder: Path, backup: Backup) -> None:
    record = {"path": str(backup.path), **backup.manifest}
    tmp = folder / ".last.json.part"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(record, f, indent=2)
    os.replace(tmp, folder / "last.json")


def read_manifest(path: Path) -> dict:
    """The manifest of a backup file, with a clear error for anything else."""
    try:
        with tarfile.open(path, mode="r|") as bundle:
            first = bundle.next()
            if first is None or first.name != MANIFEST:
                raise ClusterError(f"{path} is not a twin backup (no {MANIFEST} first)")
            manifest = json.load(bundle.extractfile(first))
    except (tarfile.TarError, OSError, ValueError) as exc:
        raise ClusterError(f"{path} is not a readable twin backup: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise ClusterError(f"{path}: backup format {manifest.get('format')} is not supported")
    return manifest


def last_backup(home: Path) -> Backup | None:
    """The last backup made from this home (wherever it was written), if its file is still there."""
    record = home / "backups" / "last.json"
    if not record.exists():
        return None
    data = json.loads(record.read_text())
    path = Path(data.pop("path"))
    return Backup(path, data) if path.exists() else None


def extract_member(bundle: tarfile.TarFile, name: str, target: Path) -> None:
    """Copy one member of an open backup file to ``target`` (mode 0600)."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(bundle.extractfile(name), out)

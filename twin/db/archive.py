"""Continuous WAL archiving of the embedded cluster, and recovery from that archive.

The server copies every finished WAL segment into a folder of the twin's home;
a base backup plus those segments rebuilds the database as it stood at any
later moment.  The settings live in files of their own in the data folder,
included from ``postgresql.conf``, so clusters made before archiving existed
get them on their next start and a restore can add its recovery settings
without touching anything else.
"""

from __future__ import annotations

import os
import shlex
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import psycopg

from ..errors import TwinError

__all__ = ["ArchiveError", "archive_command", "archiver_status", "configure",
           "finish_recovery", "last_server_error", "prepare_recovery", "restore_command", "switch_and_wait",
           "wait_promoted"]

ARCHIVE_CONF = "twin-archive.conf"
RECOVERY_CONF = "twin-recovery.conf"
#: A segment is archived at the latest this long after its first change (s).
ARCHIVE_TIMEOUT_S = 60


class ArchiveError(TwinError):
    title = "WAL archive error"


def _conf_string(value: str) -> str:
    """A postgresql.conf string literal."""
    return "'" + value.replace("'", "''") + "'"


def _shell_path(folder: Path, name: str) -> str:
    # ``%`` is the placeholder character of archive/restore commands.
    return shlex.quote(str(folder)).replace("%", "%%") + "/" + name


def archive_command(wal_dir: Path) -> str:
    """Copy ``%p`` to ``wal_dir/%f`` under a temporary name, then rename.

    A segment already there is accepted only if it is identical (a retry after
    a crash between copy and acknowledgement); a different one fails, so the
    archive is never overwritten.
    """
    final, part = _shell_path(wal_dir, "%f"), _shell_path(wal_dir, "%f.part")
    return (f"if test -f {final}; then cmp -s %p {final}; "
            f"else cp %p {part} && mv {part} {final}; fi")


def restore_command(wal_dir: Path) -> str:
    return f"cp {_shell_path(wal_dir, '%f')} %p"


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)


def configure(data_dir: Path, wal_dir: Path) -> list[Path]:
    """Write the archive settings and include them; returns the files written."""
    conf = data_dir / ARCHIVE_CONF
    _write_private(conf, (
        "# written by the twin at each start: continuous WAL archiving\n"
        "wal_level = replica\narchive_mode = on\n"
        f"archive_command = {_conf_string(archive_command(wal_dir))}\n"
        f"archive_timeout = {ARCHIVE_TIMEOUT_S}\n"))
    main = data_dir / "postgresql.conf"
    text = main.read_text()
    lines = [f"include_if_exists = '{name}'" for name in (ARCHIVE_CONF, RECOVERY_CONF)]
    missing = [line for line in lines if line not in text.splitlines()]
    if missing:
        with open(main, "a") as out:
            out.write("\n# twin: archiving and restore settings\n" + "\n".join(missing) + "\n")
    return [conf]


def prepare_recovery(data_dir: Path, wal_dir: Path, target: datetime | None) -> list[Path]:
    """Ask the next start to recover from the archive up to ``target`` (or the backup's end).

    Either way the server then promotes itself to a new timeline, so what it
    archives afterwards never collides with the segments of the old history.
    """
    where = (f"recovery_target_time = {_conf_string(target.isoformat(sep=' '))}\n"
             if target else "recovery_target = 'immediate'\n")
    conf, signal = data_dir / RECOVERY_CONF, data_dir / "recovery.signal"
    _write_private(conf, (
        "# written by 'twin db restore'; removed once the restore is done\n"
        f"restore_command = {_conf_string(restore_command(wal_dir))}\n"
        f"{where}recovery_target_action = 'promote'\n"))
    _write_private(signal, "")
    return [conf, signal]


def finish_recovery(data_dir: Path) -> None:
    """Drop the recovery settings once the server has promoted (they are read at start only)."""
    (data_dir / RECOVERY_CONF).unlink(missing_ok=True)


def wait_promoted(url: str, timeout_s: float, log_file: Path, *,
                  alive: Callable[[], bool], log_from: int = 0) -> None:
    """Wait until recovery has ended and the server accepts writes.

    A server that stops meanwhile failed its recovery (most often: the target
    lies beyond the archived WAL); its log says why.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
                if not conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                    return
        except psycopg.OperationalError:
            if not alive():
                raise ArchiveError("the server stopped during recovery: "
                                   + last_server_error(log_file, log_from)) from None
        if time.monotonic() > deadline:
            raise ArchiveError(f"the restored database did not finish its recovery within "
                               f"{timeout_s:.0f} s: see {log_file}")
        time.sleep(0.3)


def last_server_error(log_file: Path, log_from: int = 0) -> str:
    """The last FATAL or PANIC line the server logged after byte ``log_from``: why it stopped."""
    lines = []
    if log_file.exists():
        with open(log_file, "rb") as log:
            log.seek(log_from)
            lines = log.read().decode(errors="replace").splitlines()
    for line in reversed(lines):
        for level in ("FATAL:", "PANIC:"):
            if level in line:
                return line.split(level, 1)[1].strip()
    return f"see {log_file}"


def archiver_status(conn: psycopg.Connection) -> dict:
    """``archive_mode`` and the counters of ``pg_stat_archiver``."""
    mode = conn.execute("SHOW archive_mode").fetchone()[0]
    row = conn.execute(
        "SELECT archived_count, last_archived_wal, last_archived_time, failed_count, "
        "last_failed_wal, last_failed_time FROM pg_stat_archiver").fetchone()
    names = ("archived_count", "last_archived_wal", "last_archived_time", "failed_count",
             "last_failed_wal", "last_failed_time")
    return {"archive_mode": mode, **dict(zip(names, row))}


def switch_and_wait(url: str, timeout_s: float = 30.0) -> str:
    """Close the current WAL segment and wait until it is archived; returns its name.

    Everything committed before the call can then be recovered from the
    archive without waiting for ``archive_timeout``.
    """
    with psycopg.connect(url, autocommit=True) as conn:
        segment = conn.execute(
            "SELECT pg_walfile_name(pg_switch_wal())").fetchone()[0]
        deadline = time.monotonic() + timeout_s
        while True:
            status = archiver_status(conn)
            done = status["last_archived_wal"]
            if done and done[:24] >= segment:
                return segment
            if time.monotonic() > deadline:
                raise ArchiveError(f"WAL segment {segment} not archived within {timeout_s:.0f} s "
                                   f"(last failure: {status['last_failed_wal'] or 'none'})")
            time.sleep(0.2)
            conn.execute("SELECT pg_stat_clear_snapshot()")

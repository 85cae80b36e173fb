"""The primary's side of streaming replication: its settings and its replication login.

Every start of the embedded cluster (:meth:`twin.db.cluster.Cluster.start`)
writes :data:`REPLICATION_CONF` and keeps :data:`REPLICATION_LOGIN`, whose
random password is made once into ``<home>/pg-replication.secret`` (mode
0600); standbys made by :mod:`twin.db.replica` stream the WAL as that login.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from psycopg import sql

from ..private_files import read_or_create, write_private

__all__ = ["REPLICATION_CONF", "REPLICATION_LOGIN", "SECRET_NAME", "ensure_replication_login",
           "is_standby", "write_replication_conf"]

#: The login standbys stream the WAL with; it may replicate and nothing else.
REPLICATION_LOGIN = "twin_replicator"
REPLICATION_CONF = "twin-replication.conf"
SECRET_NAME = "pg-replication.secret"

_SETTINGS = (
    "# written by the twin at each start: standbys may follow this server\n"
    "max_wal_senders = 10\n"
    "max_replication_slots = 10\n"
    "# a slot whose standby is gone keeps at most this much WAL, never the whole disk\n"
    "max_slot_wal_keep_size = '8GB'\n"
    "hot_standby = on\n"
    "# a standby's long reads hold back the primary's vacuum rather than being cancelled\n"
    "hot_standby_feedback = on\n"
)


def write_replication_conf(data_dir: Path) -> Path:
    """Write the replication settings and include them from ``postgresql.conf``."""
    conf = data_dir / REPLICATION_CONF
    write_private(conf, _SETTINGS)
    main = data_dir / "postgresql.conf"
    line = f"include_if_exists = '{REPLICATION_CONF}'"
    if line not in main.read_text().splitlines():
        with open(main, "a") as out:
            out.write(f"\n# twin: replication settings\n{line}\n")
    return conf


def is_standby(data_dir: Path) -> bool:
    """Whether the cluster in ``data_dir`` starts as a standby (``standby.signal``)."""
    return (data_dir / "standby.signal").exists()


def ensure_replication_login(conn, home: Path) -> None:
    """The replication login with the password of ``pg-replication.secret``, both made if missing.

    ``conn`` is an autocommit connection of the primary's superuser.  A server
    still recovering (a restore to a moment replaying its archive) is
    read-only: the login is left to its next start.
    """
    if conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
        return
    password = read_or_create(home / SECRET_NAME, lambda: secrets.token_urlsafe(24))
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                          (REPLICATION_LOGIN,)).fetchone()
    verb = "ALTER" if exists else "CREATE"
    conn.execute(sql.SQL(verb + " ROLE {} LOGIN REPLICATION NOSUPERUSER NOCREATEDB "
                         "NOCREATEROLE NOBYPASSRLS PASSWORD {}").format(
        sql.Identifier(REPLICATION_LOGIN), sql.Literal(password)))

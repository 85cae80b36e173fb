"""Hot standbys of the embedded cluster: streaming replication, and promotion after a failure.

The primary's set-up keeps a replication login and settings that let
standbys follow it (:mod:`twin.db.replication`).  ``pg_hba.conf`` of a new cluster
accepts replication connections from 127.0.0.1 with a SCRAM password; a
standby on another machine needs a ``hostssl replication`` line for its
address and a ``listen_addresses`` that reaches it (see docs/scaling.md).

:func:`create_replica` makes a second embedded cluster under another home
with ``pg_basebackup -R``: a consistent copy taken online, which then streams
the primary's WAL through a physical replication slot and answers read-only
queries (a *hot standby*).  :func:`promote` ends its recovery: it becomes a
primary that accepts writes, on a new timeline.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from sqlalchemy.engine import make_url

from ..private_files import write_private
from . import archive
from .cluster import Cluster, ClusterError
from .replication import REPLICATION_LOGIN, SECRET_NAME, is_standby

__all__ = ["create_replica", "promote", "replication_url"]

#: The secrets of a primary's home a standby needs to be used, and run as primary later.
COPIED_SECRETS = ("pg.secret", "pg-app.secret")
#: How long a promotion may take before it is reported as failed (s).
PROMOTE_TIMEOUT_S = 60


def replication_url(cluster: Cluster, host: str = "127.0.0.1") -> str:
    """The URL a standby gives to ``twin db replica create --from`` (it holds the password)."""
    secret = cluster.home / SECRET_NAME
    if not secret.exists():
        raise ClusterError(f"no replication login in {cluster.home}: run 'twin db start'")
    password = secret.read_text().strip()
    return f"postgresql://{REPLICATION_LOGIN}:{password}@{host}:{cluster.port()}/twin"


def _slot_name() -> str:
    return f"twin_standby_{secrets.token_hex(4)}"


def create_replica(home: Path, primary_url: str, *, secrets_from: Path | None = None) -> Cluster:
    """A hot standby of the primary at ``primary_url``, made under ``home`` and started.

    ``primary_url`` names the replication login (``twin db replica url`` on
    the primary prints it).  ``secrets_from`` is the primary's home (or a
    folder with copies of its ``pg.secret`` and ``pg-app.secret``): the
    standby's roles are the primary's, so its owner and app login answer to
    the same passwords.  The copy streams through a replication slot of its
    own, so the primary keeps the WAL the standby has not yet received.
    """
    cluster = Cluster(home)
    if cluster.initialised():
        raise ClusterError(f"{cluster.data_dir} already holds a cluster: choose another home")
    home.mkdir(parents=True, exist_ok=True)
    for name in COPIED_SECRETS if secrets_from else ():
        source = Path(secrets_from) / name
        if not source.exists():
            raise ClusterError(f"{source} is missing: give the primary's home as secrets_from")
        write_private(home / name, source.read_text())
    cluster.data_dir.mkdir(mode=0o700, exist_ok=True)
    cluster.take_data()
    url = make_url(primary_url)
    conninfo = url.set(drivername="postgresql", password=None, database=None).render_as_string(
        hide_password=False)
    env = {**os.environ, "PGPASSWORD": url.password or "", "PGCONNECT_TIMEOUT": "10"}
    try:
        cluster.run("pg_basebackup", "-d", conninfo, "-D", str(cluster.data_dir), "-R",
                    "-X", "stream", "-C", "-S", _slot_name(), "-c", "fast", env=env)
    except ClusterError:
        shutil.rmtree(cluster.data_dir, ignore_errors=True)
        raise
    cluster.start()
    return cluster


def promote(home: Path) -> Cluster:
    """Turn the standby under ``home`` into a primary that accepts writes; waits until it does."""
    cluster = Cluster(home)
    if not cluster.running():
        cluster.start()
    if not is_standby(cluster.data_dir):
        raise ClusterError(f"the cluster in {cluster.data_dir} is not a standby")
    cluster.run("pg_ctl", "promote", "-w", "-t", str(PROMOTE_TIMEOUT_S), "-D",
                str(cluster.data_dir))
    archive.wait_promoted(cluster.url("postgresql", "postgres"), PROMOTE_TIMEOUT_S,
                          cluster.log_file, alive=cluster.running)
    cluster.start()  # the primary's set-up: app and replication logins
    return cluster


"""Databases of their own on the test server, for tests whose code commits.

The CLI, the web app, the demo loader and the live ingest run their own
transactions, so their tests cannot use the rolled-back ``session``; a
database of their own keeps what they commit away from every other test.
:func:`app_role_url` is the same database seen by the app login, as the web
app and the ingest see it.  :func:`own_cluster` is a whole server of its own,
for tests that stop and start the database under the app.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from twin.db import cluster as cluster_module
from twin.db import migrate
from twin.db.cluster import Cluster

__all__ = ["app_role_url", "own_cluster", "scratch_database", "start_again"]


def app_role_url(db_url: str, home: Path) -> str | None:
    """``db_url``'s database as the app login of the test cluster in ``home``.

    ``None`` on an external server (``DATABASE_URL``), whose app login, if
    any, is ``TWIN_APP_DATABASE_URL``'s and may be for another database.
    """
    if os.environ.get("DATABASE_URL"):
        return None
    return Cluster(home).app_url(database=make_url(db_url).database)


@contextmanager
def scratch_database(db_url: str, prefix: str, *, name: str | None = None,
                     migrated: bool = True):
    """The URL of a new (migrated) database on the server of ``db_url``, dropped on exit."""
    name = name or f"{prefix}_{uuid.uuid4().hex[:10]}"
    server = create_engine(db_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(db_url).set(database=name).render_as_string(hide_password=False)
    try:
        if migrated:
            migrate.upgrade(url)
        yield url
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@contextmanager
def own_cluster():
    """A started, migrated embedded cluster of its own, which a test may stop and start.

    Its home is outside pytest's base folder, as the session cluster's is
    (see ``tests/conftest.py``); it is stopped and removed on exit.
    """
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="twin-restart-home-")))
    try:
        cluster.start()
        migrate.upgrade(cluster.url())
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(cluster.home, ignore_errors=True)


def start_again(cluster: Cluster) -> None:
    """Start a stopped ``cluster`` again on the port it had, as ``twin db start`` must.

    Its clients' closed connections leave that port in TIME_WAIT, which a
    plain bind reports as taken; PostgreSQL binds with SO_REUSEADDR and may
    take it back at once, so the check is waived here.
    """
    port = cluster.port()
    with mock.patch.object(cluster_module, "_port_free", lambda port: True, create=True):
        cluster.start()
    assert cluster.port() == port, "the database came back on another port"

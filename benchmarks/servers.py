"""The database server of a benchmark, and fresh databases on it.

``DATABASE_URL`` when set, otherwise an embedded PostGIS cluster in a
folder the caller gives (stopped on exit).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from twin.db import migrate
from twin.db.cluster import Cluster

__all__ = ["database_server", "fresh_database"]


@contextmanager
def database_server(folder: Path):
    """The URL of the server's first database (``DATABASE_URL``'s, or the cluster's)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        yield "postgresql+psycopg://" + url.split("://", 1)[1]
        return
    cluster = Cluster(Path(folder) / "home")
    cluster.start()
    try:
        yield cluster.url()
    finally:
        cluster.stop()


def fresh_database(url: str, name: str) -> str:
    """A new, migrated database ``name`` on the server of ``url`` (dropped first if there)."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    new = make_url(url).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(new)
    return new

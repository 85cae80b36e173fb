"""Databases of their own on the test server, for tests whose code commits.

The CLI, the web app, the demo loader and the live ingest run their own
transactions, so their tests cannot use the rolled-back ``session``; a
database of their own keeps what they commit away from every other test.
:func:`app_role_url` is the same database seen by the app login, as the web
app and the ingest see it.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from twin.db import migrate
from twin.db.cluster import Cluster

__all__ = ["app_role_url", "scratch_database"]


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

"""A migrated database of its own in the test cluster, for tests whose code commits."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from twin.db import migrate


@contextmanager
def own_database(db_url: str, prefix: str):
    """Yield the URL of a fresh migrated database; drop it afterwards."""
    url = make_url(db_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    server = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    own = url.set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(own)
        yield own
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()

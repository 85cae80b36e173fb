"""A migrated database of its own in the test cluster, for tests whose code commits."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, pool

from tests.databases import app_role_url, scratch_database
from tests.twin.live.city import make_city
from twin.db.engine import session_scope
from twin.live.devices import register_demo_devices


@contextmanager
def city_database(db_url: str, prefix: str, *, setup=None):
    """The URL of a database of its own holding the tiny city and its demo devices.

    A pressure logger sits on every junction; ``setup(session)``, when
    given, adds more in the same transaction.
    """
    with scratch_database(db_url, prefix, copy=True) as url:
        engine = create_engine(url, poolclass=pool.NullPool)
        with session_scope(engine) as session:
            make_city(session)
            register_demo_devices(session, pressure_every=1)
            if setup is not None:
                setup(session)
        engine.dispose()
        yield url


def ingest_env(city_url: str, db_home: Path, home: Path) -> dict[str, str]:
    """The environment of a ``twin live run`` on ``city_url`` as the app login, home ``home``."""
    app_url = app_role_url(city_url, db_home) or city_url
    return {"DATABASE_URL": city_url, "TWIN_APP_DATABASE_URL": app_url,
            "TWIN_HOME": str(home), "PYTHONUNBUFFERED": "1"}

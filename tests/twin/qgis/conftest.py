"""A twin for QGIS to open: a database of its own with a few features and personal logins."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from layers import feature_type
from tests.databases import scratch_database
from tests.factories import sample_geometry, sample_properties
from tests.webmap.api.apptest import (  # noqa: F401  (the served twin, for OAPIF)
    api_db_url,
    api_engine,
    app,
    live_server,
    tokens,
)
from twin.auth import users
from twin.auth.db_logins import ensure_db_login, service_entry
from twin.db.engine import session_scope
from twin.edits import create_feature

#: Feature types seeded, with how many features each.
SEEDED = {"water_pipe": 3, "water_valve": 4, "water_service_connection": 2,
          "base_road": 2, "base_village": 3}
LOGIN_ROLES = ("viewer", "crew", "editor", "admin")


@pytest.fixture(scope="session")
def qgis_twin(db_url):
    """URL, seeded counts and a database login per role of a twin made for QGIS tests."""
    with scratch_database(db_url, "qgis") as url:
        engine = create_engine(url, poolclass=pool.NullPool)
        suffix = uuid.uuid4().hex[:6]
        logins = {}
        with session_scope(engine) as session:
            for table, n in SEEDED.items():
                ft = feature_type(table)
                props = {**sample_properties(ft)}
                if table == "water_service_connection":
                    props.update(customer_name="Nguyễn Văn A", phone="0912345678")
                for i in range(n):
                    create_feature(session, table, props, sample_geometry(ft, dx=0.002 * i),
                                   user="seed")
            for role in LOGIN_ROLES:
                name = f"q{role}{suffix}"
                users.add_user(session, name, role, None)
                logins[role] = (name, *ensure_db_login(session, name))
        try:
            yield SimpleNamespace(url=url, engine=engine, logins=logins, counts=dict(SEEDED))
        finally:
            engine.dispose()
            server = create_engine(db_url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
            with server.connect() as conn:  # logins are cluster-wide; they hold no grants
                for _, login, _ in logins.values():
                    conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
            server.dispose()


def stored_count(twin, table: str) -> int:
    """How many features ``table`` holds now (tests of this folder add some)."""
    schema = "base" if table.startswith("base_") else "assets"
    with twin.engine.connect() as conn:
        return conn.execute(text(f'SELECT count(*) FROM {schema}."{table}"')).scalar_one()


def service_file(tmp_path, twin, role: str) -> dict:
    """Environment pointing libpq (so QGIS) at a ``pg_service.conf`` for ``role``'s login."""
    _, login, password = twin.logins[role]
    path = tmp_path / f"pg_service_{role}.conf"
    path.write_text(service_entry("twin", twin.url, login, password))
    return {"PGSERVICEFILE": str(path)}


def login_url(twin, role: str) -> str:
    """The twin's database as ``role``'s personal login (SQLAlchemy URL)."""
    _, login, password = twin.logins[role]
    return make_url(twin.url).set(username=login, password=password).render_as_string(
        hide_password=False)

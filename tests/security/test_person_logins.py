"""Personal database logins (QGIS, psql) cannot step outside their twin role.

Every role's login is tried against the real PostgreSQL: no DDL, no
truncation, no trigger switched off, no owner role, no password or token
hashes, no rewriting of the history.  Each attempt must fail with a
permission error.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tests.databases import scratch_database
from twin.auth import users
from twin.auth.db_logins import ensure_db_login
from twin.auth.roles import ROLES
from twin.db.engine import session_scope

pytestmark = pytest.mark.db

ATTEMPTS = (
    "CREATE TABLE qgis.planted (x int)",
    "CREATE VIEW qgis.planted AS SELECT 1",
    "ALTER TABLE assets.water_valve DISABLE TRIGGER ALL",
    "ALTER VIEW qgis.water_valve RENAME TO gone",
    "DROP VIEW qgis.water_pipe",
    "TRUNCATE assets.water_pipe",
    "SET session_replication_role = replica",
    "SELECT password_hash FROM auth.users",
    "SELECT token_hash FROM auth.api_tokens",
    "DELETE FROM audit.history",
    "UPDATE audit.history SET changed_by = 'nobody'",
    "CREATE FUNCTION qgis.planted() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "UPDATE assets.water_valve SET normal_state = 'open'",
    "CREATE ROLE planted",
)


@pytest.fixture(scope="module")
def person_urls(db_url):
    """A login of every twin role on a twin database of its own."""
    with scratch_database(db_url, "person_logins") as url:
        engine = create_engine(url, poolclass=pool.NullPool)
        urls, logins = {}, []
        with session_scope(engine) as session:
            for role in ROLES:
                name = f"sec{role}{uuid.uuid4().hex[:6]}"
                users.add_user(session, name, role, None)
                login, password = ensure_db_login(session, name)
                logins.append(login)
                urls[role] = make_url(url).set(username=login, password=password)
        owner = make_url(url).username
        yield urls, owner
        with engine.begin() as conn:
            for login in logins:
                conn.execute(text(f'DROP ROLE "{login}"'))
        engine.dispose()


@pytest.mark.parametrize("role", ROLES)
def test_a_personal_login_cannot_leave_its_role(person_urls, role):
    urls, owner = person_urls
    engine = create_engine(urls[role], poolclass=pool.NullPool)
    with engine.connect() as conn:
        for statement in (*ATTEMPTS, f'SET ROLE "{owner}"', "SET ROLE twin_write"):
            with pytest.raises(DBAPIError, match="permission denied|must be owner|"
                                                  "must be superuser"):
                conn.execute(text(statement))
            conn.rollback()
        assert conn.execute(text("SELECT count(*) FROM qgis.water_valve")).scalar_one() == 0
    engine.dispose()

"""The database roles of the twin: the owner, the app login and their groups.

Migrations and ``twin db`` commands run as the owner of the tables (the
embedded cluster's superuser, or the user of ``DATABASE_URL``).  The web app
and the live ingest log in as :data:`APP_LOGIN`, a member of
:data:`WRITE_ROLE`, which owns nothing and may only read and write data
(``migrations/sql/grants.sql``).  Roles are cluster-wide and shared by every
twin database of a server; their privileges are granted per database by the
migration ``0170``.
"""

from __future__ import annotations

from pathlib import Path

from psycopg import sql

__all__ = ["APP_LOGIN", "READ_ROLE", "SQL_DIR", "WRITE_ROLE", "ensure_app_login", "sql_file"]

READ_ROLE = "twin_read"
WRITE_ROLE = "twin_write"
#: The login of the web app and the ingest on the embedded cluster.
APP_LOGIN = "twin_app"
#: Re-runnable SQL of the migrations: roles, grants, privileged functions.
SQL_DIR = Path(__file__).resolve().parents[2] / "migrations" / "sql"

_LOGIN = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {name}) THEN
        BEGIN
            CREATE ROLE {login} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE
                NOREPLICATION NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
    IF NOT pg_catalog.pg_has_role({name}, {group}, 'MEMBER') THEN
        BEGIN
            GRANT {group_id} TO {login};
        EXCEPTION WHEN unique_violation THEN NULL;
        END;
    END IF;
END
$$
"""


def sql_file(name: str) -> str:
    """The text of ``migrations/sql/<name>``."""
    return (SQL_DIR / name).read_text()


def ensure_app_login(conn, password: str) -> None:
    """Make :data:`APP_LOGIN` (and its groups) if missing and give it ``password``.

    ``conn`` is a psycopg connection of a superuser or a role with
    CREATEROLE, in autocommit mode; safe to run twice or at once.
    """
    conn.execute(sql_file("roles.sql"))
    conn.execute(sql.SQL(_LOGIN).format(
        name=sql.Literal(APP_LOGIN), login=sql.Identifier(APP_LOGIN),
        group=sql.Literal(WRITE_ROLE), group_id=sql.Identifier(WRITE_ROLE)))
    conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
        sql.Identifier(APP_LOGIN), sql.Literal(password)))

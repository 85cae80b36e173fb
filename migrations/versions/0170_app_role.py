"""Least privilege: the app's roles, their grants and the privileged functions.

The web app and the live ingest connect as a member of ``twin_write``, which
owns nothing: ``migrations/sql/roles.sql`` makes the group roles (shared by
every database of the server), ``grants.sql`` gives them this database's data
(default privileges cover tables made later), ``privileged.sql`` the two
operations that need the owner (a monthly partition, a block of asset ids).

Revision ID: 0170
Revises: 0160
Create Date: 2026-12-07 03:40:00
"""
from alembic import op

from twin.db.roles import sql_file

revision = '0170'
down_revision = '0160'
branch_labels = None
depends_on = None

_SCHEMAS = ("assets", "base", "audit", "live", "live_part", "planning", "auth")


def upgrade() -> None:
    for name in ("roles.sql", "grants.sql", "privileged.sql"):
        op.execute(sql_file(name))


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS assets.reserve_asset_ids(bigint)")
    op.execute("DROP FUNCTION IF EXISTS live.ensure_reading_partition(timestamptz)")
    for schema in _SCHEMAS:
        for role in ("twin_read", "twin_write"):
            op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}")
            op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}")
            op.execute(f"REVOKE ALL ON SCHEMA {schema} FROM {role}")
            op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
                       f"REVOKE ALL ON TABLES FROM {role}")
            op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
                       f"REVOKE ALL ON SEQUENCES FROM {role}")
    op.execute("DO $$ BEGIN EXECUTE format('REVOKE ALL ON DATABASE %I FROM twin_read, twin_write', "
               "current_database()); END $$")
    # The roles stay: other databases of the server may use them.

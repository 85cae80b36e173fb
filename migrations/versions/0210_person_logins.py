"""Personal database logins: group roles per twin role and the qgis views they use.

``person_roles.sql`` makes the group roles (shared by every database of the
server), :func:`twin.db.qgis_views.views_sql` one view per feature type
without its personal fields, ``person_grants.sql`` what each group may do
with them.  Logins themselves are made by ``twin users db-login``.

Revision ID: 0210
Revises: 0200
Create Date: 2026-12-07 04:30:00
"""
from alembic import op

from twin.db.qgis_views import SCHEMA, views_sql
from twin.db.roles import sql_file

revision = '0210'
down_revision = '0200'
branch_labels = None
depends_on = None

_GROUPS = ("twin_role_viewer", "twin_role_crew", "twin_role_editor", "twin_role_planner",
           "twin_role_admin")


def upgrade() -> None:
    op.execute(sql_file("person_roles.sql"))
    op.execute(views_sql())
    op.execute(sql_file("person_grants.sql"))


def downgrade() -> None:
    op.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    groups = ", ".join(_GROUPS)
    for schema in ("assets", "audit", "base", "live", "planning"):
        op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {groups}")
        op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {groups}")
        op.execute(f"REVOKE ALL ON SCHEMA {schema} FROM {groups}")
    op.execute(f"DO $$ BEGIN EXECUTE format('REVOKE ALL ON DATABASE %I FROM {groups}', "
               "current_database()); END $$")
    # The roles stay: other databases of the server may use them.

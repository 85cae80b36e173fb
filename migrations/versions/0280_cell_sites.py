"""Mobile cell sites: the telecom feature type that coverage is computed from.

The table is made from the declaration (``layers/telecom.py``), with the
audit triggers every feature table has; the ``qgis`` views are made again so
that QGIS shows the new type.

Revision ID: 0280
Revises: 0230
Create Date: 2026-12-07 07:00:00
"""
from alembic import op

from twin.db.qgis_views import SCHEMA, views_sql
from twin.db.roles import sql_file
from twin.db.triggers import TRIGGERS, trigger_statements
from twin.models import model

revision = '0280'
down_revision = '0230'
branch_labels = None
depends_on = None

_TABLE = "telecom_cell_site"


def upgrade() -> None:
    model(_TABLE).__table__.create(op.get_bind(), checkfirst=True)
    for statement in trigger_statements(only=_TABLE):
        op.execute(statement)
    op.execute(views_sql())
    op.execute(sql_file("person_grants.sql"))


def downgrade() -> None:
    op.execute(f"DROP VIEW IF EXISTS {SCHEMA}.{_TABLE}")
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON assets.{_TABLE}")
    op.drop_table(_TABLE, schema="assets")
    op.execute(views_sql())
    op.execute(sql_file("person_grants.sql"))

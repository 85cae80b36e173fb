"""The database keeps the rules of every write to a feature table, whatever the client.

Triggers on every declared feature table (``twin.db.triggers``) calling the
functions of ``migrations/sql/audit_triggers.sql``: version and audit
stamps, snapped line ends and commune before the write, one
``audit.history`` row after it.  A write from QGIS, psql or ogr2ogr is
versioned and audited like one through the edit service.

Revision ID: 0200
Revises: 0190
Create Date: 2026-12-07 04:30:00
"""
from alembic import op

from twin.db.roles import sql_file
from twin.db.triggers import drop_statements, trigger_statements

revision = '0200'
down_revision = '0190'
branch_labels = None
depends_on = None

_FUNCTIONS = ("record_feature_change()", "keep_feature_rules()", "check_bulk_load()",
              "nearest_node(text[], geometry, double precision)",
              "feature_json(jsonb, geometry, text)", "actor()", "bulk_loading()",
              "trusted_login()")


def upgrade() -> None:
    op.execute(sql_file("audit_triggers.sql"))
    for statement in trigger_statements():
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_statements():
        op.execute(statement)
    for function in _FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS audit.{function}")

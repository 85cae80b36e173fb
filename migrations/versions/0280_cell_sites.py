"""Mobile cell sites: the telecom feature type that coverage is computed from.

The table is made from the declaration (``layers/telecom.py``), with the
audit triggers every feature table has; the ``qgis`` views are made again so
that QGIS shows the new type.

Revision ID: 0280
Revises: 0270
Create Date: 2026-12-07 07:00:00
"""
from alembic import op

from twin.db.added_tables import add_feature_table, drop_feature_table
from twin.search import indexes_sql

revision = '0280'
down_revision = '0270'
branch_labels = None
depends_on = None

_TABLE = "telecom_cell_site"


def upgrade() -> None:
    add_feature_table(op, _TABLE)
    op.execute(indexes_sql(tables={_TABLE}))


def downgrade() -> None:
    drop_feature_table(op, _TABLE)

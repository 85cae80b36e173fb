"""Cameras: the video layer's table (traffic, security and number-plate cameras).

The table is made from the declaration (``layers/video.py``), with the
audit triggers every feature table has; the ``qgis`` views are made again,
the stream address left out of them as a personal field.

Revision ID: 0290
Revises: 0280
Create Date: 2026-12-07 07:00:00
"""
from alembic import op

from twin.db.added_tables import add_feature_table, drop_feature_table
from twin.search import indexes_sql

revision = '0290'
down_revision = '0280'
branch_labels = None
depends_on = None

_TABLE = "video_camera"


def upgrade() -> None:
    add_feature_table(op, _TABLE)
    op.execute(indexes_sql(tables={_TABLE}))


def downgrade() -> None:
    drop_feature_table(op, _TABLE)

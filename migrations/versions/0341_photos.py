"""Photos of assets, inspections and incidents (``ops.photo``), kept in the database.

In the database rather than in files so that backups and point-in-time
restores keep them with what they document (see ``twin/photos/tables.py``).

Revision ID: 0341
Revises: 0340
Create Date: 2026-12-07 12:30:00
"""
from alembic import op

from twin.photos.tables import Photo

revision = '0341'
down_revision = '0340'
branch_labels = None
depends_on = None


def upgrade() -> None:
    Photo.__table__.create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    op.drop_table("photo", schema="ops")

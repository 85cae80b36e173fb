"""Work orders: planned maintenance and repairs of incidents (``ops.work_order``).

Revision ID: 0342
Revises: 0341
Create Date: 2026-12-07 12:50:00
"""
from alembic import op

from twin.maintenance.tables import WorkOrder

revision = '0342'
down_revision = '0341'
branch_labels = None
depends_on = None


def upgrade() -> None:
    WorkOrder.__table__.create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    op.drop_table("work_order", schema="ops")

"""PostGIS, the twin's schemas and the shared asset id sequence.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    for schema in ("assets", "base", "audit"):
        op.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    op.execute("CREATE SEQUENCE IF NOT EXISTS assets.asset_id_seq")


def downgrade() -> None:
    op.execute("DROP SEQUENCE IF EXISTS assets.asset_id_seq")
    for schema in ("audit", "base", "assets"):
        op.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    # The postgis extension stays: other databases objects may use it.

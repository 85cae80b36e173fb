"""Bulk loads recorded once per load (audit.bulk_load).

Revision ID: 0150
Revises: 0140
Create Date: 2026-12-06 16:20:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0150'
down_revision = '0140'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bulk_load',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('audit.history_id_seq')"), autoincrement=False, nullable=False),
    sa.Column('feature_type', sa.Text(), nullable=False),
    sa.Column('action', sa.Text(), server_default='import', nullable=False),
    sa.Column('features', sa.Integer(), nullable=False),
    sa.Column('asset_ids', postgresql.INT8MULTIRANGE(), nullable=False),
    sa.Column('changed_by', sa.Text(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.CheckConstraint("action = 'import'", name=op.f('ck_bulk_load_action_allowed')),
    sa.CheckConstraint('features > 0', name=op.f('ck_bulk_load_features_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulk_load')),
    schema='audit'
    )
    op.create_index('ix_bulk_load_assets', 'bulk_load', ['asset_ids'], unique=False, schema='audit', postgresql_using='gist')


def downgrade() -> None:
    op.drop_index('ix_bulk_load_assets', table_name='bulk_load', schema='audit', postgresql_using='gist')
    op.drop_table('bulk_load', schema='audit')

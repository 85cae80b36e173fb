"""SWMM runs of the drainage network and their per-feature statistics (schema simulation).

``grants.sql`` is re-run so the app's roles reach the new tables.

Revision ID: 0310
Revises: 0300
Create Date: 2026-12-07 12:00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from twin.db.roles import sql_file

revision = '0310'
down_revision = '0300'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('drainage_run',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('return_period_years', sa.Float(), nullable=False),
    sa.Column('duration_min', sa.Float(), nullable=False),
    sa.Column('blocked', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False, comment='codes of the conduits closed in this run'),
    sa.Column('data_version', sa.BigInteger(), nullable=True, comment='last change (audit.history or audit.bulk_load id) the model saw'),
    sa.Column('inputs', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False, comment='storm, run settings, model counts'),
    sa.Column('summary', postgresql.JSONB(astext_type=sa.Text()), nullable=True, comment='flooding and outflow in brief'),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('return_period_years > 0 AND duration_min > 0', name=op.f('ck_drainage_run_storm_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drainage_run')),
    schema='simulation'
    )
    op.create_table('drainage_result',
    sa.Column('run_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('max_depth_m', sa.Float(), nullable=True),
    sa.Column('flood_volume_m3', sa.Float(), nullable=True),
    sa.Column('flood_hours', sa.Float(), nullable=True),
    sa.Column('max_flow_m3s', sa.Float(), nullable=True),
    sa.Column('mean_flow_m3s', sa.Float(), nullable=True),
    sa.Column('max_velocity_ms', sa.Float(), nullable=True),
    sa.CheckConstraint("kind IN ('node', 'link', 'outfall')", name=op.f('ck_drainage_result_kind_allowed')),
    sa.ForeignKeyConstraint(['run_id'], ['simulation.drainage_run.id'], name=op.f('fk_drainage_result_run_id_drainage_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'kind', 'code', name=op.f('pk_drainage_result')),
    schema='simulation'
    )
    op.execute(sql_file("grants.sql"))


def downgrade() -> None:
    op.drop_table('drainage_result', schema='simulation')
    op.drop_table('drainage_run', schema='simulation')

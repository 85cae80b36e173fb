"""Hydraulic runs of the water network and their per-feature results (schema simulation).

``grants.sql`` is re-run so the app's roles reach the new schema: the web
app (twin_app, a member of twin_write) records runs and reads them back.

Revision ID: 0270
Revises: 0260
Create Date: 2026-12-07 06:30:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from twin.db.roles import sql_file

revision = '0270'
down_revision = '0260'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS simulation")
    op.create_table('water_run',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('scenario', sa.Text(), server_default='normal', nullable=False),
    sa.Column('duration_s', sa.Integer(), nullable=False),
    sa.Column('step_s', sa.Integer(), nullable=False),
    sa.Column('data_version', sa.BigInteger(), nullable=True, comment='last change (audit.history or audit.bulk_load id) the model saw'),
    sa.Column('inputs', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False, comment='run settings, model counts, standards used'),
    sa.Column('summary', postgresql.JSONB(astext_type=sa.Text()), nullable=True, comment='pressures and flows in brief'),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('duration_s >= 0 AND step_s > 0', name=op.f('ck_water_run_times_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_water_run')),
    schema='simulation'
    )
    op.create_table('water_result',
    sa.Column('run_id', sa.BigInteger(), nullable=False),
    sa.Column('time_s', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('pressure_m', sa.Float(), nullable=True),
    sa.Column('head_m', sa.Float(), nullable=True),
    sa.Column('demand_lps', sa.Float(), nullable=True),
    sa.Column('flow_lps', sa.Float(), nullable=True),
    sa.Column('velocity_ms', sa.Float(), nullable=True),
    sa.CheckConstraint("kind IN ('node', 'link')", name=op.f('ck_water_result_kind_allowed')),
    sa.ForeignKeyConstraint(['run_id'], ['simulation.water_run.id'], name=op.f('fk_water_result_run_id_water_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'time_s', 'kind', 'code', name=op.f('pk_water_result')),
    schema='simulation'
    )
    op.execute(sql_file("grants.sql"))


def downgrade() -> None:
    for role in ("twin_read", "twin_write"):
        op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA simulation REVOKE ALL ON TABLES FROM {role}")
        op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA simulation REVOKE ALL ON SEQUENCES FROM {role}")
    op.execute("DROP SCHEMA simulation CASCADE")

"""Load flows of the power network and their per-feature results (schema simulation).

``grants.sql`` is re-run so the app's roles reach the new tables as they do
the water runs'.

Revision ID: 0300
Revises: 0290
Create Date: 2026-12-07 12:40:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from twin.db.roles import sql_file

revision = '0300'
down_revision = '0290'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('power_run',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('feeder', sa.Text(), nullable=True, comment='the feeder asked for; NULL: all'),
    sa.Column('data_version', sa.BigInteger(), nullable=True, comment='last change (audit.history or audit.bulk_load id) the model saw'),
    sa.Column('inputs', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False, comment='model counts, limits and source voltage used'),
    sa.Column('summary', postgresql.JSONB(astext_type=sa.Text()), nullable=True, comment='each feeder in brief'),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_power_run')),
    schema='simulation'
    )
    op.create_table('power_result',
    sa.Column('run_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('feeder', sa.Text(), nullable=True),
    sa.Column('vm_pu', sa.Float(), nullable=True),
    sa.Column('loading_percent', sa.Float(), nullable=True),
    sa.Column('p_kw', sa.Float(), nullable=True),
    sa.Column('losses_kw', sa.Float(), nullable=True),
    sa.CheckConstraint("kind IN ('bus', 'line', 'transformer')", name=op.f('ck_power_result_kind_allowed')),
    sa.ForeignKeyConstraint(['run_id'], ['simulation.power_run.id'], name=op.f('fk_power_result_run_id_power_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('run_id', 'kind', 'code', name=op.f('pk_power_result')),
    schema='simulation'
    )
    op.execute(sql_file("grants.sql"))


def downgrade() -> None:
    op.drop_table('power_result', schema='simulation')
    op.drop_table('power_run', schema='simulation')

"""The job queue (schema ops): background jobs and their state, shared by every process.

Fibre plans, zoning checks and web imports run as rows of ``ops.job`` taken
by a bounded pool of workers (:mod:`twin.jobs`); ``grants.sql`` is re-run so
the app's roles reach the new schema.

Revision ID: 0190
Revises: 0180
Create Date: 2026-12-07 04:30:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from twin.db.roles import sql_file

revision = '0190'
down_revision = '0180'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS ops")
    op.create_table('job',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('queue', sa.Text(), server_default='default', nullable=False),
    sa.Column('params', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('ref', sa.Text(), nullable=True, comment='what the job works on'),
    sa.Column('owner', sa.Text(), nullable=True, comment='user name of who asked'),
    sa.Column('status', sa.Text(), server_default='queued', nullable=False),
    sa.Column('done', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=True, comment='steps in all; null: unknown'),
    sa.Column('step', postgresql.JSONB(astext_type=sa.Text()), nullable=True, comment='step under way, a stored Message'),
    sa.Column('cancel_requested', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('cancelled_by', sa.Text(), nullable=True),
    sa.Column('result', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('worker', sa.Text(), nullable=True, comment='runner and thread running it'),
    sa.Column('worker_host', sa.Text(), nullable=True),
    sa.Column('worker_pid', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed', 'cancelled')", name=op.f('ck_job_status_allowed')),
    sa.CheckConstraint('done >= 0 AND (total IS NULL OR total >= 0)', name=op.f('ck_job_progress_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job')),
    schema='ops'
    )
    op.create_index('ix_job_queue_waiting', 'job', ['queue', 'id'], unique=False, schema='ops', postgresql_where=sa.text("status = 'queued'"))
    op.create_index(op.f('ix_job_status'), 'job', ['status'], unique=False, schema='ops')
    op.create_index('uq_job_active_ref', 'job', ['kind', 'ref'], unique=True, schema='ops', postgresql_where=sa.text("ref IS NOT NULL AND status IN ('queued', 'running')"))
    op.execute(sql_file("grants.sql"))


def downgrade() -> None:
    for role in ("twin_read", "twin_write"):
        op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA ops REVOKE ALL ON TABLES FROM {role}")
        op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA ops REVOKE ALL ON SEQUENCES FROM {role}")
    op.execute("DROP SCHEMA ops CASCADE")

"""Session generation of each user and failed logins (schema auth).

``auth.users.session_generation`` is part of every session cookie; bumping it
(password change, deactivation, "sign out everywhere") ends all sessions of
the user.  ``auth.login_failures`` counts failed logins per account and per
address, shared by every process of the twin.

Revision ID: 0160
Revises: 0150
Create Date: 2026-12-07 03:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0160'
down_revision = '0150'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('users', sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False), schema='auth')
    op.create_table('login_failures',
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('failures > 0', name=op.f('ck_login_failures_failures_positive')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_failures')),
    schema='auth'
    )
    op.create_index(op.f('ix_login_failures_last_failed_at'), 'login_failures', ['last_failed_at'], unique=False, schema='auth')


def downgrade() -> None:
    op.drop_index(op.f('ix_login_failures_last_failed_at'), table_name='login_failures', schema='auth')
    op.drop_table('login_failures', schema='auth')
    op.drop_column('users', 'session_generation', schema='auth')

"""Live state: devices, readings partitioned by time, quarantine, alarms, incidents.

Partitions of ``live.reading`` are created on demand in schema ``live_part``
(see ``twin.live.partitions``); dropping the parent table drops them.

Revision ID: 0130
Revises: 0120
Create Date: 2026-11-22 02:23:48.205553
"""
from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = '0130'
down_revision = '0120'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS live")
    op.execute("CREATE SCHEMA IF NOT EXISTS live_part")
    op.create_table('alarm_rule',
    sa.Column('rule_id', sa.Text(), nullable=False),
    sa.Column('rule_type', sa.Text(), nullable=False),
    sa.Column('severity', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('definition', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('enabled', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('rule_id', name=op.f('pk_alarm_rule')),
    schema='live'
    )
    op.create_table('asset_state',
    sa.Column('asset_code', sa.Text(), nullable=False),
    sa.Column('asset_table', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), server_default='unknown', nullable=False),
    sa.Column('readings', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('last_ts', sa.DateTime(timezone=True), nullable=True),
    sa.Column('device_id', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('asset_code', name=op.f('pk_asset_state')),
    schema='live'
    )
    op.create_index('ix_asset_state_status', 'asset_state', ['status'], unique=False, schema='live')
    op.create_table('device',
    sa.Column('device_id', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('asset_table', sa.Text(), nullable=False),
    sa.Column('asset_code', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('meta', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.PrimaryKeyConstraint('device_id', name=op.f('pk_device')),
    schema='live'
    )
    op.create_index('ix_device_asset', 'device', ['asset_code'], unique=False, schema='live')
    op.create_geospatial_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('rule_id', sa.Text(), nullable=True),
    sa.Column('severity', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), server_default='open', nullable=False),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('asset_table', sa.Text(), nullable=True),
    sa.Column('asset_code', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closing_note', sa.Text(), nullable=True),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('outage', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.CheckConstraint("status IN ('open', 'acknowledged', 'in_progress', 'resolved', 'closed')", name=op.f('ck_incident_status_allowed')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident')),
    sa.UniqueConstraint('code', name=op.f('uq_incident_code')),
    schema='live'
    )
    op.create_geospatial_index('idx_incident_geom', 'incident', ['geom'], unique=False, schema='live', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_incident_asset_code'), 'incident', ['asset_code'], unique=False, schema='live')
    op.create_index('ix_incident_status_owner', 'incident', ['status', 'owner'], unique=False, schema='live')
    op.create_table('quarantine',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('problems', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
    sa.Column('device_id', sa.Text(), nullable=True),
    sa.Column('msg_id', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarantine')),
    schema='live'
    )
    op.create_index('ix_quarantine_received', 'quarantine', ['received_at'], unique=False, schema='live')
    op.create_table('reading',
    sa.Column('msg_id', sa.Text(), nullable=False),
    sa.Column('ts', sa.DateTime(timezone=True), nullable=False),
    sa.Column('device_id', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('asset_code', sa.Text(), nullable=False),
    sa.Column('readings', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('msg_id', 'ts', name='pk_reading'),
    schema='live',
    postgresql_partition_by='RANGE (ts)'
    )
    op.create_index('ix_reading_asset_ts', 'reading', ['asset_code', 'ts'], unique=False, schema='live')
    op.create_index('ix_reading_device_ts', 'reading', ['device_id', 'ts'], unique=False, schema='live')
    op.create_table('alarm',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('rule_id', sa.Text(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('asset_code', sa.Text(), nullable=True),
    sa.Column('raised_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('cleared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['live.incident.id'], name=op.f('fk_alarm_incident_id_incident'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alarm')),
    schema='live'
    )
    op.create_index('uq_alarm_active', 'alarm', ['rule_id', 'subject'], unique=True, schema='live', postgresql_where=sa.text('cleared_at IS NULL'))
    op.create_table('incident_event',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['live.incident.id'], name=op.f('fk_incident_event_incident_id_incident'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_event')),
    schema='live'
    )
    op.create_index('ix_incident_event_incident_at', 'incident_event', ['incident_id', 'at'], unique=False, schema='live')


def downgrade() -> None:
    op.drop_index('ix_incident_event_incident_at', table_name='incident_event', schema='live')
    op.drop_table('incident_event', schema='live')
    op.drop_index('uq_alarm_active', table_name='alarm', schema='live', postgresql_where=sa.text('cleared_at IS NULL'))
    op.drop_table('alarm', schema='live')
    op.drop_index('ix_reading_device_ts', table_name='reading', schema='live')
    op.drop_index('ix_reading_asset_ts', table_name='reading', schema='live')
    op.drop_table('reading', schema='live')
    op.drop_index('ix_quarantine_received', table_name='quarantine', schema='live')
    op.drop_table('quarantine', schema='live')
    op.drop_index('ix_incident_status_owner', table_name='incident', schema='live')
    op.drop_index(op.f('ix_incident_asset_code'), table_name='incident', schema='live')
    op.drop_geospatial_index('idx_incident_geom', table_name='incident', schema='live', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('incident', schema='live')
    op.drop_index('ix_device_asset', table_name='device', schema='live')
    op.drop_table('device', schema='live')
    op.drop_index('ix_asset_state_status', table_name='asset_state', schema='live')
    op.drop_table('asset_state', schema='live')
    op.drop_table('alarm_rule', schema='live')
    op.execute("DROP SCHEMA IF EXISTS live_part CASCADE")
    op.execute("DROP SCHEMA IF EXISTS live CASCADE")

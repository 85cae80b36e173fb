"""Plans, zones, red lines, corridors, check runs and findings (schema planning).

Revision ID: 0140
Revises: 0130
Create Date: 2026-11-22 02:33:13.974251
"""
from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = '0140'
down_revision = '0130'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS planning")
    op.create_table('check_run',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('status', sa.Text(), server_default='running', nullable=False),
    sa.Column('started_by', sa.Text(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('plan_ids', postgresql.ARRAY(sa.BigInteger()), nullable=False),
    sa.Column('against_ids', postgresql.ARRAY(sa.BigInteger()), server_default='{}', nullable=False),
    sa.Column('with_assets', sa.Boolean(), nullable=False),
    sa.Column('asset_count', sa.Integer(), nullable=True),
    sa.Column('crs', sa.Text(), nullable=True, comment='metric CRS the checks ran in'),
    sa.Column('counts', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('kept_decisions', sa.Integer(), nullable=True),
    sa.Column('stale_decisions', sa.Integer(), nullable=True),
    sa.Column('timings', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('running', 'done', 'failed')", name=op.f('ck_check_run_status_allowed')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_run')),
    schema='planning'
    )
    op.create_geospatial_table('plan',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('level', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), server_default='draft', nullable=False),
    sa.Column('decision_number', sa.Text(), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('crs', sa.Text(), nullable=True, comment='CRS the plan was drawn in'),
    sa.Column('legend', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False, comment='legend code -> code'),
    sa.Column('source', sa.Text(), nullable=True, comment='file the plan was imported from'),
    sa.Column('boundary', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("level IN ('general', 'zoning', 'detailed')", name=op.f('ck_plan_level_allowed')),
    sa.CheckConstraint("status IN ('draft', 'approved', 'superseded')", name=op.f('ck_plan_status_allowed')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_plan_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    sa.UniqueConstraint('name', 'version', name=op.f('uq_plan_name_version')),
    schema='planning'
    )
    op.create_geospatial_table('corridor',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('plan_id', sa.BigInteger(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False, comment='utility kind, e.g. power'),
    sa.Column('width_m', sa.Float(), nullable=True),
    sa.Column('geom', Geometry(srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("GeometryType(geom) IN ('LINESTRING', 'POLYGON')", name=op.f('ck_corridor_geom_line_or_polygon')),
    sa.ForeignKeyConstraint(['plan_id'], ['planning.plan.id'], name=op.f('fk_corridor_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corridor')),
    sa.UniqueConstraint('plan_id', 'key', name=op.f('uq_corridor_plan_id_key')),
    schema='planning'
    )
    op.create_geospatial_index('idx_corridor_geom', 'corridor', ['geom'], unique=False, schema='planning', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_corridor_plan_id'), 'corridor', ['plan_id'], unique=False, schema='planning')
    op.create_geospatial_table('finding',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('run_id', sa.BigInteger(), nullable=False),
    sa.Column('fingerprint', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('severity', sa.Text(), nullable=False),
    sa.Column('rule', sa.Text(), nullable=False),
    sa.Column('plans', postgresql.ARRAY(sa.Text()), nullable=False, comment='names of the plans involved'),
    sa.Column('plan_ids', postgresql.ARRAY(sa.BigInteger()), nullable=False, comment='versions of the plans involved'),
    sa.Column('involved', postgresql.ARRAY(sa.Text()), nullable=False, comment='zone:<plan>/<key>, asset:<code> ...'),
    sa.Column('area_m2', sa.Float(), nullable=True),
    sa.Column('length_m', sa.Float(), nullable=True),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('geom', Geometry(srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('status', sa.Text(), server_default='open', nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("severity IN ('high', 'medium', 'low')", name=op.f('ck_finding_severity_allowed')),
    sa.CheckConstraint("status IN ('open', 'resolved', 'accepted')", name=op.f('ck_finding_status_allowed')),
    sa.ForeignKeyConstraint(['run_id'], ['planning.check_run.id'], name=op.f('fk_finding_run_id_check_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding')),
    schema='planning'
    )
    op.create_geospatial_index('idx_finding_geom', 'finding', ['geom'], unique=False, schema='planning', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_finding_fingerprint'), 'finding', ['fingerprint'], unique=False, schema='planning')
    op.create_index('ix_finding_run_kind', 'finding', ['run_id', 'kind'], unique=False, schema='planning')
    op.create_geospatial_table('red_line',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('plan_id', sa.BigInteger(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('road_name', sa.Text(), nullable=True),
    sa.Column('geom', Geometry(geometry_type='LINESTRING', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['planning.plan.id'], name=op.f('fk_red_line_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_red_line')),
    sa.UniqueConstraint('plan_id', 'key', name=op.f('uq_red_line_plan_id_key')),
    schema='planning'
    )
    op.create_geospatial_index('idx_red_line_geom', 'red_line', ['geom'], unique=False, schema='planning', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_red_line_plan_id'), 'red_line', ['plan_id'], unique=False, schema='planning')
    op.create_geospatial_table('zone',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('plan_id', sa.BigInteger(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False, comment='zone id within the plan'),
    sa.Column('code', sa.Text(), nullable=True, comment='national land-use code; null: unknown'),
    sa.Column('source_code', sa.Text(), nullable=True, comment='code as drawn on the plan'),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_zone_version_positive')),
    sa.ForeignKeyConstraint(['plan_id'], ['planning.plan.id'], name=op.f('fk_zone_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zone')),
    sa.UniqueConstraint('plan_id', 'key', name=op.f('uq_zone_plan_id_key')),
    schema='planning'
    )
    op.create_geospatial_index('idx_zone_geom', 'zone', ['geom'], unique=False, schema='planning', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_zone_plan_id'), 'zone', ['plan_id'], unique=False, schema='planning')
    op.create_table('finding_history',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('finding_id', sa.BigInteger(), nullable=True),
    sa.Column('fingerprint', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('previous_status', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.CheckConstraint("status IN ('open', 'resolved', 'accepted')", name=op.f('ck_finding_history_status_allowed')),
    sa.ForeignKeyConstraint(['finding_id'], ['planning.finding.id'], name=op.f('fk_finding_history_finding_id_finding'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_history')),
    schema='planning'
    )
    op.create_index(op.f('ix_finding_history_finding_id'), 'finding_history', ['finding_id'], unique=False, schema='planning')
    op.create_index('ix_finding_history_fingerprint_at', 'finding_history', ['fingerprint', 'decided_at'], unique=False, schema='planning')


def downgrade() -> None:
    op.drop_index('ix_finding_history_fingerprint_at', table_name='finding_history', schema='planning')
    op.drop_index(op.f('ix_finding_history_finding_id'), table_name='finding_history', schema='planning')
    op.drop_table('finding_history', schema='planning')
    op.drop_index(op.f('ix_zone_plan_id'), table_name='zone', schema='planning')
    op.drop_geospatial_index('idx_zone_geom', table_name='zone', schema='planning', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('zone', schema='planning')
    op.drop_index(op.f('ix_red_line_plan_id'), table_name='red_line', schema='planning')
    op.drop_geospatial_index('idx_red_line_geom', table_name='red_line', schema='planning', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('red_line', schema='planning')
    op.drop_index('ix_finding_run_kind', table_name='finding', schema='planning')
    op.drop_index(op.f('ix_finding_fingerprint'), table_name='finding', schema='planning')
    op.drop_geospatial_index('idx_finding_geom', table_name='finding', schema='planning', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('finding', schema='planning')
    op.drop_index(op.f('ix_corridor_plan_id'), table_name='corridor', schema='planning')
    op.drop_geospatial_index('idx_corridor_geom', table_name='corridor', schema='planning', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('corridor', schema='planning')
    op.drop_geospatial_table('plan', schema='planning')
    op.drop_table('check_run', schema='planning')
    op.execute("DROP SCHEMA IF EXISTS planning CASCADE")

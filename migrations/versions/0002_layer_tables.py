"""Asset and base tables, generated from the layer declarations.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:14:49.035229
"""
from alembic import op
import geoalchemy2
import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_geospatial_table('drainage_catchment',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='drainage', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('outlet', sa.Text(), nullable=True, comment='Outlet node (code)'),
    sa.Column('imperviousness_pct', sa.Float(), nullable=True, comment='Imperviousness [%]'),
    sa.Column('geom', Geometry(geometry_type='POLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('area_m2', sa.Float(), sa.Computed('ST_Area(geom::geography)', persisted=True), nullable=True),
    sa.CheckConstraint("layer = 'drainage'", name=op.f('ck_drainage_catchment_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_drainage_catchment_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_drainage_catchment_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_drainage_catchment_geom_valid')),
    sa.CheckConstraint('imperviousness_pct <= 100', name=op.f('ck_drainage_catchment_imperviousness_pct_max')),
    sa.CheckConstraint('imperviousness_pct >= 0', name=op.f('ck_drainage_catchment_imperviousness_pct_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_drainage_catchment_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drainage_catchment')),
    sa.UniqueConstraint('code', name=op.f('uq_drainage_catchment_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_drainage_catchment_geom', 'drainage_catchment', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_drainage_catchment_commune'), 'drainage_catchment', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('drainage_conduit',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='drainage', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('system', sa.Text(), nullable=False, comment='System'),
    sa.Column('shape', sa.Text(), nullable=True, comment='Shape'),
    sa.Column('diameter_mm', sa.Integer(), nullable=True, comment='Diameter [mm]'),
    sa.Column('width_mm', sa.Integer(), nullable=True, comment='Width [mm]'),
    sa.Column('height_mm', sa.Integer(), nullable=True, comment='Height [mm]'),
    sa.Column('material', sa.Text(), nullable=True, comment='Material'),
    sa.Column('invert_up_m', sa.Float(), nullable=True, comment='Upstream invert [m]'),
    sa.Column('invert_down_m', sa.Float(), nullable=True, comment='Downstream invert [m]'),
    sa.Column('install_year', sa.Integer(), nullable=True, comment='Install year'),
    sa.Column('geom', Geometry(geometry_type='LINESTRING', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('length_m', sa.Float(), sa.Computed('ST_Length(geom::geography)', persisted=True), nullable=True),
    sa.Column('start_node', sa.BigInteger(), nullable=True),
    sa.Column('end_node', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("layer = 'drainage'", name=op.f('ck_drainage_conduit_layer_fixed')),
    sa.CheckConstraint("material IN ('concrete', 'hdpe', 'brick', 'upvc')", name=op.f('ck_drainage_conduit_material_allowed')),
    sa.CheckConstraint("shape IN ('circular', 'rectangular', 'trapezoidal', 'open_channel')", name=op.f('ck_drainage_conduit_shape_allowed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_drainage_conduit_status_allowed')),
    sa.CheckConstraint("system IN ('storm', 'sewer', 'combined')", name=op.f('ck_drainage_conduit_system_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_drainage_conduit_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_drainage_conduit_geom_valid')),
    sa.CheckConstraint('diameter_mm <= 5000', name=op.f('ck_drainage_conduit_diameter_mm_max')),
    sa.CheckConstraint('diameter_mm >= 10', name=op.f('ck_drainage_conduit_diameter_mm_min')),
    sa.CheckConstraint('height_mm >= 10', name=op.f('ck_drainage_conduit_height_mm_min')),
    sa.CheckConstraint('install_year <= 2100', name=op.f('ck_drainage_conduit_install_year_max')),
    sa.CheckConstraint('install_year >= 1880', name=op.f('ck_drainage_conduit_install_year_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_drainage_conduit_version_positive')),
    sa.CheckConstraint('width_mm >= 10', name=op.f('ck_drainage_conduit_width_mm_min')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drainage_conduit')),
    sa.UniqueConstraint('code', name=op.f('uq_drainage_conduit_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_drainage_conduit_geom', 'drainage_conduit', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_drainage_conduit_commune'), 'drainage_conduit', ['commune'], unique=False, schema='assets')
    op.create_index(op.f('ix_drainage_conduit_end_node'), 'drainage_conduit', ['end_node'], unique=False, schema='assets')
    op.create_index(op.f('ix_drainage_conduit_start_node'), 'drainage_conduit', ['start_node'], unique=False, schema='assets')
    op.create_geospatial_table('drainage_inlet',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='drainage', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('inlet_type', sa.Text(), nullable=True, comment='Inlet type'),
    sa.Column('invert_elevation_m', sa.Float(), nullable=True, comment='Invert elevation [m]'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("inlet_type IN ('grate', 'curb')", name=op.f('ck_drainage_inlet_inlet_type_allowed')),
    sa.CheckConstraint("layer = 'drainage'", name=op.f('ck_drainage_inlet_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_drainage_inlet_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_drainage_inlet_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_drainage_inlet_geom_valid')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_drainage_inlet_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drainage_inlet')),
    sa.UniqueConstraint('code', name=op.f('uq_drainage_inlet_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_drainage_inlet_geom', 'drainage_inlet', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_drainage_inlet_commune'), 'drainage_inlet', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('drainage_manhole',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='drainage', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('rim_elevation_m', sa.Float(), nullable=True, comment='Rim elevation [m]'),
    sa.Column('invert_elevation_m', sa.Float(), nullable=True, comment='Invert elevation [m]'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'drainage'", name=op.f('ck_drainage_manhole_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_drainage_manhole_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_drainage_manhole_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_drainage_manhole_geom_valid')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_drainage_manhole_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drainage_manhole')),
    sa.UniqueConstraint('code', name=op.f('uq_drainage_manhole_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_drainage_manhole_geom', 'drainage_manhole', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_drainage_manhole_commune'), 'drainage_manhole', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('drainage_outfall',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='drainage', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('invert_elevation_m', sa.Float(), nullable=True, comment='Invert elevation [m]'),
    sa.Column('receiving_water', sa.Text(), nullable=True, comment='Receiving water'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'drainage'", name=op.f('ck_drainage_outfall_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_drainage_outfall_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_drainage_outfall_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_drainage_outfall_geom_valid')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_drainage_outfall_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drainage_outfall')),
    sa.UniqueConstraint('code', name=op.f('uq_drainage_outfall_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_drainage_outfall_geom', 'drainage_outfall', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_drainage_outfall_commune'), 'drainage_outfall', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('drainage_pumping_station',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='drainage', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('name', sa.Text(), nullable=True, comment='Name'),
    sa.Column('capacity_m3s', sa.Float(), nullable=True, comment='Capacity [m³/s]'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'drainage'", name=op.f('ck_drainage_pumping_station_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_drainage_pumping_station_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_drainage_pumping_station_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_drainage_pumping_station_geom_valid')),
    sa.CheckConstraint('capacity_m3s >= 0', name=op.f('ck_drainage_pumping_station_capacity_m3s_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_drainage_pumping_station_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drainage_pumping_station')),
    sa.UniqueConstraint('code', name=op.f('uq_drainage_pumping_station_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_drainage_pumping_station_geom', 'drainage_pumping_station', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_drainage_pumping_station_commune'), 'drainage_pumping_station', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('lighting_cabinet',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='lighting', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('circuits', sa.Integer(), nullable=True, comment='Circuits'),
    sa.Column('control', sa.Text(), nullable=True, comment='Control'),
    sa.Column('remote_managed', sa.Boolean(), nullable=True, comment='Remotely managed'),
    sa.Column('power_customer', sa.Text(), nullable=True, comment='Power supply (customer code)'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("control IN ('clock', 'photocell', 'central')", name=op.f('ck_lighting_cabinet_control_allowed')),
    sa.CheckConstraint("layer = 'lighting'", name=op.f('ck_lighting_cabinet_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_lighting_cabinet_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_lighting_cabinet_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_lighting_cabinet_geom_valid')),
    sa.CheckConstraint('circuits <= 24', name=op.f('ck_lighting_cabinet_circuits_max')),
    sa.CheckConstraint('circuits >= 1', name=op.f('ck_lighting_cabinet_circuits_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_lighting_cabinet_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lighting_cabinet')),
    sa.UniqueConstraint('code', name=op.f('uq_lighting_cabinet_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_lighting_cabinet_geom', 'lighting_cabinet', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_lighting_cabinet_commune'), 'lighting_cabinet', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('lighting_cable',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='lighting', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('circuit', sa.Text(), nullable=True, comment='Circuit'),
    sa.Column('cross_section_mm2', sa.Float(), nullable=True, comment='Cross-section [mm²]'),
    sa.Column('placement', sa.Text(), nullable=True, comment='Placement'),
    sa.Column('geom', Geometry(geometry_type='LINESTRING', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('length_m', sa.Float(), sa.Computed('ST_Length(geom::geography)', persisted=True), nullable=True),
    sa.Column('start_node', sa.BigInteger(), nullable=True),
    sa.Column('end_node', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("layer = 'lighting'", name=op.f('ck_lighting_cable_layer_fixed')),
    sa.CheckConstraint("placement IN ('underground', 'overhead')", name=op.f('ck_lighting_cable_placement_allowed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_lighting_cable_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_lighting_cable_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_lighting_cable_geom_valid')),
    sa.CheckConstraint('cross_section_mm2 <= 400', name=op.f('ck_lighting_cable_cross_section_mm2_max')),
    sa.CheckConstraint('cross_section_mm2 >= 0.5', name=op.f('ck_lighting_cable_cross_section_mm2_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_lighting_cable_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lighting_cable')),
    sa.UniqueConstraint('code', name=op.f('uq_lighting_cable_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_lighting_cable_geom', 'lighting_cable', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_lighting_cable_commune'), 'lighting_cable', ['commune'], unique=False, schema='assets')
    op.create_index(op.f('ix_lighting_cable_end_node'), 'lighting_cable', ['end_node'], unique=False, schema='assets')
    op.create_index(op.f('ix_lighting_cable_start_node'), 'lighting_cable', ['start_node'], unique=False, schema='assets')
    op.create_geospatial_table('lighting_light',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='lighting', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('lamp_type', sa.Text(), nullable=False, comment='Lamp type'),
    sa.Column('wattage_w', sa.Float(), nullable=True, comment='Wattage [W]'),
    sa.Column('lumens', sa.Float(), nullable=True, comment='Luminous flux [lm]'),
    sa.Column('colour_temperature_k', sa.Integer(), nullable=True, comment='Colour temperature [K]'),
    sa.Column('height_m', sa.Float(), nullable=True, comment='Height [m]'),
    sa.Column('arm_length_m', sa.Float(), nullable=True, comment='Arm length [m]'),
    sa.Column('cabinet', sa.Text(), nullable=True, comment='Control cabinet (code)'),
    sa.Column('circuit', sa.Text(), nullable=True, comment='Circuit'),
    sa.Column('road_class', sa.Text(), nullable=True, comment='Lighting road class'),
    sa.Column('remote_managed', sa.Boolean(), nullable=True, comment='Remotely managed'),
    sa.Column('install_year', sa.Integer(), nullable=True, comment='Install year'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("lamp_type IN ('led', 'sodium', 'metal_halide', 'compact_fluorescent')", name=op.f('ck_lighting_light_lamp_type_allowed')),
    sa.CheckConstraint("layer = 'lighting'", name=op.f('ck_lighting_light_layer_fixed')),
    sa.CheckConstraint("road_class IN ('A', 'B', 'C', 'D', 'E')", name=op.f('ck_lighting_light_road_class_allowed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_lighting_light_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_lighting_light_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_lighting_light_geom_valid')),
    sa.CheckConstraint('arm_length_m <= 10', name=op.f('ck_lighting_light_arm_length_m_max')),
    sa.CheckConstraint('arm_length_m >= 0', name=op.f('ck_lighting_light_arm_length_m_min')),
    sa.CheckConstraint('colour_temperature_k <= 10000', name=op.f('ck_lighting_light_colour_temperature_k_max')),
    sa.CheckConstraint('colour_temperature_k >= 1500', name=op.f('ck_lighting_light_colour_temperature_k_min')),
    sa.CheckConstraint('height_m <= 200', name=op.f('ck_lighting_light_height_m_max')),
    sa.CheckConstraint('height_m >= 0', name=op.f('ck_lighting_light_height_m_min')),
    sa.CheckConstraint('install_year <= 2100', name=op.f('ck_lighting_light_install_year_max')),
    sa.CheckConstraint('install_year >= 1880', name=op.f('ck_lighting_light_install_year_min')),
    sa.CheckConstraint('lumens >= 0', name=op.f('ck_lighting_light_lumens_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_lighting_light_version_positive')),
    sa.CheckConstraint('wattage_w <= 2000', name=op.f('ck_lighting_light_wattage_w_max')),
    sa.CheckConstraint('wattage_w >= 1', name=op.f('ck_lighting_light_wattage_w_min')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lighting_light')),
    sa.UniqueConstraint('code', name=op.f('uq_lighting_light_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_lighting_light_geom', 'lighting_light', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_lighting_light_commune'), 'lighting_light', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('power_customer',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='power', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('customer_category', sa.Text(), nullable=False, comment='Customer category'),
    sa.Column('households', sa.Integer(), nullable=True, comment='Households'),
    sa.Column('supplies', sa.Text(), nullable=True, comment='Supplies asset (code)'),
    sa.Column('address', sa.Text(), nullable=True, comment='Address'),
    sa.Column('customer_name', sa.Text(), nullable=True, comment='Customer name'),
    sa.Column('phone', sa.Text(), nullable=True, comment='Phone'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("customer_category IN ('residential', 'commercial', 'industrial', 'institutional', 'hospital', 'utility')", name=op.f('ck_power_customer_customer_category_allowed')),
    sa.CheckConstraint("layer = 'power'", name=op.f('ck_power_customer_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_power_customer_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_power_customer_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_power_customer_geom_valid')),
    sa.CheckConstraint('households <= 100000', name=op.f('ck_power_customer_households_max')),
    sa.CheckConstraint('households >= 0', name=op.f('ck_power_customer_households_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_power_customer_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_power_customer')),
    sa.UniqueConstraint('code', name=op.f('uq_power_customer_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_power_customer_geom', 'power_customer', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_power_customer_commune'), 'power_customer', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('power_line',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='power', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('voltage_kv', sa.Float(), nullable=False, comment='Voltage [kV]'),
    sa.Column('placement', sa.Text(), nullable=True, comment='Placement'),
    sa.Column('conductor', sa.Text(), nullable=True, comment='Conductor'),
    sa.Column('feeder', sa.Text(), nullable=True, comment='Feeder'),
    sa.Column('install_year', sa.Integer(), nullable=True, comment='Install year'),
    sa.Column('geom', Geometry(geometry_type='LINESTRING', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('length_m', sa.Float(), sa.Computed('ST_Length(geom::geography)', persisted=True), nullable=True),
    sa.Column('start_node', sa.BigInteger(), nullable=True),
    sa.Column('end_node', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("layer = 'power'", name=op.f('ck_power_line_layer_fixed')),
    sa.CheckConstraint("placement IN ('underground', 'overhead', 'duct')", name=op.f('ck_power_line_placement_allowed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_power_line_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_power_line_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_power_line_geom_valid')),
    sa.CheckConstraint('install_year <= 2100', name=op.f('ck_power_line_install_year_max')),
    sa.CheckConstraint('install_year >= 1880', name=op.f('ck_power_line_install_year_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_power_line_version_positive')),
    sa.CheckConstraint('voltage_kv <= 500', name=op.f('ck_power_line_voltage_kv_max')),
    sa.CheckConstraint('voltage_kv >= 0.1', name=op.f('ck_power_line_voltage_kv_min')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_power_line')),
    sa.UniqueConstraint('code', name=op.f('uq_power_line_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_power_line_geom', 'power_line', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_power_line_commune'), 'power_line', ['commune'], unique=False, schema='assets')
    op.create_index(op.f('ix_power_line_end_node'), 'power_line', ['end_node'], unique=False, schema='assets')
    op.create_index(op.f('ix_power_line_start_node'), 'power_line', ['start_node'], unique=False, schema='assets')
    op.create_geospatial_table('power_pole',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='power', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('height_m', sa.Float(), nullable=True, comment='Height [m]'),
    sa.Column('material', sa.Text(), nullable=True, comment='Material'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'power'", name=op.f('ck_power_pole_layer_fixed')),
    sa.CheckConstraint("material IN ('concrete', 'steel', 'wood')", name=op.f('ck_power_pole_material_allowed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_power_pole_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_power_pole_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_power_pole_geom_valid')),
    sa.CheckConstraint('height_m <= 200', name=op.f('ck_power_pole_height_m_max')),
    sa.CheckConstraint('height_m >= 0', name=op.f('ck_power_pole_height_m_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_power_pole_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_power_pole')),
    sa.UniqueConstraint('code', name=op.f('uq_power_pole_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_power_pole_geom', 'power_pole', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_power_pole_commune'), 'power_pole', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('power_substation',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='power', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('name', sa.Text(), nullable=False, comment='Name'),
    sa.Column('primary_kv', sa.Float(), nullable=True, comment='Primary voltage [kV]'),
    sa.Column('secondary_kv', sa.Float(), nullable=True, comment='Secondary voltage [kV]'),
    sa.Column('capacity_mva', sa.Float(), nullable=True, comment='Capacity [MVA]'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'power'", name=op.f('ck_power_substation_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_power_substation_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_power_substation_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_power_substation_geom_valid')),
    sa.CheckConstraint('capacity_mva >= 0', name=op.f('ck_power_substation_capacity_mva_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_power_substation_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_power_substation')),
    sa.UniqueConstraint('code', name=op.f('uq_power_substation_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_power_substation_geom', 'power_substation', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_power_substation_commune'), 'power_substation', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('power_switch',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='power', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('device_type', sa.Text(), nullable=False, comment='Device type'),
    sa.Column('normal_state', sa.Text(), nullable=False, comment='Normal state'),
    sa.Column('operable', sa.Boolean(), nullable=True, comment='Operable'),
    sa.Column('feeder', sa.Text(), nullable=True, comment='Feeder'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("device_type IN ('breaker', 'recloser', 'fuse', 'load_break_switch', 'disconnector')", name=op.f('ck_power_switch_device_type_allowed')),
    sa.CheckConstraint("layer = 'power'", name=op.f('ck_power_switch_layer_fixed')),
    sa.CheckConstraint("normal_state IN ('open', 'closed')", name=op.f('ck_power_switch_normal_state_allowed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_power_switch_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_power_switch_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_power_switch_geom_valid')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_power_switch_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_power_switch')),
    sa.UniqueConstraint('code', name=op.f('uq_power_switch_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_power_switch_geom', 'power_switch', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_power_switch_commune'), 'power_switch', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('power_transformer',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='power', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('rating_kva', sa.Float(), nullable=True, comment='Rating [kVA]'),
    sa.Column('voltage_kv', sa.Float(), nullable=True, comment='Voltage [kV]'),
    sa.Column('feeder', sa.Text(), nullable=True, comment='Feeder'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'power'", name=op.f('ck_power_transformer_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_power_transformer_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_power_transformer_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_power_transformer_geom_valid')),
    sa.CheckConstraint('rating_kva >= 0', name=op.f('ck_power_transformer_rating_kva_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_power_transformer_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_power_transformer')),
    sa.UniqueConstraint('code', name=op.f('uq_power_transformer_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_power_transformer_geom', 'power_transformer', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_power_transformer_commune'), 'power_transformer', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('telecom_access_node',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='telecom', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('village', sa.Text(), nullable=True, comment='Village (code)'),
    sa.Column('ports', sa.Integer(), nullable=True, comment='Ports'),
    sa.Column('households', sa.Integer(), nullable=True, comment='Households served'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'telecom'", name=op.f('ck_telecom_access_node_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_telecom_access_node_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_telecom_access_node_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_telecom_access_node_geom_valid')),
    sa.CheckConstraint('households >= 0', name=op.f('ck_telecom_access_node_households_min')),
    sa.CheckConstraint('ports >= 0', name=op.f('ck_telecom_access_node_ports_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_telecom_access_node_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_telecom_access_node')),
    sa.UniqueConstraint('code', name=op.f('uq_telecom_access_node_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_telecom_access_node_geom', 'telecom_access_node', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_telecom_access_node_commune'), 'telecom_access_node', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('telecom_cabinet',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='telecom', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('cabinet_type', sa.Text(), nullable=True, comment='Type'),
    sa.Column('ports', sa.Integer(), nullable=True, comment='Ports'),
    sa.Column('power_customer', sa.Text(), nullable=True, comment='Power supply (customer code)'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("cabinet_type IN ('cabinet', 'splice_closure', 'splitter')", name=op.f('ck_telecom_cabinet_cabinet_type_allowed')),
    sa.CheckConstraint("layer = 'telecom'", name=op.f('ck_telecom_cabinet_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_telecom_cabinet_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_telecom_cabinet_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_telecom_cabinet_geom_valid')),
    sa.CheckConstraint('ports >= 0', name=op.f('ck_telecom_cabinet_ports_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_telecom_cabinet_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_telecom_cabinet')),
    sa.UniqueConstraint('code', name=op.f('uq_telecom_cabinet_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_telecom_cabinet_geom', 'telecom_cabinet', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_telecom_cabinet_commune'), 'telecom_cabinet', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('telecom_cable',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='telecom', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('fiber_count', sa.Integer(), nullable=False, comment='Fiber count'),
    sa.Column('fibers_used', sa.Integer(), nullable=True, comment='Fibers in use'),
    sa.Column('placement', sa.Text(), nullable=True, comment='Placement'),
    sa.Column('owner_operator', sa.Text(), nullable=True, comment='Network operator'),
    sa.Column('install_year', sa.Integer(), nullable=True, comment='Install year'),
    sa.Column('geom', Geometry(geometry_type='LINESTRING', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('length_m', sa.Float(), sa.Computed('ST_Length(geom::geography)', persisted=True), nullable=True),
    sa.Column('start_node', sa.BigInteger(), nullable=True),
    sa.Column('end_node', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("layer = 'telecom'", name=op.f('ck_telecom_cable_layer_fixed')),
    sa.CheckConstraint("placement IN ('underground', 'overhead', 'duct')", name=op.f('ck_telecom_cable_placement_allowed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_telecom_cable_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_telecom_cable_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_telecom_cable_geom_valid')),
    sa.CheckConstraint('fiber_count <= 3456', name=op.f('ck_telecom_cable_fiber_count_max')),
    sa.CheckConstraint('fiber_count >= 1', name=op.f('ck_telecom_cable_fiber_count_min')),
    sa.CheckConstraint('fibers_used >= 0', name=op.f('ck_telecom_cable_fibers_used_min')),
    sa.CheckConstraint('install_year <= 2100', name=op.f('ck_telecom_cable_install_year_max')),
    sa.CheckConstraint('install_year >= 1880', name=op.f('ck_telecom_cable_install_year_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_telecom_cable_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_telecom_cable')),
    sa.UniqueConstraint('code', name=op.f('uq_telecom_cable_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_telecom_cable_geom', 'telecom_cable', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_telecom_cable_commune'), 'telecom_cable', ['commune'], unique=False, schema='assets')
    op.create_index(op.f('ix_telecom_cable_end_node'), 'telecom_cable', ['end_node'], unique=False, schema='assets')
    op.create_index(op.f('ix_telecom_cable_start_node'), 'telecom_cable', ['start_node'], unique=False, schema='assets')
    op.create_geospatial_table('telecom_duct',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='telecom', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('ways', sa.Integer(), nullable=True, comment='Ways'),
    sa.Column('ways_free', sa.Integer(), nullable=True, comment='Free ways'),
    sa.Column('diameter_mm', sa.Integer(), nullable=True, comment='Diameter [mm]'),
    sa.Column('owner_operator', sa.Text(), nullable=True, comment='Network operator'),
    sa.Column('geom', Geometry(geometry_type='LINESTRING', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('length_m', sa.Float(), sa.Computed('ST_Length(geom::geography)', persisted=True), nullable=True),
    sa.CheckConstraint("layer = 'telecom'", name=op.f('ck_telecom_duct_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_telecom_duct_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_telecom_duct_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_telecom_duct_geom_valid')),
    sa.CheckConstraint('diameter_mm <= 5000', name=op.f('ck_telecom_duct_diameter_mm_max')),
    sa.CheckConstraint('diameter_mm >= 10', name=op.f('ck_telecom_duct_diameter_mm_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_telecom_duct_version_positive')),
    sa.CheckConstraint('ways <= 100', name=op.f('ck_telecom_duct_ways_max')),
    sa.CheckConstraint('ways >= 1', name=op.f('ck_telecom_duct_ways_min')),
    sa.CheckConstraint('ways_free >= 0', name=op.f('ck_telecom_duct_ways_free_min')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_telecom_duct')),
    sa.UniqueConstraint('code', name=op.f('uq_telecom_duct_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_telecom_duct_geom', 'telecom_duct', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_telecom_duct_commune'), 'telecom_duct', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('telecom_pole',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='telecom', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('height_m', sa.Float(), nullable=True, comment='Height [m]'),
    sa.Column('owner_operator', sa.Text(), nullable=True, comment='Network operator'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'telecom'", name=op.f('ck_telecom_pole_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_telecom_pole_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_telecom_pole_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_telecom_pole_geom_valid')),
    sa.CheckConstraint('height_m <= 200', name=op.f('ck_telecom_pole_height_m_max')),
    sa.CheckConstraint('height_m >= 0', name=op.f('ck_telecom_pole_height_m_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_telecom_pole_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_telecom_pole')),
    sa.UniqueConstraint('code', name=op.f('uq_telecom_pole_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_telecom_pole_geom', 'telecom_pole', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_telecom_pole_commune'), 'telecom_pole', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('telecom_pop',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='telecom', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('name', sa.Text(), nullable=False, comment='Name'),
    sa.Column('owner_operator', sa.Text(), nullable=True, comment='Network operator'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'telecom'", name=op.f('ck_telecom_pop_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_telecom_pop_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_telecom_pop_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_telecom_pop_geom_valid')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_telecom_pop_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_telecom_pop')),
    sa.UniqueConstraint('code', name=op.f('uq_telecom_pop_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_telecom_pop_geom', 'telecom_pop', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_telecom_pop_commune'), 'telecom_pop', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('trees_green_area',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='trees', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('name', sa.Text(), nullable=True, comment='Name'),
    sa.Column('kind', sa.Text(), nullable=True, comment='Kind'),
    sa.Column('geom', Geometry(geometry_type='POLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('area_m2', sa.Float(), sa.Computed('ST_Area(geom::geography)', persisted=True), nullable=True),
    sa.CheckConstraint("kind IN ('park', 'median', 'square', 'garden')", name=op.f('ck_trees_green_area_kind_allowed')),
    sa.CheckConstraint("layer = 'trees'", name=op.f('ck_trees_green_area_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_trees_green_area_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_trees_green_area_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_trees_green_area_geom_valid')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_trees_green_area_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trees_green_area')),
    sa.UniqueConstraint('code', name=op.f('uq_trees_green_area_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_trees_green_area_geom', 'trees_green_area', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_trees_green_area_commune'), 'trees_green_area', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('trees_tree',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='trees', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('species_scientific', sa.Text(), nullable=False, comment='Scientific name'),
    sa.Column('species_vi', sa.Text(), nullable=True, comment='Vietnamese name'),
    sa.Column('trunk_diameter_cm', sa.Float(), nullable=True, comment='Trunk diameter at 1.3 m [cm]'),
    sa.Column('height_m', sa.Float(), nullable=True, comment='Height [m]'),
    sa.Column('crown_diameter_m', sa.Float(), nullable=True, comment='Crown diameter [m]'),
    sa.Column('planting_date', sa.Date(), nullable=True, comment='Planting date'),
    sa.Column('condition', sa.Text(), nullable=True, comment='Condition'),
    sa.Column('risk_level', sa.Text(), nullable=True, comment='Risk level'),
    sa.Column('heritage', sa.Boolean(), nullable=True, comment='Heritage tree'),
    sa.Column('last_inspected', sa.Date(), nullable=True, comment='Last inspection'),
    sa.Column('address', sa.Text(), nullable=True, comment='Address'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("condition IN ('good', 'fair', 'poor', 'dead')", name=op.f('ck_trees_tree_condition_allowed')),
    sa.CheckConstraint("layer = 'trees'", name=op.f('ck_trees_tree_layer_fixed')),
    sa.CheckConstraint("risk_level IN ('low', 'medium', 'high')", name=op.f('ck_trees_tree_risk_level_allowed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_trees_tree_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_trees_tree_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_trees_tree_geom_valid')),
    sa.CheckConstraint('crown_diameter_m <= 60', name=op.f('ck_trees_tree_crown_diameter_m_max')),
    sa.CheckConstraint('crown_diameter_m >= 0', name=op.f('ck_trees_tree_crown_diameter_m_min')),
    sa.CheckConstraint('height_m <= 200', name=op.f('ck_trees_tree_height_m_max')),
    sa.CheckConstraint('height_m >= 0', name=op.f('ck_trees_tree_height_m_min')),
    sa.CheckConstraint('trunk_diameter_cm <= 1000', name=op.f('ck_trees_tree_trunk_diameter_cm_max')),
    sa.CheckConstraint('trunk_diameter_cm >= 0', name=op.f('ck_trees_tree_trunk_diameter_cm_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_trees_tree_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trees_tree')),
    sa.UniqueConstraint('code', name=op.f('uq_trees_tree_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_trees_tree_geom', 'trees_tree', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_trees_tree_commune'), 'trees_tree', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('water_hydrant',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='water', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('hydrant_type', sa.Text(), nullable=True, comment='Hydrant type'),
    sa.Column('diameter_mm', sa.Integer(), nullable=True, comment='Diameter [mm]'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("hydrant_type IN ('pillar', 'underground')", name=op.f('ck_water_hydrant_hydrant_type_allowed')),
    sa.CheckConstraint("layer = 'water'", name=op.f('ck_water_hydrant_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_water_hydrant_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_water_hydrant_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_water_hydrant_geom_valid')),
    sa.CheckConstraint('diameter_mm <= 5000', name=op.f('ck_water_hydrant_diameter_mm_max')),
    sa.CheckConstraint('diameter_mm >= 10', name=op.f('ck_water_hydrant_diameter_mm_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_water_hydrant_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_water_hydrant')),
    sa.UniqueConstraint('code', name=op.f('uq_water_hydrant_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_water_hydrant_geom', 'water_hydrant', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_water_hydrant_commune'), 'water_hydrant', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('water_junction',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='water', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('elevation_m', sa.Float(), nullable=True, comment='Elevation [m]'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'water'", name=op.f('ck_water_junction_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_water_junction_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_water_junction_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_water_junction_geom_valid')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_water_junction_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_water_junction')),
    sa.UniqueConstraint('code', name=op.f('uq_water_junction_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_water_junction_geom', 'water_junction', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_water_junction_commune'), 'water_junction', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('water_pipe',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='water', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('diameter_mm', sa.Integer(), nullable=False, comment='Diameter [mm]'),
    sa.Column('material', sa.Text(), nullable=True, comment='Material'),
    sa.Column('install_year', sa.Integer(), nullable=True, comment='Install year'),
    sa.Column('pressure_zone', sa.Text(), nullable=True, comment='Pressure zone'),
    sa.Column('roughness', sa.Float(), nullable=True, comment='Roughness (Hazen-Williams C)'),
    sa.Column('depth_m', sa.Float(), nullable=True, comment='Depth of cover [m]'),
    sa.Column('geom', Geometry(geometry_type='LINESTRING', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('length_m', sa.Float(), sa.Computed('ST_Length(geom::geography)', persisted=True), nullable=True),
    sa.Column('start_node', sa.BigInteger(), nullable=True),
    sa.Column('end_node', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("layer = 'water'", name=op.f('ck_water_pipe_layer_fixed')),
    sa.CheckConstraint("material IN ('hdpe', 'upvc', 'ductile_iron', 'cast_iron', 'steel', 'asbestos_cement')", name=op.f('ck_water_pipe_material_allowed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_water_pipe_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_water_pipe_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_water_pipe_geom_valid')),
    sa.CheckConstraint('depth_m <= 50', name=op.f('ck_water_pipe_depth_m_max')),
    sa.CheckConstraint('depth_m >= 0', name=op.f('ck_water_pipe_depth_m_min')),
    sa.CheckConstraint('diameter_mm <= 5000', name=op.f('ck_water_pipe_diameter_mm_max')),
    sa.CheckConstraint('diameter_mm >= 10', name=op.f('ck_water_pipe_diameter_mm_min')),
    sa.CheckConstraint('install_year <= 2100', name=op.f('ck_water_pipe_install_year_max')),
    sa.CheckConstraint('install_year >= 1880', name=op.f('ck_water_pipe_install_year_min')),
    sa.CheckConstraint('roughness <= 200', name=op.f('ck_water_pipe_roughness_max')),
    sa.CheckConstraint('roughness >= 1', name=op.f('ck_water_pipe_roughness_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_water_pipe_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_water_pipe')),
    sa.UniqueConstraint('code', name=op.f('uq_water_pipe_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_water_pipe_geom', 'water_pipe', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_water_pipe_commune'), 'water_pipe', ['commune'], unique=False, schema='assets')
    op.create_index(op.f('ix_water_pipe_end_node'), 'water_pipe', ['end_node'], unique=False, schema='assets')
    op.create_index(op.f('ix_water_pipe_start_node'), 'water_pipe', ['start_node'], unique=False, schema='assets')
    op.create_geospatial_table('water_pump_station',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='water', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('name', sa.Text(), nullable=True, comment='Name'),
    sa.Column('capacity_m3h', sa.Float(), nullable=True, comment='Capacity [m³/h]'),
    sa.Column('power_kw', sa.Float(), nullable=True, comment='Power [kW]'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'water'", name=op.f('ck_water_pump_station_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_water_pump_station_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_water_pump_station_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_water_pump_station_geom_valid')),
    sa.CheckConstraint('capacity_m3h >= 0', name=op.f('ck_water_pump_station_capacity_m3h_min')),
    sa.CheckConstraint('power_kw >= 0', name=op.f('ck_water_pump_station_power_kw_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_water_pump_station_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_water_pump_station')),
    sa.UniqueConstraint('code', name=op.f('uq_water_pump_station_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_water_pump_station_geom', 'water_pump_station', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_water_pump_station_commune'), 'water_pump_station', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('water_service_connection',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='water', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('customer_category', sa.Text(), nullable=False, comment='Customer category'),
    sa.Column('households', sa.Integer(), nullable=True, comment='Households'),
    sa.Column('meter_id', sa.Text(), nullable=True, comment='Meter number'),
    sa.Column('address', sa.Text(), nullable=True, comment='Address'),
    sa.Column('customer_name', sa.Text(), nullable=True, comment='Customer name'),
    sa.Column('phone', sa.Text(), nullable=True, comment='Phone'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("customer_category IN ('residential', 'commercial', 'industrial', 'institutional', 'hospital', 'utility')", name=op.f('ck_water_service_connection_customer_category_allowed')),
    sa.CheckConstraint("layer = 'water'", name=op.f('ck_water_service_connection_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_water_service_connection_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_water_service_connection_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_water_service_connection_geom_valid')),
    sa.CheckConstraint('households <= 100000', name=op.f('ck_water_service_connection_households_max')),
    sa.CheckConstraint('households >= 0', name=op.f('ck_water_service_connection_households_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_water_service_connection_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_water_service_connection')),
    sa.UniqueConstraint('code', name=op.f('uq_water_service_connection_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_water_service_connection_geom', 'water_service_connection', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_water_service_connection_commune'), 'water_service_connection', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('water_tank',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='water', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('name', sa.Text(), nullable=True, comment='Name'),
    sa.Column('tank_kind', sa.Text(), nullable=True, comment='Kind'),
    sa.Column('capacity_m3', sa.Float(), nullable=True, comment='Capacity [m³]'),
    sa.Column('base_elevation_m', sa.Float(), nullable=True, comment='Base elevation [m]'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'water'", name=op.f('ck_water_tank_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_water_tank_status_allowed')),
    sa.CheckConstraint("tank_kind IN ('tank', 'reservoir')", name=op.f('ck_water_tank_tank_kind_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_water_tank_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_water_tank_geom_valid')),
    sa.CheckConstraint('capacity_m3 >= 0', name=op.f('ck_water_tank_capacity_m3_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_water_tank_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_water_tank')),
    sa.UniqueConstraint('code', name=op.f('uq_water_tank_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_water_tank_geom', 'water_tank', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_water_tank_commune'), 'water_tank', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('water_treatment_plant',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='water', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('name', sa.Text(), nullable=False, comment='Name'),
    sa.Column('capacity_m3d', sa.Float(), nullable=True, comment='Capacity [m³/day]'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'water'", name=op.f('ck_water_treatment_plant_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_water_treatment_plant_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_water_treatment_plant_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_water_treatment_plant_geom_valid')),
    sa.CheckConstraint('capacity_m3d >= 0', name=op.f('ck_water_treatment_plant_capacity_m3d_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_water_treatment_plant_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_water_treatment_plant')),
    sa.UniqueConstraint('code', name=op.f('uq_water_treatment_plant_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_water_treatment_plant_geom', 'water_treatment_plant', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_water_treatment_plant_commune'), 'water_treatment_plant', ['commune'], unique=False, schema='assets')
    op.create_geospatial_table('water_valve',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='water', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('valve_type', sa.Text(), nullable=True, comment='Valve type'),
    sa.Column('normal_state', sa.Text(), nullable=False, comment='Normal state'),
    sa.Column('operable', sa.Boolean(), nullable=True, comment='Operable'),
    sa.Column('diameter_mm', sa.Integer(), nullable=True, comment='Diameter [mm]'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'water'", name=op.f('ck_water_valve_layer_fixed')),
    sa.CheckConstraint("normal_state IN ('open', 'closed')", name=op.f('ck_water_valve_normal_state_allowed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_water_valve_status_allowed')),
    sa.CheckConstraint("valve_type IN ('gate', 'butterfly', 'check', 'prv')", name=op.f('ck_water_valve_valve_type_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_water_valve_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_water_valve_geom_valid')),
    sa.CheckConstraint('diameter_mm <= 5000', name=op.f('ck_water_valve_diameter_mm_max')),
    sa.CheckConstraint('diameter_mm >= 10', name=op.f('ck_water_valve_diameter_mm_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_water_valve_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_water_valve')),
    sa.UniqueConstraint('code', name=op.f('uq_water_valve_code')),
    schema='assets'
    )
    op.create_geospatial_index('idx_water_valve_geom', 'water_valve', ['geom'], unique=False, schema='assets', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_water_valve_commune'), 'water_valve', ['commune'], unique=False, schema='assets')
    op.create_table('history',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('asset_id', sa.BigInteger(), nullable=False),
    sa.Column('feature_type', sa.Text(), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('changed_by', sa.Text(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('old', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('new', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.CheckConstraint("action IN ('create', 'update', 'delete', 'revert', 'import')", name=op.f('ck_history_action_allowed')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history')),
    schema='audit'
    )
    op.create_index(op.f('ix_history_code'), 'history', ['code'], unique=False, schema='audit')
    op.create_index('ix_history_feature_time', 'history', ['feature_type', 'asset_id', 'changed_at'], unique=False, schema='audit')
    op.create_index('ix_history_time', 'history', ['changed_at'], unique=False, schema='audit')
    op.create_geospatial_table('base_admin_unit',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='base', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('name', sa.Text(), nullable=False, comment='Name'),
    sa.Column('level', sa.Text(), nullable=False, comment='Level'),
    sa.Column('unit_type', sa.Text(), nullable=True, comment='Unit type'),
    sa.Column('gso_code', sa.Text(), nullable=True, comment='GSO code'),
    sa.Column('parent_code', sa.Text(), nullable=True, comment='Parent unit (code)'),
    sa.Column('population', sa.Integer(), nullable=True, comment='Population'),
    sa.Column('households', sa.Integer(), nullable=True, comment='Households'),
    sa.Column('valid_from', sa.Date(), nullable=True, comment='Valid from'),
    sa.Column('valid_to', sa.Date(), nullable=True, comment='Valid to'),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('area_m2', sa.Float(), sa.Computed('ST_Area(geom::geography)', persisted=True), nullable=True),
    sa.CheckConstraint("layer = 'base'", name=op.f('ck_base_admin_unit_layer_fixed')),
    sa.CheckConstraint("level IN ('province', 'district', 'commune')", name=op.f('ck_base_admin_unit_level_allowed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_base_admin_unit_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_base_admin_unit_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_base_admin_unit_geom_valid')),
    sa.CheckConstraint('households >= 0', name=op.f('ck_base_admin_unit_households_min')),
    sa.CheckConstraint('population >= 0', name=op.f('ck_base_admin_unit_population_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_base_admin_unit_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_base_admin_unit')),
    sa.UniqueConstraint('code', name=op.f('uq_base_admin_unit_code')),
    schema='base'
    )
    op.create_geospatial_index('idx_base_admin_unit_geom', 'base_admin_unit', ['geom'], unique=False, schema='base', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_base_admin_unit_commune'), 'base_admin_unit', ['commune'], unique=False, schema='base')
    op.create_geospatial_table('base_building',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='base', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('use', sa.Text(), nullable=True, comment='Use'),
    sa.Column('floors', sa.Integer(), nullable=True, comment='Floors'),
    sa.Column('households', sa.Integer(), nullable=True, comment='Households'),
    sa.Column('address', sa.Text(), nullable=True, comment='Address'),
    sa.Column('geom', Geometry(geometry_type='POLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('area_m2', sa.Float(), sa.Computed('ST_Area(geom::geography)', persisted=True), nullable=True),
    sa.CheckConstraint("layer = 'base'", name=op.f('ck_base_building_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_base_building_status_allowed')),
    sa.CheckConstraint("use IN ('residential', 'commercial', 'industrial', 'public')", name=op.f('ck_base_building_use_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_base_building_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_base_building_geom_valid')),
    sa.CheckConstraint('floors <= 120', name=op.f('ck_base_building_floors_max')),
    sa.CheckConstraint('floors >= 1', name=op.f('ck_base_building_floors_min')),
    sa.CheckConstraint('households >= 0', name=op.f('ck_base_building_households_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_base_building_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_base_building')),
    sa.UniqueConstraint('code', name=op.f('uq_base_building_code')),
    schema='base'
    )
    op.create_geospatial_index('idx_base_building_geom', 'base_building', ['geom'], unique=False, schema='base', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_base_building_commune'), 'base_building', ['commune'], unique=False, schema='base')
    op.create_geospatial_table('base_facility',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='base', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('name', sa.Text(), nullable=False, comment='Name'),
    sa.Column('kind', sa.Text(), nullable=False, comment='Kind'),
    sa.Column('capacity', sa.Integer(), nullable=True, comment='Capacity (beds, pupils, staff)'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("kind IN ('hospital', 'clinic', 'school', 'government')", name=op.f('ck_base_facility_kind_allowed')),
    sa.CheckConstraint("layer = 'base'", name=op.f('ck_base_facility_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_base_facility_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_base_facility_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_base_facility_geom_valid')),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_base_facility_capacity_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_base_facility_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_base_facility')),
    sa.UniqueConstraint('code', name=op.f('uq_base_facility_code')),
    schema='base'
    )
    op.create_geospatial_index('idx_base_facility_geom', 'base_facility', ['geom'], unique=False, schema='base', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_base_facility_commune'), 'base_facility', ['commune'], unique=False, schema='base')
    op.create_geospatial_table('base_river',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='base', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('name', sa.Text(), nullable=True, comment='Name'),
    sa.Column('width_m', sa.Float(), nullable=True, comment='Width [m]'),
    sa.Column('geom', Geometry(geometry_type='LINESTRING', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('length_m', sa.Float(), sa.Computed('ST_Length(geom::geography)', persisted=True), nullable=True),
    sa.CheckConstraint("layer = 'base'", name=op.f('ck_base_river_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_base_river_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_base_river_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_base_river_geom_valid')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_base_river_version_positive')),
    sa.CheckConstraint('width_m >= 0', name=op.f('ck_base_river_width_m_min')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_base_river')),
    sa.UniqueConstraint('code', name=op.f('uq_base_river_code')),
    schema='base'
    )
    op.create_geospatial_index('idx_base_river_geom', 'base_river', ['geom'], unique=False, schema='base', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_base_river_commune'), 'base_river', ['commune'], unique=False, schema='base')
    op.create_geospatial_table('base_road',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='base', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('name', sa.Text(), nullable=True, comment='Name'),
    sa.Column('road_class', sa.Text(), nullable=False, comment='Road class'),
    sa.Column('width_m', sa.Float(), nullable=True, comment='Width [m]'),
    sa.Column('surface', sa.Text(), nullable=True, comment='Surface'),
    sa.Column('geom', Geometry(geometry_type='LINESTRING', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('length_m', sa.Float(), sa.Computed('ST_Length(geom::geography)', persisted=True), nullable=True),
    sa.CheckConstraint("layer = 'base'", name=op.f('ck_base_road_layer_fixed')),
    sa.CheckConstraint("road_class IN ('highway', 'arterial', 'street', 'rural', 'alley')", name=op.f('ck_base_road_road_class_allowed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_base_road_status_allowed')),
    sa.CheckConstraint("surface IN ('asphalt', 'concrete', 'gravel', 'earth')", name=op.f('ck_base_road_surface_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_base_road_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_base_road_geom_valid')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_base_road_version_positive')),
    sa.CheckConstraint('width_m <= 120', name=op.f('ck_base_road_width_m_max')),
    sa.CheckConstraint('width_m >= 1', name=op.f('ck_base_road_width_m_min')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_base_road')),
    sa.UniqueConstraint('code', name=op.f('uq_base_road_code')),
    schema='base'
    )
    op.create_geospatial_index('idx_base_road_geom', 'base_road', ['geom'], unique=False, schema='base', postgresql_using='gist', postgresql_ops={})
    op.create_index(op.f('ix_base_road_commune'), 'base_road', ['commune'], unique=False, schema='base')
    op.create_geospatial_table('base_village',
    sa.Column('id', sa.BigInteger(), server_default=sa.text("nextval('assets.asset_id_seq')"), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('layer', sa.Text(), server_default='base', nullable=False),
    sa.Column('status', sa.Text(), server_default='in_service', nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('operator', sa.Text(), nullable=True),
    sa.Column('commune', sa.Text(), nullable=True, comment='Commune (code)'),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('name', sa.Text(), nullable=False, comment='Name'),
    sa.Column('population', sa.Integer(), nullable=True, comment='Population'),
    sa.Column('households', sa.Integer(), nullable=True, comment='Households'),
    sa.Column('fiber_households', sa.Integer(), nullable=True, comment='Households with fiber'),
    sa.Column('geom', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint("layer = 'base'", name=op.f('ck_base_village_layer_fixed')),
    sa.CheckConstraint("status IN ('planned', 'in_service', 'out_of_service', 'abandoned')", name=op.f('ck_base_village_status_allowed')),
    sa.CheckConstraint('NOT ST_IsEmpty(geom)', name=op.f('ck_base_village_geom_not_empty')),
    sa.CheckConstraint('ST_IsValid(geom)', name=op.f('ck_base_village_geom_valid')),
    sa.CheckConstraint('fiber_households >= 0', name=op.f('ck_base_village_fiber_households_min')),
    sa.CheckConstraint('households >= 0', name=op.f('ck_base_village_households_min')),
    sa.CheckConstraint('population >= 0', name=op.f('ck_base_village_population_min')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_base_village_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_base_village')),
    sa.UniqueConstraint('code', name=op.f('uq_base_village_code')),
    schema='base'
    )
    op.create_geospatial_index('idx_base_village_geom', 'base_village', ['geom'], unique=False, schema='base', postgresql_using='gist', postgresql_ops={})



def downgrade() -> None:

    op.drop_geospatial_index('idx_base_village_geom', table_name='base_village', schema='base', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('base_village', schema='base')
    op.drop_index(op.f('ix_base_road_commune'), table_name='base_road', schema='base')
    op.drop_geospatial_index('idx_base_road_geom', table_name='base_road', schema='base', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('base_road', schema='base')
    op.drop_index(op.f('ix_base_river_commune'), table_name='base_river', schema='base')
    op.drop_geospatial_index('idx_base_river_geom', table_name='base_river', schema='base', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('base_river', schema='base')
    op.drop_index(op.f('ix_base_facility_commune'), table_name='base_facility', schema='base')
    op.drop_geospatial_index('idx_base_facility_geom', table_name='base_facility', schema='base', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('base_facility', schema='base')
    op.drop_index(op.f('ix_base_building_commune'), table_name='base_building', schema='base')
    op.drop_geospatial_index('idx_base_building_geom', table_name='base_building', schema='base', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('base_building', schema='base')
    op.drop_index(op.f('ix_base_admin_unit_commune'), table_name='base_admin_unit', schema='base')
    op.drop_geospatial_index('idx_base_admin_unit_geom', table_name='base_admin_unit', schema='base', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('base_admin_unit', schema='base')
    op.drop_index('ix_history_time', table_name='history', schema='audit')
    op.drop_index('ix_history_feature_time', table_name='history', schema='audit')
    op.drop_index(op.f('ix_history_code'), table_name='history', schema='audit')
    op.drop_table('history', schema='audit')
    op.drop_index(op.f('ix_water_valve_commune'), table_name='water_valve', schema='assets')
    op.drop_geospatial_index('idx_water_valve_geom', table_name='water_valve', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('water_valve', schema='assets')
    op.drop_index(op.f('ix_water_treatment_plant_commune'), table_name='water_treatment_plant', schema='assets')
    op.drop_geospatial_index('idx_water_treatment_plant_geom', table_name='water_treatment_plant', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('water_treatment_plant', schema='assets')
    op.drop_index(op.f('ix_water_tank_commune'), table_name='water_tank', schema='assets')
    op.drop_geospatial_index('idx_water_tank_geom', table_name='water_tank', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('water_tank', schema='assets')
    op.drop_index(op.f('ix_water_service_connection_commune'), table_name='water_service_connection', schema='assets')
    op.drop_geospatial_index('idx_water_service_connection_geom', table_name='water_service_connection', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('water_service_connection', schema='assets')
    op.drop_index(op.f('ix_water_pump_station_commune'), table_name='water_pump_station', schema='assets')
    op.drop_geospatial_index('idx_water_pump_station_geom', table_name='water_pump_station', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('water_pump_station', schema='assets')
    op.drop_index(op.f('ix_water_pipe_start_node'), table_name='water_pipe', schema='assets')
    op.drop_index(op.f('ix_water_pipe_end_node'), table_name='water_pipe', schema='assets')
    op.drop_index(op.f('ix_water_pipe_commune'), table_name='water_pipe', schema='assets')
    op.drop_geospatial_index('idx_water_pipe_geom', table_name='water_pipe', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('water_pipe', schema='assets')
    op.drop_index(op.f('ix_water_junction_commune'), table_name='water_junction', schema='assets')
    op.drop_geospatial_index('idx_water_junction_geom', table_name='water_junction', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('water_junction', schema='assets')
    op.drop_index(op.f('ix_water_hydrant_commune'), table_name='water_hydrant', schema='assets')
    op.drop_geospatial_index('idx_water_hydrant_geom', table_name='water_hydrant', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('water_hydrant', schema='assets')
    op.drop_index(op.f('ix_trees_tree_commune'), table_name='trees_tree', schema='assets')
    op.drop_geospatial_index('idx_trees_tree_geom', table_name='trees_tree', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('trees_tree', schema='assets')
    op.drop_index(op.f('ix_trees_green_area_commune'), table_name='trees_green_area', schema='assets')
    op.drop_geospatial_index('idx_trees_green_area_geom', table_name='trees_green_area', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('trees_green_area', schema='assets')
    op.drop_index(op.f('ix_telecom_pop_commune'), table_name='telecom_pop', schema='assets')
    op.drop_geospatial_index('idx_telecom_pop_geom', table_name='telecom_pop', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('telecom_pop', schema='assets')
    op.drop_index(op.f('ix_telecom_pole_commune'), table_name='telecom_pole', schema='assets')
    op.drop_geospatial_index('idx_telecom_pole_geom', table_name='telecom_pole', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('telecom_pole', schema='assets')
    op.drop_index(op.f('ix_telecom_duct_commune'), table_name='telecom_duct', schema='assets')
    op.drop_geospatial_index('idx_telecom_duct_geom', table_name='telecom_duct', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('telecom_duct', schema='assets')
    op.drop_index(op.f('ix_telecom_cable_start_node'), table_name='telecom_cable', schema='assets')
    op.drop_index(op.f('ix_telecom_cable_end_node'), table_name='telecom_cable', schema='assets')
    op.drop_index(op.f('ix_telecom_cable_commune'), table_name='telecom_cable', schema='assets')
    op.drop_geospatial_index('idx_telecom_cable_geom', table_name='telecom_cable', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('telecom_cable', schema='assets')
    op.drop_index(op.f('ix_telecom_cabinet_commune'), table_name='telecom_cabinet', schema='assets')
    op.drop_geospatial_index('idx_telecom_cabinet_geom', table_name='telecom_cabinet', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('telecom_cabinet', schema='assets')
    op.drop_index(op.f('ix_telecom_access_node_commune'), table_name='telecom_access_node', schema='assets')
    op.drop_geospatial_index('idx_telecom_access_node_geom', table_name='telecom_access_node', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('telecom_access_node', schema='assets')
    op.drop_index(op.f('ix_power_transformer_commune'), table_name='power_transformer', schema='assets')
    op.drop_geospatial_index('idx_power_transformer_geom', table_name='power_transformer', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('power_transformer', schema='assets')
    op.drop_index(op.f('ix_power_switch_commune'), table_name='power_switch', schema='assets')
    op.drop_geospatial_index('idx_power_switch_geom', table_name='power_switch', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('power_switch', schema='assets')
    op.drop_index(op.f('ix_power_substation_commune'), table_name='power_substation', schema='assets')
    op.drop_geospatial_index('idx_power_substation_geom', table_name='power_substation', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('power_substation', schema='assets')
    op.drop_index(op.f('ix_power_pole_commune'), table_name='power_pole', schema='assets')
    op.drop_geospatial_index('idx_power_pole_geom', table_name='power_pole', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('power_pole', schema='assets')
    op.drop_index(op.f('ix_power_line_start_node'), table_name='power_line', schema='assets')
    op.drop_index(op.f('ix_power_line_end_node'), table_name='power_line', schema='assets')
    op.drop_index(op.f('ix_power_line_commune'), table_name='power_line', schema='assets')
    op.drop_geospatial_index('idx_power_line_geom', table_name='power_line', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('power_line', schema='assets')
    op.drop_index(op.f('ix_power_customer_commune'), table_name='power_customer', schema='assets')
    op.drop_geospatial_index('idx_power_customer_geom', table_name='power_customer', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('power_customer', schema='assets')
    op.drop_index(op.f('ix_lighting_light_commune'), table_name='lighting_light', schema='assets')
    op.drop_geospatial_index('idx_lighting_light_geom', table_name='lighting_light', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('lighting_light', schema='assets')
    op.drop_index(op.f('ix_lighting_cable_start_node'), table_name='lighting_cable', schema='assets')
    op.drop_index(op.f('ix_lighting_cable_end_node'), table_name='lighting_cable', schema='assets')
    op.drop_index(op.f('ix_lighting_cable_commune'), table_name='lighting_cable', schema='assets')
    op.drop_geospatial_index('idx_lighting_cable_geom', table_name='lighting_cable', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('lighting_cable', schema='assets')
    op.drop_index(op.f('ix_lighting_cabinet_commune'), table_name='lighting_cabinet', schema='assets')
    op.drop_geospatial_index('idx_lighting_cabinet_geom', table_name='lighting_cabinet', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('lighting_cabinet', schema='assets')
    op.drop_index(op.f('ix_drainage_pumping_station_commune'), table_name='drainage_pumping_station', schema='assets')
    op.drop_geospatial_index('idx_drainage_pumping_station_geom', table_name='drainage_pumping_station', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('drainage_pumping_station', schema='assets')
    op.drop_index(op.f('ix_drainage_outfall_commune'), table_name='drainage_outfall', schema='assets')
    op.drop_geospatial_index('idx_drainage_outfall_geom', table_name='drainage_outfall', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('drainage_outfall', schema='assets')
    op.drop_index(op.f('ix_drainage_manhole_commune'), table_name='drainage_manhole', schema='assets')
    op.drop_geospatial_index('idx_drainage_manhole_geom', table_name='drainage_manhole', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('drainage_manhole', schema='assets')
    op.drop_index(op.f('ix_drainage_inlet_commune'), table_name='drainage_inlet', schema='assets')
    op.drop_geospatial_index('idx_drainage_inlet_geom', table_name='drainage_inlet', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('drainage_inlet', schema='assets')
    op.drop_index(op.f('ix_drainage_conduit_start_node'), table_name='drainage_conduit', schema='assets')
    op.drop_index(op.f('ix_drainage_conduit_end_node'), table_name='drainage_conduit', schema='assets')
    op.drop_index(op.f('ix_drainage_conduit_commune'), table_name='drainage_conduit', schema='assets')
    op.drop_geospatial_index('idx_drainage_conduit_geom', table_name='drainage_conduit', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('drainage_conduit', schema='assets')
    op.drop_index(op.f('ix_drainage_catchment_commune'), table_name='drainage_catchment', schema='assets')
    op.drop_geospatial_index('idx_drainage_catchment_geom', table_name='drainage_catchment', schema='assets', postgresql_using='gist', column_name='geom')
    op.drop_geospatial_table('drainage_catchment', schema='assets')


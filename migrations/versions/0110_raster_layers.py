"""Raster layers: files under the twin's home (the DEM), registered with their footprint.

Revision ID: 0110
Revises: 0002
Create Date: 2026-11-22 02:38:32.338772
"""
import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = '0110'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_geospatial_table('raster_layer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('crs', sa.Text(), nullable=False),
    sa.Column('resolution_m', sa.Float(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('bounds', Geometry(geometry_type='POLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_raster_layer')),
    sa.UniqueConstraint('name', name=op.f('uq_raster_layer_name')),
    schema='base'
    )
    op.create_geospatial_index('idx_raster_layer_bounds', 'raster_layer', ['bounds'], unique=False, schema='base', postgresql_using='gist', postgresql_ops={})


def downgrade() -> None:
    op.drop_geospatial_index('idx_raster_layer_bounds', table_name='raster_layer', schema='base', postgresql_using='gist', column_name='bounds')
    op.drop_geospatial_table('raster_layer', schema='base')

"""Scale-out: layer data versions for cached tiles, and rollups of retired live readings.

* ``audit.layer_version``: a statement trigger on every feature table bumps
  its layer's version; tile URLs carry it (``?v=``), so a cache in front of
  the web servers never serves a tile drawn before an edit;
* ``live.reading_rollup`` and ``live.retire_reading_partition``: a month of
  readings rolled up into hourly and daily aggregates, then its partition
  dropped, so the readings table stays bounded (``twin live retain``).

Both serve running the twin on many machines (docs/scaling.md).

Revision ID: 0330
Revises: 0310
Create Date: 2026-12-07 12:30:00
"""
import sqlalchemy as sa
from alembic import op

from twin.db.roles import sql_file
from twin.db.triggers import VERSION_TRIGGER, feature_tables, trigger_statements

revision = '0330'
down_revision = '0310'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "layer_version",
        sa.Column("layer", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True),
                  server_default=sa.text("clock_timestamp()"), nullable=False),
        sa.PrimaryKeyConstraint("layer", name=op.f("pk_layer_version")),
        schema="audit",
    )
    op.execute(sql_file("layer_versions.sql"))
    for statement in trigger_statements():
        op.execute(statement)
    op.create_table(
        "reading_rollup",
        sa.Column("grain", sa.Text(), nullable=False),
        sa.Column("bucket", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("asset_code", sa.Text(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("low", sa.Float(), nullable=False),
        sa.Column("high", sa.Float(), nullable=False),
        sa.CheckConstraint("grain IN ('hour', 'day')",
                           name=op.f("ck_reading_rollup_grain_allowed")),
        sa.PrimaryKeyConstraint("grain", "bucket", "device_id", "name",
                                name="pk_reading_rollup"),
        schema="live",
    )
    op.create_index("ix_reading_rollup_asset", "reading_rollup",
                    ["asset_code", "grain", "bucket"], schema="live")
    op.execute(sql_file("retention.sql"))


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS live.retire_reading_partition(text)")
    op.drop_index("ix_reading_rollup_asset", table_name="reading_rollup", schema="live")
    op.drop_table("reading_rollup", schema="live")
    for table, _ in feature_tables():
        op.execute(f"DO $$ BEGIN IF to_regclass('{table}') IS NOT NULL THEN "
                   f"EXECUTE 'DROP TRIGGER IF EXISTS {VERSION_TRIGGER} ON {table}'; END IF; END $$")
    op.execute("DROP FUNCTION IF EXISTS audit.bump_layer_version()")
    op.drop_table("layer_version", schema="audit")

"""Layer data versions: a statement trigger on every feature table bumps its layer's version.

Tile URLs carry the version of their layers (``?v=``), so a cache in front
of the web servers never serves a tile drawn before an edit
(docs/scaling.md).

Revision ID: 0330
Revises: 0290
Create Date: 2026-12-07 12:30:00
"""
import sqlalchemy as sa
from alembic import op

from twin.db.roles import sql_file
from twin.db.triggers import VERSION_TRIGGER, feature_tables, trigger_statements

revision = '0330'
down_revision = '0290'
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


def downgrade() -> None:
    for table, _ in feature_tables():
        op.execute(f"DO $$ BEGIN IF to_regclass('{table}') IS NOT NULL THEN "
                   f"EXECUTE 'DROP TRIGGER IF EXISTS {VERSION_TRIGGER} ON {table}'; END IF; END $$")
    op.execute("DROP FUNCTION IF EXISTS audit.bump_layer_version()")
    op.drop_table("layer_version", schema="audit")

"""Accent-insensitive search: unaccent, pg_trgm, twin_fold() and trigram indexes.

``search.sql`` adds the extensions (PostgreSQL's contrib) and the immutable
``twin_unaccent``/``twin_fold`` functions that CQL2 ``ACCENTI`` and the map
search use; :func:`twin.search.indexes_sql` one GIN trigram index per
searched column (codes, names, addresses).

Revision ID: 0260
Revises: 0230
Create Date: 2026-12-07 06:10:00
"""
import sqlalchemy as sa
from alembic import op

from twin.db.roles import sql_file
from twin.search import indexes_sql

revision = '0260'
down_revision = '0230'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sql_file("search.sql"))
    inspector = sa.inspect(op.get_bind())
    existing = {t for s in ("assets", "base") for t in inspector.get_table_names(schema=s)}
    op.execute(indexes_sql(tables=existing))


def downgrade() -> None:
    op.execute(indexes_sql(drop=True))
    op.execute("DROP FUNCTION IF EXISTS public.twin_fold(text)")
    op.execute("DROP FUNCTION IF EXISTS public.twin_unaccent(text)")
    # The extensions stay: other databases objects may use them.

"""Asset codes follow the declared pattern (CHECK code_pattern on every asset table).

The pattern is :data:`twin.declare.CODE_PATTERN`.  Codes already stored that
break it are not rewritten (other tables and the history name assets by
code): the upgrade stops and lists them, to be corrected first.

Revision ID: 0180
Revises: 0170
Create Date: 2026-12-07 03:40:00
"""
import sqlalchemy as sa
from alembic import op

from layers import LAYERS
from twin.declare import CODE_PATTERN

revision = '0180'
down_revision = '0170'
branch_labels = None
depends_on = None

SHOWN = 5


def _tables():
    return [(lyr.schema, ft.table) for lyr in LAYERS for ft in lyr.feature_types]


def _breaking(conn, schema: str, table: str) -> str | None:
    """A line naming the codes of ``table`` that break the pattern, if any."""
    bad = sa.text(f'SELECT code FROM "{schema}"."{table}" WHERE code !~ :pattern ORDER BY code')
    codes = conn.execute(bad, {"pattern": CODE_PATTERN}).scalars().all()
    if not codes:
        return None
    shown = ", ".join(repr(c) for c in codes[:SHOWN]) + (" ..." if len(codes) > SHOWN else "")
    return f"{schema}.{table}: {len(codes)} code(s): {shown}"


def upgrade() -> None:
    conn = op.get_bind()
    tables = [(s, t) for s, t in _tables() if sa.inspect(conn).has_table(t, schema=s)]
    breaking = [line for s, t in tables if (line := _breaking(conn, s, t))]
    if breaking:
        raise RuntimeError(
            f"asset codes must match {CODE_PATTERN} (upper-case letters, digits, '.', '_', "
            "'-'); correct these codes, e.g. with upper(btrim(code)), and upgrade again:\n  "
            + "\n  ".join(breaking))
    for schema, table in tables:
        op.create_check_constraint(op.f(f"ck_{table}_code_pattern"), table,
                                   f"code ~ '{CODE_PATTERN}'", schema=schema)


def downgrade() -> None:
    conn = op.get_bind()
    for schema, table in _tables():
        if sa.inspect(conn).has_table(table, schema=schema):
            op.drop_constraint(op.f(f"ck_{table}_code_pattern"), table, type_="check",
                               schema=schema)

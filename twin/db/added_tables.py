"""What a migration does when it adds a declared feature type's table.

The table is made from the declaration's model, with the audit triggers of
every feature table; the ``qgis`` views and their grants are made again so
that QGIS shows the new type (without its personal fields).  Dropping undoes
it in the opposite order.
"""

from __future__ import annotations

from twin.db.qgis_views import SCHEMA, views_sql
from twin.db.roles import sql_file
from twin.db.triggers import TRIGGERS, trigger_statements
from twin.models import model
from twin.search.indexes import indexes_sql

__all__ = ["add_feature_table", "drop_feature_table"]


def add_feature_table(op, table: str) -> None:
    """Create ``assets.<table>`` as declared, its triggers, its search indexes, and the
    views again."""
    model(table).__table__.create(op.get_bind(), checkfirst=True)
    for statement in trigger_statements(only=table):
        op.execute(statement)
    op.execute(views_sql())
    op.execute(sql_file("person_grants.sql"))
    op.execute(indexes_sql(only={table}))


def drop_feature_table(op, table: str) -> None:
    """Drop the view, triggers and table of ``table``; make the other views again."""
    op.execute(f"DROP VIEW IF EXISTS {SCHEMA}.{table}")
    schema = model(table).__table__.schema
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {schema}.{table}")
    op.drop_table(table, schema=schema)
    op.execute(views_sql())
    op.execute(sql_file("person_grants.sql"))

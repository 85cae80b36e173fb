"""Inspections: the condition and last inspection of inspected assets, one table per form.

Water pipes and valves, lights and manholes gain ``condition`` and
``last_inspected`` (trees had them); a tree's risk level may now be
``extreme`` (the top TRAQ rating).  Each inspection form declared in
``layers/inspection_forms.py`` gets its table in ``ops``, made from its
model; the app's roles may add inspections but never change or delete one.
The ``qgis`` views are made again to show the new columns.

Revision ID: 0340
Revises: 0330
Create Date: 2026-12-07 12:00:00
"""
import sqlalchemy as sa
from alembic import op

from twin.db.qgis_views import views_sql
from twin.db.roles import sql_file
from twin.inspections.tables import FORMS, SCHEMA, inspection_model

revision = '0340'
down_revision = '0330'
branch_labels = None
depends_on = None

_CONDITION = "condition IN ('good', 'fair', 'poor', 'failed')"
_INSPECTED = ("water_pipe", "water_valve", "lighting_light", "drainage_manhole")
_RISK = "risk_level IN ('low', 'medium', 'high'{})"


def _risk_levels(extra: str) -> None:
    op.drop_constraint("ck_trees_tree_risk_level_allowed", "trees_tree", schema="assets")
    op.create_check_constraint(op.f("ck_trees_tree_risk_level_allowed"), "trees_tree",
                               _RISK.format(extra), schema="assets")


def upgrade() -> None:
    for table in _INSPECTED:
        op.add_column(table, sa.Column("condition", sa.Text(), comment="Condition"),
                      schema="assets")
        op.add_column(table, sa.Column("last_inspected", sa.Date(), comment="Last inspection"),
                      schema="assets")
        op.create_check_constraint(op.f(f"ck_{table}_condition_allowed"), table, _CONDITION,
                                   schema="assets")
    _risk_levels(", 'extreme'")
    bind = op.get_bind()
    for table in FORMS:
        inspection_model(table).__table__.create(bind, checkfirst=True)
        op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {SCHEMA}.{table} FROM twin_write")
    op.execute(views_sql())
    op.execute(sql_file("person_grants.sql"))


def downgrade() -> None:
    for table in FORMS:
        op.drop_table(table, schema=SCHEMA)
    op.execute("UPDATE assets.trees_tree SET risk_level = 'high' WHERE risk_level = 'extreme'")
    _risk_levels("")
    for table in _INSPECTED:
        op.execute(f"DROP VIEW IF EXISTS qgis.{table}")
        op.drop_constraint(f"ck_{table}_condition_allowed", table, schema="assets")
        op.drop_column(table, "last_inspected", schema="assets")
        op.drop_column(table, "condition", schema="assets")
    op.execute(views_sql())
    op.execute(sql_file("person_grants.sql"))

"""Power switches carry an operating name and the LV and sectionalising devices.

Protection is scoped by the device that clears a fault: LV breakers and
fuses on the 0.4 kV side of each distribution transformer, sectionalisers
along 22 kV feeders (``layers/power.py``).  The allowed ``device_type``
values are taken from the declaration, and the ``qgis`` views are made
again so that they show the new column.

Revision ID: 0230
Revises: 0210
Create Date: 2026-12-07 06:40:00
"""
import sqlalchemy as sa
from alembic import op

from layers import feature_type
from twin.db.qgis_views import SCHEMA, views_sql
from twin.db.roles import sql_file

revision = '0230'
down_revision = '0210'
branch_labels = None
depends_on = None

_OLD_TYPES = ("breaker", "recloser", "fuse", "load_break_switch", "disconnector")
_CHECK = "ck_power_switch_device_type_allowed"


def _allowed(values) -> str:
    return "device_type IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _device_types(values) -> None:
    op.drop_constraint(op.f(_CHECK), "power_switch", type_="check", schema="assets")
    op.create_check_constraint(op.f(_CHECK), "power_switch", _allowed(values), schema="assets")


def upgrade() -> None:
    switch = feature_type("power_switch")
    label = switch.attribute("name").en
    op.add_column("power_switch", sa.Column("name", sa.Text(), nullable=True, comment=label),
                  schema="assets")
    _device_types(switch.attribute("device_type").allowed)
    op.execute(views_sql())
    op.execute(sql_file("person_grants.sql"))


def downgrade() -> None:
    _device_types(_OLD_TYPES)
    op.execute(f"DROP VIEW IF EXISTS {SCHEMA}.power_switch")
    op.drop_column("power_switch", "name", schema="assets")
    op.execute(views_sql())
    op.execute(sql_file("person_grants.sql"))

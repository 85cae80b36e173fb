"""Partial GiST indexes of what tiles keep below each declared detail's zoom.

A tile below a detail's zoom (``layers/``: 0.4 kV drops, service pipes,
alleys) keeps only the features that are not the detail; each detail gets
a GiST index of the geometry of those features alone
(:func:`twin.models.detail_indexes`), so that such a tile never reads the
drops and service pipes that make most of a town's lines.  The indexes are
the models' own, derived from the declarations, so they cannot differ from
the tile SQL's condition.

Revision ID: 0370
Revises: 0350
Create Date: 2026-12-07 15:30:00
"""
from alembic import op

from layers import LAYERS
from twin.models import detail_index_name, model

revision = '0370'
down_revision = '0350'
branch_labels = None
depends_on = None


def _detail_indexes():
    for lyr in LAYERS:
        for ft in lyr.feature_types:
            table = model(ft.table).__table__
            names = {detail_index_name(ft, d) for d in ft.details}
            yield from (index for index in table.indexes if index.name in names)


def upgrade() -> None:
    for index in _detail_indexes():
        index.create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    for index in _detail_indexes():
        index.drop(op.get_bind(), checkfirst=True)

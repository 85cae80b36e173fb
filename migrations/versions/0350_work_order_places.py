"""Work orders get a place: a point on each asset they touch (``ops.work_order.geom``).

The open work is drawn on a map and served as an OGC API collection with
``bbox`` and spatial filters, so each order keeps a point on each of its
assets (taken when the order is made).  Orders made before are given theirs
here from the assets they name.

Revision ID: 0350
Revises: 0342
Create Date: 2026-12-07 15:00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from twin.config import STORAGE_SRID
from twin.maintenance.store import points_of

revision = '0350'
down_revision = '0342'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 0342 makes the table from today's model, which already has the column.
    op.execute(f"ALTER TABLE ops.work_order ADD COLUMN IF NOT EXISTS geom "
               f"geometry(MULTIPOINT, {STORAGE_SRID})")
    op.execute("COMMENT ON COLUMN ops.work_order.geom IS "
               "'a point on each asset, when the order was made'")
    op.execute("CREATE INDEX IF NOT EXISTS idx_work_order_geom ON ops.work_order "
               "USING gist (geom)")
    session = Session(bind=op.get_bind())
    orders = session.execute(sa.text(
        "SELECT id, assets FROM ops.work_order WHERE cardinality(assets) > 0")).all()
    for order_id, assets in orders:
        place = points_of(session, assets)
        if place is not None:
            session.execute(sa.text("UPDATE ops.work_order SET geom = "
                                    "ST_GeomFromWKB(:g, :srid) WHERE id = :i"),
                            {"g": place.wkb, "srid": STORAGE_SRID, "i": order_id})


def downgrade() -> None:
    op.drop_index("idx_work_order_geom", "work_order", schema="ops")
    op.drop_column("work_order", "geom", schema="ops")

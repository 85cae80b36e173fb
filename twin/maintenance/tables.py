"""Work orders (schema ``ops``): planned work and repairs, with the assets they touch.

``assets`` are references ``<feature table>/<code>``; a repair names the
incident it mends (``incident_code``) and closing it closes the incident.
``geom`` is a point on each asset, kept when the order is made, so the
open work can be drawn on a map and filtered by place like any feature.
"""

from __future__ import annotations

from datetime import date, datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Identity,
    Index,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from twin.config import STORAGE_SRID
from twin.models import Base

__all__ = ["KINDS", "OPEN", "STATUSES", "WorkOrder"]

KINDS = ("planned", "repair")
STATUSES = ("planned", "scheduled", "in_progress", "done", "cancelled")
OPEN = ("planned", "scheduled", "in_progress")


def _in(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


class WorkOrder(Base):
    """One piece of maintenance work: what, who, when, what it cost, on which assets."""

    __tablename__ = "work_order"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_in(KINDS)})", name="kind_allowed"),
        CheckConstraint(f"status IN ({_in(STATUSES)})", name="status_allowed"),
        CheckConstraint("planned_end IS NULL OR planned_end >= planned_start", name="dates_ordered"),
        CheckConstraint("cost_vnd IS NULL OR cost_vnd >= 0", name="cost_positive"),
        CheckConstraint("kind = 'planned' OR incident_code IS NOT NULL", name="repair_of_incident"),
        Index("ix_work_order_open_start", "planned_start",
              postgresql_where=text(f"status IN ({_in(OPEN)})")),
        {"schema": "ops"},
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(Text, nullable=False, server_default="planned")
    title: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False, server_default="planned")
    crew: Mapped[str | None] = mapped_column(Text)
    planned_start: Mapped[date] = mapped_column(Date, nullable=False)
    planned_end: Mapped[date | None] = mapped_column(Date)
    cost_vnd: Mapped[int | None] = mapped_column(BigInteger, comment="cost [VND]")
    assets: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False,
                                              server_default=text("'{}'::text[]"),
                                              comment="<feature table>/<code> of each asset")
    incident_code: Mapped[str | None] = mapped_column(Text, index=True)
    plan: Mapped[str | None] = mapped_column(Text, comment="the recurring plan that made it")
    geom = mapped_column(Geometry("MULTIPOINT", srid=STORAGE_SRID, spatial_index=True),
                         comment="a point on each asset, when the order was made")
    closing_note: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                                 server_default=func.now())

"""Reads and writes of ``ops.work_order``, and when each asset was last inspected."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import shapely
from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPoint
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from twin.config import STORAGE_SRID
from twin.models import model

from .tables import OPEN, WorkOrder

__all__ = ["add_order", "get_order", "last_inspected", "open_repairs", "orders", "points_of",
           "set_order"]


def _dict(order: WorkOrder) -> dict:
    out = {c.name: getattr(order, c.name) for c in WorkOrder.__table__.columns if c.name != "geom"}
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in out.items()}


def points_of(session: Session, refs) -> MultiPoint | None:
    """A point on each asset of ``refs`` (``<feature table>/<code>``, WGS 84), in their
    order; None if none is found."""
    codes = defaultdict(list)
    for ref in refs:
        table, _, code = ref.partition("/")
        codes[table].append(code)
    found = {}
    for table, wanted in codes.items():
        m = model(table)
        rows = session.execute(select(m.code, func.ST_AsBinary(func.ST_PointOnSurface(m.geom)))
                               .where(m.code.in_(wanted)))
        found.update({f"{table}/{code}": shapely.from_wkb(bytes(p)) for code, p in rows})
    points = [found[ref] for ref in refs if ref in found]
    return MultiPoint(points) if points else None


def add_order(session: Session, values: dict) -> dict:
    """Insert a work order; its place is a point on each of its assets."""
    place = points_of(session, values.get("assets") or [])
    if place is not None:
        values = {**values, "geom": from_shape(place, srid=STORAGE_SRID)}
    new_id = session.execute(insert(WorkOrder).values(**values).returning(WorkOrder.id)).scalar_one()
    return get_order(session, new_id)


def get_order(session: Session, order_id: int) -> dict | None:
    order = session.get(WorkOrder, order_id, populate_existing=True)
    return None if order is None else _dict(order)


def set_order(session: Session, order_id: int, values: dict) -> None:
    session.execute(update(WorkOrder).where(WorkOrder.id == order_id).values(**values))


def orders(session: Session, *, open_only: bool, start: date | None = None,
           end: date | None = None) -> list[dict]:
    """Work orders by planned start (open ones only with ``open_only``), within the dates."""
    stmt = select(WorkOrder).order_by(WorkOrder.planned_start, WorkOrder.id)
    if open_only:
        stmt = stmt.where(WorkOrder.status.in_(OPEN))
    if start is not None:
        stmt = stmt.where(func.coalesce(WorkOrder.planned_end, WorkOrder.planned_start) >= start)
    if end is not None:
        stmt = stmt.where(WorkOrder.planned_start <= end)
    return [_dict(o) for o in session.execute(stmt).scalars()]


def open_repairs(session: Session, incident_code: str) -> list[int]:
    return list(session.execute(select(WorkOrder.id).where(
        WorkOrder.incident_code == incident_code, WorkOrder.status.in_(OPEN))).scalars())


def last_inspected(session: Session, table: str, *, commune: str | None) -> dict[str, date | None]:
    """``{"<table>/<code>": last inspection}`` of the in-service assets of ``table``."""
    m = model(table)
    stmt = select(m.code, m.last_inspected).where(m.status == "in_service")
    if commune:
        stmt = stmt.where(m.commune == commune)
    return {f"{table}/{code}": day for code, day in session.execute(stmt)}

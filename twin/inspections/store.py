"""Reads and writes of the inspection tables (``ops.inspection_*``)."""

from __future__ import annotations

import json

from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from twin.config import STORAGE_SRID
from twin.errors import Conflict

from .tables import FORMS, inspection_model

__all__ = ["add_inspection", "by_client_id", "count_items", "form_tables_of",
           "inspection_items", "inspections_of", "row_dict"]

_CORE = ("id", "client_id", "asset_code", "asset_version", "inspected_at", "inspected_by",
         "received_at", "result")


def row_dict(table: str, row) -> dict:
    """One stored inspection as a GeoJSON Feature (answers and core fields as properties)."""
    data = dict(row._mapping)
    geometry = json.loads(data.pop("geojson")) if data.get("geojson") else None
    data.pop("geojson", None)
    props = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
             for k, v in data.items() if k not in ("geom", "asset_id")}
    props["form"] = table
    return {"type": "Feature", "id": data["id"], "geometry": geometry, "properties": props}


def _select(table: str):
    m = inspection_model(table)
    cols = [c for c in m.__table__.columns if c.name != "geom"]
    return m, select(*cols, func.ST_AsGeoJSON(m.geom, 7).label("geojson"))


def by_client_id(session: Session, table: str, client_id: str) -> dict | None:
    """The inspection the phone keyed ``client_id``, if it arrived already."""
    m, stmt = _select(table)
    row = session.execute(stmt.where(m.client_id == client_id)).first()
    return None if row is None else row_dict(table, row)


def add_inspection(session: Session, table: str, values: dict, location: Point | None) -> dict:
    """Insert one inspection (``values``: core fields and answers) and return it.

    A phone key (``client_id``) stored meanwhile for another asset is a
    :class:`Conflict`, never a database error.
    """
    m, stmt = _select(table)
    if location is not None:
        values = {**values, "geom": from_shape(location, srid=STORAGE_SRID)}
    new_id = session.execute(insert(m).values(**values).on_conflict_do_nothing(
        index_elements=["client_id"]).returning(m.id)).scalar_one_or_none()
    if new_id is None:
        raise Conflict(f"{table}: the phone's key {values['client_id']!r} already names "
                       "another inspection")
    return row_dict(table, session.execute(stmt.where(m.id == new_id)).one())


def inspections_of(session: Session, asset_id: int, tables) -> list[dict]:
    """Every inspection of asset ``asset_id`` in the form ``tables``, newest first."""
    out = []
    for table in tables:
        m, stmt = _select(table)
        rows = session.execute(stmt.where(m.asset_id == asset_id)).all()
        out.extend(row_dict(table, r) for r in rows)
    return sorted(out, key=lambda f: f["properties"]["inspected_at"], reverse=True)


def inspection_items(session: Session, table: str, *, limit: int, offset: int) -> list[dict]:
    """A page of the form's inspections, newest first (the API collection's items)."""
    m, stmt = _select(table)
    rows = session.execute(
        stmt.order_by(m.inspected_at.desc(), m.id.desc()).limit(limit).offset(offset)).all()
    return [row_dict(table, r) for r in rows]


def count_items(session: Session, table: str) -> int:
    m = inspection_model(table)
    return session.execute(select(func.count()).select_from(m)).scalar_one()


def form_tables_of(feature_table: str) -> list[str]:
    """The inspection tables of one feature type."""
    return [t for t, (ft, _) in FORMS.items() if ft.table == feature_table]

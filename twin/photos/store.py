"""Reads and writes of ``ops.photo``, and whether a photo's subject exists."""

from __future__ import annotations

from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from twin.config import STORAGE_SRID

from .tables import Photo

__all__ = ["add_photo", "find_photo", "incident_exists", "inspection_exists", "photo_bytes",
           "photo_ids_of", "photos_of"]

_META = (Photo.id, Photo.kind, Photo.subject, Photo.layer, Photo.sha256, Photo.content_type,
         Photo.bytes, Photo.width, Photo.height, Photo.taken_at, Photo.caption,
         Photo.uploaded_by, Photo.uploaded_at, func.ST_X(Photo.geom).label("lon"),
         func.ST_Y(Photo.geom).label("lat"))


def _meta(row) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in row._mapping.items()}


def find_photo(session: Session, kind: str, subject: str, sha256: str) -> dict | None:
    row = session.execute(select(*_META).where(
        Photo.kind == kind, Photo.subject == subject, Photo.sha256 == sha256)).first()
    return None if row is None else _meta(row)


def add_photo(session: Session, values: dict, position: tuple[float, float] | None) -> dict:
    """Insert one photo (``values``: the columns but ``geom``) and return its description."""
    if position is not None:
        values = {**values, "geom": from_shape(Point(position), srid=STORAGE_SRID)}
    new_id = session.execute(insert(Photo).values(**values).returning(Photo.id)).scalar_one()
    return _meta(session.execute(select(*_META).where(Photo.id == new_id)).one())


def photos_of(session: Session, kind: str, subject: str) -> list[dict]:
    """Descriptions (no bytes) of the photos of one subject, oldest first."""
    rows = session.execute(select(*_META).where(Photo.kind == kind, Photo.subject == subject)
                           .order_by(Photo.id)).all()
    return [_meta(r) for r in rows]


def photo_ids_of(session: Session, kind: str, subjects) -> dict[str, list[tuple[int, str]]]:
    """``{subject: [(photo id, content type), …]}`` of many subjects at once (a page of records)."""
    out: dict[str, list[tuple[int, str]]] = {}
    rows = session.execute(select(Photo.subject, Photo.id, Photo.content_type).where(
        Photo.kind == kind, Photo.subject.in_(list(subjects))).order_by(Photo.id))
    for subject, photo_id, content_type in rows:
        out.setdefault(subject, []).append((photo_id, content_type))
    return out


def photo_bytes(session: Session, photo_id: int, *, thumbnail: bool) -> tuple[dict, bytes] | None:
    """A photo's description and its file (or its thumbnail)."""
    column = Photo.thumbnail if thumbnail else Photo.data
    row = session.execute(select(*_META, column.label("content"))
                          .where(Photo.id == photo_id)).first()
    if row is None:
        return None
    meta = _meta(row)
    return meta, bytes(meta.pop("content"))


def inspection_exists(session: Session, form_table: str, inspection_id: int) -> bool:
    """Whether inspection ``inspection_id`` is in ``ops.<form_table>`` (a declared form's)."""
    return session.execute(text(f'SELECT 1 FROM ops."{form_table}" WHERE id = :i'),
                           {"i": inspection_id}).first() is not None


def incident_exists(session: Session, incident_id: int) -> bool:
    return session.execute(text("SELECT 1 FROM live.incident WHERE id = :i"),
                           {"i": incident_id}).first() is not None

"""The one door through which assets are created, changed and deleted.

Each write validates against the layer declaration, checks the optimistic
lock (``version``), snaps network edges to their nodes, and records the
change in ``audit.history`` — all in the caller's transaction, so an edit and
its history are committed together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geoalchemy2.shape import from_shape
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Integer, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from layers import feature_type

from .config import STORAGE_SRID
from .db.errors import translate_integrity_error
from .declare import normal_code
from .errors import Conflict, InvalidInput
from .features import get_feature
from .models import History, model
from .topology import snap_line
from .validation import validate_feature

__all__ = ["EditResult", "create_feature", "delete_feature", "record_history",
           "revert_feature", "update_feature"]


@dataclass
class EditResult:
    """The feature as stored after the edit, and how its ends were snapped."""

    feature: dict
    snapping: list[dict] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.feature["properties"]["version"]


def _as_shape(geometry) -> BaseGeometry | None:
    if geometry is None or isinstance(geometry, BaseGeometry):
        return geometry
    try:
        return shape(geometry)
    except Exception as exc:  # shapely raises several types for bad GeoJSON
        raise InvalidInput("unreadable geometry", []) from exc


def record_history(session: Session, table: str, action: str, *, old: dict | None,
                   new: dict | None, user: str | None, reason: str | None = None) -> None:
    """Append one entry to the audit trail (same transaction as the edit)."""
    current = new or old
    session.execute(insert(History).values(
        asset_id=current["properties"]["id"], feature_type=table, code=current["id"],
        version=current["properties"]["version"], action=action, changed_by=user,
        reason=reason, old=old, new=new))


def _commune_of(session: Session, geom: BaseGeometry) -> str | None:
    row = session.execute(text(
        "SELECT code FROM base.base_admin_unit WHERE level = 'commune' AND valid_to IS NULL "
        "AND ST_Intersects(geom, ST_PointOnSurface(ST_GeomFromText(:wkt, 4326))) LIMIT 1"),
        {"wkt": geom.wkt}).first()
    return row.code if row else None


def _prepare(session: Session, table: str, properties: dict, geometry, *, partial: bool,
             snap_tolerance_m: float, label: str):
    ft = feature_type(table)
    props = {k: v for k, v in (properties or {}).items()
             if k not in ("id", "version", "feature_type", "layer", "length_m", "area_m2",
                          "start_node", "end_node", "created_at", "created_by",
                          "updated_at", "updated_by")}
    values, geom, problems = validate_feature(ft, props, _as_shape(geometry), feature=label,
                                              partial=partial)
    if problems:
        raise InvalidInput(f"{table} {label}: the feature breaks {len(problems)} rule(s)",
                           problems)
    snapping = []
    if geom is not None:
        if ft.network == "edge":
            geom, results = snap_line(session, ft, geom, snap_tolerance_m)
            values["start_node"], values["end_node"] = results[0].node_id, results[1].node_id
            snapping = [r.to_dict() for r in results]
        values["geom"] = from_shape(geom, srid=STORAGE_SRID)
        if not values.get("commune"):
            values["commune"] = _commune_of(session, geom)
    return values, snapping


def _execute(session: Session, table: str, stmt):
    try:
        with session.begin_nested():
            return session.execute(stmt)
    except IntegrityError as exc:
        raise translate_integrity_error(exc, table) from exc


def create_feature(session: Session, table: str, properties: dict, geometry, *,
                   user: str | None, reason: str | None = None,
                   snap_tolerance_m: float = 1.0) -> EditResult:
    """Insert a new feature; its code is made from the layer prefix unless given."""
    ft, m = feature_type(table), model(table)
    values, snapping = _prepare(session, table, properties, geometry, partial=False,
                                snap_tolerance_m=snap_tolerance_m,
                                label=str((properties or {}).get("code") or "new feature"))
    new_id = session.execute(select(func.nextval("assets.asset_id_seq"))).scalar_one()
    values.setdefault("code", None)
    values["code"] = values["code"] or f"{ft.code_prefix}-{new_id:06d}"
    values.update(id=new_id, created_by=user, updated_by=user, version=1)
    _execute(session, table, insert(m).values(**values))
    feature = get_feature(session, table, values["code"])
    record_history(session, table, "create", old=None, new=feature, user=user, reason=reason)
    return EditResult(feature, snapping)


def update_feature(session: Session, table: str, code: str, properties: dict | None,
                   geometry=None, *, expected_version: int, user: str | None,
                   reason: str | None = None, replace: bool = False,
                   snap_tolerance_m: float = 1.0, action: str = "update") -> EditResult:
    """Change a feature if it is still at ``expected_version``.

    ``replace`` (PUT) validates the full set of attributes; otherwise the
    properties are a merge patch.  A stale version raises :class:`Conflict`
    carrying the current state, so no editor overwrites another's work.
    """
    m, code = model(table), normal_code(code)
    old = get_feature(session, table, code, for_update=True)
    current_version = old["properties"]["version"]
    if current_version != expected_version:
        raise Conflict(f"{table} {code} is at version {current_version}, not "
                       f"{expected_version}: someone else changed it", current=old)
    values, snapping = _prepare(session, table, properties or {}, geometry,
                                partial=not replace, snap_tolerance_m=snap_tolerance_m,
                                label=code)
    values.update(version=current_version + 1, updated_by=user, updated_at=func.now())
    stmt = update(m).where(m.code == code, m.version == expected_version).values(**values)
    _execute(session, table, stmt)
    feature = get_feature(session, table, values.get("code") or code)
    record_history(session, table, action, old=old, new=feature, user=user, reason=reason)
    return EditResult(feature, snapping)


def delete_feature(session: Session, table: str, code: str, *, expected_version: int,
                   user: str | None, reason: str | None = None) -> dict:
    """Delete a feature if it is still at ``expected_version``; returns its last state."""
    m, code = model(table), normal_code(code)
    old = get_feature(session, table, code, for_update=True)
    if old["properties"]["version"] != expected_version:
        raise Conflict(f"{table} {code} is at version {old['properties']['version']}, not "
                       f"{expected_version}: someone else changed it", current=old)
    session.execute(m.__table__.delete().where(m.code == code))
    gone = {**old, "properties": {**old["properties"],
                                   "version": old["properties"]["version"] + 1}}
    record_history(session, table, "delete", old=old, new=None, user=user, reason=reason)
    return gone


def revert_feature(session: Session, table: str, code: str, to_version: int, *,
                   expected_version: int, user: str | None, reason: str | None = None
                   ) -> EditResult:
    """Bring a feature back to the state it had at ``to_version`` (recorded as a revert).

    The state is the ``new`` of the entry that made that version or, for a
    version a bulk load made (recorded once, not per feature), the ``old`` of
    the entry that ended it.
    """
    code = normal_code(code)
    entry = session.execute(
        select(History.new).where(History.feature_type == table, History.code == code,
                                  History.version == to_version, History.new.is_not(None))
        .order_by(History.id.desc()).limit(1)).scalar_one_or_none()
    if entry is None:
        old_version = History.old["properties"]["version"].astext.cast(Integer)
        entry = session.execute(
            select(History.old).where(History.feature_type == table, History.code == code,
                                      old_version == to_version)
            .order_by(History.id.desc()).limit(1)).scalar_one_or_none()
    if entry is None:
        raise InvalidInput(f"{table} {code}: no version {to_version} in the history")
    props = {k: v for k, v in entry["properties"].items() if k != "code"}
    return update_feature(session, table, code, props, entry["geometry"],
                          expected_version=expected_version, user=user,
                          reason=reason or f"revert to version {to_version}", replace=True,
                          action="revert")

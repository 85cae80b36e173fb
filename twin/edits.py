"""The one door through which assets are created, changed and deleted.

Each write validates against the layer declaration and checks the
optimistic lock (``version``); the database's triggers on every feature
table (``migrations/sql/audit_triggers.sql``) then bump the version, snap
network edges to their nodes, fill in the commune and record the change in
``audit.history`` under the user and reason this module hands them
(:mod:`twin.db.actor`) — all in the caller's transaction, so an edit and its
history are committed together or not at all, and a write from any other
client (QGIS, psql) keeps the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geoalchemy2.shape import from_shape
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Integer, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from layers import feature_type

from .config import SNAP_TOLERANCE_M, STORAGE_SRID
from .db.actor import acting
from .db.errors import translate_integrity_error
from .declare import normal_code
from .errors import Conflict, InvalidInput
from .features import get_feature
from .models import History, model
from .topology import snapping_report
from .validation import validate_feature

__all__ = ["EditResult", "create_feature", "delete_feature", "revert_feature",
           "update_feature"]


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


def _prepare(table: str, properties: dict, geometry, *, partial: bool, label: str):
    """Validated column values and the geometry as given (snapping is the database's)."""
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
    if geom is not None:
        values["geom"] = from_shape(geom, srid=STORAGE_SRID)
    return values, geom


def _snapping(session: Session, table: str, drawn, feature: dict) -> list[dict]:
    if drawn is None or feature_type(table).network != "edge":
        return []
    return [r.to_dict() for r in snapping_report(session, feature_type(table), drawn, feature)]


def _execute(session: Session, table: str, stmt, *, user: str | None, reason: str | None,
             action: str | None = None, snap_tolerance_m: float | None = None):
    """Run the write ``stmt`` with the triggers told who, why and how far to snap."""
    with acting(session, user=user, reason=reason, action=action,
                snap_tolerance_m=snap_tolerance_m):
        try:
            with session.begin_nested():
                return session.execute(stmt)
        except IntegrityError as exc:
            raise translate_integrity_error(exc, table) from exc


def create_feature(session: Session, table: str, properties: dict, geometry, *,
                   user: str | None, reason: str | None = None,
                   snap_tolerance_m: float = SNAP_TOLERANCE_M) -> EditResult:
    """Insert a new feature; its code is made from the layer prefix unless given."""
    ft, m = feature_type(table), model(table)
    values, drawn = _prepare(table, properties, geometry, partial=False,
                             label=str((properties or {}).get("code") or "new feature"))
    new_id = session.execute(select(func.nextval("assets.asset_id_seq"))).scalar_one()
    values.setdefault("code", None)
    values["code"] = values["code"] or f"{ft.code_prefix}-{new_id:06d}"
    values["id"] = new_id
    _execute(session, table, insert(m).values(**values), user=user, reason=reason,
             snap_tolerance_m=snap_tolerance_m)
    feature = get_feature(session, table, values["code"])
    return EditResult(feature, _snapping(session, table, drawn, feature))


def update_feature(session: Session, table: str, code: str, properties: dict | None,
                   geometry=None, *, expected_version: int, user: str | None,
                   reason: str | None = None, replace: bool = False,
                   snap_tolerance_m: float = SNAP_TOLERANCE_M, action: str = "update"
                   ) -> EditResult:
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
    values, drawn = _prepare(table, properties or {}, geometry, partial=not replace, label=code)
    # The trigger sets the same version; the WHERE keeps the lock for a racing writer.
    values["version"] = current_version + 1
    stmt = update(m).where(m.code == code, m.version == expected_version).values(**values)
    _execute(session, table, stmt, user=user, reason=reason, action=action,
             snap_tolerance_m=snap_tolerance_m)
    feature = get_feature(session, table, values.get("code") or code)
    return EditResult(feature, _snapping(session, table, drawn, feature))


def delete_feature(session: Session, table: str, code: str, *, expected_version: int,
                   user: str | None, reason: str | None = None) -> dict:
    """Delete a feature if it is still at ``expected_version``; returns its last state."""
    m, code = model(table), normal_code(code)
    old = get_feature(session, table, code, for_update=True)
    if old["properties"]["version"] != expected_version:
        raise Conflict(f"{table} {code} is at version {old['properties']['version']}, not "
                       f"{expected_version}: someone else changed it", current=old)
    _execute(session, table, m.__table__.delete().where(m.code == code), user=user,
             reason=reason)
    return {**old, "properties": {**old["properties"],
                                  "version": old["properties"]["version"] + 1}}


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

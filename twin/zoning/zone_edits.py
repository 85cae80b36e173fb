"""Drawing and editing the zones of a draft plan (the planner page's draw tool).

Only draft plans change: an approved plan is a legal document, and a change
to it is a new version imported or saved with ``save_plan``.  Updates and
deletes name the version they were based on; a stale version raises
:class:`~twin.errors.Conflict` with the zone as it is now.  Callers commit.
"""

from __future__ import annotations

import shapely
import shapely.geometry
from geoalchemy2.shape import from_shape, to_shape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twin.config import STORAGE_SRID
from twin.crs import VIETNAM_BOUNDS
from twin.errors import Conflict, InvalidInput, NotFound, Problem
from twin.zoning import tables
from twin.zoning.codes import national_code
from twin.zoning.store import plan_row

__all__ = ["create_zone", "delete_zone", "get_zone", "update_zone", "zone_feature", "zone_features"]


def zone_feature(zone: tables.Zone) -> dict:
    """A zone as a GeoJSON Feature (WGS 84), its id the zone's database id."""
    return {
        "type": "Feature",
        "id": zone.id,
        "geometry": shapely.geometry.mapping(to_shape(zone.geom)),
        "properties": {
            "id": zone.id,
            "plan_id": zone.plan_id,
            "key": zone.key,
            "code": zone.code,
            "source_code": zone.source_code,
            "name": zone.name,
            "version": zone.version,
        },
    }


def zone_features(session: Session, plan_id: int, *, bbox=None) -> dict:
    """The zones of a plan version as a FeatureCollection, optionally within a lon/lat box."""
    plan_row(session, plan_id)
    query = select(tables.Zone).where(tables.Zone.plan_id == plan_id)
    if bbox is not None:
        query = query.where(tables.Zone.geom.op("&&")(func.ST_MakeEnvelope(*bbox, STORAGE_SRID)))
    zones = session.scalars(query.order_by(tables.Zone.id))
    return {"type": "FeatureCollection", "features": [zone_feature(z) for z in zones]}


def _invalid(feature: str, field: str, rule: str, message: str) -> InvalidInput:
    return InvalidInput(f"{feature} cannot be saved", [Problem(field, rule, message, feature)])


def _draft(session: Session, plan_id: int) -> tables.Plan:
    plan = plan_row(session, plan_id)
    if plan.status != "draft":
        raise _invalid(
            f"plan {plan.name}@{plan.version}",
            "status",
            "draft_only",
            f"the plan is {plan.status}: only draft plans are edited; save a new version instead",
        )
    return plan


def _polygon(geometry: dict, feature: str):
    try:
        shape = shapely.geometry.shape(geometry)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException) as exc:
        raise _invalid(feature, "geometry", "geojson", f"not a GeoJSON geometry: {exc}") from exc
    if shape.geom_type not in ("Polygon", "MultiPolygon") or shape.is_empty:
        raise _invalid(feature, "geometry", "polygon", "a zone must be a non-empty polygon")
    west, south, east, north = shape.bounds
    lon0, lat0, lon1, lat1 = VIETNAM_BOUNDS
    if not (lon0 <= west and east <= lon1 and lat0 <= south and north <= lat1):
        raise _invalid(feature, "geometry", "inside_vietnam", "lon/lat (WGS 84) inside Vietnam")
    multi = shapely.MultiPolygon([shape]) if shape.geom_type == "Polygon" else shape
    return from_shape(multi, srid=STORAGE_SRID)


def _set_code(zone: tables.Zone, plan: tables.Plan, code: str | None) -> None:
    zone.source_code = (code or "").strip() or None
    zone.code = national_code(zone.source_code, plan.legend)


def _next_key(session: Session, plan_id: int) -> str:
    count = session.scalar(select(func.count()).where(tables.Zone.plan_id == plan_id))
    key = f"drawn-{count + 1}"
    while session.scalar(
        select(tables.Zone.id).where(tables.Zone.plan_id == plan_id, tables.Zone.key == key)
    ):
        count += 1
        key = f"drawn-{count + 1}"
    return key


def create_zone(
    session: Session, plan_id: int, properties: dict, geometry: dict, *, user: str
) -> tables.Zone:
    """A new zone of a draft plan from GeoJSON (``code``, ``name``, optional ``key``)."""
    plan = _draft(session, plan_id)
    key = (properties.get("key") or "").strip() or _next_key(session, plan_id)
    feature = f"plan {plan.name} zone {key}"
    exists = select(tables.Zone.id).where(tables.Zone.plan_id == plan_id, tables.Zone.key == key)
    if session.scalar(exists):
        raise _invalid(feature, "key", "unique", f"the plan already has a zone {key!r}")
    zone = tables.Zone(plan_id=plan_id, key=key, name=properties.get("name"), updated_by=user)
    zone.geom = _polygon(geometry, feature)
    _set_code(zone, plan, properties.get("code"))
    session.add(zone)
    plan.updated_by, plan.updated_at = user, func.now()
    session.flush()
    session.refresh(zone)
    return zone


def get_zone(session: Session, zone_id: int) -> tables.Zone:
    zone = session.get(tables.Zone, zone_id)
    if zone is None:
        raise NotFound(f"no zone {zone_id}")
    return zone


def _check_version(zone: tables.Zone, expected_version) -> None:
    if expected_version is None or int(expected_version) != zone.version:
        raise Conflict(
            f"zone {zone.key}: version {expected_version} is not the current {zone.version}; "
            "reload it and edit again",
            current=zone_feature(zone),
        )


def update_zone(
    session: Session,
    zone_id: int,
    *,
    expected_version: int,
    properties: dict | None = None,
    geometry: dict | None = None,
    user: str,
) -> tables.Zone:
    """Change a zone's code, name or polygon if it is still at ``expected_version``."""
    zone = get_zone(session, zone_id)
    plan = _draft(session, zone.plan_id)
    _check_version(zone, expected_version)
    properties = properties or {}
    if "code" in properties:
        _set_code(zone, plan, properties["code"])
    if "name" in properties:
        zone.name = properties["name"]
    if geometry is not None:
        zone.geom = _polygon(geometry, f"plan {plan.name} zone {zone.key}")
    zone.version += 1
    zone.updated_by, zone.updated_at = user, func.now()
    plan.updated_by, plan.updated_at = user, func.now()
    session.flush()
    session.refresh(zone)
    return zone


def delete_zone(session: Session, zone_id: int, *, expected_version: int, user: str) -> None:
    """Remove a zone of a draft plan if it is still at ``expected_version``."""
    zone = get_zone(session, zone_id)
    plan = _draft(session, zone.plan_id)
    _check_version(zone, expected_version)
    plan.updated_by, plan.updated_at = user, func.now()
    session.delete(zone)
    session.flush()

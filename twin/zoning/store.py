"""Plans in the database: saving a version, finding plans, loading them for the checks.

``save_plan`` is the one door for new plan versions (the importer, the demo and
the tests use it); zone edits from the map go through :mod:`twin.zoning.zone_edits`.
Callers commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import shapely
from geoalchemy2.shape import from_shape
from pyproj import CRS
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from twin.config import STORAGE_SRID
from twin.crs import STORAGE_CRS, VIETNAM_BOUNDS, parse_crs, reproject
from twin.errors import InvalidInput, NotFound, Problem
from twin.zoning import model, tables
from twin.zoning.codes import national_code

__all__ = [
    "find_plan",
    "load_plans",
    "plan_row",
    "plan_summaries",
    "plans_in_force",
    "save_plan",
]

_POLYGONS = ("Polygon", "MultiPolygon")


def _multi(geometry: BaseGeometry | None):
    if geometry is None:
        return None
    return shapely.MultiPolygon([geometry]) if geometry.geom_type == "Polygon" else geometry


def _geometry_problems(plan: model.Plan, zones, red_lines, corridors) -> list[Problem]:
    problems = []

    def need(ok, feature, message, rule):
        if not ok:
            problems.append(Problem("geometry", rule, message, f"plan {plan.id} {feature}"))

    for zone, geometry in zip(plan.zones, zones, strict=True):
        need(
            geometry is not None and geometry.geom_type in _POLYGONS,
            f"zone {zone.id}",
            "a zone must be a polygon",
            "polygon",
        )
    for line, geometry in zip(plan.red_lines, red_lines, strict=True):
        need(
            geometry is not None and geometry.geom_type == "LineString",
            f"red line {line.id}",
            "a red line must be one line string",
            "line_string",
        )
    for corridor, geometry in zip(plan.corridors, corridors, strict=True):
        need(
            geometry is not None and geometry.geom_type in ("LineString", "Polygon"),
            f"corridor {corridor.id}",
            "a corridor must be one line string or one polygon",
            "line_or_polygon",
        )
    return problems


def _outside_vietnam(geometries) -> bool:
    present = [g for g in geometries if g is not None and not g.is_empty]
    if not present:
        return False
    west, south, east, north = shapely.total_bounds(present)
    lon0, lat0, lon1, lat1 = VIETNAM_BOUNDS
    return west < lon0 or east > lon1 or south < lat0 or north > lat1


def _to_storage(plan: model.Plan, crs) -> dict[str, list]:
    """The plan's geometries in WGS 84, checked for type and for landing in Vietnam."""
    source = crs if isinstance(crs, CRS) else parse_crs(crs)
    moved = {
        name: list(reproject([item.geometry for item in items], source, STORAGE_CRS))
        for name, items in (
            ("zones", plan.zones),
            ("red_lines", plan.red_lines),
            ("corridors", plan.corridors),
        )
    }
    problems = _geometry_problems(plan, moved["zones"], moved["red_lines"], moved["corridors"])
    if _outside_vietnam(moved["zones"] + moved["red_lines"] + moved["corridors"]):
        problems.append(
            Problem(
                "crs",
                "inside_vietnam",
                f"the plan falls outside Vietnam once read as {source.name}: wrong CRS?",
                f"plan {plan.id}",
            )
        )
    if problems:
        raise InvalidInput(f"Plan {plan.id} cannot be saved", problems)
    (moved["boundary"],) = reproject([plan.boundary], source, STORAGE_CRS)
    return moved


def _next_version(session: Session, name: str) -> int:
    latest = session.scalar(select(func.max(tables.Plan.version)).where(tables.Plan.name == name))
    return (latest or 0) + 1


def _supersede_approved(session: Session, name: str, keep_id: int, user: str | None) -> None:
    session.execute(
        update(tables.Plan)
        .where(
            tables.Plan.name == name,
            tables.Plan.status == "approved",
            tables.Plan.id != keep_id,
        )
        .values(status="superseded", updated_by=user, updated_at=func.now())
    )


def _element(geometry):
    return None if geometry is None else from_shape(geometry, srid=STORAGE_SRID)


def save_plan(
    session: Session,
    plan: model.Plan,
    *,
    crs="wgs84",
    source: str | None = None,
    user: str | None = None,
) -> int:
    """Store ``plan`` as the next version of the plan named ``plan.id``; its database id.

    Parameters
    ----------
    session : Session
        The caller commits.
    plan : twin.zoning.model.Plan
        ``plan.id`` is the plan's name (the key that versions share) and
        ``plan.name`` its title.  ``plan.version`` is ignored: versions are
        numbered by the database.  Geometries are in ``crs``.
    crs : str or pyproj.CRS
        CRS of the plan's geometries, anything ``twin.crs.parse_crs`` reads
        (``"wgs84"`` lon/lat by default, ``"vn2000:bac-giang"`` for metres);
        it is recorded as the plan's CRS of origin.
    source : str, optional
        Where the plan came from (a file name).
    user : str, optional
        Who saves it.

    Raises
    ------
    InvalidInput
        A zone that is not a polygon, a red line that is not a line string, a
        corridor that is neither, or geometries falling outside Vietnam.

    Notes
    -----
    Saving an approved version supersedes the approved versions before it.
    Zone codes are stored as drawn and as the national code they stand for
    through the plan's legend (null when unknown; the checks report it).
    """
    moved = _to_storage(plan, crs)
    row = _plan_row(session, plan, moved, crs=crs, source=source, user=user)
    session.add(row)
    session.flush()
    _insert_features(session, row.id, plan, moved, user)
    if plan.status == "approved":
        _supersede_approved(session, plan.id, row.id, user)
    return row.id


def _plan_row(session: Session, plan: model.Plan, moved, *, crs, source, user) -> tables.Plan:
    """The plan's own row as the next version of its name, boundary in storage CRS."""
    return tables.Plan(
        name=plan.id,
        version=_next_version(session, plan.id),
        title=plan.name,
        level=plan.level,
        status=plan.status,
        decision_number=plan.decision_number,
        decision_date=plan.decision_date,
        crs=crs if isinstance(crs, str) else crs.to_string(),
        legend=dict(plan.legend),
        source=source,
        boundary=_element(_multi(moved["boundary"])),
        created_by=user,
        updated_by=user,
    )


def _insert_features(session: Session, plan_id: int, plan: model.Plan, moved, user) -> None:
    zones = [
        {
            "plan_id": plan_id,
            "key": zone.id,
            "code": national_code(zone.code, plan.legend),
            "source_code": zone.code,
            "name": zone.name,
            "geom": _element(_multi(geometry)),
            "updated_by": user,
        }
        for zone, geometry in zip(plan.zones, moved["zones"], strict=True)
    ]
    red_lines = [
        {"plan_id": plan_id, "key": line.id, "road_name": line.road_name, "geom": _element(g)}
        for line, g in zip(plan.red_lines, moved["red_lines"], strict=True)
    ]
    corridors = [
        {
            "plan_id": plan_id,
            "key": item.id,
            "kind": item.kind,
            "width_m": item.width_m,
            "geom": _element(g),
        }
        for item, g in zip(plan.corridors, moved["corridors"], strict=True)
    ]
    for table, rows in (
        (tables.Zone, zones),
        (tables.RedLine, red_lines),
        (tables.Corridor, corridors),
    ):
        if rows:
            session.execute(insert(table), rows)


def plan_row(session: Session, plan_id: int) -> tables.Plan:
    """The plan version with database id ``plan_id``."""
    row = session.get(tables.Plan, plan_id)
    if row is None:
        raise NotFound(f"no plan with id {plan_id}")
    return row


def find_plan(session: Session, ref: str) -> tables.Plan:
    """A plan by ``NAME`` (its latest version) or ``NAME@VERSION``."""
    name, _, version = ref.partition("@")
    query = select(tables.Plan).where(tables.Plan.name == name)
    if version:
        if not version.isdigit():
            raise InvalidInput(
                f"plan {ref!r}", [Problem("plan", "name_at_version", "use NAME or NAME@VERSION")]
            )
        query = query.where(tables.Plan.version == int(version))
    row = session.scalars(query.order_by(tables.Plan.version.desc()).limit(1)).first()
    if row is None:
        raise NotFound(f"no plan named {ref!r}")
    return row


def plans_in_force(session: Session, *, exclude: Iterable[str] = ()) -> list[tables.Plan]:
    """The latest version of every plan that is not superseded, by level then name."""
    latest = (
        select(tables.Plan.name, func.max(tables.Plan.version).label("version"))
        .group_by(tables.Plan.name)
        .subquery()
    )
    query = (
        select(tables.Plan)
        .join(
            latest,
            (tables.Plan.name == latest.c.name) & (tables.Plan.version == latest.c.version),
        )
        .where(tables.Plan.status != "superseded", tables.Plan.name.not_in(list(exclude)))
    )
    rows = session.scalars(query).all()
    return sorted(rows, key=lambda row: (model.LEVEL_RANK[row.level], row.name))


def _features(session: Session, table, plan_id: int, *columns) -> list:
    query = (
        select(*columns, func.ST_AsBinary(table.geom))
        .where(table.plan_id == plan_id)
        .order_by(table.id)
    )
    return session.execute(query).all()


def _load_one(session: Session, row: tables.Plan, crs) -> model.Plan:
    Z, R, C = tables.Zone, tables.RedLine, tables.Corridor
    zones = _features(session, Z, row.id, Z.key, Z.source_code, Z.name)
    lines = _features(session, R, row.id, R.key, R.road_name)
    corridors = _features(session, C, row.id, C.key, C.kind, C.width_m)
    boundary = session.scalar(
        select(func.ST_AsBinary(tables.Plan.boundary)).where(tables.Plan.id == row.id)
    )
    wkb = [r[-1] for r in (*zones, *lines, *corridors)] + [boundary]
    geometries = iter(reproject(shapely.from_wkb(wkb), STORAGE_CRS, crs))
    return model.Plan(
        id=row.name,
        level=row.level,
        name=row.title or row.name,
        zones=[model.Zone(key, code, next(geometries), name) for key, code, name, _ in zones],
        red_lines=[model.RedLine(key, next(geometries), road) for key, road, _ in lines],
        corridors=[
            model.Corridor(key, kind, next(geometries), width) for key, kind, width, _ in corridors
        ],
        status=row.status,
        version=row.version,
        decision_number=row.decision_number,
        decision_date=row.decision_date,
        boundary=next(geometries),
        legend=dict(row.legend or {}),
    )


def load_plans(session: Session, rows: Sequence[tables.Plan], crs) -> list[model.Plan]:
    """The plan versions ``rows`` as ``model.Plan`` records with geometries in ``crs``.

    The record's ``id`` is the plan's name, so findings (and the planners'
    decisions on them) keep their fingerprints from one version to the next
    when the conflict itself is unchanged.
    """
    return [_load_one(session, row, crs) for row in rows]


def plan_summaries(session: Session) -> list[dict]:
    """Every plan version with its zone count and whether it is in force, by name and version."""
    in_force = {p.id for p in plans_in_force(session)}
    query = (
        select(tables.Plan, func.count(tables.Zone.id))
        .outerjoin(tables.Zone, tables.Zone.plan_id == tables.Plan.id)
        .group_by(tables.Plan.id)
        .order_by(tables.Plan.name, tables.Plan.version)
    )
    return [
        {
            "id": plan.id,
            "name": plan.name,
            "version": plan.version,
            "title": plan.title,
            "level": plan.level,
            "status": plan.status,
            "decision_number": plan.decision_number,
            "decision_date": None if plan.decision_date is None else plan.decision_date.isoformat(),
            "crs": plan.crs,
            "zones": zones,
            "in_force": plan.id in in_force,
        }
        for plan, zones in session.execute(query)
    ]

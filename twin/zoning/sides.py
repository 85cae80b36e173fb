"""Both sides of a conflict, for the planner to see them next to each other.

A finding names what it involves (``zone:<plan>/<key>``, ``red_line:...``,
``corridor:...``, ``asset:<code>``).  The sides are the plans involved, each
with its zones and lines around the conflict (the involved ones flagged), and
the assets involved, each on a side of its own.  Two zones of one plan (an
overlap) are two sides of that plan.
"""

from __future__ import annotations

import shapely.geometry
from geoalchemy2.shape import to_shape
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session

from twin.config import STORAGE_SRID
from twin.models import model
from twin.zoning import run_store, store, tables
from twin.zoning.asset_source import ASSET_SOURCES

__all__ = ["CONTEXT_DEG", "finding_sides"]

#: Zones and lines this far (degrees, about 100 m) around a conflict give its context.
CONTEXT_DEG = 0.001


def _parse(ref: str) -> tuple[str, str, str | None]:
    """``kind``, then plan name and key (or the asset code and None)."""
    kind, _, rest = ref.partition(":")
    if kind == "asset":
        return kind, rest, None
    plan, _, key = rest.partition("/")
    return kind, plan, key


def _feature(kind: str, row, extra: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": shapely.geometry.mapping(to_shape(row.geom)),
        "properties": {"kind": kind, "key": row.key, **extra},
    }


def _plan_features(session: Session, plan: tables.Plan, box, involved: set[str]) -> list[dict]:
    features = []
    sources = (
        (
            "zone",
            tables.Zone,
            lambda r: {"code": r.code, "source_code": r.source_code, "name": r.name},
        ),
        ("red_line", tables.RedLine, lambda r: {"road_name": r.road_name}),
        ("corridor", tables.Corridor, lambda r: {"utility": r.kind, "width_m": r.width_m}),
    )
    for kind, table, extra in sources:
        query = select(table).where(table.plan_id == plan.id, func.ST_Intersects(table.geom, box))
        for row in session.scalars(query.order_by(table.id)):
            ref = f"{kind}:{plan.name}/{row.key}"
            features.append(
                _feature(kind, row, {**extra(row), "ref": ref, "involved": ref in involved})
            )
    return features


def _asset_side(session: Session, code: str) -> dict:
    parts = [
        select(literal(table).label("table"), model(table).geom.label("geom")).where(
            model(table).code == code
        )
        for table in ASSET_SOURCES
    ]
    found = session.execute(union_all(*parts)).first()
    features = []
    if found is not None:
        features.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(to_shape(found.geom)),
                "properties": {
                    "kind": "asset",
                    "table": found.table,
                    "code": code,
                    "ref": f"asset:{code}",
                    "involved": True,
                },
            }
        )
    title = f"asset {code}" + (f" ({found.table})" if found is not None else " (no longer stored)")
    table = found.table if found is not None else None
    return {"title": title, "plan_id": None, "code": code, "table": table, "features": features}


def _context_box(finding: tables.Finding):
    geometry = run_store.geometry_of(finding)
    west, south, east, north = geometry.bounds if geometry is not None else (0, 0, 0, 0)
    d = CONTEXT_DEG
    return func.ST_MakeEnvelope(west - d, south - d, east + d, north + d, STORAGE_SRID)


def _flag_only(features: list[dict], ref: str) -> list[dict]:
    return [
        dict(f, properties={**f["properties"], "involved": f["properties"]["ref"] == ref})
        for f in features
    ]


def _plan_sides(session: Session, plan: tables.Plan, finding, box, alone: bool) -> list[dict]:
    """One side for the plan, or one per involved zone when the plan is alone with several."""
    features = _plan_features(session, plan, box, set(finding.involved))
    title = f"plan {plan.name}@{plan.version} ({plan.level}, {plan.status})"
    own = [r for r in finding.involved if r.partition(":")[2].startswith(f"{plan.name}/")]
    if alone and len(own) > 1:
        return [
            {
                "title": f"{title}: {ref.partition('/')[2]}",
                "plan_id": plan.id,
                "key": ref.partition("/")[2],
                "features": _flag_only(features, ref),
            }
            for ref in own
        ]
    return [{"title": title, "plan_id": plan.id, "features": features}]


def finding_sides(session: Session, finding: tables.Finding) -> list[dict]:
    """The sides of ``finding``: ``{"title", "plan_id", "features"}`` with GeoJSON features.

    An asset's side also has its ``code`` and ``table`` (None when no longer
    stored); one zone's side of a plan alone has the zone's ``key``.
    """
    run = run_store.get_run(session, finding.run_id)
    versions = [store.plan_row(session, i) for i in [*run.plan_ids, *run.against_ids]]
    plans = {p.name: p for p in versions}
    refs = [_parse(ref) for ref in finding.involved]
    names = list(dict.fromkeys(p for kind, p, _ in refs if kind != "asset" and p in plans))
    box = _context_box(finding)
    sides = []
    for name in names:
        sides += _plan_sides(session, plans[name], finding, box, alone=len(names) == 1)
    sides += [_asset_side(session, code) for kind, code, _ in refs if kind == "asset"]
    return sides

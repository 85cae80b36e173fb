"""Checks inside one plan: invalid geometries, unknown codes, overlaps, gaps, slivers.

The definitions of noise, slivers and gaps are in ``twin.zoning.tolerances``.
"""

from __future__ import annotations

import re

import numpy as np
import shapely

from twin.i18n import N_, Message
from twin.zoning.geometry import as_array, edge_slots, interior_overlaps, thinness, wider_than
from twin.zoning.layout import plan_layout
from twin.zoning.model import Finding, Plan, new_finding
from twin.zoning.tolerances import Tolerances

__all__ = [
    "check_plan_internal",
    "gaps_and_slivers",
    "invalid_geometries",
    "unknown_codes",
    "zone_overlaps",
]

_WHERE = re.compile(r"\[\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\]")
_DEFAULT = Tolerances()


def check_plan_internal(plan: Plan, *, tolerances: Tolerances = _DEFAULT) -> list[Finding]:
    """Every internal finding of one plan.

    Parameters
    ----------
    plan : Plan
        Zones in a metric CRS (m).
    tolerances : Tolerances
        ``min_area_m2``, ``snap_m`` and ``sliver_width_m`` apply.

    Returns
    -------
    list of Finding
        Kinds ``invalid_geometry``, ``unknown_code``, ``overlap``, ``gap``, ``sliver``.
    """
    return [
        *invalid_geometries(plan),
        *unknown_codes(plan),
        *zone_overlaps(plan, tolerances=tolerances),
        *gaps_and_slivers(plan, tolerances=tolerances),
    ]


def _problem_location(geometry, reason: str):
    match = _WHERE.search(reason)
    if match:
        return shapely.Point(float(match.group(1)), float(match.group(2)))
    if geometry is None or geometry.is_empty:
        return shapely.Point()
    return shapely.point_on_surface(shapely.envelope(geometry))


def invalid_geometries(plan: Plan) -> list[Finding]:
    """Zones whose geometry is missing, empty, not a polygon or not valid (OGC rules)."""
    layout = plan_layout(plan)
    return [
        new_finding(
            "invalid_geometry",
            Message(N_("zone geometry must be a valid polygon: %(reason)s"), {"reason": reason}),
            _problem_location(layout.raw[index], reason),
            plan_ids=(plan.id,),
            involved=(layout.refs[index],),
            details={"reason": reason},
        )
        for index, reason in layout.problems
    ]


def unknown_codes(plan: Plan) -> list[Finding]:
    """Zones whose code is neither a national land-use code nor in the plan's legend."""
    layout = plan_layout(plan)
    findings = []
    for index in np.flatnonzero(layout.codes == ""):
        drawn = plan.zones[index].code
        findings.append(
            new_finding(
                "unknown_code",
                Message(
                    N_(
                        "land-use code %(code)s is not in Circular 08/2024/TT-BTNMT nor the plan legend"
                    ),
                    {"code": repr(drawn)},
                ),
                layout.zones[index],
                plan_ids=(plan.id,),
                involved=(layout.refs[index],),
                area_m2=float(shapely.area(layout.zones[index])),
                details={"code": drawn},
            )
        )
    return findings


def zone_overlaps(plan: Plan, *, tolerances: Tolerances = _DEFAULT) -> list[Finding]:
    """Pairs of zones whose interiors overlap, including one wholly inside another."""
    layout = plan_layout(plan)
    ia, ib, pieces = interior_overlaps(
        layout.zones,
        layout.zones,
        layout.tree,
        min_area_m2=tolerances.min_area_m2,
        min_width_m=tolerances.snap_m,
        same=True,
    )
    a_in_b = shapely.covered_by(layout.zones[ia], layout.zones[ib])
    b_in_a = shapely.covered_by(layout.zones[ib], layout.zones[ia])
    findings = []
    for k, (i, j) in enumerate(zip(ia, ib, strict=True)):
        details = {"codes": [layout.codes[i] or None, layout.codes[j] or None]}
        rule = Message(N_("zones of one plan must not overlap"))
        if a_in_b[k] or b_in_a[k]:
            inner, outer = (i, j) if a_in_b[k] else (j, i)
            details["contained"] = layout.refs[inner]
            details["container"] = layout.refs[outer]
            rule = Message(
                N_("zones of one plan must not overlap: one zone lies wholly inside another")
            )
        findings.append(
            new_finding(
                "overlap",
                rule,
                pieces[k],
                plan_ids=(plan.id,),
                involved=(layout.refs[i], layout.refs[j]),
                area_m2=float(pieces[k].area),
                details=details,
            )
        )
    return findings


def _slots_between_zones(layout, width_m: float) -> np.ndarray:
    """Strips open to the plan's edge that touch two zones or more (a plan without a
    boundary): what one zone's own outline leaves is its shape, not a gap."""
    slots = edge_slots(layout.union, width_m)
    if not len(slots):
        return slots
    slot_index, _ = layout.tree.query(slots, predicate="dwithin", distance=1e-6)
    touching = np.bincount(slot_index, minlength=len(slots))
    return slots[touching >= 2]


def _uncovered_parts(layout, tolerances: Tolerances) -> np.ndarray:
    """Holes between zones and strips between them open to the plan's edge, or, when
    the plan boundary is known, the planning area no zone covers."""
    union = layout.union
    if layout.plan.boundary is not None:
        parts = shapely.get_parts(shapely.difference(layout.extent, union))
        return as_array([part for part in parts if part.geom_type == "Polygon"])
    slots = _slots_between_zones(layout, tolerances.slot_width_m)
    polygons = shapely.get_parts(union)
    counts = shapely.get_num_interior_rings(polygons)
    ring_index = np.concatenate([np.arange(n) for n in counts]) if counts.sum() else []
    holes = shapely.polygons(shapely.get_interior_ring(np.repeat(polygons, counts), ring_index))
    holes = as_array(np.atleast_1d(holes)) if counts.sum() else as_array([])
    # A hole may hold islands of zones; they are not part of the gap.
    hole_index, zone_index = layout.tree.query(holes, predicate="contains_properly")
    for k in np.unique(hole_index):
        islands = shapely.union_all(layout.zones[zone_index[hole_index == k]])
        holes[k] = shapely.difference(holes[k], islands)
    parts = [part for part in shapely.get_parts(holes) if part.geom_type == "Polygon"]
    return as_array([*parts, *slots])


def gaps_and_slivers(plan: Plan, *, tolerances: Tolerances = _DEFAULT) -> list[Finding]:
    """Uncovered pieces of the planning area, told apart as gaps or slivers."""
    layout = plan_layout(plan)
    parts = _uncovered_parts(layout, tolerances)
    if not len(parts):
        return []
    keep = shapely.area(parts) >= tolerances.min_area_m2
    keep[keep] = wider_than(parts[keep], tolerances.snap_m)
    parts = parts[keep]
    slivers = ~wider_than(parts, tolerances.sliver_width_m)
    around = shapely.buffer(parts, max(tolerances.snap_m, 1e-3))
    gap_index, zone_index = layout.tree.query(around, predicate="intersects")
    ratios = thinness(parts)
    findings = []
    for k, part in enumerate(parts):
        neighbours = layout.refs[zone_index[gap_index == k]]
        kind = "sliver" if slivers[k] else "gap"
        rule = (
            Message(
                N_("zones must meet: a strip nowhere wider than %(metres)s m is left between them"),
                {"metres": tolerances.sliver_width_m},
            )
            if slivers[k]
            else Message(N_("every part of the planning area must be designated"))
        )
        findings.append(
            new_finding(
                kind,
                rule,
                part,
                plan_ids=(plan.id,),
                involved=tuple(neighbours),
                area_m2=float(part.area),
                details={"thinness": round(float(ratios[k]), 4)},
            )
        )
    return findings

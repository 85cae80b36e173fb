"""Checks of a lower plan against a higher one (detailed → zoning → general).

Law 47/2024/QH15: a lower plan follows the approved higher plan.  Its land use
must be permitted inside the higher plan's (the documented matrix of
``data/compatibility.csv``) and its roads must follow the higher plan's red lines.
"""

from __future__ import annotations

import numpy as np
import shapely

from twin.i18n import N_, Message
from twin.zoning.codes import Compatibility, load_compatibility
from twin.zoning.geometry import polygonal, wider_than
from twin.zoning.layout import plan_layout
from twin.zoning.model import LEVEL_RANK, Finding, Plan, levels_refused, new_finding
from twin.zoning.tolerances import Tolerances

__all__ = ["check_against_higher", "land_use_conflicts", "roads_not_followed"]

_DEFAULT = Tolerances()


def _require_order(lower: Plan, higher: Plan) -> None:
    if LEVEL_RANK[lower.level] <= LEVEL_RANK[higher.level]:
        raise levels_refused(
            "A plan is only checked against a plan of a higher level",
            "higher_level",
            higher,
            f"{higher.id} is {higher.level}, not above {lower.id} ({lower.level})",
        )


def check_against_higher(
    lower: Plan,
    higher: Plan,
    *,
    tolerances: Tolerances = _DEFAULT,
    compatibility: Compatibility | None = None,
) -> list[Finding]:
    """Every finding of a lower plan against a higher-level plan.

    Returns
    -------
    list of Finding
        Kinds ``land_use_conflict`` and ``road_not_followed``.

    Raises
    ------
    InvalidInput
        When ``higher`` is not of a higher level than ``lower``.
    """
    _require_order(lower, higher)
    return [
        *land_use_conflicts(lower, higher, tolerances=tolerances, compatibility=compatibility),
        *roads_not_followed(lower, higher, tolerances=tolerances),
    ]


def land_use_conflicts(
    lower: Plan,
    higher: Plan,
    *,
    tolerances: Tolerances = _DEFAULT,
    compatibility: Compatibility | None = None,
) -> list[Finding]:
    """Areas where the lower plan's land use is not permitted by the higher plan's.

    Overlaps nowhere wider than ``hierarchy_width_m`` are drawing differences
    between map scales and are ignored.  Zones with unknown codes are skipped
    (the internal check reports them).
    """
    _require_order(lower, higher)
    compatibility = compatibility or load_compatibility()
    low, high = plan_layout(lower), plan_layout(higher)
    il, ih = high.tree.query(low.zones, predicate="intersects")
    verdicts = {}
    bad = np.zeros(len(il), dtype=bool)
    for k, (i, j) in enumerate(zip(il, ih, strict=True)):
        pair = (high.codes[j], low.codes[i])
        if pair[0] and pair[1]:
            verdicts.setdefault(pair, compatibility.permitted_inside(*pair))
            bad[k] = not verdicts[pair][0]
    il, ih = il[bad], ih[bad]
    pieces = polygonal(shapely.intersection(low.zones[il], high.zones[ih]))
    keep = shapely.area(pieces) >= tolerances.min_area_m2
    keep[keep] = wider_than(pieces[keep], tolerances.hierarchy_width_m)
    findings = []
    for k in np.flatnonzero(keep):
        i, j = il[k], ih[k]
        note = verdicts[(high.codes[j], low.codes[i])][1]
        findings.append(
            new_finding(
                "land_use_conflict",
                Message(
                    N_("%(code)s is not permitted inside the higher plan's %(higher)s: %(note)s"),
                    {"code": low.codes[i], "higher": high.codes[j], "note": note},
                ),
                pieces[k],
                plan_ids=(lower.id, higher.id),
                involved=(low.refs[i], high.refs[j]),
                area_m2=float(pieces[k].area),
                details={"lower_code": low.codes[i], "higher_code": high.codes[j]},
            )
        )
    return findings


def _road_edges(layout) -> np.ndarray:
    """The lower plan's road edges: its red lines, else the outlines of its DGT zones."""
    if len(layout.red_lines):
        return layout.red_lines
    return shapely.boundary(layout.zones[layout.codes == "DGT"])


def roads_not_followed(
    lower: Plan, higher: Plan, *, tolerances: Tolerances = _DEFAULT
) -> list[Finding]:
    """Stretches of the higher plan's red lines with no road edge of the lower plan near.

    Each red line of the higher plan is clipped to the lower plan's area (holes
    filled: a gap between zones does not cut a road in two); the
    parts farther than ``road_follow_m`` from every road edge of the lower plan
    (its red lines, or the outlines of its DGT zones when it draws none), and
    longer than ``min_road_length_m``, are reported.
    """
    _require_order(lower, higher)
    low, high = plan_layout(lower), plan_layout(higher)
    if not len(high.red_lines):
        return []
    edges = _road_edges(low)
    clipped = shapely.intersection(high.red_lines, low.outline)
    tree = shapely.STRtree(edges)
    line_index, edge_index = tree.query(
        clipped, predicate="dwithin", distance=tolerances.road_follow_m
    )
    findings = []
    for k in np.flatnonzero(~shapely.is_empty(clipped)):
        near = edges[edge_index[line_index == k]]
        band = (
            shapely.union_all(shapely.buffer(near, tolerances.road_follow_m))
            if len(near)
            else shapely.Polygon()
        )
        missing = shapely.get_parts(shapely.line_merge(shapely.difference(clipped[k], band)))
        for part in missing:
            if part.length >= tolerances.min_road_length_m:
                findings.append(
                    new_finding(
                        "road_not_followed",
                        Message(
                            N_(
                                "the lower plan must follow the higher plan's red lines "
                                "within %(metres)s m"
                            ),
                            {"metres": tolerances.road_follow_m},
                        ),
                        part,
                        plan_ids=(lower.id, higher.id),
                        involved=(high.red_line_refs[k],),
                        length_m=float(part.length),
                    )
                )
    return findings

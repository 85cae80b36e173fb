"""Existing and planned assets against a plan.

* existing network lines (and nodes) under land the plan turns into building
  plots (``built`` in ``data/land_use_codes.csv``): a pipe under a planned school.
  Networks run under public land, so when today's roads are known only the
  stretches under today's road land count: a street the plan builds over.  A
  service line or an overhead line across a block that is built today is not
  the plan's doing;
* trees and poles inside a planned road widening: the plan's road land (DGT
  zones) outside today's roads;
* planned fiber routes through land closed to new utilities
  (``utility_restricted``: defence, security, heritage, special-use forest,
  cemeteries).

Zones are shrunk by ``edge_m`` first, so the positional error of asset records
along zone edges (a pipe under the pavement next to a housing block) does not
raise findings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from twin.i18n import N_, Message
from twin.zoning.assets import AssetTable, asset_table
from twin.zoning.codes import land_use_codes
from twin.zoning.geometry import as_array
from twin.zoning.layout import plan_layout
from twin.zoning.model import Asset, Finding, Plan, new_finding
from twin.zoning.tolerances import Tolerances
from twin.zoning.wording import feature_words, fixed, land_use_words

__all__ = [
    "POLE_TYPES",
    "TREE_TYPES",
    "assets_in_planned_buildings",
    "check_assets_against_plan",
    "fiber_in_restricted_zones",
    "trees_and_poles_in_road_widening",
]

#: Feature types standing where a road widening may take them: the twin's tables
#: (``trees_tree``, ``lighting_light`` ...) and the plain names other sources use.
TREE_TYPES = frozenset({"trees_tree", "tree"})
POLE_TYPES = frozenset({"lighting_light", "power_pole", "telecom_pole", "light_pole", "pole"})
_DEFAULT = Tolerances()


def check_assets_against_plan(
    plan: Plan,
    assets: Sequence[Asset] | AssetTable,
    *,
    existing_roads=None,
    tolerances: Tolerances = _DEFAULT,
) -> list[Finding]:
    """Every finding of assets against one plan.

    Parameters
    ----------
    plan : Plan
        In the same metric CRS as the assets (m).
    assets : sequence of Asset or AssetTable
        Existing and planned assets; a province-wide set is fine, only those in
        the plan's bounding box are tested.
    existing_roads : polygon, multipolygon or sequence of polygons, optional
        Today's road land.  Without it the whole planned road land counts as
        widening, and trees on today's pavements are reported too; and every
        network crossing a planned building plot counts, not only those under
        a street the plan builds over.
    tolerances : Tolerances
        ``edge_m`` and ``min_length_m`` apply.

    Returns
    -------
    list of Finding
        Kinds ``asset_in_planned_building``, ``tree_in_road_widening``,
        ``pole_in_road_widening`` and ``fiber_in_restricted_zone``.
    """
    table = asset_table(assets)
    return [
        *assets_in_planned_buildings(
            plan, table, existing_roads=existing_roads, tolerances=tolerances
        ),
        *trees_and_poles_in_road_widening(
            plan, table, existing_roads=existing_roads, tolerances=tolerances
        ),
        *fiber_in_restricted_zones(plan, table, tolerances=tolerances),
    ]


def _in_plan_box(plan: Plan, table: AssetTable, mask: np.ndarray) -> np.ndarray:
    """Indices of assets selected by ``mask`` whose box meets the plan's box."""
    box = shapely.box(*plan_layout(plan).extent.bounds)
    chosen = np.flatnonzero(mask)
    return chosen[shapely.intersects(table.geometries[chosen], box)]


def _crossings(
    plan: Plan,
    table: AssetTable,
    chosen: np.ndarray,
    zone_index: np.ndarray,
    tolerances: Tolerances,
):
    """(asset, zone, part in zone) for chosen assets entering the shrunk zones."""
    layout = plan_layout(plan)
    shrunk = shapely.buffer(layout.zones[zone_index], -tolerances.edge_m, quad_segs=2)
    tree = STRtree(shrunk)
    ia, iz = tree.query(table.geometries[chosen], predicate="intersects")
    assets, zones = chosen[ia], zone_index[iz]
    inside = shapely.length(shapely.intersection(table.geometries[assets], shrunk[iz]))
    keep = ~table.lines()[assets] | (inside >= tolerances.min_length_m)
    assets, zones = assets[keep], zones[keep]
    parts = shapely.intersection(table.geometries[assets], layout.zones[zones])
    return assets, zones, parts


def _measures(part) -> dict:
    return {"length_m": float(part.length)} if part.length > 0 else {}


def _zone_crossings(
    plan: Plan,
    table: AssetTable,
    asset_mask: np.ndarray,
    zone_predicate,
    kind: str,
    describe,
    tolerances: Tolerances,
    where=None,
) -> list[Finding]:
    """Findings for the selected assets entering zones whose code satisfies the predicate.

    ``describe(asset_index, code_record)`` gives the rule broken, in words;
    ``where(assets, parts)``, when given, narrows the parts in the zones and
    returns ``(keep mask, narrowed parts)``.
    """
    layout = plan_layout(plan)
    zones = layout.where_code(zone_predicate)
    chosen = _in_plan_box(plan, table, asset_mask)
    codes = land_use_codes()
    assets, zones, parts = _crossings(plan, table, chosen, zones, tolerances)
    if where is not None:
        keep, parts = where(assets, parts)
        assets, zones, parts = assets[keep], zones[keep], parts[keep]
    return [
        new_finding(
            kind,
            describe(a, codes[layout.codes[z]]),
            part,
            plan_ids=(plan.id,),
            involved=(table.ref(a), layout.refs[z]),
            details={"feature_type": table.feature_types[a], "code": layout.codes[z]},
            **_measures(part),
        )
        for a, z, part in zip(assets, zones, parts, strict=True)
    ]


def _road_array(existing_roads) -> np.ndarray:
    if isinstance(existing_roads, BaseGeometry):
        existing_roads = shapely.get_parts(existing_roads)
    return as_array(existing_roads)


def _under_roads(table: AssetTable, existing_roads, min_length_m: float):
    """``where`` for ``_zone_crossings``: the parts of assets lying under today's roads."""
    roads = _road_array(existing_roads)
    tree = STRtree(roads)

    def where(assets: np.ndarray, parts: np.ndarray):
        pieces = as_array([shapely.GeometryCollection()] * len(parts))
        ip, ir = tree.query(parts, predicate="intersects")
        for k in np.unique(ip):
            pieces[k] = shapely.union_all(shapely.intersection(parts[k], roads[ir[ip == k]]))
        lines = table.lines()[assets]
        keep = np.where(lines, shapely.length(pieces) >= min_length_m, ~shapely.is_empty(pieces))
        return keep, pieces

    return where


def assets_in_planned_buildings(
    plan: Plan,
    assets: Sequence[Asset] | AssetTable,
    *,
    existing_roads=None,
    tolerances: Tolerances = _DEFAULT,
) -> list[Finding]:
    """Existing network assets lying under land the plan turns into building plots.

    With ``existing_roads`` (today's road land, polygons), only the stretches
    under it count, and the finding is located there.
    """
    table = asset_table(assets)
    on_roads = existing_roads is not None and len(_road_array(existing_roads)) > 0

    def describe(a, code):
        text = (
            N_(
                "existing %(feature)s (%(placement)s) runs under a road that the plan "
                "designates %(code)s (%(name)s): move it or change the plan"
            )
            if on_roads
            else N_(
                "existing %(feature)s (%(placement)s) crosses land the plan designates "
                "%(code)s (%(name)s): move it or change the plan"
            )
        )
        return Message(
            text,
            {
                "feature": feature_words(table.feature_types[a]),
                "placement": fixed(table.placements[a]),
                "code": code.code,
                "name": land_use_words(code),
            },
        )

    return _zone_crossings(
        plan,
        table,
        (table.classes != "") & (table.statuses == "existing"),
        lambda record: record.built,
        "asset_in_planned_building",
        describe,
        tolerances,
        where=_under_roads(table, existing_roads, tolerances.min_length_m) if on_roads else None,
    )


def _off_existing_roads(
    table: AssetTable, chosen: np.ndarray, existing_roads, edge_m: float
) -> np.ndarray:
    if existing_roads is None:
        return chosen
    roads = _road_array(existing_roads)
    if not len(roads):
        return chosen
    tree = STRtree(roads)
    on_road, _ = tree.query(table.geometries[chosen], predicate="dwithin", distance=edge_m)
    return np.delete(chosen, np.unique(on_road))


def trees_and_poles_in_road_widening(
    plan: Plan,
    assets: Sequence[Asset] | AssetTable,
    *,
    existing_roads=None,
    tolerances: Tolerances = _DEFAULT,
) -> list[Finding]:
    """Existing trees and poles standing in planned road land outside today's roads."""
    table = asset_table(assets)
    layout = plan_layout(plan)
    roads = np.flatnonzero(layout.codes == "DGT")
    wanted = np.isin(table.feature_types, list(TREE_TYPES | POLE_TYPES))
    chosen = _in_plan_box(plan, table, wanted & table.points() & (table.statuses == "existing"))
    chosen = _off_existing_roads(table, chosen, existing_roads, tolerances.edge_m)
    assets, zones, parts = _crossings(plan, table, chosen, roads, tolerances)
    _, first = np.unique(assets, return_index=True)
    findings = []
    for k in first:
        a, z = assets[k], zones[k]
        tree = table.feature_types[a] in TREE_TYPES
        findings.append(
            new_finding(
                "tree_in_road_widening" if tree else "pole_in_road_widening",
                Message(
                    N_(
                        "existing %(feature)s stands in the planned road widening: relocate "
                        "before the road is built"
                    ),
                    {"feature": feature_words(table.feature_types[a])},
                ),
                parts[k],
                plan_ids=(plan.id,),
                involved=(table.ref(a), layout.refs[z]),
                details={"feature_type": table.feature_types[a]},
            )
        )
    return findings


def fiber_in_restricted_zones(
    plan: Plan, assets: Sequence[Asset] | AssetTable, *, tolerances: Tolerances = _DEFAULT
) -> list[Finding]:
    """Planned telecom routes crossing land closed to new utilities."""
    table = asset_table(assets)

    def describe(a, code):
        return Message(
            N_(
                "planned %(feature)s crosses %(code)s (%(name)s), closed to new utilities "
                "without a special permit"
            ),
            {
                "feature": feature_words(table.feature_types[a]),
                "code": code.code,
                "name": land_use_words(code),
            },
        )

    planned_telecom = (table.classes == "telecom") & (table.statuses == "planned") & table.lines()
    return _zone_crossings(
        plan,
        table,
        planned_telecom,
        lambda record: record.utility_restricted,
        "fiber_in_restricted_zone",
        describe,
        tolerances,
    )

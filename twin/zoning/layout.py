"""A plan prepared for the checks: geometry arrays, national codes, spatial indexes.

Built once per plan and kept while the plan object lives, so the checks of one
run share the repaired zones, the STR tree and the union of zones.
"""

from __future__ import annotations

import weakref
from functools import cached_property

import numpy as np
import shapely
from shapely import GeometryType, STRtree

from twin.zoning.codes import land_use_codes, national_code
from twin.zoning.geometry import as_array, polygonal
from twin.zoning.model import Plan, zone_ref

__all__ = ["PlanLayout", "plan_layout"]

_LAYOUTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def plan_layout(plan: Plan) -> PlanLayout:
    """The prepared layout of ``plan`` (computed once per plan object)."""
    layout = _LAYOUTS.get(plan)
    if layout is None:
        layout = _LAYOUTS[plan] = PlanLayout(plan)
    return layout


def _line_array(items) -> np.ndarray:
    return as_array([item.geometry for item in items])


class PlanLayout:
    """Arrays of a plan's zones and lines, aligned with ``plan.zones`` etc.

    Attributes
    ----------
    raw : ndarray
        The zone geometries as drawn.
    problems : list of (int, str)
        Zones whose geometry is not a valid non-empty polygon, with the reason.
    zones : ndarray
        Zone geometries repaired to valid (Multi)Polygons; empty for a zone with
        no area left.
    codes : ndarray of str
        National land-use codes; ``""`` where the zone's code is unknown.
    refs : ndarray of str
        Qualified zone ids (``zone:<plan>/<zone>``).
    """

    def __init__(self, plan: Plan):
        self.plan = plan
        self.raw = as_array([zone.geometry for zone in plan.zones])
        self.problems = self._geometry_problems()
        self.zones = self.raw.copy()
        bad = np.array([index for index, _ in self.problems], dtype=int)
        if len(bad):
            self.zones[bad] = polygonal(shapely.make_valid(self.raw[bad]))
        self.codes = np.array(
            [national_code(z.code, plan.legend) or "" for z in plan.zones], dtype=object
        )
        self.refs = np.array([zone_ref(plan.id, zone.id) for zone in plan.zones], dtype=object)
        self.tree = STRtree(self.zones)

    def _geometry_problems(self) -> list[tuple[int, str]]:
        types = shapely.get_type_id(self.raw)
        polygon = np.isin(types, (GeometryType.POLYGON, GeometryType.MULTIPOLYGON))
        empty = shapely.is_empty(self.raw)
        valid = shapely.is_valid(self.raw)
        problems = []
        for index in np.flatnonzero(~polygon | empty | ~valid):
            if self.raw[index] is None:
                reason = "missing geometry"
            elif not polygon[index]:
                reason = f"not a polygon but a {self.raw[index].geom_type}"
            elif empty[index]:
                reason = "empty geometry"
            else:
                reason = shapely.is_valid_reason(self.raw[index])
            problems.append((int(index), reason))
        return problems

    def where_code(self, predicate) -> np.ndarray:
        """Indices of zones whose national code's record satisfies ``predicate``."""
        codes = land_use_codes()
        wanted = {code for code, record in codes.items() if predicate(record)}
        return np.flatnonzero(np.isin(self.codes, list(wanted)))

    @cached_property
    def union(self):
        """The union of all zones (what the plan covers)."""
        return shapely.union_all(self.zones)

    @cached_property
    def extent(self):
        """The planning area: the plan boundary, else the union of zones."""
        boundary = self.plan.boundary
        return self.union if boundary is None else shapely.make_valid(boundary)

    @cached_property
    def outline(self):
        """The planning area with its holes filled: what the plan speaks for."""
        parts = shapely.get_parts(self.extent)
        return shapely.union_all(shapely.polygons(shapely.get_exterior_ring(parts)))

    @cached_property
    def red_lines(self) -> np.ndarray:
        return _line_array(self.plan.red_lines)

    @cached_property
    def red_line_refs(self) -> np.ndarray:
        return np.array(
            [f"red_line:{self.plan.id}/{line.id}" for line in self.plan.red_lines], dtype=object
        )

    @cached_property
    def corridors(self) -> np.ndarray:
        return _line_array(self.plan.corridors)

    @cached_property
    def corridor_refs(self) -> np.ndarray:
        return np.array(
            [f"corridor:{self.plan.id}/{item.id}" for item in self.plan.corridors], dtype=object
        )

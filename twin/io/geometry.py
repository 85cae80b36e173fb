"""Geometry checks of a whole source table: type, validity, inside Vietnam.

Vectorised with shapely; the wording of each reported feature comes from
:func:`twin.validation.validate_geometry`, as for an edit by hand.
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import CRS

from twin.crs import VIETNAM_BOUNDS
from twin.errors import Problem
from twin.validation import validate_geometry

from .georef import to_storage
from .report import ProblemLog
from .source import SourceTable

__all__ = ["check_geometry", "declared_shapes"]

_TYPE_IDS = {"Point": 0, "LineString": 1, "Polygon": 3, "MultiPolygon": 6}


def declared_shapes(geometry: np.ndarray, geometry_type: str) -> np.ndarray:
    """One-part multi-geometries as single ones; polygons as multipolygons if asked."""
    types = shapely.get_type_id(geometry)
    if geometry_type == "MultiPolygon":
        polygons = types == 3
        if polygons.any():
            geometry = geometry.copy()
            geometry[polygons] = shapely.multipolygons(geometry[polygons][:, np.newaxis])
        return geometry
    single = np.isin(types, (4, 5, 6)) & (shapely.get_num_geometries(geometry) == 1)
    if single.any():
        geometry = geometry.copy()
        geometry[single] = shapely.get_geometry(geometry[single], 0)
    return geometry


def _geometry_masks(geometry, ft, check_bounds: bool) -> dict[str, np.ndarray]:
    missing = np.equal(geometry, None) | shapely.is_empty(geometry)
    wrong = ~missing & (shapely.get_type_id(geometry) != _TYPE_IDS[ft.geometry])
    fine = ~missing & ~wrong
    masks = {
        "required": missing,
        "geometry_type": wrong,
        "valid_geometry": fine & ~shapely.is_valid(geometry),
    }
    if check_bounds:
        w, s, e, n = VIETNAM_BOUNDS
        b = shapely.bounds(geometry)
        with np.errstate(invalid="ignore"):
            inside = (b[:, 0] >= w) & (b[:, 2] <= e) & (b[:, 1] >= s) & (b[:, 3] <= n)
        masks["inside_vietnam"] = fine & ~inside
    return {rule: m for rule, m in masks.items() if m.any()}


def check_geometry(
    log: ProblemLog, st: SourceTable, ft, crs: CRS | None, crs_text: str, check_bounds: bool
) -> np.ndarray:
    """Source geometries in WGS 84 (declared type, 2D), their problems logged."""
    geometry = declared_shapes(st.geometry, ft.geometry)
    if shapely.has_z(geometry).any():  # rebuilding every geometry costs as much as reading
        geometry = shapely.force_2d(geometry)
    if crs is not None:
        geometry = to_storage(geometry, crs)
    masks = _geometry_masks(geometry, ft, check_bounds and crs is not None)
    for rule, mask in masks.items():
        rows = np.flatnonzero(mask)[: log.room(ft.table, "geometry", rule)]
        examples = [
            p
            for i in rows
            for p in validate_geometry(
                ft, geometry[i], feature=st.label(i), check_bounds=check_bounds
            )[1]
            if p.rule == rule
        ]
        log.add_rule(ft.table, "geometry", rule, examples, int(mask.sum()))
    outside = int(masks.get("inside_vietnam", np.zeros(0)).sum())
    if outside:
        log.add(
            ft.table,
            Problem(
                "crs",
                "plausible_crs",
                f"{outside:,} of {len(st):,} "
                f"features land outside Vietnam with the coordinates read as {crs_text}: the "
                "coordinate system is probably wrong (give --crs, e.g. vn2000:bac-giang)",
                st.name,
            ),
        )
    return geometry

"""Reading a zoning plan from a CAD drawing (DXF, DGN v7) and its boundary.

Plans (quy hoạch) come as drawings: each zone a closed polyline or a hatch
on a zone layer, its land-use code a text inside it, red lines (chỉ giới
đường đỏ) on their own layer, and the plan boundary (ranh giới lập quy
hoạch) on another.  A zone drawn twice (an outline and its hatch) counts
once; a text inside nested zones belongs to the smallest.  The boundary is
the layer named with ``boundary_layer`` (default: one of
:data:`BOUNDARY_LAYERS`), or a file of its own (:func:`read_boundary`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from twin.crs import reproject
from twin.errors import InvalidInput, Problem
from twin.io.cad import Entities, read_entities
from twin.io.readers import read_source
from twin.zoning.codes import national_code
from twin.zoning.model import RedLine, Zone

__all__ = ["BOUNDARY_LAYERS", "CadPlan", "read_boundary", "read_cad_plan", "zone_codes"]

#: Layer names taken for the plan boundary when none is named (ignoring case).
BOUNDARY_LAYERS = ("RANH_GIOI", "RANH_GIOI_QH", "RANH_GIOI_LAP_QH", "RGQH", "BOUNDARY")
#: Layers whose lines are red lines.
RED_LINE_LAYERS = re.compile(r"chi.?gioi|red.?line|\bCGDD?\b", re.IGNORECASE)
_TOKENS = re.compile(r"[\s,;/()]+")


@dataclass
class CadPlan:
    """What a drawing says of a plan, in its own coordinates."""

    zones: list[Zone]
    red_lines: list[RedLine]
    boundary: BaseGeometry | None
    extent: np.ndarray
    crs: CRS | None
    notes: list[str] = field(default_factory=list)


def _code_in(text: str, legend) -> str:
    """The land-use code of a zone's text: its first word that is a code, else its first word."""
    words = [w for w in _TOKENS.split(text) if w]
    return next((w for w in words if national_code(w, legend)), words[0] if words else "")


def zone_codes(zones: np.ndarray, texts: list[str], points: np.ndarray, legend=None) -> list:
    """The code of each zone from the texts inside it (``None`` where there is none).

    A text inside several zones (one drawn within another) belongs to the
    smallest; where a zone holds several texts, the first holding a code wins.

    >>> from shapely import Point, box
    >>> zone_codes(np.array([box(0, 0, 10, 10), box(2, 2, 4, 4)]), ["ODT", "CX 0.2ha"],
    ...            np.array([Point(8, 8), Point(3, 3)]))
    ['ODT', 'CX']
    """
    found: list[list[str]] = [[] for _ in range(len(zones))]
    if len(zones) and texts:
        tree = shapely.STRtree(zones)
        text_index, zone_index = tree.query(points, predicate="within")
        areas = shapely.area(zones)
        # per text, the smallest zone holding it comes first
        order = np.lexsort((areas[zone_index], text_index))
        text_index, zone_index = text_index[order], zone_index[order]
        first = np.flatnonzero(np.r_[True, text_index[1:] != text_index[:-1]]) if len(order) else []
        for k in first:
            found[zone_index[k]].append(_code_in(texts[text_index[k]], legend or {}))
    return [
        next((c for c in codes if national_code(c, legend or {})), codes[0] if codes else None)
        for codes in found
    ]


def _distinct(rows: list[int], geometry: np.ndarray) -> list[int]:
    """``rows`` without polygons equal to an earlier one (an outline and its hatch),
    compared to the millimetre whatever vertex they start at or way they turn."""
    if not rows:
        return rows
    shapes = shapely.normalize(shapely.set_precision(geometry[rows], 0.001))
    seen: set[bytes] = set()
    kept = []
    for row, key in zip(rows, shapely.to_wkb(shapes), strict=True):
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def _polygons(entities: Entities, rows) -> list:
    lines = [entities.geometry[i] for i in rows if entities.kind[i] == "line"]
    shapes = [entities.geometry[i] for i in rows if entities.kind[i] == "polygon"]
    if lines:
        shapes += list(shapely.get_parts(shapely.polygonize(lines)))
    return shapes


def _boundary_of(entities: Entities, layer: str | None, path: Path):
    names = {layer.upper()} if layer else set(BOUNDARY_LAYERS)
    rows = [i for i, name in enumerate(entities.layer) if name.upper() in names]
    if not rows:
        if layer:
            raise InvalidInput(
                f"{path.name}: no layer {layer!r}",
                [
                    Problem(
                        "--boundary-layer",
                        "known_layer",
                        f"the drawing has: {', '.join(sorted(set(entities.layer)))}",
                        path.name,
                    )
                ],
            )
        return None, set()
    shapes = _polygons(entities, rows)
    if not shapes:
        raise InvalidInput(
            f"{path.name}: the boundary is not closed",
            [
                Problem(
                    "boundary",
                    "closed",
                    f"layer {entities.layer[rows[0]]} holds no closed "
                    "polyline, hatch or ring of lines",
                    path.name,
                )
            ],
        )
    return shapely.union_all(shapes), {entities.layer[i] for i in rows}


def read_cad_plan(
    path, *, zone_layers=(), boundary_layer: str | None = None, legend=None
) -> CadPlan:
    """Zones, red lines and the boundary of the plan drawn in ``path``.

    Parameters
    ----------
    zone_layers : sequence of str
        Layers holding zones (ignoring case); by default every layer but the
        boundary's and the red lines'.
    boundary_layer : str, optional
        The layer of the plan boundary; by default one of :data:`BOUNDARY_LAYERS`
        when the drawing has it.
    legend : mapping, optional
        The plan's legend codes, recognised in the texts as national codes are.
    """
    path = Path(path)
    entities = read_entities(path)
    boundary, boundary_layers = _boundary_of(entities, boundary_layer, path)
    wanted = {name.upper() for name in zone_layers}
    zone_rows, red_rows, left = [], [], 0
    for i, (kind, name) in enumerate(zip(entities.kind, entities.layer, strict=True)):
        if name in boundary_layers or kind == "text":
            continue
        if kind == "line" and RED_LINE_LAYERS.search(name):
            red_rows.append(i)
        elif kind == "polygon" and (not wanted or name.upper() in wanted):
            zone_rows.append(i)
        else:
            left += 1
    zone_rows = _distinct(zone_rows, entities.geometry)
    zones = entities.geometry[zone_rows] if zone_rows else np.array([], dtype=object)
    text_rows = [i for i, k in enumerate(entities.kind) if k == "text"]
    codes = zone_codes(
        zones, [entities.text[i] for i in text_rows], entities.geometry[text_rows], legend
    )
    notes = [f"{left} drawn entities are neither zones, red lines nor the boundary"] if left else []
    if boundary is None:
        notes.append("the drawing has no plan boundary layer: gaps are measured between zones")
    return CadPlan(
        [
            Zone(f"{entities.layer[r]}#{entities.handle[r]}", code, entities.geometry[r])
            for r, code in zip(zone_rows, codes, strict=True)
        ],
        [
            RedLine(f"{entities.layer[r]}#{entities.handle[r]}", entities.geometry[r])
            for r in red_rows
        ],
        boundary,
        entities.geometry[[i for i, k in enumerate(entities.kind) if k != "text"]],
        entities.crs,
        notes,
    )


def read_boundary(path, crs: CRS):
    """The plan boundary drawn in the file ``path``: the union of its polygons, in ``crs``.

    Any file the importer reads; a drawing's closed polylines and hatches
    (every layer).  A file declaring its own CRS is moved to ``crs``.
    """
    path = Path(path)
    if path.suffix.lower() in (".dxf", ".dgn"):
        entities = read_entities(path)
        shapes, declared = _polygons(entities, range(len(entities))), entities.crs
    else:
        source = read_source(path)
        shapes = [
            g
            for t in source.tables
            for g in t.geometry
            if g is not None and g.geom_type in ("Polygon", "MultiPolygon")
        ]
        declared = source.crs
    if not shapes:
        raise InvalidInput(
            f"{path.name}: no boundary",
            [Problem("--boundary", "polygon", "the file holds no polygon", path.name)],
        )
    boundary = shapely.union_all(shapes)
    if declared is not None and not declared.equals(crs):
        (boundary,) = reproject([boundary], declared, crs)
    return boundary

"""Which feature type each entity of a drawing becomes, and in what shape.

A CAD mapping row names a drawing layer (and a block for point symbols) and
a feature type.  Polylines become lines, closed polylines and hatches
polygons, block inserts points; an entity takes the first row of its layer
(and block) whose type has its shape, else the first into whose shape it
converts (a closed polyline on a pipe layer is a ring of pipe).  Layer and
block names are matched ignoring case, with ``*`` and ``?`` wildcards.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

import numpy as np
import shapely

from .cad_labels import LabelRule

__all__ = ["CadTarget", "KINDS", "assign_entities"]

#: What an entity of a drawing is, as :mod:`twin.io.cad.entities` reads it.
KINDS = ("point", "line", "polygon", "insert", "text")
#: The shapes each kind takes as it is, then those it converts to.
_FITS = {
    "point": (("Point",), ()),
    "insert": (("Point",), ()),
    "line": (("LineString",), ()),
    "polygon": (("Polygon", "MultiPolygon"), ("LineString",)),
}


@dataclass(frozen=True)
class CadTarget:
    """One row (or rows sharing layer, block and type) of a CAD mapping.

    Attributes
    ----------
    layer : str
        Drawing layer (DGN: level number), wildcards allowed.
    block : str
        Block name for inserts (``*``: any block); empty for drawn shapes.
    table : str
        The feature type's table (``water_pipe``).
    geometry : str
        The feature type's geometry: Point, LineString, Polygon or MultiPolygon.
    labels : tuple of LabelRule
        Patterns turning nearby text into attributes.
    attributes : frozenset of str
        The attributes (and core fields) of the type: block attribute tags
        naming one fill it.
    """

    layer: str
    block: str
    table: str
    geometry: str
    labels: tuple[LabelRule, ...] = ()
    attributes: frozenset[str] = frozenset()

    def takes(self, layer: str, block: str | None) -> bool:
        """Whether an entity on ``layer`` (an insert of ``block``) falls under this row."""
        if not fnmatchcase(layer.upper(), self.layer.upper()):
            return False
        if block is None:
            return not self.block
        return bool(self.block) and fnmatchcase(block.upper(), self.block.upper())


def _choice(targets, kind: str, layer: str, block: str | None) -> int:
    rows = [i for i, t in enumerate(targets) if t.takes(layer, block)]
    as_is, converted = _FITS.get(kind, ((), ()))
    for shapes in (as_is, converted):
        for i in rows:
            if targets[i].geometry in shapes:
                return i
    return -1


def _shaped(geometry, kind: str, wanted: str):
    if kind == "polygon" and wanted == "LineString":
        parts = shapely.get_parts(geometry)
        rings = [shapely.LineString(p.exterior.coords) for p in parts]
        return rings[0] if len(rings) == 1 else shapely.MultiLineString(rings)
    return geometry


def assign_entities(
    targets: list[CadTarget], kinds, layers, blocks, geometry: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The mapping row of each entity (-1: none) and its geometry in that row's shape.

    Texts are never features: they are labels (:mod:`twin.io.algorithms.cad_labels`).

    >>> from shapely import Polygon
    >>> rows = [CadTarget("CAP_NUOC*", "", "water_pipe", "LineString")]
    >>> ring = Polygon([(0, 0), (10, 0), (10, 10)])
    >>> chosen, shapes = assign_entities(rows, ["polygon"], ["cap_nuoc_d110"], [None],
    ...                                  np.array([ring]))
    >>> chosen.tolist(), shapes[0].geom_type
    ([0], 'LineString')
    """
    chosen = np.full(len(kinds), -1, dtype=int)
    shaped = np.array(geometry, dtype=object, copy=True)
    cache: dict[tuple, int] = {}
    for i, (kind, layer, block) in enumerate(zip(kinds, layers, blocks, strict=True)):
        if kind == "text" or geometry[i] is None:
            continue
        key = (kind, layer, block)
        if key not in cache:
            cache[key] = _choice(targets, kind, layer, block)
        chosen[i] = cache[key]
        if chosen[i] >= 0:
            shaped[i] = _shaped(geometry[i], kind, targets[chosen[i]].geometry)
    return chosen, shaped

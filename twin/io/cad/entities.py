"""The entities of a DXF or DGN drawing, read through GDAL as plain arrays.

GDAL's DXF driver gives every model-space entity with its layer, block
inserts as points with their block name, angle and attribute values (the
driver is set so in :mod:`twin.io.safe_open`), closed polylines and hatches
as polygons, and texts as points with their text.  The DGN (v7) driver gives
levels instead of layers and text elements (type 17); it has no blocks,
and its points are lines of no length, read as points.

Texts of a DXF from AutoCAD 2007 on (``$ACADVER`` AC1021 and later) are
UTF-8 whatever ``$DWGCODEPAGE`` says; GDAL is told so for that file, so
``Ø160`` stays ``Ø160``.
"""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS

from twin.errors import InvalidInput, Problem

from ..safe_open import gdal_path

__all__ = ["CAD_SUFFIXES", "Entities", "read_entities"]

CAD_SUFFIXES = (".dxf", ".dgn")
_DGN_TEXT = 17
_TEXT_CLASSES = re.compile(r"AcDb(M?Text|Attribute)\b")
_ACADVER = re.compile(rb"\$ACADVER\s+1\s+AC(\d{4})")
_UTF8_FROM = 1021
# GDAL's DXF encoding is a process-wide setting: one drawing is read at a time.
_ENCODING_LOCK = threading.Lock()
_SHAPES = {
    "Point": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}


@dataclass
class Entities:
    """Entities of one drawing, one row each (see :data:`twin.io.algorithms.cad_shapes.KINDS`).

    ``tags`` holds a block insert's attributes (tag -> value), ``angle_deg``
    its rotation (counter-clockwise, degrees; NaN for other entities).
    """

    kind: list[str]
    layer: list[str]
    block: list[str | None]
    angle_deg: np.ndarray
    text: list[str | None]
    tags: list[dict[str, str]]
    handle: list[str]
    geometry: np.ndarray
    crs: CRS | None = None

    def __len__(self) -> int:
        return len(self.kind)


def _column(table, name: str, default=None) -> list:
    if name not in table.column_names:
        return [default] * table.num_rows
    return table[name].to_pylist()


def _tags(values) -> dict[str, str]:
    pairs = (str(v).partition(" ") for v in values or ())
    return {tag.strip().lower(): value.strip() for tag, _, value in pairs if tag.strip()}


def _kinds(geometry: np.ndarray, texts, blocks) -> list[str]:
    kinds = []
    for g, is_text, block in zip(geometry, texts, blocks, strict=True):
        if is_text:
            kinds.append("text")
        elif block:
            kinds.append("insert")
        else:
            kinds.append(_SHAPES.get(None if g is None else g.geom_type, "other"))
    return kinds


def _dgn_points(geometry: np.ndarray) -> np.ndarray:
    """Lines of no length (how DGN draws a point) as points."""
    lines = shapely.get_type_id(geometry) == shapely.GeometryType.LINESTRING
    dots = np.flatnonzero(lines & (shapely.length(geometry) == 0))
    if len(dots):
        geometry = geometry.copy()
        geometry[dots] = shapely.get_point(geometry[dots], 0)
    return geometry


@contextmanager
def _dxf_encoding(path: str):
    """GDAL reading ``path`` with its texts as UTF-8 when its version says they are."""
    with open(path, "rb") as handle:
        version = _ACADVER.search(handle.read(4096))
    utf8 = version is not None and int(version.group(1)) >= _UTF8_FROM
    with _ENCODING_LOCK:
        pyogrio.set_gdal_config_options({"DXF_ENCODING": "UTF-8" if utf8 else None})
        try:
            yield
        finally:
            pyogrio.set_gdal_config_options({"DXF_ENCODING": None})


def read_entities(path) -> Entities:
    """Every entity of the drawing at ``path`` (``.dxf`` or ``.dgn``).

    Raises
    ------
    twin.errors.InvalidInput
        The file is not a drawing GDAL reads (see :func:`twin.io.safe_open.gdal_path`).
    """
    opened, driver = gdal_path(path)
    try:
        if driver == "DXF":
            with _dxf_encoding(opened):
                meta, table = pyogrio.raw.read_arrow(opened, layer="entities")
        else:
            meta, table = pyogrio.raw.read_arrow(opened)
    except (DataSourceError, DataLayerError) as exc:
        raise InvalidInput(
            f"{Path(path).name}: cannot read the drawing",
            [Problem("file", "readable", str(exc).strip(), Path(path).name)],
        ) from exc
    wkb = table[meta.get("geometry_name") or "wkb_geometry"].to_numpy(zero_copy_only=False)
    geometry = shapely.force_2d(shapely.from_wkb(wkb))
    text = [None if t is None else str(t).strip() or None for t in _column(table, "Text")]
    if driver == "DXF":
        layers = [str(v or "0") for v in _column(table, "Layer")]
        is_text = [bool(_TEXT_CLASSES.search(s or "")) for s in _column(table, "SubClasses")]
        blocks = [v or None for v in _column(table, "BlockName")]
        handles = [str(v) for v in _column(table, "EntityHandle", "")]
        angles = np.array(_column(table, "BlockAngle", np.nan), dtype=float)
        tags = [_tags(v) for v in _column(table, "BlockAttributes")]
    else:
        layers = [str(v) for v in _column(table, "Level", 0)]
        is_text = [v == _DGN_TEXT for v in _column(table, "Type")]
        blocks = [None] * table.num_rows
        handles = [str(v) for v in _column(table, "EntityNum", "")]
        angles = np.full(table.num_rows, np.nan)
        tags = [{} for _ in range(table.num_rows)]
        geometry = _dgn_points(geometry)
    text = [t if is_text[i] else None for i, t in enumerate(text)]
    crs = CRS.from_user_input(meta["crs"]) if meta.get("crs") else None
    kinds = _kinds(geometry, is_text, blocks)
    return Entities(kinds, layers, blocks, angles, text, tags, handles, geometry, crs)

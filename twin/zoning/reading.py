"""Reading a plan from a GeoPackage, Shapefile, GeoJSON or CAD file (through pyogrio).

Drawings (DXF, DGN) are read by :mod:`twin.zoning.reading_cad`: zones from
closed polylines and hatches, their codes from the texts inside them, and
the plan boundary from its layer or a file of its own (``boundary``), for
every format.

Every layer of the file is read.  Polygons become zones, lines become red
lines, and both become utility corridors instead when their layer is named
for corridors (``corridor``, ``hanh_lang``) or the feature has a utility
kind (a ``kind`` or ``utility`` field).  Fields are found by their usual
names, case-insensitively (:data:`FIELD_NAMES`); the land-use code field can
be named with ``code_field``.  A plan's own legend codes are mapped to the
national codes with a legend table (:func:`read_legend`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS

from twin.crs import VIETNAM_BOUNDS, parse_crs
from twin.errors import InvalidInput, Problem
from twin.io.cad import CAD_SUFFIXES
from twin.io.readers import read_source
from twin.io.source import SourceTable
from twin.zoning.codes import land_use_codes
from twin.zoning.model import Corridor, Plan, RedLine, Zone

__all__ = ["FIELD_NAMES", "PlanFile", "read_legend", "read_plan_file"]

#: Usual field names, tried in this order (case-insensitive).
FIELD_NAMES = {
    "code": ("landuse", "land_use", "code", "ma_dat", "madat", "loai_dat", "kyhieu", "ky_hieu"),
    "key": ("zone_id", "key", "id", "ma_o", "ky_hieu_o"),
    "name": ("name", "ten", "ten_o"),
    "road": ("road_name", "ten_duong", "name", "ten"),
    "kind": ("kind", "utility", "loai_hanh_lang"),
    "width": ("width_m", "width", "be_rong"),
}
_CORRIDOR_LAYER = re.compile(r"corridor|hanh.?lang", re.IGNORECASE)
_POLYGONS = ("Polygon", "MultiPolygon")
_LINES = ("LineString", "MultiLineString")


@dataclass
class PlanFile:
    """A plan read from a file, its geometries still in ``crs``; ``notes`` for the user."""

    plan: Plan
    crs: CRS
    crs_text: str
    notes: list[str] = field(default_factory=list)


def _problem(path, field_: str, rule: str, message: str) -> InvalidInput:
    return InvalidInput(
        f"{path}: cannot import the plan", [Problem(field_, rule, message, str(path))]
    )


def read_legend(path) -> dict[str, str]:
    """A legend table: CSV with columns ``legend_code`` and ``code`` (a national code).

    Raises
    ------
    InvalidInput
        Missing columns, or codes that are not national land-use codes.
    """
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or not {"legend_code", "code"} <= set(rows[0]):
        raise _problem(path, "legend", "columns", "a legend needs columns legend_code and code")
    known = land_use_codes()
    problems = [
        Problem(
            "code",
            "known_code",
            f"{row['code']!r} is not a national land-use code",
            f"{path} row {n}",
        )
        for n, row in enumerate(rows, start=2)
        if row["code"].strip() not in known
    ]
    if problems:
        raise InvalidInput(f"{path}: the legend is not valid", problems)
    return {row["legend_code"].strip(): row["code"].strip() for row in rows}


def _column(columns: dict, role: str, given: str | None = None):
    """The values of the field playing ``role`` (None when the file has none)."""
    lower = {name.lower(): name for name in columns}
    for candidate in (given,) if given else FIELD_NAMES[role]:
        if candidate and candidate.lower() in lower:
            return columns[lower[candidate.lower()]]
    return None


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _number(value) -> float | None:
    text = _text(value)
    try:
        return None if text is None else float(text)
    except ValueError:
        return None


def _read_layers(path: Path) -> tuple[list[SourceTable], CRS | None]:
    """Every layer of the file (twin.io's reader) and the CRS they declare."""
    source = read_source(path)
    if not source.tables:
        raise _problem(path, "geometry", "required", "the file holds no geometries")
    return source.tables, source.crs


def _source_crs(
    path: Path, layers: list[SourceTable], declared: CRS | None, given: str | None
) -> tuple[CRS, str, list[str]]:
    if given:
        return parse_crs(given), given, []
    if declared is not None:
        return declared, declared.to_string(), []
    west, south, east, north = shapely.total_bounds(
        np.concatenate([layer.geometry for layer in layers])
    )
    lon0, lat0, lon1, lat1 = VIETNAM_BOUNDS
    if lon0 <= west and east <= lon1 and lat0 <= south and north <= lat1:
        return parse_crs("wgs84"), "wgs84", ["the file declares no CRS: read as WGS 84 lon/lat"]
    raise _problem(
        path,
        "--crs",
        "required",
        "the file declares no CRS and is not in lon/lat: give --crs (e.g. vn2000:bac-giang)",
    )


def _keys(layer: SourceTable, prefix: str) -> list[str]:
    """Feature keys: a unique id field when the layer has one, else the row numbers."""
    given = _column(layer.columns, "key")
    if given is not None:
        keys = [_text(v) for v in given]
        if None not in keys and len(set(keys)) == len(keys):
            return keys
    return [f"{prefix}{row}" for row in range(1, len(layer) + 1)]


def _parts(key: str, geometry):
    """A multi-part line or polygon as its parts, keyed ``key``, ``key.2`` ..."""
    parts = (
        list(shapely.get_parts(geometry)) if geometry.geom_type.startswith("Multi") else [geometry]
    )
    return [(key if n == 0 else f"{key}.{n + 1}", part) for n, part in enumerate(parts)]


def _role(corridor_layer: bool, kind: str | None, geometry) -> str | None:
    """What a feature is in the plan: ``zone``, ``red_line``, ``corridor`` or None."""
    gtype = None if geometry is None else geometry.geom_type
    if gtype not in _POLYGONS and gtype not in _LINES:
        return None
    if corridor_layer or kind:
        return "corridor"
    return "zone" if gtype in _POLYGONS else "red_line"


def _value(column, index: int, convert=_text):
    return None if column is None else convert(column[index])


def _layer_features(path: Path, layer: SourceTable, prefix: str, code_field: str | None, out: dict):
    keys = _keys(layer, prefix)
    columns = {role: _column(layer.columns, role) for role in ("kind", "name", "road", "width")}
    codes = _column(layer.columns, "code", code_field)
    corridor_layer = bool(_CORRIDOR_LAYER.search(layer.name))
    for i, (key, geometry) in enumerate(zip(keys, layer.geometry, strict=True)):
        kind = _value(columns["kind"], i)
        role = _role(corridor_layer, kind, geometry)
        if role == "zone" and codes is None:
            fields = ", ".join(layer.columns) or "none"
            raise _problem(
                path,
                "--code-field",
                "required",
                f"layer {layer.name}: no land-use code field among: {fields}",
            )
        if role == "zone":
            out["zones"].append(Zone(key, _value(codes, i), geometry, _value(columns["name"], i)))
        elif role == "red_line":
            road = _value(columns["road"], i)
            out["red_lines"] += [RedLine(k, g, road) for k, g in _parts(key, geometry)]
        elif role == "corridor":
            width = _value(columns["width"], i, _number)
            out["corridors"] += [
                Corridor(k, kind or "utility", g, width) for k, g in _parts(key, geometry)
            ]
        else:
            gtype = "no geometry" if geometry is None else geometry.geom_type
            out["problems"].append(
                Problem(
                    "geometry",
                    "polygon_or_line",
                    f"{gtype} is neither a zone nor a line",
                    f"{layer.name} {key}",
                )
            )


def _collect(path: Path, layers: list[SourceTable], code_field: str | None) -> dict:
    out = {"zones": [], "red_lines": [], "corridors": [], "problems": []}
    for layer in layers:
        prefix = f"{layer.name}:" if len(layers) > 1 else ""
        _layer_features(path, layer, prefix, code_field, out)
    if out["problems"]:
        raise InvalidInput(f"{path}: features the plan cannot hold", out["problems"])
    return out


def _cad_found(path: Path, legend, zone_layers, boundary_layer) -> tuple[dict, list, CRS | None]:
    from twin.zoning.reading_cad import read_cad_plan

    drawn = read_cad_plan(
        path, zone_layers=zone_layers, boundary_layer=boundary_layer, legend=legend
    )
    found = {"zones": drawn.zones, "red_lines": drawn.red_lines, "corridors": []}
    found["boundary"], found["notes"] = drawn.boundary, drawn.notes
    return found, [SourceTable("drawing", drawn.extent, {})], drawn.crs


def _outline(found: dict, boundary, crs: CRS):
    """The plan boundary: from its own file when given, else as the drawing had it."""
    if boundary is None:
        return found.get("boundary")
    from twin.zoning.reading_cad import read_boundary

    return read_boundary(boundary, crs)


def read_plan_file(
    path,
    *,
    name: str,
    level: str,
    code_field: str | None = None,
    legend: dict[str, str] | None = None,
    crs: str | None = None,
    boundary=None,
    boundary_layer: str | None = None,
    zone_layers=(),
    **plan_fields,
) -> PlanFile:
    """Read a plan file into a :class:`~twin.zoning.model.Plan` (geometries as in the file).

    Parameters
    ----------
    path : path
        GeoPackage, Shapefile, GeoJSON, a drawing or any vector file GDAL reads.
    name, level : str
        The plan's name (its key across versions) and level.
    code_field : str, optional
        Field holding the zones' land-use codes, when not one of the usual names.
    legend : mapping, optional
        The plan's legend codes → national codes.
    crs : str, optional
        CRS of the coordinates when the file declares none or declares it wrongly
        (``vn2000:bac-giang``, ``EPSG:9214`` ...).
    boundary : path, optional
        A file holding the plan boundary (the planning area), in any format
        the importer reads; moved to the plan's CRS when it declares another.
    boundary_layer, zone_layers
        Drawings only: the layer of the boundary and those of the zones
        (:func:`twin.zoning.reading_cad.read_cad_plan`).
    plan_fields
        ``title``, ``status``, ``decision_number``, ``decision_date``.
    """
    path = Path(path)
    if path.suffix.lower() in CAD_SUFFIXES:
        found, layers, declared = _cad_found(path, legend, zone_layers, boundary_layer)
    else:
        layers, declared = _read_layers(path)
        found = _collect(path, layers, code_field)
    source, text, notes = _source_crs(path, layers, declared, crs)
    notes += found.get("notes", [])
    outline = _outline(found, boundary, source)
    if not found["zones"]:
        raise _problem(path, "geometry", "zones", "the file holds no polygons: a plan needs zones")
    title = plan_fields.pop("title", None) or name
    zones, red_lines, corridors = found["zones"], found["red_lines"], found["corridors"]
    plan = Plan(name, level, title, zones, red_lines, corridors, legend=legend or {},
                boundary=outline, **plan_fields)  # fmt: skip
    return PlanFile(plan, source, text, notes)

"""Exporting feature types to GeoPackage, GeoJSON, Shapefile or CSV.

What is written is what the import reads back (tested as a round trip):
the asset code and core fields, every declared attribute with its type, the
``extra`` JSONB as JSON text, and the geometry in WGS 84 (or ``crs``).  The
twin's own columns (id, version, audit stamps, lengths) are left out: an
import gives them anew.  Attributes declared ``personal`` (customer names,
phone numbers) are stripped unless ``include_personal`` is set, which the
command line allows to admins only.

A whole layer goes into one GeoPackage (a table per feature type) or, for
the single-table formats, into a folder with a file per feature type.
A GeoPackage also carries each table's QGIS style (the web map's colours,
aliases, value maps) in its ``layer_styles`` table, applied when QGIS opens
it.  Shapefile field names are cut to 10 characters by
:func:`twin.io.mapping.shapefile_names`, which the import reverses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from pyproj import CRS
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from layers import feature_type, layer
from twin.config import STORAGE_SRID
from twin.crs import STORAGE_CRS, parse_crs, reproject
from twin.declare import FeatureType
from twin.errors import InvalidInput, Problem
from twin.models import model
from twin.qgis.gpkg_styles import add_layer_styles
from twin.validation import CORE_FIELDS

from .mapping import shapefile_names

__all__ = ["FORMATS", "ExportReport", "export_features"]

#: ``--format`` name -> (GDAL driver, file suffix).
FORMATS = {
    "gpkg": ("GPKG", ".gpkg"),
    "geojson": ("GeoJSON", ".geojson"),
    "shp": ("ESRI Shapefile", ".shp"),
    "csv": ("CSV", ".csv"),
}
_GEOMETRY_NAMES = {
    "Point": "Point",
    "LineString": "LineString",
    "Polygon": "Polygon",
    "MultiPolygon": "MultiPolygon",
}


@dataclass
class ExportReport:
    """Files written, features per feature type, personal fields left out."""

    files: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    stripped: dict[str, list[str]] = field(default_factory=dict)


def _feature_types(target: str) -> list[FeatureType]:
    name = str(target)
    lyr, sep, type_name = name.partition(":")
    try:
        if sep:
            return [feature_type(f"{lyr}_{type_name}")]
        try:
            return list(layer(name).feature_types)
        except KeyError:
            return [feature_type(name)]
    except KeyError:
        raise InvalidInput(
            f"unknown --layer {target!r}",
            [
                Problem(
                    "--layer", "known_layer", f"{target!r} is neither LAYER, LAYER:TYPE nor a table"
                )
            ],
        ) from None


def _query(ft: FeatureType, names: list[str], *, bbox, commune):
    m = model(ft.table)
    stmt = select(*(getattr(m, n) for n in names), func.ST_AsBinary(m.geom).label("wkb"))
    if bbox is not None:
        stmt = stmt.where(func.ST_Intersects(m.geom, func.ST_MakeEnvelope(*bbox, STORAGE_SRID)))
    if commune is not None:
        stmt = stmt.where(m.commune == commune)
    return stmt.order_by(m.code)


def _typed(kind: str, values: list, fmt: str) -> tuple[np.ndarray, np.ndarray | None]:
    """A column for pyogrio: numpy dtype by attribute type, mask for empty cells."""
    empty = np.array([v is None for v in values], dtype=bool)
    if kind == "integer":
        return np.array([0 if v is None else v for v in values], dtype=np.int64), empty
    if kind == "float":
        return np.array([np.nan if v is None else v for v in values], dtype=float), None
    if kind == "boolean":
        return np.array([bool(v) for v in values], dtype=bool), empty
    if kind == "date" and fmt != "csv":
        return np.array(
            [v.isoformat() if v else "NaT" for v in values], dtype="datetime64[D]"
        ), None
    if kind == "date":
        return np.array([v.isoformat() if v else None for v in values], dtype=object), None
    return np.array(values, dtype=object), None


def _columns(ft: FeatureType, include_personal: bool) -> tuple[list[tuple[str, str]], list]:
    kept = [(name, kind) for name, kind in CORE_FIELDS.items()]
    stripped = []
    for a in ft.attributes:
        if a.name in CORE_FIELDS:
            continue  # declared again by the type (a village's commune): one column
        if a.personal and not include_personal:
            stripped.append(a.name)
        else:
            kept.append((a.name, a.type))
    return kept, stripped


def _write_type(
    session, ft, path: Path, fmt: str, *, crs: CRS | None, bbox, commune, include_personal: bool
) -> tuple[int, list[str]]:
    columns, stripped = _columns(ft, include_personal)
    names = [n for n, _ in columns] + ["extra"]
    rows = session.execute(_query(ft, names, bbox=bbox, commune=commune)).all()
    geometry = shapely.from_wkb([r.wkb for r in rows]) if rows else np.empty(0, dtype=object)
    if crs is not None:
        geometry = reproject(geometry, STORAGE_CRS, crs)
    data, masks, fields = [], [], []
    short = shapefile_names(ft) if fmt == "shp" else {}
    for i, (name, kind) in enumerate(columns):
        values, mask = _typed(kind, [r[i] for r in rows], fmt)
        data.append(values)
        masks.append(mask)
        fields.append(short.get(name, name))
    extras = [r[-2] for r in rows]
    if any(extras):
        data.append(
            np.array(
                [json.dumps(e, ensure_ascii=False, sort_keys=True) if e else None for e in extras],
                dtype=object,
            )
        )
        masks.append(None)
        fields.append(short.get("extra", "extra"))
    driver, _ = FORMATS[fmt]
    options = {"GEOMETRY": "AS_WKT"} if fmt == "csv" else {}
    target = crs or STORAGE_CRS
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(geometry),
        data,
        fields,
        field_mask=masks,
        layer=ft.table,
        driver=driver,
        geometry_type=_GEOMETRY_NAMES[ft.geometry],
        crs=target.to_wkt(),
        layer_options=options,
        promote_to_multi=ft.geometry == "MultiPolygon",
    )
    return len(rows), stripped


def export_features(
    session: Session,
    table: str,
    out,
    *,
    fmt: str,
    crs=None,
    bbox=None,
    commune: str | None = None,
    include_personal: bool = False,
) -> ExportReport:
    """Write the features of ``table`` (``LAYER``, ``LAYER:TYPE`` or a table) to ``out``.

    Parameters
    ----------
    fmt : {"gpkg", "geojson", "shp", "csv"}
    crs : str or pyproj.CRS, optional
        Coordinate system of the file (default WGS 84), e.g. ``vn2000:bac-giang``.
    bbox : tuple of float, optional
        ``(west, south, east, north)`` in WGS 84 degrees: features intersecting it.
    commune : str, optional
        Code of a commune: its features only.
    include_personal : bool
        Keep personal attributes; the caller checks the user may see them.
    """
    if fmt not in FORMATS:
        raise InvalidInput(
            f"unknown format {fmt!r}",
            [Problem("--format", "known_format", f"one of {', '.join(FORMATS)}")],
        )
    types = _feature_types(table)
    target_crs = parse_crs(crs) if crs is not None else None
    out = Path(out)
    single_file = fmt == "gpkg" or len(types) == 1
    if not single_file:
        out.mkdir(parents=True, exist_ok=True)
    if single_file and out.is_file():
        out.unlink()  # a GeoPackage would otherwise gain the layers next to old ones
    report = ExportReport()
    for ft in types:
        path = out if single_file else out / f"{ft.table}{FORMATS[fmt][1]}"
        n, stripped = _write_type(
            session,
            ft,
            path,
            fmt,
            crs=target_crs,
            bbox=bbox,
            commune=commune,
            include_personal=include_personal,
        )
        report.counts[ft.table] = n
        if stripped:
            report.stripped[ft.table] = stripped
        if str(path) not in report.files:
            report.files.append(str(path))
    if fmt == "gpkg":
        add_layer_styles(out, list(report.counts))
    return report

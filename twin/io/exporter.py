"""Exporting feature types to GeoPackage, GeoJSON, Shapefile or CSV.

What is written is what the import reads back (tested as a round trip):
the asset code and core fields, every declared attribute with its type, the
``extra`` JSONB as JSON text, and the geometry in WGS 84 (or ``crs``).  The
twin's own columns (id, version, audit stamps, lengths) are left out: an
import gives them anew.  Attributes declared ``personal`` (customer names,
phone numbers) are stripped unless ``include_personal`` is set, which the
command line allows to admins only.

Features are read through a server-side cursor and written
:data:`CHUNK_ROWS` at a time (appended to the file), so a province's layer
never sits whole in memory; ``progress`` (e.g. ``tqdm``) is told of each chunk.

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

__all__ = ["CHUNK_ROWS", "FORMATS", "ExportReport", "export_features"]

#: Rows read from the database and written to the file at a time.
CHUNK_ROWS = 5_000
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


def _has_extras(session, ft: FeatureType, stmt) -> bool:
    """Whether any exported row carries extra attributes (the column is then written)."""
    m = model(ft.table)
    rows = stmt.with_only_columns(m.id).where(m.extra != {}).limit(1)
    return session.execute(rows).first() is not None


def _chunk_columns(rows, columns, fmt: str, short: dict, with_extra: bool):
    """The fields of one chunk of rows, typed for pyogrio, and their masks."""
    data, masks, fields = [], [], []
    for i, (name, kind) in enumerate(columns):
        values, mask = _typed(kind, [r[i] for r in rows], fmt)
        data.append(values)
        masks.append(mask)
        fields.append(short.get(name, name))
    if with_extra:
        extras = [r[-2] for r in rows]
        dumped = [json.dumps(e, ensure_ascii=False, sort_keys=True) if e else None for e in extras]
        data.append(np.array(dumped, dtype=object))
        masks.append(None)
        fields.append(short.get("extra", "extra"))
    return data, masks, fields


@dataclass(frozen=True)
class _Layout:
    """How the rows of one feature type become a layer of a file."""

    ft: FeatureType
    path: Path
    fmt: str
    columns: list
    short: dict
    with_extra: bool
    crs: CRS | None

    def write(self, rows, *, append: bool) -> None:
        geometry = shapely.from_wkb([r.wkb for r in rows]) if rows else np.empty(0, dtype=object)
        if self.crs is not None:
            geometry = reproject(geometry, STORAGE_CRS, self.crs)
        data, masks, fields = _chunk_columns(
            rows, self.columns, self.fmt, self.short, self.with_extra
        )
        # CSV and Shapefile name their one layer after the file; others keep the table's name.
        by_file = append and self.fmt in ("csv", "shp")
        pyogrio.raw.write(
            str(self.path),
            shapely.to_wkb(geometry),
            data,
            fields,
            field_mask=masks,
            layer=self.path.stem if by_file else self.ft.table,
            driver=FORMATS[self.fmt][0],
            geometry_type=_GEOMETRY_NAMES[self.ft.geometry],
            crs=(self.crs or STORAGE_CRS).to_wkt(),
            layer_options={"GEOMETRY": "AS_WKT"} if self.fmt == "csv" else {},
            promote_to_multi=self.ft.geometry == "MultiPolygon",
            append=append,
        )


def _write_type(
    session,
    ft,
    path: Path,
    fmt: str,
    *,
    crs: CRS | None,
    bbox,
    commune,
    include_personal: bool,
    progress=None,
) -> tuple[int, list[str]]:
    """Write ``ft`` to ``path`` :data:`CHUNK_ROWS` rows at a time; memory stays flat."""
    columns, stripped = _columns(ft, include_personal)
    stmt = _query(ft, [n for n, _ in columns] + ["extra"], bbox=bbox, commune=commune)
    short = shapefile_names(ft) if fmt == "shp" else {}
    layout = _Layout(ft, path, fmt, columns, short, _has_extras(session, ft, stmt), crs)
    bar = progress(total=_count(session, stmt), desc=ft.table) if progress else None
    written = 0
    for rows in session.execute(stmt.execution_options(yield_per=CHUNK_ROWS)).partitions():
        layout.write(rows, append=written > 0)
        written += len(rows)
        if bar is not None:
            bar.update(len(rows))
    if not written:
        layout.write([], append=False)  # an empty layer, with its fields
    if bar is not None:
        bar.close()
    return written, stripped


def _count(session, stmt) -> int:
    return session.execute(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    ).scalar_one()


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput(
            f"unknown format {fmt!r}",
            [Problem("--format", "known_format", f"one of {', '.join(FORMATS)}")],
        )


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
    progress=None,
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
    progress : callable, optional
        ``progress(total=, desc=)`` returning a bar with ``update(n)`` and
        ``close()`` (e.g. ``tqdm``): told of every chunk written.
    """
    _check_format(fmt)
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
            progress=progress,
        )
        report.counts[ft.table] = n
        if stripped:
            report.stripped[ft.table] = stripped
        if str(path) not in report.files:
            report.files.append(str(path))
    if fmt == "gpkg":
        add_layer_styles(out, list(report.counts))
    return report

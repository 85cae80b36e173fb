"""Big point layers imported column by column, without a Python object per feature.

A GeoPackage or Shapefile of a million trees or poles is the commonest big
import, and its plain typed columns need no work per feature: the file is
read as Arrow columns, every rule of the preflight is checked on whole
columns (types, required, allowed values, ranges, finite coordinates inside
Vietnam), coordinates are taken straight from the points' WKB and moved to
WGS 84 as arrays, and the rows go to the database in binary COPY format,
laid out by numpy (:mod:`twin.bulk.binary`) in a thread while the previous
part is copied.  In a Python object per feature
the same import costs the client four times the CPU.

Only a file this path can take without doubt goes through it: one layer of
2D points for one point type, fields that map straight onto attributes of
the same type, no defaults, recodes, extras, codes or communes of its own,
and no broken rule at all.  Anything else — above all a file with problems,
whose report names every feature — returns ``None`` and the importer takes
its general path (:mod:`twin.io.preflight`), which gives the same rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyogrio.raw
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS

from twin.bulk import CHUNK_ROWS, Loader, allocate_ids, code_of
from twin.bulk.binary import INTEGER_RANGES, binary_rows, kind_of
from twin.bulk.cells import POINT_EWKB_SIZE, points_ewkb
from twin.bulk.communes import commune_index
from twin.bulk.pipeline import ahead
from twin.crs import STORAGE_CRS, VIETNAM_BOUNDS, transformer
from twin.declare import Attribute, FeatureType
from twin.models import model

from .cad import CAD_SUFFIXES
from .georef import resolve_crs
from .mapping import Mapping
from .preflight import CORE_ATTRIBUTES
from .readers import CSV_SUFFIXES, layer_names
from .report import ImportReport
from .safe_open import gdal_path
from .source import Source, SourceTable
from .targets import targets

__all__ = ["MIN_FEATURES", "import_columnar"]

#: Fewest features for this path; smaller files gain nothing from it.
MIN_FEATURES = 50_000
#: Features per part sent with one COPY.
PART_ROWS = 2 * CHUNK_ROWS

_KINDS = {
    "float": lambda t: pa.types.is_floating(t) or pa.types.is_integer(t),
    "integer": pa.types.is_integer,
    "text": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t),
    "boolean": pa.types.is_boolean,
    "date": pa.types.is_date32,
}
# Little-endian WKB of a 2D point: byte order 1, type 1, then x and y.
_WKB_POINT = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])


def _one_layer(path: Path, source_layer: str | None) -> str | None:
    """The one layer of a GDAL file this path could take (a file the general
    path cannot read either raises its error here already)."""
    if not path.exists() or path.suffix.lower() in (".inp", ".zip", *CSV_SUFFIXES, *CAD_SUFFIXES):
        return None
    layers = layer_names(path, source_layer)
    return layers[0] if len(layers) == 1 else None


def _points(wkb: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray] | None:
    """x and y of 2D points straight from their WKB; ``None`` unless all are."""
    wkb = wkb.combine_chunks()
    if wkb.null_count or not len(wkb):
        return None
    offsets = np.frombuffer(wkb.buffers()[1], dtype=np.int32)[
        wkb.offset : wkb.offset + len(wkb) + 1
    ]
    if not (np.diff(offsets) == _WKB_POINT.itemsize).all():
        return None
    data = np.frombuffer(wkb.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    records = data.view(_WKB_POINT)
    if not ((records["order"] == 1) & (records["type"] == 1)).all():
        return None
    x, y = records["x"].copy(), records["y"].copy()
    return (x, y) if np.isfinite(x).all() and np.isfinite(y).all() else None


def _blank(text: pa.Array) -> bool:
    return bool(pc.any(pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(text)), 0)).as_py())


def _checked(a: Attribute, kind: str, values: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """The column as stored for ``a`` (in a column of binary ``kind``), or
    ``None`` if any value needs the general path."""
    if not _KINDS[a.type](values.type):
        return None
    if a.type == "float":
        values = values.cast(pa.float64())
        if pc.any(pc.is_nan(values)).as_py():
            return None  # NaN means empty to the general path
    if a.type == "integer":
        values = values.cast(pa.int64())
        if len(values.drop_null()):
            low, high = pc.min_max(values).values()
            least, most = INTEGER_RANGES[kind]
            if low.as_py() < least or high.as_py() > most:
                return None  # the general path lets the database name the value
    if a.type == "text" and _blank(values):
        return None
    if a.required and values.null_count:
        return None
    present = values.drop_null()
    allowed = pa.array(a.allowed, values.type) if a.choices else None
    if a.choices and not pc.all(pc.is_in(present, value_set=allowed)).as_py():
        return None
    if len(present) and (a.minimum is not None or a.maximum is not None):
        low, high = pc.min_max(present).values()
        if a.minimum is not None and low.as_py() < a.minimum:
            return None
        if a.maximum is not None and high.as_py() > a.maximum:
            return None
    return values


def _columns(table: pa.Table, fields: list[str], ft: FeatureType, mapping: Mapping, layer: str):
    """Attribute name -> checked column, and the fields not imported; ``None``
    when the fields need more than a straight copy."""
    plan, problems = mapping.plan(ft, fields, source=layer)
    if problems or plan.extras or plan.unknown:
        return None
    attributes = {
        **{n: a for n, a in CORE_ATTRIBUTES.items() if n not in ("code", "commune")},
        **{a.name: a for a in ft.attributes},
    }
    kinds = _kinds(ft)
    columns = {}
    for name, (target, scale) in plan.targets.items():
        if scale is not None or target not in attributes or kinds[target] is None:
            return None  # codes, communes and extras of the source: the general path
        checked = _checked(attributes[target], kinds[target], table[name])
        if checked is None:
            return None
        columns[target] = checked
    if any(a.required and a.name not in columns for a in ft.attributes):
        return None
    return columns, plan.ignored


def _kinds(ft: FeatureType) -> dict[str, str | None]:
    """The binary COPY kind of each column of the feature table (:mod:`twin.models`)."""
    return {c.name: kind_of(c.type) for c in model(ft.table).__table__.columns}


def _storage_xy(x, y, declared: CRS | None, crs, check_bounds: bool):
    """Coordinates in WGS 84 and the source CRS's description; ``None`` if the
    CRS or the bounds would be a problem."""
    extent = (float(x.min()), float(y.min()), float(x.max()), float(y.max()))
    source, text, problems = resolve_crs(declared, crs=crs, extent=extent)
    if problems or source is None:
        return None
    if source != STORAGE_CRS:
        x, y = transformer(source, STORAGE_CRS).transform(x, y)
        x, y = np.asarray(x), np.asarray(y)
    if check_bounds:
        w, s, e, n = VIETNAM_BOUNDS
        if not ((x >= w) & (x <= e) & (y >= s) & (y <= n)).all():
            return None
    return x, y, text


def import_columnar(
    session,
    target: str,
    path,
    *,
    crs=None,
    mapping: Mapping | None = None,
    user: str | None = None,
    reason: str | None = None,
    check_bounds: bool = True,
    source_layer: str | None = None,
    progress: Callable[[int], object] | None = None,
) -> ImportReport | None:
    """Import ``path`` column by column if it qualifies (see the module); the
    report, or ``None`` for the general path.  Arguments as for
    :func:`twin.io.importer.import_features`."""
    started = time.perf_counter()
    mapping = mapping or Mapping()
    path = Path(path)
    if mapping.defaults or mapping.values or mapping.code_prefix or mapping.extra:
        return None
    found = _point_layer(path, source_layer)
    if found is None:
        return None
    layer, driver, meta, table, xy = found
    declared = CRS.from_user_input(meta["crs"]) if meta.get("crs") else None
    stub = SourceTable(layer, np.empty(table.num_rows, dtype=object), {})
    source = Source(str(path), driver, [stub], crs=declared)
    pairs, notes = targets(target, source)
    if len(pairs) != 1 or pairs[0][1].geometry != "Point" or pairs[0][1].network == "edge":
        return None
    ft = pairs[0][1]
    read = time.perf_counter()
    found = _columns(table, [str(f) for f in meta["fields"]], ft, mapping, layer)
    placed = _storage_xy(*xy, declared, crs, check_bounds)
    if found is None or placed is None:
        return None
    columns, ignored = found
    x, y, crs_text = placed
    if declared is None:
        notes = ["the file declares no coordinate system", *notes]
    if ignored:
        notes.append(f"{layer}: fields not imported: {', '.join(ignored)}")
    checked = time.perf_counter()
    _write(session, ft, columns, x, y, user=user, reason=reason, progress=progress)
    report = ImportReport(
        str(path), source.format, crs_text, False, {ft.table: table.num_rows}, notes=notes
    )
    report.written = True
    report.timings = {
        "read": read - started,
        "preflight": checked - read,
        "write": time.perf_counter() - checked,
    }
    report.seconds = time.perf_counter() - started
    return report


def _point_layer(path: Path, source_layer: str | None):
    """``(layer, driver, meta, arrow table, xy)`` of the one layer of ``path`` when it
    holds enough points to be worth reading by column; ``None`` otherwise."""
    layer = _one_layer(path, source_layer)
    if layer is None:
        return None
    opened, driver = gdal_path(path)
    try:
        meta, table = pyogrio.raw.read_arrow(opened, layer=layer)
    except (DataSourceError, DataLayerError):
        return None
    geometry = meta.get("geometry_name") or "wkb_geometry"
    if table.num_rows < MIN_FEATURES or geometry not in table.column_names:
        return None
    xy = _points(table[geometry])
    if xy is None:
        return None
    return layer, driver, meta, table, xy


def _write(session, ft: FeatureType, columns, x, y, *, user, reason, progress) -> None:
    count = len(x)
    with Loader(
        session, ft.table, count, user=user, reason=reason, communes=True, progress=progress
    ) as loader:
        ids = allocate_ids(session, count)
        codes, polygons = loader.current_communes
        parts = _parts(ft, columns, ids, x, y, user, pa.array(codes, pa.string()), polygons)
        with ahead(parts) as ready:
            for names, part_ids, data in ready:
                loader.copy_binary(names, part_ids, data)


def _parts(ft, columns, ids, x, y, user, commune_codes, polygons):
    """``(columns, ids, binary COPY rows)`` of each part, made in the thread
    that runs this (numpy and Arrow release the GIL for much of it)."""
    prefix = code_of(ft.table, 0)[:-6]
    kinds = _kinds(ft)
    for start in range(0, len(ids), PART_ROWS):
        rows = slice(start, start + PART_ROWS)
        n = len(ids[rows])
        part_ids = pa.array(ids[rows])
        found = commune_index(np.column_stack([x[rows], y[rows]]), polygons)
        stamps = pa.repeat(pa.scalar(user, pa.string()), n)
        ewkb = np.frombuffer(points_ewkb(x[rows], y[rows]), dtype=np.uint8)
        part = {
            "id": ids[rows],
            "code": pc.binary_join_element_wise(
                prefix, pc.utf8_lpad(part_ids.cast(pa.string()), 6, "0"), ""
            ),
            **{name: values.slice(start, n) for name, values in columns.items()},
            "commune": commune_codes.take(pa.array(found, mask=found < 0))
            if len(commune_codes)
            else pa.nulls(n, pa.string()),
            "created_by": stamps,
            "updated_by": stamps,
            "geom": (np.full(n, POINT_EWKB_SIZE, dtype=np.int64), ewkb),
        }
        encoded = binary_rows([(kinds[name], values) for name, values in part.items()], n)
        yield list(part), ids[rows], encoded

"""Mapbox Vector Tiles straight from PostGIS (``ST_AsMVT``), one SQL statement per tile.

A tile of a feature type holds one MVT layer named after its collection
(table); a tile of a whole layer (``water``) concatenates the MVT layers of
its feature types, which is valid because an MVT is a sequence of layers.
Feature types are left out below their declared ``min_zoom``, and their
declared details (service pipes, 0.4 kV drops, alleys:
:class:`twin.declare.Detail`) below theirs.  Below zoom 16 lines and
polygons are simplified by half a screen pixel, on top of the snapping to
the 4096-unit tile grid that ``ST_AsMVTGeom`` does anyway, and lines shorter
or areas smaller than one pixel are left out: nobody sees them, yet each
costs the client as much as a long one.
Attributes are kept few (code, status, the styled attribute and a handful
of key ones, never personal data) so tiles stay small.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from sqlalchemy import DateTime, Integer, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect
from sqlalchemy.orm import Session

from layers import feature_type, layer
from twin.config import STORAGE_SRID
from twin.declare import FeatureType
from twin.models import not_detail

from .errors import bad_parameter
from .query import source_of
from .schema import queryable_types

__all__ = [
    "EXTENT",
    "MAX_ZOOM",
    "check_tile",
    "fetch_tile",
    "tile_address",
    "tile_attributes",
    "tile_bytes",
    "tile_query",
    "tile_sql",
    "tile_statement",
    "tilejson",
    "simplify_tolerance_m",
    "thinning",
]

EXTENT = 4096
BUFFER = 64
MAX_ZOOM = 22
WORLD_M = 40_075_016.685578488  # circumference of the Web Mercator world, metres
_KEY_ATTRIBUTES = (
    "name",
    "normal_state",
    "diameter_mm",
    "voltage_kv",
    "device_type",
    "lamp_type",
    "species_vi",
    "level",
    "road_class",
    "kind",
    "condition",
)


def check_tile(z: int, x: int, y: int, *, min_zoom: int = 0, max_zoom: int = MAX_ZOOM) -> None:
    """Raise unless tile z/x/y exists in the grid between ``min_zoom`` and ``max_zoom``.

    The zoom is checked first and the columns by shifting, never by ``2**z``:
    a zoom of a billion must cost nothing to refuse.
    """
    if not min_zoom <= z <= max_zoom:
        raise bad_parameter("z", "range", f"zoom {z} is outside {min_zoom}..{max_zoom}")
    if x < 0 or y < 0 or x >> z or y >> z:
        raise bad_parameter(
            "x", "range", f"tile {z}/{x}/{y} does not exist: x and y must be in 0..2^{z}-1"
        )


#: A tile number as written in a path: ASCII digits, few enough to convert at no cost.
_TILE_NUMBER = re.compile(r"[0-9]{1,9}")


def tile_address(
    z: str, x: str, y: str, *, min_zoom: int = 0, max_zoom: int = MAX_ZOOM
) -> tuple[int, int, int]:
    """z/x/y of a request path as integers, checked before any work is done.

    Anything but a short run of ASCII digits (a sign, a huge number, a letter)
    is refused with the bound it broke, as is a tile outside the grid.

    >>> tile_address("3", "1", "7")
    (3, 1, 7)
    >>> tile_address("1000000000", "0", "0")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    twin.api.errors.InvalidParameter: z: must be a whole number in 0..22, not '1000000000'...
    """
    numbers = []
    for name, text in (("z", z), ("x", x), ("y", y)):
        if not _TILE_NUMBER.fullmatch(text):
            bound = f"{min_zoom}..{max_zoom}" if name == "z" else "0..2^z-1"
            raise bad_parameter(
                name, "range", f"must be a whole number in {bound}, not {text[:20]!r}"
            )
        numbers.append(int(text))
    check_tile(*numbers, min_zoom=min_zoom, max_zoom=max_zoom)
    return numbers[0], numbers[1], numbers[2]


def simplify_tolerance_m(z: int) -> float:
    """Half a 256-px screen pixel at zoom ``z``, in Web Mercator metres (0 from z16)."""
    return 0.0 if z >= 16 else WORLD_M / 2**z / 256 / 2


def tile_attributes(ft: FeatureType) -> list[str]:
    """Properties carried in tiles: code, status, the styled one, a few key ones."""
    names = ["code", "status"]
    if ft.style.by:
        names.append(ft.style.by)
    declared = {a.name: a for a in ft.attributes}
    names += [n for n in _KEY_ATTRIBUTES if n in declared]
    return [n for n in dict.fromkeys(names) if not (n in declared and declared[n].personal)]


def thinning(ft: FeatureType, columns, zoom: int) -> list:
    """SQL conditions keeping what a web-map ``zoom`` shows of ``ft`` (``columns``: its source's).

    The type's details below their zoom are left out, by the condition of
    their partial index (:func:`twin.models.detail_indexes`), so only what
    is kept is read; below zoom 16 so are lines shorter and areas smaller
    than a pixel (256-pixel tiles).
    """
    keep = [not_detail(d, columns[d.attribute]) for d in ft.details if zoom < d.min_zoom]
    pixel_m = 2 * simplify_tolerance_m(zoom)
    if pixel_m and ft.geometry == "LineString":
        keep.append(func.ST_Length(func.ST_Transform(columns.geom, 3857)) >= pixel_m)
    elif pixel_m and ft.geometry != "Point":
        keep.append(func.ST_Area(func.ST_Transform(columns.geom, 3857)) >= pixel_m**2)
    return keep


def _feature_type_mvt(ft: FeatureType, z: int, x, y, when, where=(), detail: int = 0):
    source = source_of(ft, when)
    world = func.ST_MakeEnvelope(-WORLD_M / 2, -WORLD_M / 2, WORLD_M / 2, WORLD_M / 2, 3857)
    margin = BUFFER / EXTENT
    box_stored = func.ST_Transform(func.ST_TileEnvelope(z, x, y, world, margin), STORAGE_SRID)
    geom = func.ST_Transform(source.c.geom, 3857)
    tolerance = simplify_tolerance_m(z + detail)
    if tolerance and ft.geometry != "Point":
        geom = func.ST_Simplify(geom, tolerance, True)
    where = (*where, *thinning(ft, source.c, z + detail))
    mvt_geom = func.ST_AsMVTGeom(geom, func.ST_TileEnvelope(z, x, y), EXTENT, BUFFER, True)
    cols = [source.c[n] for n in tile_attributes(ft)]
    rows = (
        select(*cols, mvt_geom.label("geom"))
        .where(source.c.geom.op("&&")(box_stored), *where)
        .subquery("tile")
    )
    mvt = select(func.ST_AsMVT(literal_column("tile"), ft.table, EXTENT, "geom")).select_from(rows)
    return func.coalesce(mvt.scalar_subquery(), literal_column("''::bytea"))


def tile_statement(
    fts: list[FeatureType],
    z: int,
    x,
    y,
    *,
    when=None,
    filters: dict | None = None,
    detail: int = 0,
):
    """One SELECT returning the tile's bytes for these feature types (None if none visible).

    ``x``/``y`` (and ``when``) may be values or bind parameters;
    ``filters`` maps a table to extra SQL conditions on its source.
    ``detail`` is how many zooms deeper the tile's content is chosen and
    simplified: 1 for the 512-pixel tiles of WebGL clients (MapLibre), whose
    zoom ``z`` shows as much as 256-pixel tiles at ``z + 1``.
    """
    visible = [ft for ft in fts if z + detail >= ft.min_zoom]
    if not visible:
        return None
    parts = [
        _feature_type_mvt(ft, z, x, y, when, (filters or {}).get(ft.table, ()), detail)
        for ft in visible
    ]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined.op("||")(part)
    return select(combined.label("mvt"))


@lru_cache(maxsize=1024)
def tile_sql(
    tables: tuple[str, ...], z: int, travel: bool = False, detail: int = 0
) -> tuple[str, dict] | None:
    """The SQL text of a tile (psycopg placeholders ``x``, ``y``, ``when``), built once.

    Building and compiling the statement costs more than PostGIS takes for a
    typical tile, so it is done once per set of feature types and zoom.
    """
    fts = [feature_type(t) for t in tables]
    when = bindparam("when", type_=DateTime(timezone=True)) if travel else None
    x, y = bindparam("x", type_=Integer), bindparam("y", type_=Integer)
    stmt = tile_statement(fts, z, x, y, when=when, detail=detail)
    if stmt is None:
        return None
    compiled = stmt.compile(dialect=psycopg_dialect())
    fixed = {k: v for k, v in compiled.params.items() if k not in ("x", "y", "when")}
    return str(compiled), fixed


def tile_query(
    tables: tuple[str, ...],
    z: int,
    x: int,
    y: int,
    *,
    when: datetime | None = None,
    detail: int = 0,
) -> tuple[str, dict] | None:
    """The SQL and parameters of a tile (None below every feature type's min zoom)."""
    check_tile(z, x, y)
    sql = tile_sql(tables, z, when is not None, detail)
    if sql is None:
        return None
    text, fixed = sql
    params = {**fixed, "x": x, "y": y}
    if when is not None:
        params["when"] = when
    return text, params


def fetch_tile(
    cursor, tables: tuple[str, ...], z: int, x: int, y: int, *, when: datetime | None = None
) -> bytes:
    """The tile's MVT bytes through a DB-API (psycopg) cursor: one statement, no ORM."""
    query = tile_query(tables, z, x, y, when=when)
    if query is None:
        return b""
    cursor.execute(*query)
    row = cursor.fetchone()
    return bytes(row[0] or b"")


def tile_bytes(
    session: Session,
    fts: list[FeatureType],
    z: int,
    x: int,
    y: int,
    *,
    when: datetime | None = None,
    detail: int = 0,
) -> bytes:
    """The tile's MVT bytes (empty below every feature type's min zoom).

    The statement is prepared on its connection at once: a tile's plan (one
    index scan per feature type) takes PostgreSQL about as long to make as
    the tile takes to build, and with ``plan_cache_mode`` set to
    ``force_generic_plan`` (as :func:`webmap.map.tiles.combined_tile` does)
    it is made once per connection and zoom rather than once per tile.
    """
    query = tile_query(tuple(ft.table for ft in fts), z, x, y, when=when, detail=detail)
    if query is None:
        return b""
    connection = session.connection().connection.driver_connection
    row = connection.execute(*query, prepare=True).fetchone()
    return bytes(row[0] or b"")


_TILE_FIELD_TYPES = {
    "text": "String",
    "integer": "Number",
    "float": "Number",
    "bigint": "Number",
    "date": "String",
    "boolean": "Boolean",
    "timestamp": "String",
}


def tilejson(
    name: str, fts: list[FeatureType], base: str, *, bounds=None, version: int | None = None
) -> dict:
    """A TileJSON 3.0 document for a feature type or a whole layer.

    ``version`` (:mod:`twin.api.tile_versions`) goes into the tile URLs.
    """
    base = base.rstrip("/")
    lyr = layer(fts[0].layer)
    title = fts[0].en if len(fts) == 1 and name == fts[0].table else lyr.en
    vector_layers = []
    for ft in fts:
        types = queryable_types(ft)
        vector_layers.append(
            {
                "id": ft.table,
                "description": f"{ft.en} ({ft.vi})",
                "minzoom": ft.min_zoom,
                "maxzoom": MAX_ZOOM,
                "fields": {n: _TILE_FIELD_TYPES[types[n]] for n in tile_attributes(ft)},
            }
        )
    return {
        "tilejson": "3.0.0",
        "name": name,
        "description": title,
        "tiles": [f"{base}/tiles/{name}/{{z}}/{{x}}/{{y}}.mvt"
                  + (f"?v={version}" if version is not None else "")],
        "minzoom": min(ft.min_zoom for ft in fts),
        "maxzoom": MAX_ZOOM,
        "bounds": bounds or [102.0, 6.0, 118.0, 24.0],
        "vector_layers": vector_layers,
    }

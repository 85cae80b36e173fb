"""OGC API – Features and vector tiles as plain functions, free of any web framework.

The Flask blueprints in ``webmap.api`` only parse requests and build
responses; everything the API means lives here and is tested without HTTP:

* :mod:`~twin.api.collections` — landing page, conformance, collections, queryables;
* :mod:`~twin.api.parameters` — the ``/items`` query parameters, defined once;
* :mod:`~twin.api.query` — ``/items`` pages, bbox, attribute and CQL2 filters;
* :mod:`~twin.api.sorting` — ``sortby`` and the keyset cursors of ``next`` links;
* :mod:`~twin.api.cql2`, :mod:`~twin.api.filters` and :mod:`~twin.api.temporal` —
  CQL2 text and JSON (read by the ``cql2`` library) to SQL;
* :mod:`~twin.api.crs` — CRS84, WGS 84 and VN-2000 zones (Part 2);
* :mod:`~twin.api.edit` — create, replace, update, delete, revert (Part 4);
* :mod:`~twin.api.timetravel` — the twin at a past moment, and versions of an asset;
* :mod:`~twin.api.openapi` — the OpenAPI document derived from the layers;
* :mod:`~twin.api.tiles` — Mapbox Vector Tiles from ``ST_AsMVT``;
* :mod:`~twin.api.tile_versions` — the data version in tile URLs, and how long a tile is kept;
* :mod:`~twin.api.reads` — the engine of reads (autocommit, warm connections);
* :mod:`~twin.api.tile_style` — MapLibre styles (``style.json``) derived from the layers;
* :mod:`~twin.api.tilesets` — OGC API – Tiles documents and the WebMercatorQuad;
* :mod:`~twin.api.record_collections`, :mod:`~twin.api.record_items` and
  :mod:`~twin.api.record_exports` — inspections and work orders as read-only
  collections beside the layers.
"""

from .errors import bad_parameter
from .reads import read_engine
from .record_collections import (
    RecordCollection,
    record_collection,
    record_collections,
    record_queryables,
)
from .record_exports import GEOPACKAGE, records_geopackage
from .record_items import parse_records_query, read_record, records_page
from .tile_versions import cache_control, layers_version

__all__ = ["GEOPACKAGE", "RecordCollection", "bad_parameter", "cache_control",
           "layers_version", "parse_records_query", "read_engine", "read_record",
           "record_collection", "record_collections", "record_queryables",
           "records_geopackage", "records_page"]

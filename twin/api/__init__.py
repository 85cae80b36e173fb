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

Functions whose names are those of their modules (``collections``,
``openapi``, ``tilesets``) are exported as ``…_document``, so the modules
stay reachable as ``twin.api.collections`` and so on.
"""

from .collections import collection, conformance, extent_of, landing_page, queryables, sortables
from .collections import collections as collections_document
from .crs import api_crs
from .edit import create_item, delete_item, etag, patch_item, replace_item, revert_item
from .errors import bad_parameter
from .openapi import openapi as openapi_document
from .query import items_page, parse_datetime, parse_items_query, read_item
from .reads import read_engine, run_once_more_if_disconnected
from .record_collections import (
    RecordCollection,
    record_collection,
    record_collections,
    record_queryables,
)
from .record_exports import GEOPACKAGE, records_geopackage
from .record_items import parse_records_query, read_record, records_page
from .schema import USER_FIELDS
from .tile_style import TileSource, draw_order, style_document
from .tile_versions import cache_control, layers_version
from .tiles import MAX_ZOOM, check_tile, fetch_tile, tile_address, tile_bytes, tilejson
from .tilesets import WEB_MERCATOR_QUAD, tile_matrix_set, tile_matrix_sets, tileset
from .tilesets import tilesets as tilesets_document
from .timetravel import history_of

__all__ = [
    "GEOPACKAGE",
    "MAX_ZOOM",
    "USER_FIELDS",
    "WEB_MERCATOR_QUAD",
    "api_crs",
    "bad_parameter",
    "cache_control",
    "check_tile",
    "collection",
    "collections_document",
    "conformance",
    "create_item",
    "delete_item",
    "draw_order",
    "etag",
    "extent_of",
    "fetch_tile",
    "history_of",
    "items_page",
    "landing_page",
    "layers_version",
    "openapi_document",
    "parse_datetime",
    "parse_items_query",
    "parse_records_query",
    "patch_item",
    "queryables",
    "read_engine",
    "read_item",
    "read_record",
    "record_collection",
    "record_collections",
    "record_queryables",
    "RecordCollection",
    "records_geopackage",
    "records_page",
    "replace_item",
    "revert_item",
    "run_once_more_if_disconnected",
    "sortables",
    "style_document",
    "tile_address",
    "tile_bytes",
    "tile_matrix_set",
    "tile_matrix_sets",
    "tilejson",
    "tileset",
    "tilesets_document",
    "TileSource",
]

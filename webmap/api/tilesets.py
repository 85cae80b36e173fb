"""How clients discover the vector tiles: MapLibre styles and OGC API – Tiles.

``/tiles/style.json`` draws every layer the caller may read,
``/tiles/{group}/style.json`` one layer group; both come from
:mod:`twin.api.tile_style` and take their tiles from the map's own
combined tiles (``/map/tiles/...?size=512``: one request per tile for every
type, kept in memory until the twin changes, with an ``ETag``), which is
also how the map page draws.  ``/tiles``, ``/tiles/{name}/WebMercatorQuad``
and ``/tileMatrixSets`` are the OGC API – Tiles documents of
:mod:`twin.api.tilesets`.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint

from layers import LAYERS, layer
from twin.api import (
    WEB_MERCATOR_QUAD,
    TileSource,
    draw_order,
    style_document,
    tile_matrix_set,
    tile_matrix_sets,
    tileset,
    tilesets_document,
)
from twin.declare import FeatureType
from twin.errors import NotFound
from webmap.map.access import current_principal, readable_layers

from .http import base_url, json_response
from .tiles import readable_tile_types, tile_names

__all__ = ["bp", "map_style"]

bp = Blueprint("tilesets", __name__)


def _source(source_id: str, fts: list[FeatureType]) -> TileSource:
    tables = ",".join(draw_order(ft.table for ft in fts))
    url = f"{base_url()}/map/tiles/{{z}}/{{x}}/{{y}}.mvt?size=512&t={quote(tables, safe=',')}"
    return TileSource(source_id, url, tuple(fts))


def map_style() -> dict:
    """The style of every layer the caller may read, from one combined source."""
    readable = readable_layers(current_principal())
    fts = [ft for lyr in LAYERS if lyr.name in readable for ft in lyr.feature_types]
    return style_document("twin", [_source("twin", fts)])


@bp.get("/tiles/style.json")
def whole_map_style():
    return json_response(map_style())


@bp.get("/tiles/<group>/style.json")
def group_style(group: str):
    try:
        lyr = layer(group)
    except KeyError:
        raise NotFound(f"no layer group named {group!r}") from None
    fts = readable_tile_types(lyr.name)  # the caller may read them, or the request is refused
    return json_response(style_document(lyr.name, [_source(lyr.name, fts)]))


@bp.get("/tiles")
def tileset_list():
    names = {}
    readable = readable_layers(current_principal())
    for name, fts in tile_names().items():
        if all(ft.layer in readable for ft in fts):
            names[name] = list(fts)
    return json_response(tilesets_document(names, base_url()))


@bp.get(f"/tiles/<name>/{WEB_MERCATOR_QUAD}")
def tileset_metadata(name: str):
    return json_response(tileset(name, readable_tile_types(name), base_url()))


@bp.get("/tileMatrixSets")
def matrix_sets():
    return json_response(tile_matrix_sets(base_url()))


@bp.get(f"/tileMatrixSets/{WEB_MERCATOR_QUAD}")
def web_mercator_quad():
    return json_response(tile_matrix_set())

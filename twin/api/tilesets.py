"""OGC API – Tiles documents for the vector tiles: tilesets, tileset metadata, WebMercatorQuad.

The tiles themselves stay at their XYZ addresses
(``/tiles/{name}/{z}/{x}/{y}.mvt``); the tileset metadata points at them with
a templated link, which OGC API – Tiles allows, so OGC clients discover the
same tiles that TileJSON and MapLibre clients use.  A tileset is a layer
group (``water``) or one collection (``water_pipe``); each is also described
by a MapLibre style (``/tiles/{group}/style.json``).
"""

from __future__ import annotations

from layers import layer
from twin.declare import FeatureType

from .tiles import MAX_ZOOM, tile_attributes

__all__ = [
    "TILES_CONFORMANCE",
    "WEB_MERCATOR_QUAD",
    "tile_matrix_set",
    "tile_matrix_sets",
    "tileset",
    "tilesets",
]

WEB_MERCATOR_QUAD = "WebMercatorQuad"
_TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
_CRS_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
_REL = "http://www.opengis.net/def/rel/ogc/1.0/"
_SPEC = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"
MVT = "application/vnd.mapbox-vector-tile"
JSON = "application/json"
STYLE = "application/vnd.mapbox.style+json"
#: Half the Web Mercator world, metres; the scale of zoom 0 at 0.28 mm pixels.
_ORIGIN_M = 20037508.3427892
_SCALE_Z0 = 559082264.028717
_CELL_Z0 = 156543.033928041

TILES_CONFORMANCE = [
    _SPEC + "core",
    _SPEC + "tileset",
    _SPEC + "tilesets-list",
    _SPEC + "dataset-tilesets",
    _SPEC + "geodata-tilesets",
    _SPEC + "mvt",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
]


def _link(href: str, rel: str, type_: str, title: str, **extra) -> dict:
    return {"href": href, "rel": rel, "type": type_, "title": title, **extra}


def _title(name: str, fts: list[FeatureType]) -> str:
    lyr = layer(fts[0].layer)
    return fts[0].en if len(fts) == 1 and name == fts[0].table else lyr.en


def _summary(name: str, fts: list[FeatureType], base: str) -> dict:
    """The short description of a tileset in the tilesets list."""
    return {
        "title": _title(name, fts),
        "dataType": "vector",
        "crs": _CRS_3857,
        "tileMatrixSetURI": _TMS_URI,
        "links": [
            _link(f"{base}/tiles/{name}/{WEB_MERCATOR_QUAD}", "self", JSON, "Tileset metadata"),
            _link(
                f"{base}/tileMatrixSets/{WEB_MERCATOR_QUAD}",
                _REL + "tiling-scheme",
                JSON,
                "WebMercatorQuad tile matrix set",
            ),
        ],
    }


def tilesets(named: dict[str, list[FeatureType]], base: str) -> dict:
    """``/tiles``: every tileset the caller may read (``named``: name to feature types)."""
    base = base.rstrip("/")
    return {
        "links": [
            _link(f"{base}/tiles", "self", JSON, "Vector tilesets"),
            _link(f"{base}/tiles/style.json", _REL + "style", STYLE, "Style of the whole map"),
        ],
        "tilesets": [_summary(name, fts, base) for name, fts in named.items()],
    }


def tileset(name: str, fts: list[FeatureType], base: str) -> dict:
    """``/tiles/{name}/WebMercatorQuad``: one tileset's metadata with its tile template."""
    base = base.rstrip("/")
    layers = [
        {
            "id": ft.table,
            "title": ft.en,
            "description": ft.vi,
            "dataType": "vector",
            "geometryDimension": {"Point": 0, "LineString": 1}.get(ft.geometry, 2),
            "minTileMatrix": str(ft.min_zoom),
            "maxTileMatrix": str(MAX_ZOOM),
            "propertiesSchema": {
                "type": "object",
                "properties": {n: {} for n in tile_attributes(ft)},
            },
        }
        for ft in fts
    ]
    links = [
        _link(f"{base}/tiles/{name}/{WEB_MERCATOR_QUAD}", "self", JSON, "This tileset"),
        _link(
            f"{base}/tiles/{name}/{{tileMatrix}}/{{tileCol}}/{{tileRow}}.mvt",
            "item",
            MVT,
            "Mapbox vector tiles",
            templated=True,
        ),
        _link(f"{base}/tiles/{name}.json", "describedby", JSON, "TileJSON"),
        _link(
            f"{base}/tileMatrixSets/{WEB_MERCATOR_QUAD}",
            _REL + "tiling-scheme",
            JSON,
            "WebMercatorQuad",
        ),
    ]
    if name == fts[0].layer:
        links.append(_link(f"{base}/tiles/{name}/style.json", _REL + "style", STYLE, "Style"))
    return {
        "title": _title(name, fts),
        "dataType": "vector",
        "crs": _CRS_3857,
        "tileMatrixSetURI": _TMS_URI,
        "tileMatrixSetLimits": [
            {
                "tileMatrix": str(z),
                "minTileRow": 0,
                "maxTileRow": 2**z - 1,
                "minTileCol": 0,
                "maxTileCol": 2**z - 1,
            }
            for z in range(min(ft.min_zoom for ft in fts), MAX_ZOOM + 1)
        ],
        "layers": layers,
        "links": links,
    }


def tile_matrix_sets(base: str) -> dict:
    """``/tileMatrixSets``: the one tiling scheme served, WebMercatorQuad."""
    href = f"{base.rstrip('/')}/tileMatrixSets/{WEB_MERCATOR_QUAD}"
    return {
        "tileMatrixSets": [
            {
                "id": WEB_MERCATOR_QUAD,
                "title": "Google Maps Compatible for the World",
                "uri": _TMS_URI,
                "links": [_link(href, "self", JSON, WEB_MERCATOR_QUAD)],
            }
        ]
    }


def tile_matrix_set() -> dict:
    """The WebMercatorQuad definition (OGC Two Dimensional Tile Matrix Set 2.0, JSON)."""
    return {
        "id": WEB_MERCATOR_QUAD,
        "title": "Google Maps Compatible for the World",
        "uri": _TMS_URI,
        "crs": _CRS_3857,
        "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": [
            {
                "id": str(z),
                "scaleDenominator": _SCALE_Z0 / 2**z,
                "cellSize": _CELL_Z0 / 2**z,
                "cornerOfOrigin": "topLeft",
                "pointOfOrigin": [-_ORIGIN_M, _ORIGIN_M],
                "tileWidth": 256,
                "tileHeight": 256,
                "matrixWidth": 2**z,
                "matrixHeight": 2**z,
            }
            for z in range(MAX_ZOOM + 1)
        ],
    }

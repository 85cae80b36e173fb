"""The OpenAPI 3.0 document of the whole API, derived from the layer declarations.

Every collection gets its own paths (as OGC API – Features recommends), with
the query parameters its queryables allow and the request and response
schemas its declaration implies (:mod:`twin.api.schema`); so does each
record collection, an inspection form or the work orders
(:mod:`twin.api.openapi_records`).  Nothing here is a
hand-written copy of a layer.
"""

from __future__ import annotations

from functools import lru_cache

from layers import LAYERS, feature_types

from .openapi_collections import collection_paths
from .openapi_common import ERRORS, PROBLEM, content, ref, responses
from .openapi_records import record_paths
from .parameters import ITEM_PARAMETERS
from .parameters import param as _param
from .record_collections import record_collections
from .schema import feature_schema
from .tiles import MAX_ZOOM

__all__ = ["openapi"]

def _parameters() -> dict:
    return {
        **ITEM_PARAMETERS,
        "featureId": _param(
            "featureId",
            "path",
            {"type": "string", "minLength": 1},
            "The asset code.",
            required=True,
        ),
        "If-Match": _param(
            "If-Match",
            "header",
            {"type": "string", "pattern": '^"[0-9]+"$'},
            "ETag (version) of the feature the edit is based on.",
            required=True,
        ),
        "Content-Crs": _param(
            "Content-Crs",
            "header",
            {"type": "string"},
            "CRS of the geometry in the body, as <uri> (default CRS84).",
        ),
        "reason": _param(
            "reason",
            "query",
            {"type": "string", "maxLength": 500},
            "Why the change was made (kept in the history).",
        ),
        "z": _param(
            "z",
            "path",
            {"type": "integer", "minimum": 0, "maximum": MAX_ZOOM},
            "Zoom.",
            required=True,
        ),
        "x": _param("x", "path", {"type": "integer", "minimum": 0}, "Column.", required=True),
        "y": _param("y", "path", {"type": "integer", "minimum": 0}, "Row.", required=True),
    }


def _tile_paths(name: str, title: str, tag: str) -> dict:
    return {
        f"/tiles/{name}/{{z}}/{{x}}/{{y}}.mvt": {
            "get": {
                "tags": [tag],
                "summary": f"{title}: vector tile",
                "operationId": f"tile_{name}",
                "parameters": [ref("z"), ref("x"), ref("y"), ref("datetime")],
                "responses": responses(
                    "200 Mapbox Vector Tile (empty below min zoom)",
                    {
                        "application/vnd.mapbox-vector-tile": {
                            "schema": {"type": "string", "format": "binary"}
                        }
                    },
                    400,
                    401,
                    403,
                ),
            }
        },
        f"/tiles/{name}.json": {
            "get": {
                "tags": [tag],
                "summary": f"{title}: TileJSON",
                "operationId": f"tilejson_{name}",
                "responses": responses("200 TileJSON 3.0", content({"type": "object"}), 401, 403),
            }
        },
        f"/tiles/{name}/WebMercatorQuad": {
            "get": {
                "tags": [tag],
                "summary": f"{title}: tileset metadata (OGC API – Tiles)",
                "operationId": f"tileset_{name}",
                "responses": responses("200 Tileset", content({"type": "object"}), 401, 403),
            }
        },
    }


def _style_path(name: str, title: str) -> dict:
    return {
        f"/tiles/{name}/style.json": {
            "get": {
                "tags": [name],
                "summary": f"{title}: MapLibre style",
                "operationId": f"style_{name}",
                "responses": responses("200 Style (version 8)", content({"type": "object"}), 401),
            }
        }
    }


def _common_paths() -> dict:
    def simple(op: str, summary: str, tag: str = "service") -> dict:
        return {
            "get": {
                "tags": [tag],
                "summary": summary,
                "operationId": op,
                "parameters": [ref("f")] if op != "me" else [],
                "responses": responses("200 OK", content({"type": "object"})),
            }
        }

    return {
        "/": simple("landing_page", "Landing page"),
        "/conformance": simple("conformance", "Conformance classes"),
        "/collections": simple("collections", "The collections the caller may read"),
        "/me": simple("me", "Who is logged in, their role and a CSRF token", "auth"),
        "/tiles": simple("tilesets", "Vector tilesets the caller may read", "tiles"),
        "/tiles/style.json": simple("style", "MapLibre style of the whole map", "tiles"),
        "/tileMatrixSets": simple("tile_matrix_sets", "Tile matrix sets", "tiles"),
        "/tileMatrixSets/WebMercatorQuad": simple("web_mercator_quad", "WebMercatorQuad", "tiles"),
    }


def _problem_responses() -> dict:
    problem = {
        "type": "object",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "problems": {"type": "array", "items": {"type": "object"}},
            "current": {"type": "object"},
        },
    }
    return {
        str(code): {"description": text, "content": content(problem, PROBLEM)}
        for code, text in ERRORS.items()
    }


@lru_cache(maxsize=8)
def openapi(base: str, *, title: str = "Digital twin API") -> dict:
    """The OpenAPI 3.0 document, served at ``/api``."""
    paths = _common_paths()
    schemas = {}
    for ft in feature_types():
        paths.update(collection_paths(ft))
        paths.update(_tile_paths(ft.table, ft.en, ft.layer))
        schemas[ft.table] = feature_schema(ft, mode="read")
        schemas[f"{ft.table}_create"] = feature_schema(ft, mode="create")
        schemas[f"{ft.table}_patch"] = feature_schema(ft, mode="patch")
    for lyr in LAYERS:
        paths.update(_tile_paths(lyr.name, f"{lyr.en} (all feature types)", lyr.name))
        paths.update(_style_path(lyr.name, lyr.en))
    for rc in record_collections().values():
        paths.update(record_paths(rc))
    return {
        "openapi": "3.0.3",
        "info": {
            "title": title,
            "version": "1.0.0",
            "description": "OGC API – Features (Parts 1, 2, 3, 4) and vector tiles of the "
            "twin's layers. Read anonymously (open-data layers only), with a "
            "browser session, or with 'Authorization: Bearer <token>'.",
            "license": {"name": "GPL-3.0-or-later"},
        },
        "servers": [{"url": base.rstrip("/") or "/"}],
        "tags": [{"name": "service"}, {"name": "auth"}]
        + [{"name": lyr.name, "description": f"{lyr.en} ({lyr.vi})"} for lyr in LAYERS],
        "paths": paths,
        "components": {
            "parameters": _parameters(),
            "schemas": schemas,
            "responses": _problem_responses(),
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token from 'twin users token NAME'.",
                },
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "Browser session after /login (writes need the "
                    "X-CSRFToken header from /me).",
                },
            },
        },
        "security": [{}, {"bearerToken": []}, {"session": []}],
    }

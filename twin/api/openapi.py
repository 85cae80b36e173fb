"""The OpenAPI 3.0 document of the whole API, derived from the layer declarations.

Every collection gets its own paths (as OGC API – Features recommends), with
the query parameters its queryables allow and the request and response
schemas its declaration implies (:mod:`twin.api.schema`).  Nothing here is a
hand-written copy of a layer.
"""

from __future__ import annotations

from functools import lru_cache

from layers import LAYERS, feature_types
from twin.declare import FeatureType

from .parameters import ITEM_PARAMETERS
from .parameters import param as _param
from .schema import feature_schema, property_schema, queryable_types
from .tiles import MAX_ZOOM

__all__ = ["openapi"]

GEOJSON = "application/geo+json"
PROBLEM = "application/problem+json"


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


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _json(schema: dict, media: str = "application/json") -> dict:
    return {media: {"schema": schema}}


ERRORS = {
    400: "Invalid parameter",
    401: "Log in or send a token",
    403: "Not allowed for this role",
    404: "Not found",
    412: "Stale If-Match version: the body carries the current state",
    422: "Invalid feature: every failed field and rule",
    428: "If-Match required",
}


def _responses(ok: str, content: dict | None = None, *errors: int) -> dict:
    code, description = ok.split(" ", 1)
    out = {code: {"description": description, **({"content": content} if content else {})}}
    out.update({str(e): {"$ref": f"#/components/responses/{e}"} for e in errors})
    return out


def _collection_paths(ft: FeatureType) -> dict:
    t = ft.table
    tag = [ft.layer]
    feature = {"$ref": f"#/components/schemas/{t}"}
    collection_of = {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": feature},
            "numberMatched": {"type": "integer"},
            "numberReturned": {"type": "integer"},
            "links": {"type": "array", "items": {"type": "object"}},
        },
    }
    filters = [
        _param(
            name,
            "query",
            property_schema(kind),
            f"Only features whose {name} equals this value (comma-separated: any of them).",
        )
        for name, kind in queryable_types(ft).items()
    ]
    edit_body = {
        "required": True,
        "content": _json({"$ref": f"#/components/schemas/{t}_create"}, GEOJSON)
        | _json({"$ref": f"#/components/schemas/{t}_create"}),
    }
    patch_body = {
        "required": True,
        "content": _json(
            {"$ref": f"#/components/schemas/{t}_patch"}, "application/merge-patch+json"
        )
        | _json({"$ref": f"#/components/schemas/{t}_patch"}),
    }
    item = [_ref("featureId")]
    write = [_ref("If-Match"), _ref("Content-Crs"), _ref("reason")]
    return {
        f"/collections/{t}": {
            "get": {
                "tags": tag,
                "summary": f"{ft.en}: description",
                "operationId": f"describe_{t}",
                "parameters": [_ref("f")],
                "responses": _responses("200 The collection", _json({"type": "object"}), 401, 403),
            }
        },
        **{
            f"/collections/{t}/{kind}": {
                "get": {
                    "tags": tag,
                    "summary": f"{ft.en}: {kind}",
                    "operationId": f"{kind}_{t}",
                    "responses": _responses(
                        f"200 JSON schema of {kind}",
                        _json({"type": "object"}, "application/schema+json"),
                        401,
                        403,
                    ),
                }
            }
            for kind in ("queryables", "sortables")
        },
        f"/collections/{t}/items": {
            "get": {
                "tags": tag,
                "summary": f"{ft.en}: features",
                "operationId": f"items_{t}",
                "parameters": [_ref(p) for p in ITEM_PARAMETERS] + filters,
                "responses": _responses(
                    "200 A page of features", _json(collection_of, GEOJSON), 400, 401, 403
                ),
            },
            "post": {
                "tags": tag,
                "summary": f"{ft.en}: create",
                "operationId": f"create_{t}",
                "parameters": [_ref("Content-Crs"), _ref("reason")],
                "requestBody": edit_body,
                "responses": _responses(
                    "201 Created (Location, ETag)", _json(feature, GEOJSON), 400, 401, 403, 422
                ),
            },
        },
        f"/collections/{t}/items/{{featureId}}": {
            "get": {
                "tags": tag,
                "summary": f"{ft.en}: one feature",
                "operationId": f"item_{t}",
                "parameters": item + [_ref("crs"), _ref("datetime"), _ref("f")],
                "responses": _responses(
                    "200 The feature (ETag = version)", _json(feature, GEOJSON), 400, 401, 403, 404
                ),
            },
            "put": {
                "tags": tag,
                "summary": f"{ft.en}: replace",
                "operationId": f"replace_{t}",
                "parameters": item + write,
                "requestBody": edit_body,
                "responses": _responses(
                    "200 Replaced", _json(feature, GEOJSON), 400, 401, 403, 404, 412, 422, 428
                ),
            },
            "patch": {
                "tags": tag,
                "summary": f"{ft.en}: update (merge patch)",
                "operationId": f"update_{t}",
                "parameters": item + write,
                "requestBody": patch_body,
                "responses": _responses(
                    "200 Updated", _json(feature, GEOJSON), 400, 401, 403, 404, 412, 422, 428
                ),
            },
            "delete": {
                "tags": tag,
                "summary": f"{ft.en}: delete",
                "operationId": f"delete_{t}",
                "parameters": item + [_ref("If-Match"), _ref("reason")],
                "responses": _responses("204 Deleted", None, 400, 401, 403, 404, 412, 428),
            },
        },
        f"/collections/{t}/items/{{featureId}}/history": {
            "get": {
                "tags": tag,
                "summary": f"{ft.en}: versions of a feature",
                "operationId": f"history_{t}",
                "parameters": item,
                "responses": _responses(
                    "200 Versions, oldest first", _json({"type": "object"}), 401, 403, 404
                ),
            }
        },
        f"/collections/{t}/items/{{featureId}}/revert": {
            "post": {
                "tags": tag,
                "summary": f"{ft.en}: revert to a version (admin)",
                "operationId": f"revert_{t}",
                "parameters": item + [_ref("If-Match")],
                "requestBody": {
                    "required": True,
                    "content": _json(
                        {
                            "type": "object",
                            "required": ["version"],
                            "properties": {
                                "version": {"type": "integer", "minimum": 1},
                                "reason": {"type": "string", "maxLength": 500},
                            },
                        }
                    ),
                },
                "responses": _responses(
                    "200 Reverted", _json(feature, GEOJSON), 400, 401, 403, 404, 412, 422, 428
                ),
            }
        },
    }


def _tile_paths(name: str, title: str, tag: str) -> dict:
    return {
        f"/tiles/{name}/{{z}}/{{x}}/{{y}}.mvt": {
            "get": {
                "tags": [tag],
                "summary": f"{title}: vector tile",
                "operationId": f"tile_{name}",
                "parameters": [_ref("z"), _ref("x"), _ref("y"), _ref("datetime")],
                "responses": _responses(
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
                "responses": _responses("200 TileJSON 3.0", _json({"type": "object"}), 401, 403),
            }
        },
        f"/tiles/{name}/WebMercatorQuad": {
            "get": {
                "tags": [tag],
                "summary": f"{title}: tileset metadata (OGC API – Tiles)",
                "operationId": f"tileset_{name}",
                "responses": _responses("200 Tileset", _json({"type": "object"}), 401, 403),
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
                "responses": _responses("200 Style (version 8)", _json({"type": "object"}), 401),
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
                "parameters": [_ref("f")] if op != "me" else [],
                "responses": _responses("200 OK", _json({"type": "object"})),
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
        str(code): {"description": text, "content": _json(problem, PROBLEM)}
        for code, text in ERRORS.items()
    }


@lru_cache(maxsize=8)
def openapi(base: str, *, title: str = "Digital twin API") -> dict:
    """The OpenAPI 3.0 document, served at ``/api``."""
    paths = _common_paths()
    schemas = {}
    for ft in feature_types():
        paths.update(_collection_paths(ft))
        paths.update(_tile_paths(ft.table, ft.en, ft.layer))
        schemas[ft.table] = feature_schema(ft, mode="read")
        schemas[f"{ft.table}_create"] = feature_schema(ft, mode="create")
        schemas[f"{ft.table}_patch"] = feature_schema(ft, mode="patch")
    for lyr in LAYERS:
        paths.update(_tile_paths(lyr.name, f"{lyr.en} (all feature types)", lyr.name))
        paths.update(_style_path(lyr.name, lyr.en))
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

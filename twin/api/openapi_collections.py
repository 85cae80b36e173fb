"""The OpenAPI paths of one feature collection, derived from its declaration.

Description, queryables and sortables, the items (read and create), one
feature (read, replace, update, delete), its versions and its revert, each
with the parameters and schemas the feature type implies.
"""

from __future__ import annotations

from twin.declare import FeatureType

from .openapi_common import GEOJSON, content, ref, responses
from .parameters import ITEM_PARAMETERS
from .parameters import param as _param
from .schema import property_schema, queryable_types

__all__ = ["collection_paths"]


def collection_paths(ft: FeatureType) -> dict:
    """``{path: operations}`` of the collection of ``ft``."""
    return {
        **_description_paths(ft),
        **_items_paths(ft),
        **_feature_paths(ft),
        **_version_paths(ft),
    }


def _op(ft: FeatureType, name: str, summary: str, answers: dict, *,
        parameters: list | None = None, body: dict | None = None) -> dict:
    """One operation on the collection of ``ft``, tagged with its layer."""
    op = {"tags": [ft.layer], "summary": f"{ft.en}: {summary}", "operationId": f"{name}_{ft.table}"}
    if parameters is not None:
        op["parameters"] = parameters
    if body is not None:
        op["requestBody"] = body
    op["responses"] = answers
    return op


def _feature(ft: FeatureType, mode: str = "") -> dict:
    """The schema of a feature of ``ft`` as read, or as sent to create or patch it."""
    return {"$ref": f"#/components/schemas/{ft.table}{mode and '_' + mode}"}


def _description_paths(ft: FeatureType) -> dict:
    t = ft.table
    return {
        f"/collections/{t}": {
            "get": _op(ft, "describe", "description",
                       responses("200 The collection", content({"type": "object"}), 401, 403),
                       parameters=[ref("f")])
        },
        **{
            f"/collections/{t}/{kind}": {
                "get": _op(ft, kind, kind, responses(
                    f"200 JSON schema of {kind}",
                    content({"type": "object"}, "application/schema+json"),
                    401,
                    403,
                ))
            }
            for kind in ("queryables", "sortables")
        },
    }


def _items_paths(ft: FeatureType) -> dict:
    feature = _feature(ft)
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
    return {
        f"/collections/{ft.table}/items": {
            "get": _op(ft, "items", "features", responses(
                "200 A page of features", content(collection_of, GEOJSON), 400, 401, 403
            ), parameters=[ref(p) for p in ITEM_PARAMETERS] + filters),
            "post": _op(ft, "create", "create", responses(
                "201 Created (Location, ETag)", content(feature, GEOJSON), 400, 401, 403, 422
            ), parameters=[ref("Content-Crs"), ref("reason")], body=_edit_body(ft)),
        },
    }


def _edit_body(ft: FeatureType) -> dict:
    create = _feature(ft, "create")
    return {"required": True, "content": content(create, GEOJSON) | content(create)}


def _feature_paths(ft: FeatureType) -> dict:
    feature = _feature(ft)
    patch = _feature(ft, "patch")
    patch_body = {
        "required": True,
        "content": content(patch, "application/merge-patch+json") | content(patch),
    }
    item = [ref("featureId")]
    write = [ref("If-Match"), ref("Content-Crs"), ref("reason")]
    changed = (400, 401, 403, 404, 412, 422, 428)
    return {
        f"/collections/{ft.table}/items/{{featureId}}": {
            "get": _op(ft, "item", "one feature", responses(
                "200 The feature (ETag = version)", content(feature, GEOJSON), 400, 401, 403, 404
            ), parameters=item + [ref("crs"), ref("datetime"), ref("f")]),
            "put": _op(ft, "replace", "replace",
                       responses("200 Replaced", content(feature, GEOJSON), *changed),
                       parameters=item + write, body=_edit_body(ft)),
            "patch": _op(ft, "update", "update (merge patch)",
                         responses("200 Updated", content(feature, GEOJSON), *changed),
                         parameters=item + write, body=patch_body),
            "delete": _op(ft, "delete", "delete",
                          responses("204 Deleted", None, 400, 401, 403, 404, 412, 428),
                          parameters=item + [ref("If-Match"), ref("reason")]),
        },
    }


def _version_paths(ft: FeatureType) -> dict:
    item = [ref("featureId")]
    version = {
        "type": "object",
        "required": ["version"],
        "properties": {
            "version": {"type": "integer", "minimum": 1},
            "reason": {"type": "string", "maxLength": 500},
        },
    }
    return {
        f"/collections/{ft.table}/items/{{featureId}}/history": {
            "get": _op(ft, "history", "versions of a feature", responses(
                "200 Versions, oldest first", content({"type": "object"}), 401, 403, 404
            ), parameters=item)
        },
        f"/collections/{ft.table}/items/{{featureId}}/revert": {
            "post": _op(ft, "revert", "revert to a version (admin)", responses(
                "200 Reverted", content(_feature(ft), GEOJSON), 400, 401, 403, 404, 412, 422, 428
            ), parameters=item + [ref("If-Match")], body={"required": True,
                                                          "content": content(version)})
        },
    }

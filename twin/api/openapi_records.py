"""The OpenAPI paths of one record collection (an inspection form, the work orders).

Derived from the :class:`~twin.api.record_collections.RecordCollection` as a
layer's paths are from its declaration: the description, the queryables,
the items with the parameters :mod:`twin.api.record_items` reads, and one
record.  A record's schema is that of the form's checks, every value
nullable but the id (an answer left out, a person masked for anonymous
readers reads ``[hidden]``, a text).  Records are read-only: no write
operation is described.  Schemas are written into the paths, so the
layers' part of the document stays as it was.
"""

from __future__ import annotations

from .openapi_common import GEOJSON, content, ref, responses
from .parameters import param
from .record_collections import RecordCollection
from .record_exports import GEOPACKAGE
from .schema import GEOMETRY_SCHEMAS

__all__ = ["record_paths"]

_HTML = {"text/html": {"schema": {"type": "string"}}}
_MULTIPOINT = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {
        "type": {"type": "string", "enum": ["MultiPoint"]},
        "coordinates": {"type": "array", "items": GEOMETRY_SCHEMAS["Point"]["properties"][
            "coordinates"]},
    },
}
_LINKS = {"type": "array", "items": {"type": "object"}}
#: The parameters of ``/items`` that read the same on a layer and on a record collection.
_SHARED = ("limit", "offset", "bbox", "bbox-crs", "filter", "filter-lang", "filter-crs")


def record_paths(rc: RecordCollection) -> dict:
    """``{path: operations}`` of the record collection ``rc``."""
    here = f"/collections/{rc.id}"
    return {
        here: {"get": _op(rc, "describe", "description", responses(
            "200 The collection", content({"type": "object"}) | _HTML, 401, 403),
            [_format("json", "html")])},
        f"{here}/queryables": {"get": _op(rc, "queryables", "queryables", responses(
            "200 JSON schema of queryables",
            content({"type": "object"}, "application/schema+json"), 401, 403))},
        f"{here}/items": {"get": _op(rc, "items", "records", responses(
            "200 A page of records, as GeoJSON, CSV, GeoPackage or HTML",
            content(_page(rc), GEOJSON) | _exports(), 400, 401, 403),
            _items_parameters(rc))},
        f"{here}/items/{{recordId}}": {"get": _op(rc, "item", "one record", responses(
            "200 The record", content(_record(rc), GEOJSON) | _HTML, 400, 401, 403, 404),
            [param("recordId", "path", {"type": "string", "minLength": 1},
                   "The record's id.", required=True), _format("json", "html")])},
    }


def _op(rc: RecordCollection, name: str, summary: str, answers: dict,
        parameters: list | None = None) -> dict:
    tag = rc.layer or "maintenance"
    op = {"tags": [tag], "summary": f"{rc.title}: {summary}",
          "operationId": f"{name}_{rc.id}"}
    if parameters is not None:
        op["parameters"] = parameters
    op["responses"] = answers
    return op


def _format(*allowed: str) -> dict:
    return param("f", "query", {"type": "string", "enum": list(allowed)},
                 "Response format (otherwise from the Accept header).")


def _exports() -> dict:
    return {"text/csv": {"schema": {"type": "string"}},
            GEOPACKAGE: {"schema": {"type": "string", "format": "binary"}}, **_HTML}


def _items_parameters(rc: RecordCollection) -> list:
    names = [name for key in rc.types for name in (key, f"-{key}")]
    when = " to ".join(dict.fromkeys(rc.period))
    filters = [param(name, "query", rc.schemas[name],
                     f"Only records whose {name} equals this value (comma-separated: any).")
               for name in rc.types]
    return [ref(name) for name in _SHARED] + [
        param("datetime", "query", {"type": "string"},
              f"An instant or an interval (a/b, '..' for an open end, RFC 3339 or dates) "
              f"that the record's {when} must meet."),
        param("sortby", "query", {"type": "array", "items": {"type": "string", "enum": names}},
              "Queryables to sort on, '-' before a name for descending; newest first "
              "breaks ties.", style="form", explode=False),
        _format("json", "html", "csv", "gpkg"),
        *filters,
    ]


def _record(rc: RecordCollection) -> dict:
    props = {name: schema if name == "id" else {**schema, "nullable": True}
             for name, schema in rc.schemas.items()}
    props.update({name: {"type": "array", "items": {"type": "string"}} for name in rc.shown})
    geometry = {**GEOMETRY_SCHEMAS, "MultiPoint": _MULTIPOINT}[rc.geometry]
    return {
        "type": "object", "title": rc.title, "required": ["type", "id", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "integer"},
            "geometry": {**geometry, "nullable": True},
            "properties": {"type": "object", "required": ["id"], "properties": props},
            "links": _LINKS,
        },
    }


def _page(rc: RecordCollection) -> dict:
    return {
        "type": "object", "required": ["type", "features", "numberMatched", "numberReturned"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": _record(rc)},
            "numberMatched": {"type": "integer", "minimum": 0},
            "numberReturned": {"type": "integer", "minimum": 0},
            "timeStamp": {"type": "string", "format": "date-time"},
            "links": _LINKS,
        },
    }

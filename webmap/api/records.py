"""Inspections and work orders in ``/collections``: thin views over :mod:`twin.api`.

The feature views (:mod:`webmap.api.features`) hand a collection id that
names a record collection to these.  An inspection form's collection is
read by whoever may read its assets' layer (anonymous readers only for an
open layer, with the inspector masked and no photos); work orders by
signed-in users only.  ``f=csv`` and ``f=gpkg`` export the page asked for
(``limit`` up to the API's maximum).
"""

from __future__ import annotations

from flask import Response

from twin import api
from twin.auth import require
from twin.errors import NotFound

from ..auth.setup import anonymous_layers, current_principal
from ..db import get_session
from .http import GEOJSON, base_url, json_response, params, revalidated
from .record_csv import csv_response

__all__ = ["is_record_collection", "readable_records", "record_collection",
           "record_item", "record_items", "record_queryables"]

_FORMATS = ("json", "csv", "gpkg")


def is_record_collection(collection_id: str) -> bool:
    return collection_id in api.record_collections()


def _may_read(rc: api.RecordCollection) -> bool:
    who = current_principal()
    return not who.anonymous or (rc.layer is not None and rc.layer in anonymous_layers())


def _readable(collection_id: str) -> api.RecordCollection:
    rc = api.record_collections().get(collection_id)
    if rc is None:
        raise NotFound(f"no collection {collection_id!r}; see /collections")
    if not _may_read(rc):
        require(current_principal(), "read", f"reading {rc.id}")
    return rc


def readable_records() -> list[dict]:
    """The record collections the caller may read, as ``/collections`` lists them."""
    base = base_url()
    return [api.record_collection(rc, base) for rc in api.record_collections().values()
            if _may_read(rc)]


def record_collection(collection_id: str) -> Response:
    return json_response(api.record_collection(_readable(collection_id), base_url()))


def record_queryables(collection_id: str) -> Response:
    body = api.record_queryables(_readable(collection_id), base_url(),
                                 anonymous=current_principal().anonymous)
    return json_response(body, mimetype="application/schema+json")


def _format() -> str:
    f = params().get("f", "json")
    if f not in _FORMATS:
        raise api.bad_parameter("f", "allowed_values", f"{f!r}: use {', '.join(_FORMATS)}")
    return f


def record_items(collection_id: str) -> Response:
    rc, f = _readable(collection_id), _format()
    anonymous = current_principal().anonymous
    q = api.parse_records_query(rc, params(), anonymous=anonymous)
    page = api.records_page(get_session(), rc, q, base=base_url(), params=params(),
                            anonymous=anonymous)
    if f == "csv":
        return csv_response(rc.id, page["features"])
    if f == "gpkg":
        return Response(api.records_geopackage(rc, page["features"]), mimetype=api.GEOPACKAGE,
                        headers={"Content-Disposition": f'attachment; filename="{rc.id}.gpkg"'})
    return json_response(page, mimetype=GEOJSON, headers=revalidated())


def record_item(collection_id: str, record_id: str) -> Response:
    rc = _readable(collection_id)
    feature = api.read_record(get_session(), rc, record_id, base=base_url(),
                              anonymous=current_principal().anonymous)
    return json_response(feature, mimetype=GEOJSON, headers=revalidated())

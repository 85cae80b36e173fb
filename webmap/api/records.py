"""Inspections and work orders in ``/collections``: thin views over :mod:`twin.api`.

The feature views (:mod:`webmap.api.features`) hand a collection id that
names a record collection to these.  An inspection form's collection is
read by whoever may read its assets' layer (anonymous readers only for an
open layer, with the inspector masked and no photos); work orders by
signed-in users only.  ``f=csv`` and ``f=gpkg`` export the page asked for
(``limit`` up to the API's maximum); browsers (or ``f=html``) get pages in
the reader's language, without the people's columns for anonymous readers.
"""

from __future__ import annotations

from flask import Response, request

from twin import api
from twin.auth import require
from twin.errors import NotFound

from ..auth.setup import anonymous_layers, current_principal
from ..db import get_session
from .http import GEOJSON, base_url, json_response, params, render, revalidated, wants_html
from .record_csv import csv_response

__all__ = ["is_record_collection", "readable_records", "record_collection",
           "record_item", "record_items", "record_queryables"]

_FORMATS = ("json", "html", "csv", "gpkg")


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


def _page(template: str, rc: api.RecordCollection, body: dict) -> Response:
    """``body`` as an HTML page: the columns are what the reader may see."""
    anonymous = current_principal().anonymous
    columns = [*rc.queryable_types(anonymous=anonymous), *rc.shown]
    page = render(template, body, rc=rc, columns=columns,
                  checks={a.name: a for a in rc.checks})
    page.headers.update(revalidated())
    return page


def _html(f: str) -> bool:
    return f == "html" or ("f" not in request.args and wants_html())


def record_collection(collection_id: str) -> Response:
    rc = _readable(collection_id)
    body = api.record_collection(rc, base_url())
    return _page("record_collection.html", rc, body) if wants_html() else json_response(body)


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
    if _html(f):
        return _page("record_items.html", rc, page)
    return json_response(page, mimetype=GEOJSON, headers=revalidated())


def record_item(collection_id: str, record_id: str) -> Response:
    rc = _readable(collection_id)
    feature = api.read_record(get_session(), rc, record_id, base=base_url(),
                              anonymous=current_principal().anonymous)
    if wants_html():
        return _page("record_item.html", rc, feature)
    return json_response(feature, mimetype=GEOJSON, headers=revalidated())

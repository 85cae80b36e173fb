"""OGC API – Features: landing page, conformance, OpenAPI, collections and items.

Each view parses the request, calls :mod:`twin.api` and builds the response
(GeoJSON, or HTML for browsers).  Writes are in :mod:`webmap.api.editing`,
registered on the same blueprint (:mod:`webmap.api.blueprint`).
"""

from __future__ import annotations

from flask import Response, current_app, redirect, request, url_for

from twin import api as ogc
from twin.api import (
    api_crs,
    etag,
    history_of,
    items_page,
    openapi_document,
    parse_datetime,
    parse_items_query,
    read_item,
)

from ..auth.setup import current_principal
from ..db import get_session
from . import records
from .blueprint import bp
from .http import (
    GEOJSON,
    api_read_engine,
    base_url,
    collection_or_404,
    json_response,
    params,
    readable_feature_types,
    render,
    revalidated,
    sees_personal_data,
    wants_html,
)

__all__ = ["bp"]

def _answer(body: dict, template: str, *, mimetype: str = "application/json", **context):
    if wants_html():
        return render(template, body, **context)
    return json_response(body, mimetype=mimetype)


@bp.get("/")
def landing():
    # A person opening the twin lands on the map; tools (and ?f=html) get the
    # OGC landing page.
    if wants_html() and "f" not in request.args and "map.index" in current_app.view_functions:
        return redirect(url_for("map.index"))
    return _answer(ogc.landing_page(base_url()), "landing.html")


@bp.get("/conformance")
def conformance():
    return _answer(ogc.conformance(), "conformance.html")


@bp.get("/api")
def api_document():
    return json_response(
        openapi_document(base_url()), mimetype="application/vnd.oai.openapi+json;version=3.0"
    )


@bp.get("/collections")
def collections():
    session = get_session()
    fts = readable_feature_types()
    extents = {ft.table: ogc.extent_of(session, ft) for ft in fts}
    body = ogc.collections_document(fts, base_url(), extents=extents)
    body["collections"] += records.readable_records()
    return _answer(body, "collections.html")


@bp.get("/collections/<collection_id>")
def collection(collection_id: str):
    if records.is_record_collection(collection_id):
        return records.record_collection(collection_id)
    ft = collection_or_404(collection_id)
    body = ogc.collection(ft, base_url(), bbox=ogc.extent_of(get_session(), ft))
    return _answer(body, "collection.html", ft=ft)


def _schema_response(collection_id: str, schema_of):
    ft = collection_or_404(collection_id)
    users = not current_principal().anonymous
    body = schema_of(ft, base_url(), personal=sees_personal_data(), users=users)
    return json_response(body, mimetype="application/schema+json")


@bp.get("/collections/<collection_id>/queryables")
def queryables(collection_id: str):
    if records.is_record_collection(collection_id):
        return records.record_queryables(collection_id)
    return _schema_response(collection_id, ogc.queryables)


@bp.get("/collections/<collection_id>/sortables")
def sortables(collection_id: str):
    return _schema_response(collection_id, ogc.sortables)


@bp.get("/collections/<collection_id>/items")
def items(collection_id: str):
    if records.is_record_collection(collection_id):
        return records.record_items(collection_id)
    ft = collection_or_404(collection_id)
    args = params()
    personal, users = sees_personal_data(), not current_principal().anonymous
    q = parse_items_query(ft, args, personal=personal, users=users)
    url = f"{base_url()}/collections/{ft.table}/items"
    with api_read_engine().connect() as conn:
        page = items_page(
            conn, ft, q, url=url, params=args, hide_personal=not personal, hide_users=not users
        )
    if wants_html():
        return render("items.html", page.to_dict(), ft=ft)
    headers = {"Content-Crs": f"<{q.crs.uri}>"}
    return Response(page.to_json(), mimetype=GEOJSON, headers=headers)


@bp.get("/collections/<collection_id>/items/<feature_id>")
def item(collection_id: str, feature_id: str):
    if records.is_record_collection(collection_id):
        return records.record_item(collection_id, feature_id)
    ft = collection_or_404(collection_id)
    crs = api_crs(params().get("crs"))
    when = parse_datetime(params().get("datetime"))
    with api_read_engine().connect() as conn:
        feature = read_item(
            conn,
            ft,
            feature_id,
            when=when,
            crs=crs,
            hide_personal=not sees_personal_data(),
            hide_users=current_principal().anonymous,
        )
    feature["links"] = [
        {
            "href": f"{base_url()}/collections/{ft.table}/items/{feature_id}",
            "rel": "self",
            "type": GEOJSON,
            "title": "This feature",
        },
        {
            "href": f"{base_url()}/collections/{ft.table}",
            "rel": "collection",
            "type": "application/json",
            "title": ft.en,
        },
        {
            "href": f"{base_url()}/collections/{ft.table}/items/{feature_id}/history",
            "rel": "version-history",
            "type": "application/json",
            "title": "Versions",
        },
    ]
    if wants_html():
        page = render("item.html", feature, ft=ft)
        page.headers.update(revalidated())
        return page
    headers = {"ETag": etag(feature["properties"]["version"]), "Content-Crs": f"<{crs.uri}>",
               **revalidated()}
    return json_response(feature, mimetype=GEOJSON, headers=headers)


@bp.get("/collections/<collection_id>/items/<feature_id>/history")
def history(collection_id: str, feature_id: str):
    ft = collection_or_404(collection_id)
    personal = set() if sees_personal_data() else {a.name for a in ft.attributes if a.personal}
    users = not current_principal().anonymous
    versions = history_of(get_session(), ft.table, feature_id, personal=personal, users=users)
    body = {"collection": ft.table, "id": feature_id, "versions": versions}
    return _answer(body, "history.html", ft=ft)


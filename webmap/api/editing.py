"""Writes of OGC API – Features Part 4: POST, PUT, PATCH, DELETE, and revert.

Every write needs a role that may do it, browser sessions need the CSRF
header (see :mod:`webmap.auth.setup`), and PUT/PATCH/DELETE need
``If-Match`` with the version the client saw.  The role is asked from the
URL alone (:func:`_writable`) before the body is read, so an anonymous or
read-only caller costs no parsing; :mod:`twin.api.edit` asks again with the
fields the body touches.  The edit and its history are committed together.
"""

from __future__ import annotations

from flask import Response, request

from twin.api import create_item, delete_item, etag, patch_item, replace_item, revert_item
from twin.auth import require, require_write
from twin.declare import FeatureType
from twin.errors import Conflict
from webmap.auth.setup import current_principal

from ..db import get_session
from .blueprint import bp
from .http import (
    GEOJSON,
    base_url,
    collection_or_404,
    content_crs,
    json_body,
    json_response,
    snap_tolerance,
)

__all__: list[str] = []


def _reason() -> str | None:
    reason = request.args.get("reason")
    return reason[:500] if reason else None


def _writable(collection_id: str, action: str) -> FeatureType:
    """The collection's feature type, if the caller may ``action`` on it at all."""
    ft = collection_or_404(collection_id)
    if action == "revert":
        require(current_principal(), "revert", f"revert on {ft.table}")
    else:
        require_write(current_principal(), ft, action)
    return ft


def _written(feature: dict, status: int = 200, headers: dict | None = None):
    get_session().commit()
    headers = {"ETag": etag(feature["properties"]["version"]), **(headers or {})}
    return json_response(feature, status, mimetype=GEOJSON, headers=headers)


@bp.errorhandler(Conflict)
def _stale(exc: Conflict):
    """412 with the current state and its ETag, so the client can merge and retry."""
    headers = {}
    if exc.current:
        headers["ETag"] = etag(exc.current["properties"]["version"])
    return json_response(
        exc.to_problem(), exc.status, mimetype="application/problem+json", headers=headers
    )


@bp.post("/collections/<collection_id>/items")
def create(collection_id: str):
    ft = _writable(collection_id, "create")
    feature = create_item(
        get_session(),
        ft,
        json_body(),
        principal=current_principal(),
        content_crs=content_crs(),
        reason=_reason(),
        snap_tolerance_m=snap_tolerance(),
    )
    location = f"{base_url()}/collections/{ft.table}/items/{feature['id']}"
    return _written(feature, 201, {"Location": location})


def _change(write, action: str, collection_id: str, feature_id: str):
    """PUT or PATCH: ``write`` is :func:`twin.api.replace_item` or :func:`twin.api.patch_item`."""
    ft = _writable(collection_id, action)
    feature = write(
        get_session(),
        ft,
        feature_id,
        json_body(),
        principal=current_principal(),
        if_match=request.headers.get("If-Match"),
        content_crs=content_crs(),
        reason=_reason(),
        snap_tolerance_m=snap_tolerance(),
    )
    return _written(feature)


@bp.put("/collections/<collection_id>/items/<feature_id>")
def replace(collection_id: str, feature_id: str):
    return _change(replace_item, "replace", collection_id, feature_id)


@bp.patch("/collections/<collection_id>/items/<feature_id>")
def update(collection_id: str, feature_id: str):
    return _change(patch_item, "update", collection_id, feature_id)


@bp.delete("/collections/<collection_id>/items/<feature_id>")
def delete(collection_id: str, feature_id: str):
    ft = _writable(collection_id, "delete")
    delete_item(
        get_session(),
        ft,
        feature_id,
        principal=current_principal(),
        if_match=request.headers.get("If-Match"),
        reason=_reason(),
    )
    get_session().commit()
    return Response(status=204)


@bp.post("/collections/<collection_id>/items/<feature_id>/revert")
def revert(collection_id: str, feature_id: str):
    ft = _writable(collection_id, "revert")
    body = json_body()
    body = body if isinstance(body, dict) else {}
    reason = body.get("reason") if isinstance(body.get("reason"), str) else _reason()
    feature = revert_item(
        get_session(),
        ft,
        feature_id,
        body.get("version"),
        principal=current_principal(),
        if_match=request.headers.get("If-Match"),
        reason=reason,
    )
    return _written(feature)

"""What the API views share: who is asking, which format, JSON out, JSON in."""

from __future__ import annotations

import json
import math

from flask import Flask, Response, current_app, render_template, request
from sqlalchemy.engine import Engine

from layers import feature_type, feature_types
from twin.api import api_crs, bad_parameter, read_engine
from twin.auth import require_read, sees_personal
from twin.declare import FeatureType
from twin.errors import NotFound
from webmap.auth.setup import anonymous_layers, current_principal
from webmap.body_limits import read_body
from webmap.db import read_url

__all__ = [
    "api_read_engine",
    "base_url",
    "collection_or_404",
    "content_crs",
    "json_body",
    "json_response",
    "params",
    "readable_feature_types",
    "render",
    "revalidated",
    "sees_personal_data",
    "snap_tolerance",
    "wants_html",
]

GEOJSON = "application/geo+json"


def api_read_engine(app: Flask | None = None) -> Engine:
    """The read engine (:mod:`twin.api.reads`) of the database this read goes to.

    The primary's, or a standby's when the app has replicas (:func:`webmap.db.read_url`).
    """
    return read_engine(read_url(app))


def base_url() -> str:
    return request.url_root.rstrip("/")


def params() -> dict[str, str]:
    """Query parameters (first value of each)."""
    return request.args.to_dict(flat=True)


def wants_html() -> bool:
    """``?f=html``, or a browser whose Accept prefers HTML over JSON."""
    f = request.args.get("f")
    if f:
        if f not in ("json", "html"):
            raise bad_parameter("f", "allowed_values", f"{f!r}: use json or html")
        return f == "html"
    best = request.accept_mimetypes.best_match(["application/json", GEOJSON, "text/html"])
    return best == "text/html"


def json_response(
    body, status: int = 200, *, mimetype: str = "application/json", headers: dict | None = None
) -> Response:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(text, status=status, mimetype=mimetype, headers=headers)


def render(template: str, body: dict, status: int = 200, **context) -> Response:
    html = render_template(f"api/{template}", body=body, **context)
    return Response(html, status=status, mimetype="text/html")


def revalidated() -> dict[str, str]:
    """Cache headers of a page that may change with any edit: kept, but checked every time.

    A cache shared by many users (a reverse proxy) keeps only anonymous
    answers; what a signed-in user sees (personal fields, names) is theirs.
    The answer depends on the format asked for and on who asks.
    """
    shared = current_principal().anonymous
    return {"Cache-Control": "no-cache" if shared else "private, no-cache",
            "Vary": "Accept, Accept-Language, Authorization, Cookie"}


def collection_or_404(collection_id: str) -> FeatureType:
    """The feature type of a collection the caller may read."""
    try:
        ft = feature_type(collection_id)
    except KeyError:
        raise NotFound(f"no collection {collection_id!r}; see /collections") from None
    require_read(current_principal(), ft, anonymous_layers=anonymous_layers())
    return ft


def readable_feature_types() -> list[FeatureType]:
    who, open_layers = current_principal(), anonymous_layers()
    if who.anonymous:
        return [ft for ft in feature_types() if ft.layer in open_layers]
    return list(feature_types())


def sees_personal_data() -> bool:
    return sees_personal(current_principal())


def _no_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


def json_body():
    """The request body as JSON (no NaN/Infinity); 400 naming the error otherwise."""
    raw = read_body()
    try:
        value = json.loads(raw or b"null", parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_parameter("body", "json", f"not valid JSON: {exc}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise bad_parameter("body", "json", "not a JSON object")
    return value


def content_crs():
    """The CRS of a request body from its ``Content-Crs`` header (default CRS84)."""
    raw = request.headers.get("Content-Crs")
    return api_crs(raw.strip().strip("<>") if raw else None, parameter="Content-Crs")


def snap_tolerance() -> float:
    return current_app.config["TWIN_SETTINGS"].snap_tolerance_m

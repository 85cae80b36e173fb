"""Photo API: ``POST /api/photos/<kind>/<ref>`` takes one image as the request body.

``kind`` is ``asset`` (``ref`` = ``<table>/<code>``), ``inspection``
(``<form table>/<id>``) or ``incident`` (``<id>``).  The body limit is the
photo limit, checked against ``Content-Length`` before anything else; the
role (crew, editor, admin) is asked before a byte is read; the image is
checked by :mod:`twin.photos` before it is stored.  Files and thumbnails are
sent to signed-in readers only, never cached by shared caches.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from twin import photos
from twin.auth import require
from twin.errors import Unauthorized

from ..auth.setup import current_principal
from ..body_limits import photo_body, read_body
from ..db import get_session

__all__ = ["bp"]

bp = Blueprint("photos", __name__)


def _reader() -> None:
    if not photos.may_see(current_principal()):
        raise Unauthorized("photos: log in or send an API token")


@bp.post("/api/photos/<kind>/<path:ref>")
@photo_body
def upload(kind: str, ref: str):
    who = current_principal()
    require(who, "inspect", f"adding a photo of {kind}")
    stored, repeated = photos.attach_photo(get_session(), kind, ref, read_body(), user=who.name,
                                           caption=request.args.get("caption"))
    get_session().commit()
    return jsonify({**stored, "repeated": repeated}), 200 if repeated else 201


@bp.get("/api/photos/<kind>/<path:ref>")
def listing(kind: str, ref: str):
    _reader()
    return jsonify(photos.photos_of(get_session(), kind, ref))


def _file(photo_id: int, *, thumbnail: bool) -> Response:
    _reader()
    meta, data = photos.photo_file(get_session(), photo_id, thumbnail=thumbnail)
    kind = "image/jpeg" if thumbnail else meta["content_type"]
    return Response(data, mimetype=kind, headers={
        "Cache-Control": "private, max-age=3600", "Content-Disposition": "inline",
        "ETag": f'"{meta["sha256"]}{"-t" if thumbnail else ""}"'})


@bp.get("/photos/<int:photo_id>")
def original(photo_id: int):
    return _file(photo_id, thumbnail=False)


@bp.get("/photos/<int:photo_id>/thumbnail.jpg")
def thumbnail(photo_id: int):
    return _file(photo_id, thumbnail=True)

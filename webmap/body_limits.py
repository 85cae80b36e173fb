"""Request bodies bounded per endpoint, refused before a byte of them is read.

A JSON request (an edit, a form) takes ``TWIN_JSON_MAX_MB`` (default 4 MB); a
view marked :func:`upload_body` takes ``TWIN_UPLOAD_MAX_MB`` (default
256 MB), one marked :func:`photo_body` ``TWIN_PHOTO_MAX_BYTES`` (default
15 MB, a phone's photo with room to spare, and never above the upload limit); ``MAX_CONTENT_LENGTH`` is the
largest.  The ``Content-Length`` is
compared first of all, before the caller is even identified, so a big body
costs nothing; a body sent without one is cut at the limit as it streams
(:func:`read_body`).
Either way the answer is a 413 problem+json naming the limit.
"""

from __future__ import annotations

from flask import current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from twin.errors import TooLarge

__all__ = ["PHOTO_MAX_BYTES", "body_limit", "init_app", "photo_body", "read_body",
           "upload_body"]

MB = 1024 * 1024
_JSON, _UPLOAD = "TWIN_JSON_MAX_BYTES", "TWIN_UPLOAD_MAX_BYTES"
PHOTO_MAX_BYTES = "TWIN_PHOTO_MAX_BYTES"


def upload_body(view):
    """Mark ``view`` as taking a file upload: its body may reach the upload limit."""
    view.body_limit = _UPLOAD
    return view


def photo_body(view):
    """Mark ``view`` as taking one photo: its body may reach the photo limit."""
    view.body_limit = PHOTO_MAX_BYTES
    return view


def body_limit() -> int:
    """The most bytes the body of this request may hold."""
    view = current_app.view_functions.get(request.endpoint or "")
    return current_app.config[getattr(view, "body_limit", _JSON)]


def _too_large(limit: int, length: int | None = None) -> TooLarge:
    size = f"{length:,} bytes" if length is not None else "over the limit"
    return TooLarge(
        f"the request body is {size}; {request.path} takes at most "
        f"{limit / MB:g} MB ({limit:,} bytes)"
    )


def read_body() -> bytes:
    """The request body; 413 when one sent without a length reaches the limit
    (the stream stops there, so what is left is never read)."""
    raw = request.get_data(cache=True)
    limit = body_limit()
    if request.content_length is None and len(raw) >= limit:
        raise _too_large(limit)
    return raw


def _bounded() -> None:
    limit = body_limit()
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise _too_large(limit, request.content_length)


def _cut_off(exc: RequestEntityTooLarge):
    error = _too_large(body_limit())
    response = jsonify(error.to_problem())
    response.status_code = error.status
    response.mimetype = "application/problem+json"
    return response


def init_app(app) -> None:
    settings = app.config["TWIN_SETTINGS"]
    app.config.setdefault(_JSON, int(settings.json_max_mb * MB))
    app.config.setdefault(_UPLOAD, int(settings.upload_max_mb * MB))
    # A photo is an upload: never more than the upload limit.
    app.config.setdefault(PHOTO_MAX_BYTES, min(15 * MB, app.config[_UPLOAD]))
    app.config["MAX_CONTENT_LENGTH"] = max(app.config[_JSON], app.config[_UPLOAD],
                                           app.config[PHOTO_MAX_BYTES])
    app.before_request_funcs.setdefault(None, []).insert(0, _bounded)  # before any other
    app.register_error_handler(RequestEntityTooLarge, _cut_off)

"""Vector tiles: ``/tiles/{collection}/{z}/{x}/{y}.mvt`` and ``/tiles/{layer}/...``, with TileJSON.

``{collection}`` is a feature type (``water_valve``, one MVT layer);
``{layer}`` a whole layer (``water``, one MVT layer per feature type).
``?datetime=`` draws the network as it stood then; roles apply as for items.

Tiles are what a map asks for most, dozens per view, so their usual case is
answered by :class:`TileGateway`, a small WSGI layer in front of Flask: it
reads the path, checks the caller, runs the tile statement on the read
engine (:mod:`twin.api.reads`) and writes the bytes, with no request context,
no ORM and one database round trip.  It answers only what it can answer
exactly as the Flask view would: anonymous requests for open-data layers and
requests with a live ``Bearer`` token (every role reads every layer, and
tiles never hold personal data, so who the caller is changes nothing in the
answer).  Everything else (a session cookie on a closed layer, HTTP Basic,
an unknown name, a bad zoom or ``datetime``, an error) goes on to the Flask
view below, which gives the same tile or the problem+json error.

A token the gateway has found live is trusted for :data:`TOKEN_CHECK_SECONDS`
without asking the database again: a revoked token, or a deactivated user,
still gets tiles for at most that long (never items or writes, which check
every request).

Tiles carry a strong ``ETag`` (a digest of the bytes) and ``Cache-Control:
no-cache``: a client revalidates and gets ``304 Not Modified`` without the
body when the tile has not changed.  The digest is taken from the bytes
rather than from the newest history id because history ids are handed out
before commit: a slower concurrent edit could commit under an id lower than
one already seen, and its change would keep an old ETag.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from functools import cache
from urllib.parse import parse_qs

from flask import Blueprint, Flask, Response, current_app, request
from sqlalchemy.orm import Session
from werkzeug.http import parse_etags

from layers import LAYERS
from twin.api.query import parse_datetime
from twin.api.reads import run_once_more_if_disconnected
from twin.api.tiles import MAX_ZOOM, fetch_tile, tile_address, tilejson
from twin.auth import require_read
from twin.auth import users as accounts
from twin.declare import FeatureType
from twin.errors import NotFound
from webmap.auth.setup import anonymous_layers, current_principal

from .http import api_read_engine, base_url, json_response

__all__ = [
    "TOKEN_CHECK_SECONDS",
    "TileGateway",
    "bp",
    "readable_tile_types",
    "tile_answer",
    "tile_names",
]

bp = Blueprint("tiles", __name__)
MVT = "application/vnd.mapbox-vector-tile"
#: How long a token found live is trusted by the tile gateway, seconds.
TOKEN_CHECK_SECONDS = 5.0
_TILE_PATH = re.compile(r"/tiles/(\w+)/(\d{1,2})/(\d{1,7})/(\d{1,7})\.mvt")


@cache
def tile_names() -> dict[str, tuple[FeatureType, ...]]:
    """Every tile name, a layer or a collection, with the feature types it stands for.

    Built once (the layers are declared in code); callers must not change it.
    """
    names: dict[str, tuple[FeatureType, ...]] = {}
    for lyr in LAYERS:
        names.setdefault(lyr.name, tuple(lyr.feature_types))
        for ft in lyr.feature_types:
            names.setdefault(ft.table, (ft,))
    return names


def tile_answer(data: bytes, if_none_match: str | None) -> tuple[int, list, bytes]:
    """Status, headers and body of a tile, ``304`` when the client's copy is current."""
    etag = hashlib.blake2b(data, digest_size=16).hexdigest()
    headers = [("Cache-Control", "no-cache"), ("ETag", f'"{etag}"')]
    if if_none_match and parse_etags(if_none_match).contains(etag):
        return 304, headers, b""
    headers += [("Content-Type", MVT), ("Content-Length", str(len(data)))]
    return 200, headers, data


def _tile_data(app: Flask, fts, z: int, x: int, y: int, when) -> bytes:
    tables = tuple(ft.table for ft in fts)
    return run_once_more_if_disconnected(
        api_read_engine(app),
        lambda cursor: fetch_tile(cursor, tables, z, x, y, when=when),
        binary=True,
    )


class TileGateway:
    """WSGI layer answering ``GET /tiles/{name}/{z}/{x}/{y}.mvt`` before Flask, when it can."""

    def __init__(self, app: Flask, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self._live_until: dict[bytes, float] = {}
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        answer = self.answer(environ)
        if answer is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response("200 OK" if status == 200 else "304 Not Modified", headers)
        return [body]

    def answer(self, environ) -> tuple[int, list, bytes] | None:
        """Status, headers and body of a tile request, or None to let Flask answer it."""
        if environ.get("REQUEST_METHOD") != "GET":
            return None
        match = _TILE_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None:
            return None
        fts = tile_names().get(match[1])
        z, x, y = int(match[2]), int(match[3]), int(match[4])
        if fts is None or z > MAX_ZOOM or x >> z or y >> z:
            return None
        try:
            when = _when(environ.get("QUERY_STRING"))
            if not self._may_read(environ.get("HTTP_AUTHORIZATION"), fts):
                return None
            data = _tile_data(self.app, fts, z, x, y, when)
        except Exception:  # the Flask view answers again and reports it
            return None
        return tile_answer(data, environ.get("HTTP_IF_NONE_MATCH"))

    def _may_read(self, authorization: str | None, fts) -> bool:
        if authorization is None:
            open_layers = self.app.config["TWIN_ANONYMOUS_LAYERS"]
            return all(ft.layer in open_layers for ft in fts)
        scheme, _, token = authorization.partition(" ")
        return scheme.lower() == "bearer" and self._token_is_live(token.strip())

    def _token_is_live(self, token: str) -> bool:
        digest = hashlib.sha256(token.encode("utf-8")).digest()
        now = time.monotonic()
        if self._live_until.get(digest, 0.0) > now:
            return True
        with Session(api_read_engine(self.app)) as session:
            live = accounts.user_for_token(session, token) is not None
        if live:
            with self._lock:
                if len(self._live_until) > 10_000:
                    self._live_until.clear()
                self._live_until[digest] = now + TOKEN_CHECK_SECONDS
        return live


def _when(query_string: str | None):
    """``?datetime=`` of a query string (a bad one raises, and Flask names the problem)."""
    raw = parse_qs(query_string).get("datetime") if query_string else None
    return parse_datetime(raw[0]) if raw else None


@bp.record_once
def _install_gateway(state) -> None:
    state.app.wsgi_app = TileGateway(state.app, state.app.wsgi_app)


def readable_tile_types(name: str) -> list[FeatureType]:
    """The feature types a tile name stands for, if the caller may read them."""
    fts = tile_names().get(name)
    if fts is None:
        raise NotFound(f"no layer or collection named {name!r}")
    for ft in fts:
        require_read(current_principal(), ft, anonymous_layers=anonymous_layers())
    return list(fts)


@bp.get("/tiles/<name>/<z>/<x>/<y>.<fmt>")
def tile(name: str, z: str, x: str, y: str, fmt: str):
    z, x, y = tile_address(z, x, y)
    if fmt != "mvt":
        raise NotFound(f"tiles are served as .mvt only, not .{fmt[:10]}")
    fts = readable_tile_types(name)
    when = parse_datetime(request.args.get("datetime"))
    data = _tile_data(current_app._get_current_object(), fts, z, x, y, when)
    status, headers, body = tile_answer(data, request.headers.get("If-None-Match"))
    return Response(body, status=status, headers=headers)


@bp.get("/tiles/<name>.json")
def tile_json(name: str):
    fts = readable_tile_types(name)
    return json_response(tilejson(name, fts, base_url()))

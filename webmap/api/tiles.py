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

Tiles carry a strong ``ETag`` (a digest of the bytes).  A tile asked for
with the data version of its layers (``?v=``, as the TileJSON gives it,
:mod:`twin.api.tile_versions`) and drawn at that version may be kept by any
cache for a year (``public`` when anonymous, else ``private``): an edit in
its layers changes the URL.  A standby that has not yet replayed version
``v`` leaves the tile to the primary.  Any other tile is ``Cache-Control:
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
from twin.api import (
    MAX_ZOOM,
    bad_parameter,
    cache_control,
    fetch_tile,
    layers_version,
    parse_datetime,
    read_engine,
    run_once_more_if_disconnected,
    tile_address,
    tilejson,
)
from twin.auth import require_read, user_for_token
from twin.declare import FeatureType
from twin.errors import NotFound
from webmap.auth.setup import anonymous_layers, current_principal
from webmap.db import primary_url

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


def tile_answer(
    data: bytes, if_none_match: str | None, cache: str = "no-cache"
) -> tuple[int, list, bytes]:
    """Status, headers and body of a tile, ``304`` when the client's copy is current."""
    etag = hashlib.blake2b(data, digest_size=16).hexdigest()
    headers = [("Cache-Control", cache), ("ETag", f'"{etag}"')]
    if if_none_match and parse_etags(if_none_match).contains(etag):
        return 304, headers, b""
    headers += [("Content-Type", MVT), ("Content-Length", str(len(data)))]
    return 200, headers, data


def _tile_data(app: Flask, fts, z: int, x: int, y: int, when, asked: int | None = None):
    """The tile's bytes and the data version they were drawn at (None when not asked).

    Drawn where reads go, unless that database is behind the version asked.
    """
    tables, layers = tuple(ft.table for ft in fts), {ft.layer for ft in fts}

    def draw(cursor, *, insist: bool):
        held = layers_version(cursor, layers) if asked is not None else None
        if held is not None and held < asked and not insist:
            return None, held
        return fetch_tile(cursor, tables, z, x, y, when=when), held

    data, held = run_once_more_if_disconnected(
        api_read_engine(app), lambda c: draw(c, insist=False), binary=True)
    if data is None:  # a standby behind the edit the URL names: the primary has it
        data, held = run_once_more_if_disconnected(
            read_engine(primary_url(app)), lambda c: draw(c, insist=True), binary=True)
    return data, held


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
            when, asked = _when_and_version(environ.get("QUERY_STRING"))
            authorization = environ.get("HTTP_AUTHORIZATION")
            if not self._may_read(authorization, fts):
                return None
            data, held = _tile_data(self.app, fts, z, x, y, when, asked)
        except Exception:  # the Flask view answers again and reports it
            return None
        cache = cache_control(asked if when is None else None, held,
                              shared=authorization is None)
        return tile_answer(data, environ.get("HTTP_IF_NONE_MATCH"), cache)

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
            live = user_for_token(session, token) is not None
        if live:
            with self._lock:
                if len(self._live_until) > 10_000:
                    self._live_until.clear()
                self._live_until[digest] = now + TOKEN_CHECK_SECONDS
        return live


def _when_and_version(query_string: str | None):
    """``?datetime=`` and ``?v=`` of a query string (a bad one raises; Flask names the problem)."""
    args = parse_qs(query_string) if query_string else {}
    return _parse_when_and_version(
        (args.get("datetime") or [None])[0], (args.get("v") or [None])[0])


def _parse_when_and_version(when: str | None, version: str | None):
    asked = None
    if version is not None:
        if not version.isdigit() or len(version) > 18:
            raise bad_parameter("v", "integer", "v is the data version of the TileJSON's URLs")
        asked = int(version)
    return parse_datetime(when), asked


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
    when, asked = _parse_when_and_version(request.args.get("datetime"), request.args.get("v"))
    data, held = _tile_data(current_app._get_current_object(), fts, z, x, y, when, asked)
    cache = cache_control(asked if when is None else None, held,
                          shared=current_principal().anonymous)
    status, headers, body = tile_answer(data, request.headers.get("If-None-Match"), cache)
    return Response(body, status=status, headers=headers)


@bp.get("/tiles/<name>.json")
def tile_json(name: str):
    fts = readable_tile_types(name)
    version = run_once_more_if_disconnected(
        api_read_engine(), lambda c: layers_version(c, {ft.layer for ft in fts}))
    body = tilejson(name, fts, base_url(), version=version)
    return json_response(body, headers={"Cache-Control": "no-cache"})

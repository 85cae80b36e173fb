"""Vector tiles: ``/tiles/{collection}/{z}/{x}/{y}.mvt`` and ``/tiles/{layer}/...``, with TileJSON.

``{collection}`` is a feature type (``water_valve``, one MVT layer);
``{layer}`` a whole layer (``water``, one MVT layer per feature type).
``?datetime=`` draws the network as it stood then; roles apply as for items.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from layers import LAYERS
from twin.api.query import parse_datetime
from twin.api.tiles import tile_bytes, tilejson
from twin.auth.roles import require_read
from twin.declare import FeatureType
from twin.errors import NotFound
from webmap.auth.setup import anonymous_layers, current_principal

from ..db import get_session
from .http import base_url, json_response

__all__ = ["bp"]

bp = Blueprint("tiles", __name__)
MVT = "application/vnd.mapbox-vector-tile"


def _feature_types(name: str) -> list[FeatureType]:
    """The feature types a tile name stands for, if the caller may read them."""
    for lyr in LAYERS:
        if lyr.name == name:
            fts = list(lyr.feature_types)
            break
        found = [ft for ft in lyr.feature_types if ft.table == name]
        if found:
            fts = found
            break
    else:
        raise NotFound(f"no layer or collection named {name!r}")
    for ft in fts:
        require_read(current_principal(), ft, anonymous_layers=anonymous_layers())
    return fts


@bp.get("/tiles/<name>/<int:z>/<int:x>/<int:y>.mvt")
def tile(name: str, z: int, x: int, y: int):
    fts = _feature_types(name)
    when = parse_datetime(request.args.get("datetime"))
    data = tile_bytes(get_session(), fts, z, x, y, when=when)
    response = Response(data, mimetype=MVT)
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/tiles/<name>.json")
def tile_json(name: str):
    fts = _feature_types(name)
    return json_response(tilejson(name, fts, base_url()))

"""Vector tiles over HTTP: MVT layers named after collections, roles, TileJSON, the gateway."""

import base64
import math
import re

import mapbox_vector_tile
import pytest
from shapely.geometry import Point
from werkzeug.test import Client, EnvironBuilder

from layers import feature_type
from tests.factories import sample_properties
from tests.webmap.api.apptest import bearer, login
from twin.auth import users
from twin.db.engine import session_scope
from twin.edits import create_feature
from webmap.api.tiles import TileGateway

pytestmark = pytest.mark.db

LON, LAT = 105.8005, 21.8005


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """The XYZ (Web Mercator) tile holding a point."""
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return z, int((lon + 180) / 360 * n), int(y)


Z, X, Y = tile_of(LON, LAT, 17)


@pytest.fixture(scope="module")
def assets(api_engine):
    with session_scope(api_engine) as session:
        for table in ("water_valve", "water_service_connection", "trees_tree"):
            ft = feature_type(table)
            create_feature(
                session,
                table,
                sample_properties(ft, customer_name="Lê Văn C")
                if table == "water_service_connection"
                else sample_properties(ft),
                Point(LON, LAT),
                user="t",
            )


def _layers(data: bytes) -> dict:
    return mapbox_vector_tile.decode(data)


def test_layer_tile_has_one_mvt_layer_per_feature_type(client, tokens, assets):
    r = client.get(f"/tiles/water/{Z}/{X}/{Y}.mvt", headers=bearer(tokens["viewer"]))
    assert r.status_code == 200 and r.mimetype == "application/vnd.mapbox-vector-tile"
    layers = _layers(r.data)
    assert {"water_valve", "water_service_connection"} <= set(layers)
    valve = layers["water_valve"]["features"][0]["properties"]
    assert valve["normal_state"] == "open" and valve["code"].startswith("WTR-VLV-")
    customer = layers["water_service_connection"]["features"][0]["properties"]
    assert "customer_name" not in customer and "phone" not in customer


def test_tiles_respect_roles_and_min_zoom(client, tokens, assets):
    assert client.get(f"/tiles/water_valve/{Z}/{X}/{Y}.mvt").status_code == 401
    trees = client.get(f"/tiles/trees_tree/{Z}/{X}/{Y}.mvt")
    assert list(_layers(trees.data)) == ["trees_tree"]
    low = client.get("/tiles/trees_tree/{}/{}/{}.mvt".format(*tile_of(LON, LAT, 10)))
    assert low.status_code == 200 and low.data == b""
    assert client.get("/tiles/trees_tree/3/9/9.mvt").status_code == 400
    assert client.get(f"/tiles/sewage/{Z}/{X}/{Y}.mvt").status_code == 404


def test_tiles_travel_in_time(client, assets):
    past = client.get(f"/tiles/trees_tree/{Z}/{X}/{Y}.mvt?datetime=2001-01-01")
    assert past.status_code == 200 and past.data == b""


def test_tilejson_lists_layers_fields_and_min_zooms(client, tokens):
    doc = client.get("/tiles/power.json", headers=bearer(tokens["crew"])).get_json()
    assert re.search(r"/tiles/power/\{z\}/\{x\}/\{y\}\.mvt\?v=\d+$", doc["tiles"][0])
    switch = next(v for v in doc["vector_layers"] if v["id"] == "power_switch")
    assert switch["minzoom"] == feature_type("power_switch").min_zoom
    assert {"code", "status", "normal_state"} <= set(switch["fields"])


def _environ(path: str, **headers) -> dict:
    return EnvironBuilder(path=path, headers=headers).get_environ()


def test_tiles_carry_an_etag_and_are_not_sent_again_unchanged(client, tokens, assets):
    url = f"/tiles/water/{Z}/{X}/{Y}.mvt"
    first = client.get(url, headers=bearer(tokens["viewer"]))
    assert first.headers["Cache-Control"] == "no-cache" and first.data
    again = client.get(
        url, headers=bearer(tokens["viewer"], **{"If-None-Match": first.headers["ETag"]})
    )
    assert again.status_code == 304 and again.data == b""
    stale = client.get(url, headers=bearer(tokens["viewer"], **{"If-None-Match": '"old"'}))
    assert stale.status_code == 200 and stale.data == first.data


def test_gateway_answers_open_layers_and_live_tokens_as_the_flask_view_does(app, tokens, assets):
    gateway = app.wsgi_app
    assert isinstance(gateway, TileGateway)
    flask_only = Client(gateway.wsgi_app)
    for path, headers in [
        (f"/tiles/trees/{Z}/{X}/{Y}.mvt", {}),
        (f"/tiles/water/{Z}/{X}/{Y}.mvt", bearer(tokens["crew"])),
        (f"/tiles/trees_tree/{Z}/{X}/{Y}.mvt?datetime=2001-01-01", {}),
    ]:
        status, _, body = gateway.answer(_environ(path, **headers))
        assert status == 200
        assert body == flask_only.get(path, headers=headers).data


def test_gateway_leaves_what_it_cannot_decide_to_the_flask_view(app, tokens):
    gateway = app.wsgi_app
    basic = "Basic " + base64.b64encode(f"viewer:{tokens['viewer']}".encode()).decode()
    for path, headers in [
        (f"/tiles/water/{Z}/{X}/{Y}.mvt", {}),
        (f"/tiles/water/{Z}/{X}/{Y}.mvt", {"Authorization": basic}),
        (f"/tiles/water/{Z}/{X}/{Y}.mvt", bearer("twin_not-a-token")),
        (f"/tiles/sewage/{Z}/{X}/{Y}.mvt", {}),
        ("/tiles/trees/3/9/9.mvt", {}),
        (f"/tiles/trees/{Z}/{X}/{Y}.mvt?datetime=yesterday", {}),
    ]:
        assert gateway.answer(_environ(path, **headers)) is None, path
    app_client = app.test_client()
    assert (
        app_client.get(
            f"/tiles/water/{Z}/{X}/{Y}.mvt", headers={"Authorization": basic}
        ).status_code
        == 200
    )
    assert app_client.get(f"/tiles/trees/{Z}/{X}/{Y}.mvt?datetime=yesterday").status_code == 400


def test_browser_sessions_get_closed_layers_through_the_flask_view(app, tokens, assets):
    browser = app.test_client()
    login(browser, "viewer")
    r = browser.get(f"/tiles/water/{Z}/{X}/{Y}.mvt")
    assert r.status_code == 200 and "water_valve" in _layers(r.data)


def test_a_revoked_token_is_refused_once_its_check_has_expired(app, api_engine, assets):
    with session_scope(api_engine) as session:
        users.add_user(session, "tile-reader", "viewer")
        token = users.issue_token(session, "tile-reader")
    path = f"/tiles/water/{Z}/{X}/{Y}.mvt"
    assert app.wsgi_app.answer(_environ(path, **bearer(token))) is not None
    with session_scope(api_engine) as session:
        users.revoke_tokens(session, "tile-reader")
    fresh = TileGateway(app, app.wsgi_app.wsgi_app)  # a gateway whose check has expired
    assert fresh.answer(_environ(path, **bearer(token))) is None
    items = app.test_client().get("/collections/water_valve/items", headers=bearer(token))
    assert items.status_code == 401  # items and writes check the token on every request

"""Vector tiles over HTTP: MVT layers named after collections, roles, TileJSON."""

import math

import mapbox_vector_tile
import pytest
from shapely.geometry import Point

from layers import feature_type
from tests.factories import sample_properties
from tests.webmap.api.apptest import bearer
from twin.db.engine import session_scope
from twin.edits import create_feature

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
    assert doc["tiles"][0].endswith("/tiles/power/{z}/{x}/{y}.mvt")
    switch = next(v for v in doc["vector_layers"] if v["id"] == "power_switch")
    assert switch["minzoom"] == feature_type("power_switch").min_zoom
    assert {"code", "status", "normal_state"} <= set(switch["fields"])

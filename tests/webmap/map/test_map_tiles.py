"""The map's combined tiles: draw order, readable types only, kept until the twin changes."""

from __future__ import annotations

import gzip
import math

import mapbox_vector_tile
import pytest
from shapely.geometry import LineString, Point

from layers import feature_type
from tests.factories import sample_properties
from tests.webmap.map.apptest import login
from tests.webmap.map.conftest import X, Y
from twin.api import draw_order
from twin.db.engine import session_scope
from twin.edits import create_feature
from twin.maps import TileMemo

pytestmark = pytest.mark.db

#: Tiles of the samples: the valve, the pipe and the roads (z16); the light (z17, its zoom).
NETWORK_TILE, LIGHT_TILE = (16, 52099, 28803), (17, 104199, 57608)


def _tile(client, tables: str, tile=NETWORK_TILE):
    z, x, y = tile
    response = client.get(f"/map/tiles/{z}/{x}/{y}.mvt?t={tables}")
    assert response.status_code == 200
    return response, mapbox_vector_tile.decode(response.data)


def test_areas_are_drawn_first_and_points_last_base_before_assets():
    tables = ["water_valve", "water_pipe", "base_admin_unit", "base_road", "trees_tree"]
    assert draw_order(tables) == [
        "base_admin_unit",
        "base_road",
        "water_pipe",
        "trees_tree",
        "water_valve",
    ]


def test_one_tile_holds_every_requested_type_in_draw_order(client, samples):
    login(client, "vera")
    _, layers = _tile(client, "water_valve,water_pipe,base_admin_unit,base_road,no_such")
    assert list(layers) == ["base_admin_unit", "base_road", "water_pipe", "water_valve"]
    valve = layers["water_valve"]["features"][0]["properties"]
    assert valve["code"] == samples["valve"]["id"] and valve["normal_state"] == "open"


def test_anonymous_visitors_get_only_open_layers_in_their_tiles(client, samples):
    _, layers = _tile(client, "water_valve,base_road")
    assert list(layers) == ["base_road"]


def _add_light(map_engine, offset_deg: float) -> None:
    """One more street light, ``offset_deg`` east and south of the tiles' corner point."""
    with session_scope(map_engine) as session:
        create_feature(
            session,
            "lighting_light",
            sample_properties(feature_type("lighting_light")),
            Point(X + offset_deg, Y - offset_deg),
            user="seed",
        )


def test_a_tile_is_served_again_from_memory_until_the_twin_changes(client, app, map_engine):
    login(client, "vera")
    memo: TileMemo = app.extensions["twin_map_tiles"]
    first, layers = _tile(client, "lighting_light", LIGHT_TILE)
    kept = len(memo)
    again, _ = _tile(client, "lighting_light", LIGHT_TILE)
    assert again.data == first.data and len(memo) == kept
    _add_light(map_engine, 0.0021)
    changed, changed_layers = _tile(client, "lighting_light", LIGHT_TILE)
    count = len(layers["lighting_light"]["features"])
    assert len(changed_layers["lighting_light"]["features"]) == count + 1
    assert len(memo) == kept + 1


def test_the_memory_budget_drops_the_least_recently_used_tiles():
    memo = TileMemo(max_bytes=10)
    memo.put(("a",), b"1234")
    memo.put(("b",), b"1234")
    assert memo.get(("a",)) == b"1234"
    memo.put(("c",), b"1234")
    assert memo.get(("b",)) is None and memo.get(("a",)) is not None and len(memo) == 2
    memo.put(("huge",), b"x" * 11)
    assert memo.get(("huge",)) is None and memo.size == 8


def test_a_512_pixel_tile_carries_what_a_256_pixel_tile_one_zoom_deeper_shows(client, samples):
    login(client, "vera")
    z, x, y = NETWORK_TILE
    # The valve is declared from zoom 15: a 512-pixel tile at
    # zoom 14 (what MapLibre shows at Leaflet's zoom 15) must hold the valve.
    half = (z - 2, x >> 2, y >> 2)
    _, small = _tile(client, "water_valve", half)
    assert "water_valve" not in small
    wide = client.get("/map/tiles/{}/{}/{}.mvt?t=water_valve&size=512".format(*half))
    assert wide.status_code == 200
    assert "water_valve" in mapbox_vector_tile.decode(wide.data)
    bad = client.get("/map/tiles/{}/{}/{}.mvt?t=water_valve&size=300".format(*half))
    assert bad.status_code == 400 and "size" in bad.get_data(as_text=True)


def test_an_unchanged_tile_is_not_sent_again_and_an_edit_inside_it_changes_its_etag(
    client, map_engine
):
    login(client, "vera")
    z, x, y = LIGHT_TILE
    url = f"/map/tiles/{z}/{x}/{y}.mvt?t=lighting_light&size=512"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache" and etag
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    _add_light(map_engine, 0.0023)
    after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag
    assert len(mapbox_vector_tile.decode(after.data)["lighting_light"]["features"]) == len(
        mapbox_vector_tile.decode(first.data)["lighting_light"]["features"]
    ) + 1


def _tile_at(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return z, int((lon + 180) / 360 * n), int(y)


def _pipe_codes(client, tile) -> set[str]:
    _, layers = _tile(client, "water_pipe", tile)
    return {f["properties"]["code"] for f in layers.get("water_pipe", {"features": []})["features"]}


def test_tiles_carry_service_pipes_from_their_zoom_and_no_line_shorter_than_a_pixel(
    client, samples, map_engine
):
    login(client, "vera")
    service_line = LineString([(X - 0.001, Y + 0.002), (X - 0.001, Y + 0.0022)])  # 22 m
    stub_line = LineString([(X - 0.0015, Y + 0.002), (X - 0.0015, Y + 0.00201)])  # 1 m
    ft = feature_type("water_pipe")
    with session_scope(map_engine) as session:
        service, stub = (
            create_feature(
                session, "water_pipe", sample_properties(ft, diameter_mm=mm), line, user="seed"
            ).feature["id"]
            for mm, line in ((25, service_line), (150, stub_line))
        )
    z, x, y = NETWORK_TILE
    at15, at16 = _pipe_codes(client, (z - 1, x >> 1, y >> 1)), _pipe_codes(client, NETWORK_TILE)
    at17 = _pipe_codes(client, _tile_at(X - 0.001, Y + 0.0021, 17))
    main = samples["pipe"]["id"]
    assert main in at15 and main in at16
    assert service not in at15 | at16 and service in at17, "a service pipe shows from z17"
    assert stub in at16 and stub not in at15, "1 m is under a pixel at z15 (4.8 m)"
    wide = client.get(f"/map/tiles/{z - 1}/{x >> 1}/{y >> 1}.mvt?t=water_pipe&size=512")
    carried = {f["properties"]["code"] for f in mapbox_vector_tile.decode(wide.data)[
        "water_pipe"]["features"]}
    assert main in carried and stub in carried and service not in carried


def test_alleys_are_carried_from_zoom_15_and_streets_below_it(client, samples, map_engine):
    login(client, "vera")
    ft = feature_type("base_road")
    line = LineString([(X - 0.001, Y - 0.001), (X + 0.001, Y - 0.001)])
    with session_scope(map_engine) as session:
        alley = create_feature(
            session, "base_road", sample_properties(ft, road_class="alley"), line, user="seed"
        ).feature["id"]

    def codes(z):
        _, layers = _tile(client, "base_road", _tile_at(X, Y - 0.001, z))
        return {f["properties"]["code"] for f in layers["base_road"]["features"]}

    at14, at15 = codes(14), codes(15)
    assert alley not in at14 and alley in at15
    assert {road["id"] for road in samples["roads"]} <= at14, "streets are carried at zoom 14"


def test_a_client_that_accepts_gzip_gets_the_tile_compressed_once(client, app):
    login(client, "vera")
    memo: TileMemo = app.extensions["twin_map_tiles"]
    plain, layers = _tile(client, "water_valve,water_pipe,base_road")
    url = "/map/tiles/{}/{}/{}.mvt?t=water_valve,water_pipe,base_road".format(*NETWORK_TILE)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert (
        "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    )
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.data) == plain.data and len(packed.data) < len(plain.data)
    assert packed.headers["ETag"] != plain.headers["ETag"]
    kept = len(memo)
    again = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert again.data == packed.data and len(memo) == kept, "compressed once, then from memory"
    revalidated = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]}
    )
    assert revalidated.status_code == 304

"""The map's combined tiles: draw order, readable types only, kept until the twin changes."""

from __future__ import annotations

import mapbox_vector_tile
import pytest
from shapely.geometry import Point

from layers import feature_type
from tests.factories import sample_properties
from tests.webmap.map.apptest import login
from tests.webmap.map.conftest import X, Y
from twin.db.engine import session_scope
from twin.edits import create_feature
from webmap.map.tiles import TileMemo, draw_order

pytestmark = pytest.mark.db

#: z16 tiles of the samples: the valve, the pipe and the roads; the light.
NETWORK_TILE, LIGHT_TILE = (16, 52099, 28803), (16, 52099, 28804)


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


def test_a_tile_is_served_again_from_memory_until_the_twin_changes(client, app, map_engine):
    login(client, "vera")
    memo: TileMemo = app.extensions["twin_map_tiles"]
    first, layers = _tile(client, "lighting_light", LIGHT_TILE)
    kept = len(memo)
    again, _ = _tile(client, "lighting_light", LIGHT_TILE)
    assert again.data == first.data and len(memo) == kept
    ft = feature_type("lighting_light")
    with session_scope(map_engine) as session:
        create_feature(
            session,
            "lighting_light",
            sample_properties(ft),
            Point(X + 0.0021, Y - 0.0021),
            user="seed",
        )
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

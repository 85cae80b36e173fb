"""The base map around a place, as GeoJSON: clipped, simplified, in force, within budget."""

from __future__ import annotations

import pytest
from shapely.geometry import box, shape
from sqlalchemy import create_engine, pool

from tests.twin.network.demo_db import acquire, release
from twin.db.engine import session_scope
from twin.maps import base_map_features
from twin.maps.basemap import MAX_FEATURES, padded

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("network_demo")]

#: A few streets of the small demo's town centre.
AREA = (106.190, 21.269, 106.196, 21.273)


@pytest.fixture(scope="module")
def engine(db_url, tmp_path_factory):
    demo = acquire(db_url, tmp_path_factory)
    engine = create_engine(demo.url, poolclass=pool.NullPool)
    yield engine
    engine.dispose()
    release(db_url)


def test_a_box_grows_by_a_share_of_its_size_and_at_least_a_margin():
    assert padded((106.0, 21.0, 106.0, 21.0)) == (105.998, 20.998, 106.002, 21.002)
    west, south, east, north = padded((106.0, 21.0, 106.2, 21.1), share=0.5)
    assert (west, east) == (105.9, 106.3) and (south, north) == (20.95, 21.15)


def test_the_base_map_is_clipped_to_the_padded_box_and_holds_roads_buildings_names(engine):
    with session_scope(engine) as session:
        collection = base_map_features(session, AREA)
    assert collection["bbox"] == list(padded(AREA))
    frame = box(*collection["bbox"]).buffer(1e-6)
    by_table: dict[str, list] = {}
    for f in collection["features"]:
        by_table.setdefault(f["properties"]["table"], []).append(f)
        assert frame.contains(shape(f["geometry"])), f["properties"]
    assert by_table["base_road"] and by_table["base_building"]
    assert any(f["properties"].get("name") for f in by_table["base_road"])
    assert {f["properties"]["road_class"] for f in by_table["base_road"]} <= {
        "highway", "arterial", "street", "rural", "alley"}
    for table, features in by_table.items():
        assert len(features) <= MAX_FEATURES[table]


def test_beyond_its_budget_a_type_keeps_its_largest_features(engine, monkeypatch):
    def building_areas(collection):
        return sorted(
            (shape(f["geometry"]).area for f in collection["features"]
             if f["properties"]["table"] == "base_building"),
            reverse=True,
        )

    with session_scope(engine) as session:
        every = building_areas(base_map_features(session, AREA))
        monkeypatch.setitem(MAX_FEATURES, "base_building", 5)
        largest = building_areas(base_map_features(session, AREA))
    assert len(every) > 5 and len(largest) == 5
    assert largest == pytest.approx(every[:5], rel=0.05)  # clipping may trim an edge one

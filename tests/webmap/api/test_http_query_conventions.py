"""OGC API conventions over HTTP: accent-insensitive filters on Vietnamese names, sortables,
property selection, keyset next links and the conformance classes declaring them."""

import json

import pytest
from shapely.geometry import LineString

from layers import feature_type
from tests.factories import sample_properties
from twin.db.engine import session_scope
from twin.edits import create_feature

pytestmark = pytest.mark.db
ROAD = feature_type("base_road")
BOX = "105.70,21.70,105.72,21.72"
NAMES = [
    "Đường Hoàng Văn Thụ",
    "Phố Hoàng Văn Thái",
    "Đường Lê Lợi",
    "ĐƯỜNG HOÀNG VĂN THỤ (NỐI DÀI)",
]


@pytest.fixture(scope="module")
def roads(api_engine):
    codes = []
    with session_scope(api_engine) as session:
        for i, name in enumerate(NAMES):
            x = 105.701 + i * 0.001
            line = LineString([(x, 21.701), (x, 21.702)])
            props = sample_properties(ROAD, name=name)
            codes.append(create_feature(session, ROAD.table, props, line, user="t").feature["id"])
    return codes


def _items(client, **params):
    answer = client.get(f"/collections/{ROAD.table}/items", query_string={"bbox": BOX, **params})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def _names(body) -> list[str]:
    return [f["properties"]["name"] for f in body["features"]]


def test_hoang_van_thu_without_accents_finds_the_roads_in_any_case(client, roads):
    text = "CASEI(ACCENTI(name)) LIKE CASEI(ACCENTI('%hoang van thu%'))"
    found = _names(_items(client, filter=text, sortby="name"))
    assert sorted(found) == sorted(["ĐƯỜNG HOÀNG VĂN THỤ (NỐI DÀI)", "Đường Hoàng Văn Thụ"])
    as_json = {
        "op": "like",
        "args": [
            {"op": "casei", "args": [{"op": "accenti", "args": [{"property": "name"}]}]},
            {"op": "casei", "args": [{"op": "accenti", "args": ["%hoang van thu%"]}]},
        ],
    }
    same = _items(client, filter=json.dumps(as_json), sortby="name", **{"filter-lang": "cql2-json"})
    assert _names(same) == found
    plain = _names(_items(client, filter="name LIKE '%hoang van thu%'"))
    assert plain == []  # without ACCENTI/CASEI the comparison is exact


def test_sorted_selected_properties_follow_next_links(client, roads):
    body = _items(client, sortby="-name", properties="name", skipGeometry="true", limit="3")
    assert body["numberMatched"] == 4 and body["features"][0]["geometry"] is None
    assert all(set(f["properties"]) == {"name"} for f in body["features"])
    nxt = next(lk["href"] for lk in body["links"] if lk["rel"] == "next")
    assert "cursor=" in nxt and "offset" not in nxt
    rest = client.get(nxt).get_json()
    whole = _items(client, sortby="-name", limit="10")  # the server's collation decides
    assert _names(body) + _names(rest) == _names(whole) and len(set(_names(whole))) == 4


def test_sortables_and_conformance_declare_what_is_offered(client):
    sortables = client.get(f"/collections/{ROAD.table}/sortables")
    assert sortables.status_code == 200 and sortables.mimetype == "application/schema+json"
    props = sortables.get_json()["properties"]
    assert "name" in props and "geometry" not in props and "created_by" not in props
    classes = set(client.get("/conformance").get_json()["conformsTo"])
    for part in (
        "cql2/1.0/conf/cql2-json",
        "cql2/1.0/conf/accent-insensitive-comparison",
        "cql2/1.0/conf/case-insensitive-comparison",
        "cql2/1.0/conf/spatial-functions",
        "ogcapi-features-8/1.0/conf/sorting",
        "ogcapi-features-6/1.0/conf/property-selection",
    ):
        assert f"http://www.opengis.net/spec/{part}" in classes


def test_a_bad_sortby_is_a_400_naming_it(client):
    answer = client.get(f"/collections/{ROAD.table}/items", query_string={"sortby": "-colour"})
    assert answer.status_code == 400
    assert answer.get_json()["problems"][0]["field"] == "sortby"
    assert "'colour'" in answer.get_json()["detail"]

"""Items queries and time travel on the real database (each test rolled back)."""

import json
from datetime import UTC, datetime

import pytest
from shapely.geometry import Point
from sqlalchemy import func, select

from layers import feature_type
from tests.factories import sample_properties
from twin.api import cql2
from twin.api.crs import api_crs, from_storage
from twin.api.errors import InvalidParameter
from twin.api.query import items_page, parse_items_query, query_items, read_item
from twin.api.timetravel import history_of, state_at
from twin.edits import create_feature, delete_feature, update_feature
from twin.errors import NotFound
from twin.features import feature_select, row_to_feature
from twin.models import model

pytestmark = pytest.mark.db
PIPE = feature_type("water_pipe")
BBOX = "104.50,20.50,104.52,20.52"


def _pipes(session, diameters):
    from shapely.geometry import LineString

    codes = []
    for i, d in enumerate(diameters):
        x = 104.501 + i * 0.001
        line = LineString([(x, 20.501), (x, 20.5015)])
        props = sample_properties(PIPE, diameter_mm=d, material="hdpe" if d < 200 else "steel")
        codes.append(create_feature(session, PIPE.table, props, line, user="t").feature["id"])
    return codes


def _page(session, **params):
    q = parse_items_query(PIPE, {"bbox": BBOX, **params})
    return query_items(session, PIPE, q, url="http://x/items", params=params, hide_personal=True)


def test_cql2_and_attribute_filters_select_the_right_features(session):
    codes = _pipes(session, [100, 150, 250, 400])
    big = _page(session, filter="diameter_mm >= 200 AND material = 'steel'")
    assert [f["id"] for f in big["features"]] == codes[2:]
    assert big["numberMatched"] == 2
    listed = _page(session, material="hdpe")
    assert [f["id"] for f in listed["features"]] == codes[:2]
    among = _page(session, filter="diameter_mm IN (100, 400) OR code LIKE '%X'")
    assert [f["id"] for f in among["features"]] == [codes[0], codes[3]]
    inside = _page(session, filter="S_INTERSECTS(geometry, BBOX(104.5005, 20.5, 104.5025, 20.51))")
    assert [f["id"] for f in inside["features"]] == codes[:2]


def test_bad_values_and_names_are_400_naming_them(session):
    for params, field in [
        ({"filter": "diameter_mm = 'wide'"}, "filter"),
        ({"filter": "colour = 'red'"}, "filter"),
        ({"diameter_mm": "wide"}, "filter"),
        ({"limit": "0"}, "limit"),
        ({"bbox": "1,2,3"}, "bbox"),
    ]:
        with pytest.raises(InvalidParameter) as err:
            parse_items_query(PIPE, params)
            _page(session, **params)
        assert err.value.problems[0].field == field


def test_paging_links_and_limit_clamp(session):
    _pipes(session, [100, 110, 120])
    first = _page(session, limit="2")
    rels = {link["rel"]: link["href"] for link in first["links"]}
    assert "cursor=" in rels["next"] and "offset" not in rels["next"] and "prev" not in rels
    last = _page(session, limit="2", offset="2")
    assert last["numberReturned"] == 1 and "next" not in {lk["rel"] for lk in last["links"]}
    assert "offset=0" in {lk["rel"]: lk["href"] for lk in last["links"]}["prev"]
    assert parse_items_query(PIPE, {"limit": "999999"}).limit == 10_000


def _now(session):
    return session.execute(select(func.clock_timestamp())).scalar_one()


def test_state_at_rebuilds_each_moment_from_history(session):
    before = _now(session)
    code = _pipes(session, [100])[0]
    created = _now(session)
    update_feature(session, PIPE.table, code, {"diameter_mm": 300}, expected_version=1, user="a")
    edited = _now(session)
    delete_feature(session, PIPE.table, code, expected_version=2, user="b")
    deleted = _now(session)

    def diameter(when):
        src = state_at(PIPE.table, when)
        row = session.execute(select(src.c.diameter_mm).where(src.c.code == code)).first()
        return row and row[0]

    assert [diameter(t) for t in (before, created, edited, deleted)] == [None, 100, 300, None]
    assert read_item(session, PIPE, code, when=edited)["properties"]["version"] == 2
    with pytest.raises(NotFound, match="at "):
        read_item(session, PIPE, code, when=deleted)
    versions = history_of(session, PIPE.table, code)
    assert [v["action"] for v in versions] == ["create", "update", "delete"]
    assert versions[1]["changes"] == {"diameter_mm": [100, 300]}


def test_history_masks_personal_fields(session):
    ft = feature_type("power_customer")
    props = sample_properties(ft, customer_name="Phạm Văn D", phone="0900000000")
    code = create_feature(session, ft.table, props, Point(104.51, 20.51), user="t").feature["id"]
    entry = history_of(session, ft.table, code, personal={"customer_name", "phone"})[0]
    assert entry["feature"]["properties"]["customer_name"] == "[hidden]"
    assert entry["changes"]["phone"] == [None, "[hidden]"]


def test_datetime_parsing():
    q = parse_items_query(PIPE, {"datetime": "2025-07-01"})
    assert q.when == datetime(2025, 7, 1, 23, 59, 59, 999999, tzinfo=UTC)
    assert cql2.parse("a = 1") == ("cmp", "=", ("prop", "a"), ("lit", 1))


def _instants(features: list[dict]) -> list[dict]:
    """Features with their timestamps as instants: PostgreSQL prints 12:00:00.12 where
    Python prints 12:00:00.120000, the same moment."""
    out = []
    for f in features:
        props = dict(f["properties"])
        for name in ("created_at", "updated_at"):
            props[name] = datetime.fromisoformat(props[name])
        out.append({**f, "properties": props})
    return out


def test_pages_are_geojson_text_in_the_shape_of_row_to_feature(session):
    ft = feature_type("water_service_connection")
    made = []
    for i in range(2):
        props = sample_properties(ft, customer_name=f"Trần Thị {i}", phone="0987654321")
        geom = Point(104.505 + i * 0.001, 20.505)
        made.append(create_feature(session, ft.table, props, geom, user="t").feature["id"])
    plain = parse_items_query(ft, {"bbox": BBOX})  # the statement compiled once per table
    built = parse_items_query(ft, {"bbox": BBOX, "filter": "code LIKE '%'"})  # built each time
    for q, hide in [(plain, True), (plain, False), (built, True), (built, False)]:
        page = items_page(session, ft, q, url="http://x/items", params={}, hide_personal=hide)
        body = json.loads(page.to_json())
        rows = session.execute(
            feature_select(ft.table).where(model(ft.table).code.in_(made)).order_by("id")
        ).all()
        expected = [row_to_feature(ft.table, r, hide_personal=hide) for r in rows]
        assert _instants(body["features"]) == _instants(
            json.loads(json.dumps(expected, default=str))
        )
        assert list(body["features"][0]["properties"]) == list(expected[0]["properties"])
        assert body["numberReturned"] == 2 and body["numberMatched"] == 2
    assert expected[0]["properties"]["customer_name"] == "Trần Thị 0"
    hidden = query_items(session, ft, plain, url="http://x/items", params={}, hide_personal=True)
    assert hidden["features"][0]["properties"]["customer_name"] == "[hidden]"


def test_number_matched_on_full_last_and_empty_pages(session):
    _pipes(session, [100, 110, 120])
    pages = [_page(session, limit="2", offset=str(offset)) for offset in (0, 2, 5)]
    assert [p["numberMatched"] for p in pages] == [3, 3, 3]
    assert [p["numberReturned"] for p in pages] == [2, 1, 0]


def test_pages_in_another_crs_are_reprojected(session):
    code = _pipes(session, [100])[0]
    vn2000 = "http://www.opengis.net/def/crs/EPSG/0/9210"
    page = _page(session, crs=vn2000)
    stored = read_item(session, PIPE, code)["geometry"]
    assert page["features"][0]["geometry"] == json.loads(
        json.dumps(from_storage(stored, api_crs(vn2000)))
    )
    assert page["features"][0]["geometry"]["coordinates"][0][0] > 100_000  # metres

"""sortby, keyset cursors, properties and skipGeometry on the real database."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from shapely.geometry import LineString, Point

from layers import feature_type
from tests.factories import sample_properties
from twin.api.errors import InvalidParameter
from twin.api.query import parse_items_query, query_items
from twin.edits import create_feature

pytestmark = pytest.mark.db
PIPE = feature_type("water_pipe")
BBOX = "104.70,20.70,104.72,20.72"


def _pipe(session, diameter, i: int, zone: str | None = "x") -> str:
    x = 104.701 + i * 0.0005
    line = LineString([(x, 20.701), (x, 20.7015)])
    props = sample_properties(PIPE, diameter_mm=diameter, pressure_zone=zone)
    return create_feature(session, PIPE.table, props, line, user="t").feature["id"]


def _page(session, ft=PIPE, *, personal=False, **params) -> dict:
    params = {"bbox": BBOX, **params}
    q = parse_items_query(ft, params, personal=personal)
    return query_items(
        session, ft, q, url="http://x/items", params=params, hide_personal=not personal
    )


def _next(page: dict) -> dict | None:
    href = next((lk["href"] for lk in page["links"] if lk["rel"] == "next"), None)
    return None if href is None else dict(parse_qsl(urlsplit(href).query))


def _walk(session, **params) -> tuple[list[str], list[dict]]:
    ids, pages = [], []
    while params is not None:
        page = _page(session, **params)
        pages.append(page)
        ids += [f["id"] for f in page["features"]]
        params = _next(page)
    return ids, pages


def test_sortby_several_keys_descending_and_ascending(session):
    codes = [_pipe(session, d, i) for i, d in enumerate([200, 100, 300, 100])]
    page = _page(session, sortby="-diameter_mm,code")
    assert [f["id"] for f in page["features"]] == [codes[2], codes[0], codes[1], codes[3]]
    page = _page(session, sortby="+diameter_mm,-code")
    assert [f["id"] for f in page["features"]] == [codes[3], codes[1], codes[0], codes[2]]


@pytest.mark.parametrize(
    ("sortby", "says"),
    [("colour", "'colour'"), ("-diameter_mm,diameter_mm", "twice"), ("geometry", "'geometry'")],
)
def test_sortby_on_what_is_not_sortable_is_a_400_naming_it(sortby, says):
    with pytest.raises(InvalidParameter) as err:
        parse_items_query(PIPE, {"sortby": sortby})
    assert err.value.problems[0].field == "sortby" and says in err.value.message


def test_next_links_walk_every_feature_once_in_order_with_ties_and_empty_values(session):
    diameters = [150, 100, 150, 100, 150, 300, 100]
    codes = [_pipe(session, d, i, None if i % 3 else "z") for i, d in enumerate(diameters)]
    everything = [f["id"] for f in _page(session, sortby="-diameter_mm", limit="100")["features"]]
    ids, pages = _walk(session, sortby="-diameter_mm", limit="2")
    assert ids == everything and sorted(ids) == sorted(codes)
    assert len(pages) == 4 and all(p["numberMatched"] == 7 for p in pages)
    assert all("offset" not in (_next(p) or {}) for p in pages)
    # Empty values come last, in both directions, and are walked too.
    for sortby in ("pressure_zone,-diameter_mm", "-pressure_zone,diameter_mm"):
        whole = _page(session, sortby=sortby, limit="100")["features"]
        assert whole[-1]["properties"]["pressure_zone"] is None
        ids, _ = _walk(session, sortby=sortby, limit="3")
        assert ids == [f["id"] for f in whole]


def test_a_cursor_page_does_not_shift_when_features_are_added_before_it(session):
    codes = [_pipe(session, 100, i) for i in range(4)]
    first = _page(session, limit="2")
    second_params = _next(first)
    _pipe(session, 100, 10)  # a new pipe sorts after the others (a larger id)
    second = _page(session, **second_params)
    assert [f["id"] for f in second["features"]] == codes[2:4]
    assert second_params == _next(_page(session, limit="2"))  # the same link again


@pytest.mark.parametrize("cursor", ["%%%", "WzFd", "W10", "WyJ4Il0"])
def test_a_cursor_that_is_not_ours_is_a_400(cursor):
    with pytest.raises(InvalidParameter) as err:
        parse_items_query(PIPE, {"cursor": cursor, "sortby": "diameter_mm"})
    assert err.value.problems[0].field == "cursor"


def test_properties_and_skip_geometry_select_what_comes_back(session):
    code = _pipe(session, 250, 0)
    feature = _page(session, properties="diameter_mm,material", skipGeometry="true")["features"][0]
    assert feature["id"] == code and feature["geometry"] is None
    assert feature["properties"] == {"diameter_mm": 250, "material": "hdpe"}
    whole = _page(session)["features"][0]
    assert whole["geometry"]["type"] == "LineString" and "feature_type" in whole["properties"]
    with pytest.raises(InvalidParameter) as err:
        parse_items_query(PIPE, {"properties": "diameter_mm,colour"})
    assert err.value.problems[0].field == "properties"


def test_personal_properties_cannot_be_selected_or_sorted_by_who_may_not_see_them(session):
    ft = feature_type("power_customer")
    props = sample_properties(ft, customer_name="Phạm Văn D", phone="0900000000")
    create_feature(session, ft.table, props, Point(104.705, 20.705), user="t")
    for params in ({"properties": "phone"}, {"sortby": "customer_name"}):
        with pytest.raises(InvalidParameter):
            parse_items_query(ft, params)
    seen = _page(session, ft, personal=True, properties="phone", sortby="customer_name")
    assert seen["features"][0]["properties"] == {"phone": "0900000000"}

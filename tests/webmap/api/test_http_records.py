"""Inspections and work orders as collections of the feature API, over HTTP."""

import jsonschema_rs
import pyogrio
import pytest

from tests.factories import committed_asset
from tests.twin.photos.images import phone_jpeg
from tests.webmap.api.apptest import bearer

pytestmark = pytest.mark.db

FORM = "inspection_water_valve_exercise"


@pytest.fixture
def inspected(client, tokens, api_engine) -> list[str]:
    """Two valves, one found seized, one leaking, each inspected at a known place."""
    codes = []
    for operation, leak, lon in (("seized", "none", 106.201), ("exercised", "leaking", 106.301)):
        code = committed_asset(api_engine, "water_valve")
        body = {"answers": {"operation": operation, "leak": leak, "turns": 12},
                "asset_version": 1, "inspected_at": "2026-11-20T08:00:00+07:00",
                "location": {"type": "Point", "coordinates": [lon, 21.27]}}
        response = client.post(f"/api/inspections/water_valve/{code}/exercise", json=body,
                               headers=bearer(tokens["crew"]))
        assert response.status_code == 201, response.get_json()
        codes.append(code)
    return codes


def _items(client, token, collection=FORM, **query):
    headers = bearer(token) if token else {}
    return client.get(f"/collections/{collection}/items", query_string=query, headers=headers)


def test_each_form_and_the_work_orders_are_listed_beside_the_layers(client, tokens):
    listed = client.get("/collections", headers=bearer(tokens["viewer"])).get_json()
    ids = [c["id"] for c in listed["collections"]]
    assert {"water_pipe", FORM, "inspection_trees_tree_traq", "work_orders"} <= set(ids)
    queryables = client.get(f"/collections/{FORM}/queryables",
                            headers=bearer(tokens["viewer"])).get_json()["properties"]
    assert queryables["operation"]["enum"] == ["exercised", "stiff", "seized"]
    assert queryables["inspected_at"]["format"] == "date-time"


def test_a_cql2_filter_on_an_answer_and_a_bbox_choose_inspections(client, tokens, inspected):
    seized = _items(client, tokens["viewer"], filter="operation = 'seized' AND turns >= 12",
                    limit=100).get_json()
    assert inspected[0] in {f["properties"]["asset_code"] for f in seized["features"]}
    assert inspected[1] not in {f["properties"]["asset_code"] for f in seized["features"]}
    boxed = _items(client, tokens["viewer"], bbox="106.30,21.26,106.31,21.28",
                   datetime="2026-11-20/..", limit=100).get_json()
    assert [f["properties"]["asset_code"] for f in boxed["features"]] == [inspected[1]]
    assert _items(client, tokens["viewer"], datetime="../2026-11-19").get_json()[
        "numberMatched"] == 0
    bad = _items(client, tokens["viewer"], filter="operation = 'jammed' AND nope = 1")
    assert bad.status_code == 400 and "nope" in bad.get_json()["detail"]


def test_pages_link_to_the_next_one(client, tokens, inspected):
    first = _items(client, tokens["viewer"], limit=1).get_json()
    assert first["numberReturned"] == 1 and first["numberMatched"] >= 2
    after = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = client.get(after, headers=bearer(tokens["viewer"])).get_json()
    assert second["features"][0]["id"] != first["features"][0]["id"]


def test_a_geopackage_export_opens_in_gdal(client, tokens, inspected, tmp_path):
    response = _items(client, tokens["viewer"], f="gpkg", filter="operation = 'seized'",
                      limit=1000)
    assert response.status_code == 200
    assert response.mimetype == "application/geopackage+sqlite3"
    path = tmp_path / "inspections.gpkg"
    path.write_bytes(response.data)
    assert pyogrio.list_layers(path)[0][0] == FORM
    info = pyogrio.read_info(path, layer=FORM)
    assert info["geometry_type"] == "Point"
    meta, _, geometry, fields = pyogrio.raw.read(path, layer=FORM)
    columns = dict(zip(meta["fields"], fields, strict=True))
    assert set(columns["operation"]) == {"seized"}
    assert inspected[0] in set(columns["asset_code"])
    assert columns["turns"].dtype.kind == "i"


def test_work_orders_are_a_collection_with_the_places_of_their_assets(client, tokens,
                                                                      api_engine):
    pipe = committed_asset(api_engine, "water_pipe")
    order = {"title": "Thay ống", "planned_start": "2026-12-10", "crew": "Đội 2",
             "assets": [f"water_pipe/{pipe}"]}
    made = client.post("/api/workorders", json=order, headers=bearer(tokens["crew"]))
    assert made.status_code == 201, made.get_json()
    found = _items(client, tokens["viewer"], "work_orders", status="planned",
                   datetime="2026-12-10", limit=1000).get_json()
    mine = [f for f in found["features"] if f["id"] == made.get_json()["id"]]
    assert mine and mine[0]["geometry"]["type"] == "MultiPoint"
    assert mine[0]["properties"]["crew"] == "Đội 2"
    csv = _items(client, tokens["viewer"], "work_orders", f="csv", limit=1000)
    assert csv.mimetype == "text/csv" and "Thay ống" in csv.data.decode()


def test_photos_are_links_for_signed_in_readers(client, tokens, inspected):
    feature = _items(client, tokens["viewer"], filter="operation = 'seized'").get_json()[
        "features"][0]
    ref = f"{FORM}/{feature['id']}"
    sent = client.post(f"/api/photos/inspection/{ref}", data=phone_jpeg(),
                       headers=bearer(tokens["crew"], **{"Content-Type": "image/jpeg"}))
    assert sent.status_code == 201, sent.get_json()
    item = client.get(f"/collections/{FORM}/items/{feature['id']}",
                      headers=bearer(tokens["viewer"])).get_json()
    enclosure = [link for link in item["links"] if link["rel"] == "enclosure"]
    assert enclosure and enclosure[0]["type"] == "image/jpeg"
    assert client.get(enclosure[0]["href"], headers=bearer(tokens["viewer"])).status_code == 200


def test_sortby_orders_records_on_an_answer_the_asset_or_the_time(client, tokens, inspected):
    def codes(sortby):
        page = _items(client, tokens["viewer"], sortby=sortby, limit=1000,
                      filter=f"asset_code IN ('{inspected[0]}', '{inspected[1]}')")
        assert page.status_code == 200, page.get_json()
        return [f["properties"]["asset_code"] for f in page.get_json()["features"]]

    assert codes("operation") == [inspected[1], inspected[0]]  # exercised before seized
    assert codes("-operation") == [inspected[0], inspected[1]]
    assert codes("-asset_code") == sorted(inspected, reverse=True)
    assert codes("inspected_at,asset_code") == sorted(inspected)
    first = _items(client, tokens["viewer"], sortby="-leak", limit=1).get_json()
    after = next(link["href"] for link in first["links"] if link["rel"] == "next")
    assert "sortby=-leak" in after


def test_sortby_on_an_unknown_field_is_a_400_naming_it(client, tokens):
    bad = _items(client, tokens["viewer"], sortby="-nope")
    assert bad.status_code == 400
    assert "nope" in bad.get_json()["detail"]
    twice = _items(client, tokens["viewer"], sortby="turns,-turns")
    assert twice.status_code == 400 and "turns" in twice.get_json()["detail"]


def test_the_collections_page_lists_records_and_their_pages_are_html(client, tokens,
                                                                   inspected):
    viewer = bearer(tokens["viewer"])
    listed = client.get("/collections?f=html&lang=vi", headers=viewer).get_data(as_text=True)
    assert f'href="/collections/{FORM}"' in listed and "Các tập dữ liệu" in listed
    described = client.get(f"/collections/{FORM}?lang=en",
                           headers={**viewer, "Accept": "text/html"})
    assert described.mimetype == "text/html"
    assert "Browse the records" in described.get_data(as_text=True)
    page = client.get(f"/collections/{FORM}/items?f=html&lang=vi&limit=1000",
                      headers=viewer)
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Người kiểm tra" in html and inspected[0] in html
    record = next(f for f in _items(client, tokens["viewer"], limit=1000).get_json()["features"]
                  if f["properties"]["asset_code"] == inspected[0])
    one = client.get(f"/collections/{FORM}/items/{record['id']}?f=html&lang=en", headers=viewer)
    assert one.status_code == 200 and "Inspected by" in one.get_data(as_text=True)
    assert "Seized" in one.get_data(as_text=True)  # the declared choice's label
    orders = client.get("/collections/work_orders/items?f=html&lang=vi", headers=viewer)
    assert orders.status_code == 200 and "Lệnh công việc" in orders.get_data(as_text=True)


def test_values_postgresql_cannot_take_are_a_400_not_a_crash(client, tokens):
    nul = _items(client, tokens["viewer"], "work_orders", incident_code="a\x00b")
    assert nul.status_code == 400
    huge = client.get("/collections/work_orders/items/99999999999999999999",
                      headers=bearer(tokens["viewer"]))
    assert huge.status_code == 404


def _json_schema(schema):
    """An OpenAPI 3.0 schema as JSON Schema: ``nullable`` becomes a null alternative."""
    if isinstance(schema, list):
        return [_json_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _json_schema(v) for k, v in schema.items() if k != "nullable"}
    return {"anyOf": [out, {"type": "null"}]} if schema.get("nullable") else out


def test_records_read_as_the_openapi_document_describes_them(client, tokens, inspected):
    document = client.get("/api").get_json()
    schemas = {}
    for collection, filter_name in ((FORM, "asset_code"), ("work_orders", "status")):
        items = document["paths"][f"/collections/{collection}/items"]["get"]
        names = {p.get("name") for p in items["parameters"]}
        assert {"sortby", "datetime", "f", filter_name} <= names
        schemas[collection] = _json_schema(
            items["responses"]["200"]["content"]["application/geo+json"]["schema"])
        page = _items(client, tokens["viewer"], collection, limit=1000).get_json()
        jsonschema_rs.validate(schemas[collection], page)
    answers = document["paths"][f"/collections/{FORM}/items/{{recordId}}"]["get"]["responses"]
    record = answers["200"]["content"]["application/geo+json"]["schema"]
    assert record["properties"]["properties"]["properties"]["operation"]["enum"] == [
        "exercised", "stiff", "seized"]
    bad = _items(client, tokens["viewer"], limit=1).get_json()
    bad["features"][0]["properties"]["turns"] = "twelve"
    with pytest.raises(jsonschema_rs.ValidationError):
        jsonschema_rs.validate(schemas[FORM], bad)

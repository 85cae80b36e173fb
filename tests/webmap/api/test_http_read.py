"""Reading through HTTP: who sees what, formats, CRS, paging and problems."""

import pytest
from shapely.geometry import Point

from layers import feature_type
from tests.factories import sample_geometry, sample_properties
from tests.webmap.api.apptest import bearer
from twin.db.engine import session_scope
from twin.edits import create_feature

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def customers(api_engine):
    """Two water customers with personal data, far from other tests' features."""
    ft = feature_type("water_service_connection")
    codes = []
    with session_scope(api_engine) as session:
        for i in range(2):
            props = sample_properties(ft, customer_name=f"Nguyễn Văn {i}", phone="0912345678")
            geom = Point(105.50 + i * 0.001, 21.60)
            codes.append(create_feature(session, ft.table, props, geom, user="t").feature["id"])
    return codes


def test_landing_page_links_the_api_conformance_and_collections(client):
    body = client.get("/").get_json()
    rels = {link["rel"] for link in body["links"]}
    assert {"service-desc", "conformance", "data"} <= rels


def test_anonymous_sees_only_open_data_collections(client, tokens):
    anonymous = {c["id"] for c in client.get("/collections").get_json()["collections"]}
    open_data = ("trees_", "base_", "inspection_trees_")
    assert anonymous and all(c.startswith(open_data) for c in anonymous)
    viewer = client.get("/collections", headers=bearer(tokens["viewer"])).get_json()
    assert "water_pipe" in {c["id"] for c in viewer["collections"]}
    denied = client.get("/collections/water_pipe/items")
    assert denied.status_code == 401
    assert denied.mimetype == "application/problem+json"
    assert "water_pipe" in denied.get_json()["detail"]


def test_personal_fields_are_hidden_except_for_admins(client, tokens, customers):
    url = f"/collections/water_service_connection/items/{customers[0]}"
    seen = client.get(url, headers=bearer(tokens["editor"])).get_json()["properties"]
    assert seen["customer_name"] == "[hidden]" and seen["phone"] == "[hidden]"
    admin = client.get(url, headers=bearer(tokens["admin"])).get_json()["properties"]
    assert admin["customer_name"] == "Nguyễn Văn 0"


def test_personal_fields_cannot_be_probed_with_filters(client, tokens, customers):
    url = "/collections/water_service_connection/items?phone=0912345678"
    assert client.get(url, headers=bearer(tokens["viewer"])).status_code == 400
    found = client.get(url, headers=bearer(tokens["admin"])).get_json()
    assert {f["id"] for f in found["features"]} >= set(customers)


def test_html_for_browsers_json_for_tools(client):
    html = client.get("/collections/trees_tree/items", headers={"Accept": "text/html"})
    assert html.mimetype == "text/html" and b"<table>" in html.data
    geojson = client.get(
        "/collections/trees_tree/items", headers={"Accept": "application/geo+json"}
    )
    assert geojson.mimetype == "application/geo+json"
    assert client.get("/collections/trees_tree/items?f=xml").status_code == 400


def test_paging_follows_next_links_to_every_feature(client, api_engine):
    ft = feature_type("trees_green_area")
    with session_scope(api_engine) as session:
        made = {
            create_feature(
                session,
                ft.table,
                sample_properties(ft),
                sample_geometry(ft, dx=1.0 + i * 0.002, dy=0.5),
                user="t",
            ).feature["id"]
            for i in range(5)
        }
    url = "/collections/trees_green_area/items?limit=2&bbox=107.18,21.76,107.21,21.78"
    seen, pages = [], 0
    while url:
        body = client.get(url).get_json()
        assert body["numberMatched"] == 5 and body["numberReturned"] <= 2
        seen += [f["id"] for f in body["features"]]
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
        pages += 1
    assert sorted(seen) == sorted(made) and pages == 3


def test_crs_parameter_reprojects_to_vn2000_with_content_crs(client):
    uri = "http://www.opengis.net/def/crs/EPSG/0/9214"
    r = client.get(f"/collections/trees_tree/items?limit=1&crs={uri}")
    assert r.headers["Content-Crs"] == f"<{uri}>"
    bad = client.get("/collections/trees_tree/items?crs=EPSG:2154")
    assert bad.status_code == 400 and "not supported" in bad.get_json()["detail"]


def test_unknown_parameters_and_collections_are_named(client):
    r = client.get("/collections/trees_tree/items?colour=red")
    assert r.status_code == 400 and r.get_json()["problems"][0]["field"] == "colour"
    assert client.get("/collections/nothing/items").status_code == 404


def test_openapi_document_is_served(client):
    r = client.get("/api")
    assert r.status_code == 200 and r.mimetype.startswith("application/vnd.oai.openapi+json")
    assert "/collections/water_valve/items/{featureId}" in r.get_json()["paths"]

"""The record collections (inspection forms, work orders) in the OpenAPI document."""

from twin.api.openapi import openapi
from twin.api.openapi_records import record_paths
from twin.api.record_collections import record_collections
from twin.inspections import FORMS

VALVE = "inspection_water_valve_exercise"


def test_every_form_and_the_work_orders_have_read_only_paths():
    doc = openapi("http://example.org")
    collections = record_collections()
    assert set(FORMS) | {"work_orders"} == set(collections)
    for rc in collections.values():
        paths = record_paths(rc)
        assert set(paths) == {f"/collections/{rc.id}{tail}" for tail in
                              ("", "/queryables", "/items", "/items/{recordId}")}
        for path, operations in paths.items():
            assert doc["paths"][path] == operations
            assert set(operations) == {"get"}, path
    assert not set(collections) & set(doc["components"]["schemas"])


def test_a_records_schema_follows_the_forms_checks():
    rc = record_collections()[VALVE]
    items = record_paths(rc)[f"/collections/{VALVE}/items"]["get"]
    parameters = {p.get("name"): p for p in items["parameters"]}
    assert parameters["f"]["schema"]["enum"] == ["json", "html", "csv", "gpkg"]
    assert {"-inspected_at", "asset_code", "operation"} <= set(
        parameters["sortby"]["schema"]["items"]["enum"])
    assert parameters["operation"]["schema"]["enum"] == ["exercised", "stiff", "seized"]
    page = items["responses"]["200"]["content"]["application/geo+json"]["schema"]
    record = page["properties"]["features"]["items"]
    props = record["properties"]["properties"]["properties"]
    assert props["operation"]["enum"] == ["exercised", "stiff", "seized"]
    assert props["operation"]["nullable"] and "nullable" not in props["id"]
    assert record["properties"]["geometry"]["properties"]["type"]["enum"] == ["Point"]
    assert {"text/csv", "application/geopackage+sqlite3", "text/html"} <= set(
        items["responses"]["200"]["content"])


def test_work_orders_are_multipoints_with_their_assets():
    rc = record_collections()["work_orders"]
    item = record_paths(rc)["/collections/work_orders/items/{recordId}"]["get"]
    record = item["responses"]["200"]["content"]["application/geo+json"]["schema"]
    assert record["properties"]["geometry"]["properties"]["type"]["enum"] == ["MultiPoint"]
    assert record["properties"]["properties"]["properties"]["assets"]["type"] == "array"
    assert item["tags"] == ["maintenance"]

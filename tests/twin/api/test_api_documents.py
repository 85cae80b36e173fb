"""Documents derived from the declarations: OpenAPI, queryables, collections, TileJSON, edits."""

import pytest

from layers import LAYERS, feature_type, feature_types
from twin.api import collections as ogc
from twin.api.edit import merge_patch, version_from_if_match
from twin.api.errors import PreconditionRequired
from twin.api.openapi import openapi
from twin.api.tiles import simplify_tolerance_m, tile_attributes, tilejson


def test_openapi_describes_every_collection_with_its_declared_schema():
    doc = openapi("http://example.org")
    for ft in feature_types():
        item = doc["paths"][f"/collections/{ft.table}/items/{{featureId}}"]
        assert {"get", "put", "patch", "delete"} <= set(item)
        props = doc["components"]["schemas"][f"{ft.table}_create"]["properties"]["properties"]
        for a in ft.attributes:
            assert props["properties"][a.name]["title"] == a.en
            if a.choices:
                assert props["properties"][a.name]["enum"] == list(a.allowed)
        assert props.get("required", []) == [a.name for a in ft.attributes if a.required]
    for lyr in LAYERS:
        assert f"/tiles/{lyr.name}/{{z}}/{{x}}/{{y}}.mvt" in doc["paths"]


def test_queryables_hide_personal_attributes_unless_allowed():
    ft = feature_type("water_service_connection")
    assert "phone" not in ogc.queryables(ft, "http://x")["properties"]
    assert "phone" in ogc.queryables(ft, "http://x", personal=True)["properties"]


def test_collections_carry_links_crs_and_extent():
    doc = ogc.collections([feature_type("water_valve")], "http://x/")
    valve = doc["collections"][0]
    assert valve["id"] == "water_valve" and valve["itemType"] == "feature"
    assert "http://www.opengis.net/def/crs/EPSG/0/9214" in valve["crs"]
    assert {"items", "http://www.opengis.net/def/rel/ogc/1.0/queryables"} <= {
        link["rel"] for link in valve["links"]
    }


def test_tiles_carry_few_attributes_and_never_personal_ones():
    assert tile_attributes(feature_type("water_valve"))[:3] == ["code", "status", "normal_state"]
    for ft in feature_types():
        personal = {a.name for a in ft.attributes if a.personal}
        assert not personal & set(tile_attributes(ft))
    doc = tilejson("water", list(LAYERS[2].feature_types), "http://x")
    assert {v["id"] for v in doc["vector_layers"]} == {ft.table for ft in LAYERS[2].feature_types}
    assert simplify_tolerance_m(12) > simplify_tolerance_m(15) > 0 == simplify_tolerance_m(16)


def test_merge_patch_follows_rfc_7396():
    target = {"a": "b", "c": {"d": "e", "f": "g"}}
    assert merge_patch(target, {"a": "z", "c": {"f": None}}) == {"a": "z", "c": {"d": "e"}}
    assert merge_patch({"a": [1]}, {"a": [2]}) == {"a": [2]}
    assert target == {"a": "b", "c": {"d": "e", "f": "g"}}


@pytest.mark.parametrize("header, version", [('"3"', 3), ('W/"12"', 12), ("7", 7)])
def test_if_match_names_a_version(header, version):
    assert version_from_if_match(header, action="x") == version


@pytest.mark.parametrize("header", [None, "", "*", '"abc"'])
def test_missing_or_vague_if_match_is_428(header):
    with pytest.raises(PreconditionRequired) as err:
        version_from_if_match(header, action="update water_valve V1")
    assert err.value.status == 428 and "water_valve V1" in err.value.message

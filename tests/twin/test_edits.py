"""The edit service: every layer writes and reads; rules are enforced and named."""

import pytest
from shapely.geometry import LineString, Point, Polygon
from sqlalchemy import select

from layers import feature_type, feature_types
from tests.factories import sample_geometry, sample_properties
from twin.edits import create_feature, delete_feature, revert_feature, update_feature
from twin.errors import Conflict, InvalidInput
from twin.features import get_feature
from twin.models import History

pytestmark = pytest.mark.db


@pytest.mark.parametrize("ft", feature_types(), ids=lambda ft: ft.table)
def test_every_feature_type_inserts_and_reads(session, ft):
    props = sample_properties(ft)
    result = create_feature(session, ft.table, props, sample_geometry(ft), user="tester")
    code = result.feature["id"]
    assert code.startswith(ft.code_prefix + "-")
    stored = get_feature(session, ft.table, code)
    assert stored["geometry"]["type"] == ft.geometry
    assert stored["properties"]["version"] == 1
    for name, value in props.items():
        got = stored["properties"][name]
        assert got == value or str(got) == str(value), name


def test_invalid_polygon_is_rejected_naming_layer_and_rule(session):
    bowtie = Polygon([(106.19, 21.27), (106.2, 21.28), (106.2, 21.27), (106.19, 21.28)])
    ft = feature_type("trees_green_area")
    with pytest.raises(InvalidInput) as err:
        create_feature(session, ft.table, sample_properties(ft), bowtie, user="t")
    assert "trees_green_area" in err.value.message
    assert [p.rule for p in err.value.problems] == ["valid_geometry"]
    assert "Self-intersection" in err.value.problems[0].message


def test_wrong_geometry_type_is_rejected(session):
    ft = feature_type("water_pipe")
    with pytest.raises(InvalidInput) as err:
        create_feature(session, ft.table, sample_properties(ft), Point(106.19, 21.27), user="t")
    problem = err.value.problems[0]
    assert (problem.field, problem.rule) == ("geometry", "geometry_type")
    assert "water_pipe needs a LineString" in problem.message


def test_every_broken_attribute_is_reported_at_once(session):
    ft = feature_type("water_pipe")
    props = sample_properties(ft, diameter_mm=None, material="gold", colour="red")
    with pytest.raises(InvalidInput) as err:
        create_feature(session, ft.table, props, sample_geometry(ft), user="t")
    rules = {(p.field, p.rule) for p in err.value.problems}
    assert rules == {("diameter_mm", "required"), ("material", "allowed_values"),
                     ("colour", "unknown_attribute")}


def test_database_rejects_invalid_geometry_even_bypassing_the_service(session):
    from geoalchemy2.shape import from_shape
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from twin.models import model

    bowtie = Polygon([(106.19, 21.27), (106.2, 21.28), (106.2, 21.27), (106.19, 21.28)])
    with pytest.raises(IntegrityError, match="ck_trees_green_area_geom_valid"):
        with session.begin_nested():
            session.execute(insert(model("trees_green_area")).values(
                code="TRE-GRN-X", geom=from_shape(bowtie, 4326)))


def test_code_must_be_unique(session):
    ft = feature_type("trees_tree")
    props = sample_properties(ft, code="TRE-TREE-DUP")
    create_feature(session, ft.table, props, sample_geometry(ft), user="t")
    with pytest.raises(InvalidInput) as err:
        create_feature(session, ft.table, props, sample_geometry(ft, 0.001), user="t")
    assert (err.value.problems[0].field, err.value.problems[0].rule) == ("code", "unique")


def test_version_protects_against_lost_updates(session):
    ft = feature_type("lighting_light")
    code = create_feature(session, ft.table, sample_properties(ft), sample_geometry(ft),
                          user="ana").feature["id"]
    first = update_feature(session, ft.table, code, {"wattage_w": 60}, expected_version=1,
                           user="ana")
    assert first.version == 2
    with pytest.raises(Conflict) as err:
        update_feature(session, ft.table, code, {"wattage_w": 90}, expected_version=1,
                       user="binh")
    assert err.value.current["properties"]["wattage_w"] == 60
    assert get_feature(session, ft.table, code)["properties"]["wattage_w"] == 60


def test_history_records_every_action_with_user_and_values(session):
    ft = feature_type("trees_tree")
    code = create_feature(session, ft.table, sample_properties(ft), sample_geometry(ft),
                          user="ana").feature["id"]
    update_feature(session, ft.table, code, {"condition": "poor"}, expected_version=1,
                   user="binh", reason="inspection")
    revert_feature(session, ft.table, code, 1, expected_version=2, user="admin")
    delete_feature(session, ft.table, code, expected_version=3, user="chi")
    rows = session.execute(select(History).where(History.code == code)
                           .order_by(History.id)).scalars().all()
    assert [(r.action, r.changed_by, r.version) for r in rows] == [
        ("create", "ana", 1), ("update", "binh", 2), ("revert", "admin", 3),
        ("delete", "chi", 3)]
    assert rows[1].old["properties"]["condition"] == "good"
    assert rows[1].new["properties"]["condition"] == "poor"
    assert rows[2].new["properties"]["condition"] == "good"
    assert rows[3].new is None


def test_network_edge_snaps_to_nodes_within_tolerance(session):
    junction = feature_type("water_junction")
    a = create_feature(session, junction.table, {}, Point(106.19, 21.27), user="t").feature
    b = create_feature(session, junction.table, {}, Point(106.191, 21.27), user="t").feature
    pipe = feature_type("water_pipe")
    # Start 0.5 m off junction a; end 30 m away from b: only the start connects.
    line = LineString([(106.190005, 21.27), (106.19129, 21.27)])
    result = create_feature(session, pipe.table, {"diameter_mm": 150}, line, user="t",
                            snap_tolerance_m=1.0)
    start, end = result.snapping
    assert start["node"] == a["id"] and start["connected"] and start["distance_m"] < 1.0
    assert end["connected"] is False
    props = result.feature["properties"]
    assert props["start_node"] == a["properties"]["id"] and props["end_node"] is None
    assert result.feature["geometry"]["coordinates"][0] == [106.19, 21.27]
    assert b["id"] != a["id"]
    assert 100 < props["length_m"] < 140

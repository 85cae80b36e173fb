"""The layer declarations are the single source of tables and their rules."""

import pytest
from sqlalchemy import inspect

from layers import LAYERS, feature_type, feature_types
from twin.models import MODELS

EXPECTED_LAYERS = {"trees", "lighting", "water", "drainage", "power", "telecom", "video",
                   "base"}


def test_the_six_asset_layers_and_the_base_map_are_registered():
    assert {lyr.name for lyr in LAYERS} == EXPECTED_LAYERS
    assert {lyr.name for lyr in LAYERS if not lyr.asset} == {"base"}


def test_every_feature_type_has_a_model_with_its_attributes():
    for ft in feature_types():
        columns = {c.name for c in MODELS[ft.table].__table__.columns}
        assert {a.name for a in ft.attributes} <= columns
        assert {"id", "code", "status", "version", "commune", "extra", "geom"} <= columns
        if ft.network == "edge":
            assert {"start_node", "end_node", "length_m"} <= columns


def test_allowed_values_become_check_constraints():
    table = MODELS["water_valve"].__table__
    names = {c.name for c in table.constraints}
    assert "ck_water_valve_normal_state_allowed" in names
    assert "ck_water_valve_geom_valid" in names


def test_unknown_feature_type_is_named():
    with pytest.raises(KeyError, match="water_pipes"):
        feature_type("water_pipes")


@pytest.mark.db
def test_database_has_every_declared_table_with_a_spatial_index(engine):
    insp = inspect(engine)
    for lyr in LAYERS:
        tables = set(insp.get_table_names(schema=lyr.schema))
        for ft in lyr.feature_types:
            assert ft.table in tables
            indexes = {tuple(i["column_names"]) for i in insp.get_indexes(ft.table, lyr.schema)}
            assert ("geom",) in indexes, ft.table


def test_details_are_declared_on_attributes_of_their_type_and_shown_deeper():
    from twin.declare import Detail, FeatureType

    for ft in feature_types():
        for d in ft.details:
            assert d.min_zoom > ft.min_zoom and d.attribute in {a.name for a in ft.attributes}
    with pytest.raises(ValueError, match="either below or values"):
        Detail("diameter_mm", 17)
    with pytest.raises(ValueError, match="deeper than 13"):
        FeatureType("pipe", "Ống", "Pipe", "LineString", "P", min_zoom=13,
                    details=(Detail("diameter_mm", 12, below=63),))

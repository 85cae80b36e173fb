"""Field mapping: renames, scales, drops, extras, short shapefile names, value spellings."""

from __future__ import annotations

import numpy as np
import pytest

from layers import feature_type, feature_types
from twin.errors import InvalidInput
from twin.io.mapping import Mapping, normalise_choices, shapefile_names

PIPE = feature_type("water_pipe")


@pytest.mark.parametrize("ft", feature_types(), ids=lambda ft: ft.table)
def test_shapefile_names_are_short_unique_and_cover_every_field(ft):
    names = shapefile_names(ft)
    assert all(len(short) <= 10 for short in names.values())
    assert len({short.lower() for short in names.values()}) == len(names)
    assert {a.name for a in ft.attributes} <= set(names)


def test_long_names_are_cut_and_read_back():
    names = shapefile_names(feature_type("trees_tree"))
    assert names["species_scientific"] == "species_sc"
    assert names["decommissioned_on"] == "decommissi"
    plan, problems = Mapping().plan(
        feature_type("trees_tree"), ["species_sc", "DECOMMISSI"], source="trees.shp"
    )
    assert problems == []
    assert plan.targets == {
        "species_sc": ("species_scientific", None),
        "DECOMMISSI": ("decommissioned_on", None),
    }


def test_a_plan_renames_scales_drops_and_names_unknown_fields():
    mapping = Mapping.parse(["PIPESIZE=diameter_mm*25.4", "FID=-", "MAT = material"])
    plan, problems = mapping.plan(
        PIPE, ["PIPESIZE", "FID", "MAT", "Roughness", "version", "colour"], source="mains.shp"
    )
    assert plan.targets == {
        "PIPESIZE": ("diameter_mm", 25.4),
        "MAT": ("material", None),
        "Roughness": ("roughness", None),
    }
    assert plan.ignored == ["FID", "version"]
    assert [(p.field, p.rule, p.feature) for p in problems] == [
        ("colour", "unknown_attribute", "mains.shp")
    ]
    assert "--map colour=ATTR" in problems[0].message


def test_extra_keeps_unknown_fields():
    plan, problems = Mapping(extra=True).plan(PIPE, ["colour"], source="x")
    assert (plan.extras, problems) == (["colour"], [])


def test_two_fields_for_one_attribute_is_a_problem():
    mapping = Mapping.parse(["DN=diameter_mm"])
    _, problems = mapping.plan(PIPE, ["DN", "diameter_mm"], source="x")
    assert [p.rule for p in problems] == ["one_source_field"]


def test_bad_option_values_are_all_reported():
    with pytest.raises(InvalidInput) as err:
        Mapping.parse(["nothing"], ["novalue"], values=["level=2"])
    assert [p.field for p in err.value.problems] == ["--map", "--default", "--value"]


def test_a_map_to_an_unknown_attribute_is_a_problem():
    _, problems = Mapping.parse(["DN=diametre"]).plan(PIPE, ["DN"], source="x")
    assert problems[0].rule == "unknown_attribute" and "diametre" in problems[0].message


def test_choice_spellings_become_allowed_values():
    values = np.array(["Ductile iron", "Gang dẻo", "HDPE", "gold", None], dtype=object)
    out = normalise_choices(PIPE.attribute("material"), values)
    assert out.tolist() == ["ductile_iron", "ductile_iron", "hdpe", "gold", None]


def test_value_replacements():
    mapping = Mapping.parse(values=["level:1=province", "level:2=district"])
    out = mapping.recode("level", np.array([1.0, 2.0, 3.0]))
    assert out.tolist() == ["province", "district", 3.0]

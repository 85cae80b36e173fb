"""The cost file: documented defaults with a unit for every number, and overrides."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from twin.errors import InvalidInput
from twin.fiber.costs import ROAD_CLASSES, SURFACES, UNITS, default_costs_path, load_costs


def _rows():
    with default_costs_path().open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_default_states_its_unit_and_what_it_is():
    rows = _rows()
    assert rows, "the default cost file is empty"
    for row in rows:
        assert row["unit"] in UNITS, row
        assert len(row["description"]) > 20, row
        assert float(row["value"]) >= 0, row
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys))


def test_money_keys_are_in_vnd_and_rules_in_metres_shares_or_fibres():
    for item in load_costs().items.values():
        if item.key.startswith("rule."):
            assert item.unit in ("m", "share", "fibres"), item
        else:
            assert item.unit.startswith("VND"), item


def test_every_road_class_and_surface_has_a_trench_price():
    costs = load_costs()
    for cls in ROAD_CLASSES:
        for surface in SURFACES:
            assert costs.unit(f"trench.{cls}.{surface}") == "VND/m"
            assert costs.trench_vnd_per_m(cls, surface) == costs[f"trench.{cls}.{surface}"]
    # unknown class or surface: priced as an asphalt street
    assert costs.trench_vnd_per_m(None, None) == costs["trench.street.asphalt"]
    assert costs.trench_vnd_per_m("rural", "cobbles") == costs["trench.rural.asphalt"]


def test_an_override_file_changes_only_its_rows(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("key,value,unit\naerial.per_m,50000,VND/m\ndrop.per_household,900000,\n")
    costs, defaults = load_costs(path), load_costs()
    assert costs["aerial.per_m"] == 50000
    assert costs["drop.per_household"] == 900000
    assert costs.unit("drop.per_household") == "VND/household"
    assert costs["cabinet.each"] == defaults["cabinet.each"]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("key,value,unit\naerial.per_m,50000,VND/village\n", "unit"),
        ("key,value\ntrench.moon.dust,1\n", "known_key"),
        ("key,value\naerial.per_m,cheap\n", "number"),
        ("key,value\naerial.per_m,-5\n", "non_negative"),
        ("key,value\nrule.drop_take_up,1.5\n", "share"),
        ("name,price\naerial,1\n", "required"),
    ],
)
def test_a_bad_override_is_refused_naming_the_key_and_rule(tmp_path, text, rule):
    path = tmp_path / "prices.csv"
    path.write_text(text)
    with pytest.raises(InvalidInput) as caught:
        load_costs(path)
    assert rule in {p.rule for p in caught.value.problems}


def test_with_values_keeps_units_and_refuses_unknown_keys():
    costs = load_costs().with_values(duct__per_m=1, rule__wide_road_min_width_m=30)
    assert costs["duct.per_m"] == 1 and costs.unit("duct.per_m") == "VND/m"
    assert costs.rule("wide_road_min_width_m") == 30
    with pytest.raises(InvalidInput):
        costs.with_values(nothing__here=1)


def test_the_documentation_lists_every_default_with_its_unit():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "fiber.md").read_text("utf-8")
    for item in load_costs().items.values():
        value = f"{item.value:,.0f}" if item.value == int(item.value) else f"{item.value:g}"
        assert f"| `{item.key}` | {value} | {item.unit} |" in doc, item.key

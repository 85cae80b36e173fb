"""The renewal ranking's formula: score = (1 + criticality) × condition."""

import pytest

from twin.live.decisions import renewal_entry

LIFE = {"hdpe": 50, "cast_iron": 70, "unknown": 40}


def _pipe(**overrides) -> dict:
    pipe = {"code": "WP-1", "commune": "Xã A", "material": "hdpe", "install_year": 2000,
            "diameter_mm": 200, "length_m": 12.345, "bursts": 0}
    return {**pipe, **overrides}


def test_condition_is_the_consumed_share_of_the_service_life():
    row = renewal_entry(_pipe(), LIFE, 0.0, 2025)
    assert (row["age_years"], row["service_life_years"]) == (25, 50)
    assert row["condition"] == pytest.approx(25 / 50)
    assert row["score"] == pytest.approx(0.5)


def test_each_burst_in_five_years_adds_one_to_the_condition():
    assert renewal_entry(_pipe(bursts=2), LIFE, 0.0, 2025)["condition"] == pytest.approx(2.5)


def test_criticality_multiplies_the_condition_by_one_plus_it():
    row = renewal_entry(_pipe(material="cast_iron", install_year=1955), LIFE, 1.5, 2025)
    assert row["condition"] == pytest.approx(70 / 70)
    assert row["score"] == pytest.approx((1 + 1.5) * 1.0)


def test_an_unknown_age_counts_as_half_the_life_and_an_unknown_material_as_unknown():
    row = renewal_entry(_pipe(install_year=None, material=None), LIFE, 0.0, 2025)
    assert row["age_years"] is None and row["service_life_years"] == 40
    assert row["condition"] == pytest.approx(0.5)
    row = renewal_entry(_pipe(material="bamboo", install_year=2005), LIFE, 0.0, 2025)
    assert row["service_life_years"] == 40 and row["condition"] == pytest.approx(0.5)


def test_a_critical_pipe_in_fair_condition_outranks_a_worn_pipe_that_cuts_nobody_off():
    worn = renewal_entry(_pipe(code="WORN", install_year=1985), LIFE, 0.0, 2025)
    critical = renewal_entry(_pipe(code="CRIT", install_year=2010), LIFE, 3.0, 2025)
    assert (worn["score"], critical["score"]) == (pytest.approx(0.8), pytest.approx(1.2))
    assert critical["score"] > worn["score"]


def test_figures_are_rounded_for_the_table():
    row = renewal_entry(_pipe(install_year=2024), LIFE, 0.12345, 2025)
    assert (row["length_m"], row["criticality"], row["condition"]) == (12.3, 0.123, 0.02)


def test_an_inspected_condition_replaces_the_age_and_is_named():
    young = _pipe(install_year=2020)
    by_age = renewal_entry(young, LIFE, 0.0, 2025)
    found_poor = renewal_entry({**young, "inspected_condition": "poor",
                                "last_inspected": "2025-03-01"}, LIFE, 0.0, 2025)
    assert by_age["condition_from"] == "age" and by_age["inspected_on"] is None
    assert found_poor["condition_from"] == "inspection"
    assert found_poor["inspected_on"] == "2025-03-01"
    assert found_poor["condition"] == pytest.approx(0.9 + young["bursts"])
    assert found_poor["score"] > by_age["score"]

import json

import pytest
from shapely import LineString, box
from shapely.geometry import shape

from twin.errors import InvalidInput
from twin.zoning.model import Asset, Decision, Finding, Plan, Zone, new_finding
from twin.zoning.tolerances import Tolerances


def overlap(offset_m=0.0, area=100.0, involved=("zone:P/a", "zone:P/b")):
    return new_finding(
        "overlap",
        "zones of one plan must not overlap",
        box(10 + offset_m, 10, 20 + offset_m, 20),
        plan_ids=("P",),
        involved=involved,
        area_m2=area,
    )


def test_plan_rejects_unknown_level_status_and_repeated_ids():
    zones = [Zone("a", "ODT", box(0, 0, 1, 1)), Zone("a", "ODT", box(1, 0, 2, 1))]
    with pytest.raises(InvalidInput) as error:
        Plan("P", "regional", "p", zones, status="final")
    assert {p.field for p in error.value.problems} == {"level", "status", "zones"}
    assert "plan P" in str(error.value)


def test_plan_keeps_its_features_as_tuples():
    plan = Plan("P", "zoning", "p", [Zone("a", "ODT", box(0, 0, 1, 1))])
    assert isinstance(plan.zones, tuple)


def test_asset_rejects_unknown_placement():
    with pytest.raises(InvalidInput):
        Asset("X", "water_pipe", LineString([(0, 0), (1, 0)]), placement="floating")


def test_fingerprint_ignores_order_and_sub_metre_noise():
    reference = overlap()
    assert overlap(involved=("zone:P/b", "zone:P/a")).fingerprint == reference.fingerprint
    assert overlap(offset_m=0.2, area=100.3).fingerprint == reference.fingerprint


def test_fingerprint_changes_when_the_conflict_changes():
    reference = overlap().fingerprint
    assert overlap(offset_m=5).fingerprint != reference
    assert overlap(area=140).fingerprint != reference
    assert overlap(involved=("zone:P/a", "zone:P/c")).fingerprint != reference


def test_to_dict_is_json_with_a_geojson_geometry():
    finding = overlap()
    data = json.loads(json.dumps(finding.to_dict()))
    assert data["kind"] == "overlap"
    assert data["fingerprint"] == finding.fingerprint
    assert shape(data["geometry"]).equals(finding.geometry)
    assert data["area_m2"] == 100.0 and data["length_m"] is None


def test_new_finding_takes_the_kind_severity_and_rejects_unknown_kinds():
    assert overlap().severity == "high"
    with pytest.raises(ValueError, match="unknown finding kind"):
        new_finding("teleport", "no", box(0, 0, 1, 1))
    assert isinstance(overlap(), Finding)


def test_decision_needs_a_known_status_and_a_note():
    with pytest.raises(InvalidInput) as error:
        Decision("abc", "ignored", "  ")
    assert {p.field for p in error.value.problems} == {"status", "note"}


def test_tolerances_must_be_sensible():
    with pytest.raises(InvalidInput) as error:
        Tolerances(snap_m=-1, crossing_angle_deg=120)
    assert {p.field for p in error.value.problems} == {"snap_m", "crossing_angle_deg"}

"""Recording inspections: condition and last inspection through the edit door, kept, once."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from layers import feature_type
from tests.factories import sample_geometry, sample_properties
from twin.edits import create_feature, update_feature
from twin.errors import Conflict, InvalidInput
from twin.inspections import Inspection, asset_inspections, record_inspection
from twin.models import History

pytestmark = pytest.mark.db

SEIZED = {"operation": "seized", "leak": "none", "turns": 12}


def _valve(session):
    ft = feature_type("water_valve")
    return create_feature(session, ft.table, sample_properties(ft), sample_geometry(ft),
                          user="editor").feature


def test_an_inspection_sets_condition_and_last_inspected_with_history(session):
    valve = _valve(session)
    when = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    done = record_inspection(session, "water_valve", valve["id"], "exercise",
                             Inspection(SEIZED, 1, when, {"type": "Point",
                                                           "coordinates": [106.2, 21.27]}),
                             user="crew1")
    props = done.feature["properties"]
    assert (props["condition"], props["last_inspected"], props["version"]) == (
        "failed", "2026-12-01", 2)
    stored = done.inspection["properties"]
    assert (stored["result"], stored["asset_version"], stored["inspected_by"]) == (
        "failed", 1, "crew1")
    assert stored["turns"] == 12
    assert done.inspection["geometry"]["coordinates"] == [106.2, 21.27]
    change = session.execute(select(History).where(History.code == valve["id"],
                                                   History.version == 2)).scalar_one()
    assert (change.changed_by, change.reason) == ("crew1", "inspection exercise")
    assert change.new["properties"]["condition"] == "failed"


def test_an_inspection_made_on_an_older_version_is_refused_with_the_asset_now(session):
    valve = _valve(session)
    update_feature(session, "water_valve", valve["id"], {"diameter_mm": 150},
                   expected_version=1, user="editor")
    with pytest.raises(Conflict) as err:
        record_inspection(session, "water_valve", valve["id"], "exercise",
                          Inspection(SEIZED, 1), user="crew1")
    assert err.value.current["properties"]["version"] == 2
    assert err.value.current["properties"]["condition"] != "failed"
    assert asset_inspections(session, "water_valve", valve["id"])[1] == []


def test_the_same_inspection_sent_twice_is_stored_once(session):
    valve = _valve(session)
    sent = Inspection(SEIZED, 1, client_id="phone-1234-5678")
    first = record_inspection(session, "water_valve", valve["id"], "exercise", sent,
                              user="crew1")
    again = record_inspection(session, "water_valve", valve["id"], "exercise", sent,
                              user="crew1")
    assert again.repeated and not first.repeated
    assert again.inspection["id"] == first.inspection["id"]
    assert len(asset_inspections(session, "water_valve", valve["id"])[1]) == 1


def test_answers_breaking_the_form_name_the_check_and_rule(session):
    valve = _valve(session)
    with pytest.raises(InvalidInput) as err:
        record_inspection(session, "water_valve", valve["id"], "exercise",
                          Inspection({"operation": "wobbly", "colour": "red"}, 1),
                          user="crew1")
    assert {(p.field, p.rule) for p in err.value.problems} == {
        ("operation", "allowed_values"), ("leak", "required"), ("colour", "unknown_check")}


def test_an_older_inspection_does_not_move_last_inspected_back(session):
    valve = _valve(session)
    update_feature(session, "water_valve", valve["id"], {"last_inspected": "2026-12-05"},
                   expected_version=1, user="editor")
    done = record_inspection(session, "water_valve", valve["id"], "exercise",
                             Inspection(SEIZED, 2, datetime(2026, 11, 1, tzinfo=UTC)),
                             user="crew1")
    assert done.feature["properties"]["last_inspected"] == date(2026, 12, 5).isoformat()
    assert done.feature["properties"]["condition"] == "failed"


def test_a_tree_risk_assessment_sets_the_risk_level(session):
    ft = feature_type("trees_tree")
    tree = create_feature(session, ft.table, sample_properties(ft), sample_geometry(ft),
                          user="editor").feature
    answers = {"likelihood_failure": "imminent", "likelihood_impact": "high",
               "consequences": "severe", "target": "power line"}
    done = record_inspection(session, ft.table, tree["id"], "traq",
                             Inspection(answers, 1), user="arborist")
    assert done.feature["properties"]["risk_level"] == "extreme"

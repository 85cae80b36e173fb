"""Work orders: a repair closes its incident, an incident closed closes its repairs, plans."""

from datetime import date

import pytest
from sqlalchemy import text

from layers import feature_type
from tests.factories import sample_geometry, sample_properties
from twin.edits import create_feature
from twin.errors import InvalidInput
from twin.live.incidents import close_incident, get_incident
from twin.live.models import Incident
from twin.maintenance import close_repairs_of, create_order, plan_recurring, set_status

pytestmark = pytest.mark.db


def _incident(session) -> str:
    number = session.execute(
        text("SELECT nextval(pg_get_serial_sequence('live.incident', 'id'))")).scalar()
    session.add(Incident(id=number, code=f"INC-{number:06d}", title="Burst main",
                         severity="major", status="open", details={}))
    session.flush()
    return f"INC-{number:06d}"


def _valve(session) -> str:
    ft = feature_type("water_valve")
    return create_feature(session, ft.table, {**sample_properties(ft), "last_inspected": None},
                          sample_geometry(ft), user="editor").feature["id"]


def test_a_repair_done_closes_its_incident(session):
    code = _incident(session)
    valve = _valve(session)
    order = create_order(session, {"kind": "repair", "title": "Replace the seized valve",
                                   "planned_start": "2026-12-08", "crew": "Tổ 3",
                                   "cost_vnd": 4_500_000, "incident_code": code.lower(),
                                   "assets": [f"water_valve/{valve.lower()}"]}, user="cris")
    assert order["assets"] == [f"water_valve/{valve}"] and order["incident_code"] == code
    with pytest.raises(InvalidInput):
        set_status(session, order["id"], "done", user="cris")
    done = set_status(session, order["id"], "done", user="cris", note="valve replaced")
    assert done["status"] == "done" and done["done_at"]
    incident = get_incident(session, code)
    assert incident.status == "closed" and "valve replaced" in incident.closing_note


def test_an_incident_closed_closes_its_open_repairs(session):
    code = _incident(session)
    order = create_order(session, {"kind": "repair", "title": "Repair", "incident_code": code,
                                   "planned_start": "2026-12-08"}, user="cris")
    close_incident(session, code, "main repaired by the contractor", actor="olga")
    assert close_repairs_of(session, code, "main repaired by the contractor",
                            user="olga") == [order["id"]]
    with pytest.raises(InvalidInput, match="status"):
        set_status(session, order["id"], "in_progress", user="cris")


def test_a_repair_needs_an_existing_incident_and_orders_valid_fields(session):
    with pytest.raises(InvalidInput):
        create_order(session, {"kind": "repair", "title": "x", "planned_start": "2026-12-08"},
                     user="cris")
    with pytest.raises(InvalidInput):
        create_order(session, {"title": "x", "planned_start": "2026-12-08", "cost_vnd": -1},
                     user="cris")
    with pytest.raises(InvalidInput):
        create_order(session, {"title": "x", "planned_start": "08/12/2026"}, user="cris")


def test_a_recurring_plan_lists_the_valves_due(session):
    valve = _valve(session)
    order = plan_recurring(session, "water_valve", every_months=12, title="Exercise valves",
                           until=date(2026, 12, 31), user="planner")
    assert f"water_valve/{valve}" in order["assets"]
    assert order["plan"] == "water_valve every 12 months"


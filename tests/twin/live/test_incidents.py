"""Alarms open incidents at the asset, with outage notes, burst areas and a timeline."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.twin.live.city import make_city
from twin.errors import InvalidInput, NotFound
from twin.live.alarms import Transition, load_rules
from twin.live.burst import METHOD
from twin.live.devices import register_demo_devices
from twin.live.incidents import (
    active_alarms,
    apply_transitions,
    assign,
    close_incident,
    get_incident,
    set_status,
    sync_rules,
)
from twin.live.models import Alarm, AlarmRule, IncidentEvent
from twin.live.outage import UNAVAILABLE, customers_in, note_of

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 21, 22, 0, tzinfo=UTC)
RULES = {r.id: r for r in load_rules()}


@pytest.fixture
def city(session):
    make_city(session)
    register_demo_devices(session, pressure_every=1)
    return session


def raised(rule, device, table, code, minutes=0, value=None, **details):
    return Transition(
        rule, device, table, code, True, NOW + timedelta(minutes=minutes), value, details
    )


def test_rules_are_synced_from_the_data_file_and_dropped_ones_disabled(session):
    sync_rules(session, RULES.values())
    sync_rules(session, [RULES["lamp_out"]])
    enabled = dict(session.execute(select(AlarmRule.rule_id, AlarmRule.enabled)).all())
    assert enabled["lamp_out"] is True and enabled["breaker_open"] is False


def test_breaker_open_opens_a_located_incident_with_its_outage_report(city):
    [incident] = apply_transitions(
        city,
        [
            raised(
                "breaker_open",
                "BRK-PWR-SW-1",
                "power_switch",
                "PWR-SW-1",
                value=None,
                reading="open",
            )
        ],
        RULES,
    )
    assert incident.code.startswith("INC-") and incident.status == "open"
    assert incident.severity == "critical" and incident.geom is not None
    assert incident.outage["assets"] == ["PWR-SW-1"]
    # The city of this test is never committed, so the network service (which reads
    # committed graphs) cannot find it: the incident still opens, with the reason.
    assert incident.outage["available"] is False
    assert note_of(incident.outage["note"]) is not None  # the pages can translate it
    assert "outage analysis failed" in incident.outage["note"]
    assert active_alarms(city) == {("breaker_open", "BRK-PWR-SW-1")}
    events = city.scalars(
        select(IncidentEvent).where(IncidentEvent.incident_id == incident.id)
    ).all()
    assert [e.action for e in events] == ["opened"]


def test_a_stored_outage_note_is_read_back_as_its_message_and_values():
    failed = note_of("outage analysis failed: NoPath")
    assert (failed.text, failed.values) == (
        "outage analysis failed: %(reason)s",
        {"reason": "NoPath"},
    )
    assert str(note_of("no asset located for the analysis")) == "no asset located for the analysis"
    assert "(twin.network.service:analyse_outage)" in str(UNAVAILABLE)
    assert note_of(str(UNAVAILABLE)) is UNAVAILABLE
    assert note_of("something else") is None


def test_customers_are_read_from_the_report_or_its_impact_blocks():
    assert customers_in({"customers": {"customers": 4, "customer_nodes": []}}) == 4
    report = {
        "analysis": {
            "customers_at_trip": {"customers": 9, "customer_nodes": []},
            "customers_until_repair": {"customers": 3, "customer_nodes": []},
        }
    }
    assert customers_in(report) == 3
    assert customers_in({"analysis": {}}) is None


def test_pressure_drops_near_in_time_are_one_burst_with_an_estimated_area(city):
    first = raised(
        "pressure_drop", "PRS-WTR-JCT-4", "water_junction", "WTR-JCT-4", value=2.0, drop=1.4
    )
    second = raised(
        "pressure_drop", "PRS-WTR-JCT-5", "water_junction", "WTR-JCT-5", 3, value=2.5, drop=0.9
    )
    [a] = apply_transitions(city, [first], RULES)
    [b] = apply_transitions(city, [second], RULES)
    assert a.id == b.id
    area = b.details["burst_area"]
    assert area["sensors_dropped"] == {"WTR-JCT-4": 1.4, "WTR-JCT-5": 0.9}
    assert area["candidates"][0]["pipe"] in {"WTR-PIPE-4", "WTR-PIPE-5"}
    # stored in English as before; the pages translate it through burst.METHOD
    assert area["method"] == str(METHOD)
    assert area["method"] == (
        "least-squares fit of exp(-distance/400 m) drop pattern along the network"
    )
    assert b.outage["utility"] == "water"
    assert b.outage["assets"] == [area["candidates"][0]["pipe"]]


def test_a_cleared_alarm_adds_to_the_timeline_but_leaves_the_incident_to_people(city):
    [incident] = apply_transitions(
        city, [raised("lamp_out", "LUM-LGT-POLE-2", "lighting_light", "LGT-POLE-2")], RULES
    )
    cleared = Transition(
        "lamp_out",
        "LUM-LGT-POLE-2",
        "lighting_light",
        "LGT-POLE-2",
        False,
        NOW + timedelta(minutes=9),
    )
    assert apply_transitions(city, [cleared], RULES) == []
    alarm = city.scalars(select(Alarm).where(Alarm.subject == "LUM-LGT-POLE-2")).one()
    assert alarm.cleared_at == NOW + timedelta(minutes=9)
    assert incident.status == "open"
    actions = city.scalars(
        select(IncidentEvent.action)
        .where(IncidentEvent.incident_id == incident.id)
        .order_by(IncidentEvent.id)
    ).all()
    assert actions == ["opened", "alarm_cleared"]


def test_incident_workflow_owner_status_and_closing_note(city):
    [incident] = apply_transitions(
        city, [raised("lamp_out", "LUM-LGT-POLE-3", "lighting_light", "LGT-POLE-3")], RULES
    )
    assign(city, incident.code, "crew-north", actor="dispatcher")
    assert (incident.owner, incident.status) == ("crew-north", "acknowledged")
    set_status(city, incident.code, "in_progress", actor="crew-north", note="on site")
    with pytest.raises(InvalidInput):
        close_incident(city, incident.code, "  ", actor="crew-north")
    close_incident(city, incident.code, "Replaced the driver.", actor="crew-north")
    assert incident.status == "closed" and incident.closed_at is not None
    with pytest.raises(InvalidInput):
        set_status(city, incident.code, "open", actor="crew-north")
    with pytest.raises(NotFound):
        get_incident(city, "INC-999999")
    actions = city.scalars(
        select(IncidentEvent.action)
        .where(IncidentEvent.incident_id == incident.id)
        .order_by(IncidentEvent.id)
    ).all()
    assert actions == ["opened", "assigned", "status", "closed"]

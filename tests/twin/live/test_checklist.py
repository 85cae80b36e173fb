"""The checklist's state is the last tick of each step (twin.live.checklist)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from twin.live.checklist import _state, incident_steps

STEPS = [
    {"order": 1, "device": "V1", "action": "close"},
    {"order": 2, "device": "V2", "action": "close"},
]


def _event(action, order, actor="cris", minute=0):
    at = datetime(2026, 12, 7, 2, minute, tzinfo=UTC)
    return SimpleNamespace(action=action, actor=actor, at=at, data={"order": order})


def test_the_last_tick_of_a_step_wins():
    events = [_event("step_done", 1), _event("step_undone", 1, "edna", 5), _event("step_done", 2)]
    state = _state(STEPS, events)
    assert [(s["done"], s.get("by")) for s in state] == [(False, "edna"), (True, "cris")]
    assert state[0]["at"].minute == 5


def test_untouched_steps_are_not_done_and_keep_their_fields():
    state = _state(STEPS, [])
    assert state == [{**s, "done": False} for s in STEPS]


def test_steps_come_from_the_stored_outage_report():
    incident = SimpleNamespace(outage={"report": {"work_order": {"steps": STEPS}}})
    assert incident_steps(incident) == STEPS
    assert incident_steps(SimpleNamespace(outage=None)) == []
    assert incident_steps(SimpleNamespace(outage={"available": False})) == []

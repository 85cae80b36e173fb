"""The crew's checklist of an incident: the device operations, ticked off one by one.

The steps are those of the incident's outage analysis (valves to close,
switches to open, in order).  Each tick or untick is an event of the
incident's timeline (``step_done`` / ``step_undone``: who, when, which
step), so the checklist is never stored apart from its history: its state
is the last event of each step.  Nothing here commits (the caller does).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from twin.errors import InvalidInput, Problem
from twin.i18n import N_

from .incidents import add_event, get_incident
from .models import Incident, IncidentEvent

__all__ = ["STEP_ACTIONS", "STEP_NOTE", "checklist", "incident_steps", "tick_step"]

#: Timeline actions of the checklist: ticked, unticked.
STEP_ACTIONS = ("step_done", "step_undone")
#: The note of a tick, stored in English, shown translated.
STEP_NOTE = N_("step %(order)s: %(action)s %(device)s")


def incident_steps(incident: Incident) -> list[dict]:
    """The device operations of the incident's outage analysis, in order."""
    report = (incident.outage or {}).get("report") or {}
    return list((report.get("work_order") or {}).get("steps") or [])


def _state(steps: list[dict], events: Iterable) -> list[dict]:
    """Each step with ``done`` and, once ticked or unticked, ``by`` and ``at``."""
    last: dict[int, Mapping] = {}
    for event in events:  # oldest first: the last one wins
        last[int(event.data.get("order", 0))] = event
    out = []
    for step in steps:
        event = last.get(step["order"])
        entry = {**step, "done": False}
        if event is not None:
            entry.update(done=event.action == "step_done", by=event.actor, at=event.at)
        out.append(entry)
    return out


def checklist(session: Session, code: str) -> dict:
    """The incident's steps with who ticked each off and when."""
    incident = get_incident(session, code)
    events = session.scalars(
        select(IncidentEvent)
        .where(
            IncidentEvent.incident_id == incident.id,
            IncidentEvent.action.in_(STEP_ACTIONS),
        )
        .order_by(IncidentEvent.at, IncidentEvent.id)
    ).all()
    return {
        "incident": incident.code,
        "status": incident.status,
        "steps": _state(incident_steps(incident), events),
    }


def tick_step(
    session: Session, code: str, order: int, device: str, *, done: bool, actor: str
) -> dict:
    """Tick step ``order`` off (``done``) or back on, as ``actor``; the checklist after.

    ``device`` must be the step's device: a page showing an older analysis
    cannot tick the wrong valve.
    """
    incident = get_incident(session, code)
    steps = {s["order"]: s for s in incident_steps(incident)}
    step = steps.get(order)
    problems = []
    if incident.status == "closed":
        problems.append(Problem("status", "closed", "a closed incident cannot change", code))
    if step is None:
        problems.append(
            Problem("order", "step", f"the incident has no step {order} to operate", code)
        )
    elif str(device).strip().upper() != step["device"]:
        problems.append(
            Problem("device", "step", f"step {order} operates {step['device']}, not {device}")
        )
    if problems:
        raise InvalidInput(f"incident {incident.code}", problems)
    note = STEP_NOTE % {"order": order, "action": step["action"], "device": step["device"]}
    data = {k: step.get(k) for k in ("order", "device", "action", "utility")}
    add_event(session, incident, actor, STEP_ACTIONS[0] if done else STEP_ACTIONS[1], note, data)
    return checklist(session, code)

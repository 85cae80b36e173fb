"""Use cases of maintenance: plan work, follow it, close it; repairs close with incidents.

A repair names the incident it mends: marking the repair done closes the
incident (its outage with it) with the repair's closing note, and closing
the incident from the operations centre closes its open repairs
(:func:`close_repairs_of`).  A recurring plan ("each valve exercised every
12 months") makes one work order of the assets it finds due.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from layers import feature_type
from twin.errors import InvalidInput, NotFound, Problem
from twin.features import get_feature
from twin.live.incidents import close_incident, get_incident

from . import store
from .algorithms import due_assets
from .tables import KINDS, OPEN, STATUSES

__all__ = ["close_repairs_of", "create_order", "plan_recurring", "set_status", "work_orders"]


def _problem(field: str, rule: str, message: str):
    return InvalidInput(f"work order: {field}", [Problem(field, rule, message)])


def _asset_refs(session: Session, refs) -> list[str]:
    out = []
    for ref in refs or []:
        table, _, code = str(ref).partition("/")
        try:
            feature_type(table)
        except KeyError:
            raise _problem("assets", "unknown_type", f"{ref!r}: no feature type {table!r}") from None
        out.append(f"{table}/{get_feature(session, table, code)['id']}")
    return out


def create_order(session: Session, order: dict, *, user: str) -> dict:
    """Store a new work order (``title``, ``planned_start``, ``kind``, ``crew``, ``cost_vnd``,
    ``planned_end``, ``assets``, ``incident_code``); a repair's incident must exist."""
    kind = order.get("kind") or "planned"
    if kind not in KINDS:
        raise _problem("kind", "allowed_values", f"{kind!r} is not one of {', '.join(KINDS)}")
    if not str(order.get("title") or "").strip():
        raise _problem("title", "required", "say what is to be done")
    incident = order.get("incident_code")
    if kind == "repair":
        if not incident:
            raise _problem("incident_code", "required", "a repair names its incident")
        incident = get_incident(session, incident).code
    try:
        start = date.fromisoformat(str(order.get("planned_start")))
        end = date.fromisoformat(order["planned_end"]) if order.get("planned_end") else None
    except ValueError:
        raise _problem("planned_start", "date", "dates as YYYY-MM-DD") from None
    cost = order.get("cost_vnd")
    if cost is not None and (not isinstance(cost, int) or isinstance(cost, bool) or cost < 0):
        raise _problem("cost_vnd", "minimum", "a whole number of VND, 0 or more")
    return store.add_order(session, {
        "kind": kind, "title": str(order["title"]).strip()[:300], "crew": order.get("crew"),
        "planned_start": start, "planned_end": end, "cost_vnd": cost,
        "assets": _asset_refs(session, order.get("assets")), "incident_code": incident,
        "created_by": user, "plan": order.get("plan"),
    })


def set_status(session: Session, order_id: int, status: str, *, user: str,
               note: str | None = None) -> dict:
    """Move a work order on; ``done`` needs a note, and a repair done closes its incident."""
    order = store.get_order(session, order_id)
    if order is None:
        raise NotFound(f"no work order {order_id}")
    if status not in STATUSES:
        raise _problem("status", "allowed_values", f"{status!r} is not one of {', '.join(STATUSES)}")
    if order["status"] not in OPEN:
        raise _problem("status", "closed", f"work order {order_id} is {order['status']} already")
    values = {"status": status}
    if status in ("done", "cancelled"):
        if not (note or "").strip():
            raise _problem("closing_note", "required", "say what was done")
        values.update(closing_note=note.strip(), done_at=datetime.now(UTC))
    store.set_order(session, order_id, values)
    if status == "done" and order["incident_code"]:
        incident = get_incident(session, order["incident_code"])
        if incident.status != "closed":
            close_incident(session, incident.code, f"work order {order_id}: {note.strip()}",
                           actor=user)
    return store.get_order(session, order_id)


def close_repairs_of(session: Session, incident_code: str, note: str, *, user: str) -> list[int]:
    """Mark done the open repairs of an incident that was closed (its closing note)."""
    closed = store.open_repairs(session, incident_code)
    for order_id in closed:
        store.set_order(session, order_id, {"status": "done", "done_at": datetime.now(UTC),
                                            "closing_note": f"incident closed: {note}"})
    return closed


def work_orders(session: Session, *, open_only: bool = True, start: date | None = None,
                end: date | None = None) -> list[dict]:
    return store.orders(session, open_only=open_only, start=start, end=end)


def plan_recurring(session: Session, table: str, *, every_months: int, title: str,
                   until: date, user: str, commune: str | None = None) -> dict | None:
    """One work order of the ``table`` assets due by ``until`` (last inspected over
    ``every_months`` ago, or never); None when none is due."""
    due = due_assets(store.last_inspected(session, table, commune=commune),
                     every_months=every_months, until=until)
    if not due:
        return None
    return store.add_order(session, {
        "kind": "planned", "title": title, "planned_start": min(due.values()),
        "planned_end": until, "assets": list(due), "created_by": user,
        "plan": f"{table} every {every_months} months",
    })

"""Work orders: ``/api/workorders`` (list, create, move on) and the calendar ``/maintenance/``.

Any signed-in role reads; crews, editors and admins plan and close work
(asked before the body is read).  The calendar shows a month of open work,
each order on the days it is planned, with its crew and assets.
"""

from __future__ import annotations

import calendar
from datetime import date

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from twin import maintenance
from twin.auth import has, require
from twin.errors import InvalidInput, Problem

from ..api.http import json_body
from ..auth.setup import current_principal
from ..db import get_session

__all__ = ["bp"]

bp = Blueprint("maintenance", __name__, template_folder="templates", static_folder="static",
               static_url_path="/maintenance/static")


@bp.before_request
def _readers_only():
    require(current_principal(), "read", "reading maintenance work")


def _month() -> date:
    raw = request.args.get("month") or date.today().strftime("%Y-%m")
    try:
        return date.fromisoformat(raw + "-01")
    except ValueError:
        raise InvalidInput("bad month", [Problem("month", "format", "YYYY-MM")]) from None


@bp.get("/api/workorders")
def listing():
    open_only = request.args.get("status", "open") == "open"
    return jsonify(maintenance.work_orders(get_session(), open_only=open_only))


@bp.post("/api/workorders")
def create():
    who = current_principal()
    require(who, "maintain", "planning work")
    order = maintenance.create_order(get_session(), json_body() or {}, user=who.name)
    get_session().commit()
    return jsonify(order), 201


@bp.post("/api/workorders/<int:order_id>/status")
def move_on(order_id: int):
    who = current_principal()
    require(who, "maintain", f"changing work order {order_id}")
    body = json_body() or {}
    order = maintenance.set_status(get_session(), order_id, str(body.get("status", "")),
                                   user=who.name, note=body.get("note"))
    get_session().commit()
    return jsonify(order)


def _map_source(first: date, last: date) -> str:
    """The month's open work orders in the feature API, for the map."""
    return url_for("api.items", collection_id="work_orders", limit=1000,
                   status=",".join(maintenance.OPEN), datetime=f"{first}/{last}")


def _map_words(statuses: dict) -> dict:
    return {"legend": _("Legend"), "status": _("Status"), "kind": _("Kind"),
            "statuses": statuses, "kinds": {"planned": _("planned work"), "repair": _("repair")},
            "failed": _("The map of open work could not be loaded.")}


@bp.get("/maintenance/")
def calendar_page():
    first = _month()
    last = date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
    orders = maintenance.work_orders(get_session(), start=first, end=last)
    weeks = calendar.Calendar().monthdatescalendar(first.year, first.month)
    by_day = {day: [o for o in orders if o["planned_start"] <= day.isoformat()
                    <= (o["planned_end"] or o["planned_start"])]
              for week in weeks for day in week}
    who = current_principal()
    before = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    after = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    statuses = {"planned": _("planned"), "scheduled": _("scheduled"),
                "in_progress": _("in progress"), "done": _("done"), "cancelled": _("cancelled")}
    return render_template("maintenance/calendar.html", weeks=weeks, by_day=by_day,
                           statuses=statuses, map_source=_map_source(first, last),
                           map_words=_map_words(statuses),
                           month=first, before=before, after=after, orders=orders,
                           me=who.name, can_see_jobs=has(who, "jobs"))

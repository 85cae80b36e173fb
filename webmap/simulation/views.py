"""Simulation runs on the web: stored water runs, hydrant fire flow and power load flows.

``/api/simulation/water/runs`` lists the latest runs; ``…/runs/<id>?at=HOURS``
gives every feature's result at that time (nodes: pressure, head, demand;
links: flow, velocity), keyed by asset code so a map joins them to its
features; ``/api/simulation/water/fire-flow.geojson`` is a map layer of the
hydrants with the flow each gives at the minimum residual pressure.
``/api/simulation/power/runs`` lists the latest load flows (each feeder in
brief); ``…/runs/<id>`` gives every bus's voltage (p.u.) and every line's
and transformer's loading (%), keyed by asset code.  Any signed-in role may
read them; the work is in :mod:`twin.simulation`.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from twin import simulation
from twin.auth import require
from twin.errors import InvalidInput, NotFound, Problem

from ..auth.setup import current_principal
from ..db import get_session
from ..rate_limits import charge

__all__ = ["bp"]

bp = Blueprint("simulation", __name__, url_prefix="/api/simulation")


@bp.before_request
def _readers_only():
    require(current_principal(), "read", "reading simulation results")


def _hours(name: str) -> float:
    raw = request.args.get(name, "0")
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 24 * 366:
        raise InvalidInput(f"bad {name}", [Problem(name, "hours", f"{raw!r} is not hours >= 0")])
    return value


def _when(value) -> str | None:
    return None if value is None else value.isoformat()


@bp.get("/water/runs")
def water_runs():
    rows = simulation.runs(get_session())
    return jsonify([{**r, "created_at": _when(r["created_at"])} for r in rows])


@bp.get("/water/runs/<int:run_id>")
def water_run(run_id: int):
    session = get_session()
    run = simulation.run_row(session, run_id)
    if run is None:
        raise NotFound(f"no water run {run_id}")
    at_s = int(round(_hours("at") * 3600))
    results = simulation.water_results(session, run_id, at_s)
    return jsonify({"run": {**run, "created_at": _when(run["created_at"])}, "at_s": at_s,
                    **results})


@bp.get("/water/fire-flow.geojson")
def fire_flow():
    charge("analysis")
    home = current_app.config["TWIN_SETTINGS"].home
    result = simulation.hydrant_fire_flows(get_session(), home)
    return jsonify(simulation.fire_flow_geojson(result))


@bp.get("/power/runs")
def power_runs():
    rows = simulation.power_runs(get_session())
    return jsonify([{**r, "created_at": _when(r["created_at"])} for r in rows])


@bp.get("/power/runs/<int:run_id>")
def power_run(run_id: int):
    found = simulation.power_snapshot(get_session(), run_id)
    run = found["run"]
    return jsonify({**found, "run": {**run, "created_at": _when(run["created_at"])}})

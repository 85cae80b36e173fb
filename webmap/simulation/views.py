"""Simulation runs on the web: stored water, drainage and power runs and hydrant fire
flow, as JSON for maps.

``/api/simulation/water/runs`` lists the latest runs; ``…/runs/<id>?at=HOURS``
gives every feature's result at that time (nodes: pressure, head, demand;
links: flow, velocity), keyed by asset code so a map joins them to its
features; ``…/compare?a=RUN&b=RUN`` lists junction pressure differences of
two runs, largest first; ``/api/simulation/water/fire-flow.geojson`` is a map layer of the
hydrants with the flow each gives at the minimum residual pressure.
``/api/simulation/drainage/runs`` lists the latest storm runs,
``…/runs/<id>`` gives every node's, conduit's and outfall's statistics by
code, and ``…/runs/<id>/nodes.geojson`` is a map layer of the nodes with
their flooding.
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


@bp.get("/water/compare")
def water_compare():
    """``?a=RUN&b=RUN[&at=HOURS][&limit=N]``: pressures of b minus a, largest first."""
    runs = {}
    for name in ("a", "b"):
        raw = request.args.get(name, "")
        if not raw.isdigit():
            raise InvalidInput(f"bad {name}", [Problem(name, "run_id", f"{raw!r} is not a run id")])
        runs[name] = int(raw)
    at_s = (simulation.peak_hour_s() if "at" not in request.args
            else int(round(_hours("at") * 3600)))
    limit = request.args.get("limit", "100")
    if not limit.isdigit() or not 1 <= int(limit) <= 100_000:
        raise InvalidInput("bad limit", [Problem("limit", "range", "1 to 100000 junctions")])
    found = simulation.compare_runs(get_session(), runs["a"], runs["b"], at_s=at_s,
                                    limit=int(limit))
    return jsonify(found)


@bp.get("/water/fire-flow.geojson")
def fire_flow():
    charge("analysis")
    home = current_app.config["TWIN_SETTINGS"].home
    result = simulation.hydrant_fire_flows(get_session(), home)
    return jsonify(simulation.fire_flow_geojson(result))


@bp.get("/drainage/runs")
def drainage_runs():
    rows = simulation.drainage_runs(get_session())
    return jsonify([{**r, "created_at": _when(r["created_at"])} for r in rows])


@bp.get("/drainage/runs/<int:run_id>")
def drainage_run(run_id: int):
    session = get_session()
    snapshot = simulation.drainage_snapshot(session, run_id)
    run = simulation.drainage_run_row(session, run_id)
    return jsonify({"run": {**run, "created_at": _when(run["created_at"])}, **snapshot})


@bp.get("/drainage/runs/<int:run_id>/nodes.geojson")
def drainage_nodes(run_id: int):
    return jsonify(simulation.drainage_nodes_geojson(get_session(), run_id))


@bp.get("/power/runs")
def power_runs():
    rows = simulation.power_runs(get_session())
    return jsonify([{**r, "created_at": _when(r["created_at"])} for r in rows])


@bp.get("/power/runs/<int:run_id>")
def power_run(run_id: int):
    found = simulation.power_snapshot(get_session(), run_id)
    run = found["run"]
    return jsonify({**found, "run": {**run, "created_at": _when(run["created_at"])}})

"""Use cases of drainage runs: read the drainage layer, rain a design storm on it, keep the run.

:func:`simulate_drainage` is what ``twin simulate drainage`` and its
background job run; :func:`drainage_nodes_geojson` is a stored run's node
results as a map layer.  A blocked conduit is an asset out of service in
the sense of the outage analysis: it stays in the network but passes no
flow, and the run says which nodes flood more than with it open.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy.orm import Session

from twin.errors import InvalidInput, NotFound, Problem

from . import drainage_store as store
from .algorithms.drainage_catchments import derive_catchments
from .algorithms.drainage_engine import DrainageResult, run_swmm
from .algorithms.drainage_features import drainage_model
from .algorithms.drainage_inp import swmm_input
from .algorithms.drainage_records import DrainageModel, DrainageSettings, Gage
from .algorithms.drainage_storm import Storm, design_storm
from .drainage_standards import drainage_standards, idf_parameters
from .store import data_version, saved_timed

__all__ = [
    "design_gage",
    "drainage_nodes_geojson",
    "drainage_snapshot",
    "load_drainage_features",
    "load_drainage_model",
    "simulate_drainage",
]

#: Hours of dry weather after the storm, for the network to drain.
_DRAIN_H = 2.0
#: Flooded volumes below this (m³) are a brim of the rim, not flooding.
_MIN_FLOOD_M3 = 1.0


def design_gage(return_period_years: float, duration_min: float | None = None) -> Gage:
    """The rain gage of the design storm of TCVN 7957:2023's formula for the city's region."""
    std = drainage_standards()
    storm: Storm = design_storm(
        idf_parameters(), return_period_years,
        duration_min=duration_min or float(std["storm.duration_min"]),
        step_min=float(std["storm.step_min"]), peak_fraction=float(std["storm.peak_fraction"]))
    series = tuple((k * storm.step_min / 60, i) for k, i in enumerate(storm.intensities_mm_h))
    return Gage("storm", storm.step_min, series)


def load_drainage_features(conn, home: Path | str | None) -> dict[str, list[dict]]:
    """The drainage layer's rows as stored now, catchments derived when it has none."""
    features = store.drainage_features(conn, home)
    std = drainage_standards()
    if not features["drainage_catchment"]:
        nodes = [r for t in ("drainage_inlet", "drainage_manhole") for r in features[t]]
        xs = [r["xy"][0] for r in nodes if r["xy"][0] is not None]
        ys = [r["xy"][1] for r in nodes if r["xy"][1] is not None]
        surfaces = (store.base_surfaces(conn, (min(xs), min(ys), max(xs), max(ys)))
                    if xs else {"buildings": [], "roads": []})
        features["drainage_catchment"] = derive_catchments(features, surfaces, std)
    return features


def load_drainage_model(conn, home: Path | str | None, *, gage: Gage | None = None,
                        blocked: Iterable[str] = ()) -> DrainageModel:
    """The SWMM records of the drainage layer as stored now (see
    :func:`load_drainage_features`); without ``gage``, the gages a SWMM import kept."""
    return drainage_model(load_drainage_features(conn, home), drainage_standards(),
                          gage=gage, blocked=frozenset(blocked))


def _check(return_period_years: float, duration_min: float | None, blocked, model) -> None:
    problems = []
    if not return_period_years or return_period_years <= 0:
        problems.append(Problem("storm", "minimum", "the return period is a number of years, "
                                                     "more than 0"))
    if duration_min is not None and not 5 <= duration_min <= 24 * 60:
        problems.append(Problem("duration", "range", "the storm lasts 5 to 1,440 minutes"))
    if model is not None and not (model.conduits and model.subcatchments):
        problems.append(Problem("drainage", "required", "the drainage layer has no conduits "
                                                        "or no catchments in service to run"))
    known = {c.code for c in model.conduits} if model else set()
    for code in blocked:
        if model is not None and code not in known:
            problems.append(Problem("blocked", "exists", f"{code} is not a drainage conduit "
                                                         "in the network"))
    if problems:
        raise InvalidInput("this drainage run cannot be made", problems)


def _summary(model: DrainageModel, result: DrainageResult, base: DrainageResult | None) -> dict:
    flooded = result.flooded(min_volume_m3=_MIN_FLOOD_M3)
    out = {
        "nodes": len(model.nodes), "conduits": len(model.conduits),
        "subcatchments": len(model.subcatchments),
        "flooded_nodes": len(flooded),
        "flood_volume_m3": round(sum(v["flood_volume_m3"] for v in flooded.values()), 1),
        "worst": [{"code": c, "flood_volume_m3": round(v["flood_volume_m3"], 1),
                   "flood_hours": round(v["flood_hours"], 2)} for c, v in list(flooded.items())[:10]],
        "rain_runoff_m3": round(result.totals["wet_weather_inflow_m3"], 1),
        "outflow_m3": round(result.totals["outflow_m3"], 1),
        "continuity_error_pct": round(result.totals["continuity_error_pct"], 3),
    }
    if base is not None:
        more = {c: v["flood_volume_m3"] - base.nodes.get(c, {}).get("flood_volume_m3", 0.0)
                for c, v in flooded.items()}
        worse = sorted((c for c, d in more.items() if d > _MIN_FLOOD_M3), key=lambda c: -more[c])
        out["flooding_more"] = [{"code": c, "more_m3": round(more[c], 1)} for c in worse]
    return out


def simulate_drainage(
    engine, home: Path | str | None, *, storm: float, duration_min: float | None = None,
    blocked: Iterable[str] = (), user: str | None = None, progress: Callable | None = None,
) -> dict:
    """Rain the ``storm``-year design storm on the drainage network, keep the run.

    With ``blocked`` conduits, the network is run a second time with them
    open, and the summary's ``flooding_more`` lists the nodes that flood
    more because of the blockage.  Returns ``run_id``, ``summary``,
    ``inputs`` and the seconds each stage took (``timings``).
    """
    blocked = sorted(set(blocked))
    _check(storm, duration_min, blocked, None)
    step = progress or (lambda *a: None)
    timings, t0 = {}, time.perf_counter()
    step("reading the drainage network", 0, 4)
    gage = design_gage(storm, duration_min)
    with Session(engine) as session:
        version = data_version(session)
        features = load_drainage_features(session, home)
    model = drainage_model(features, drainage_standards(), gage=gage, blocked=frozenset(blocked))
    _check(storm, duration_min, blocked, model)
    storm_min = gage.interval_min * len(gage.series)
    settings = DrainageSettings(duration_s=int(round((storm_min / 60 + _DRAIN_H) * 3600)))
    timings["build_s"] = time.perf_counter() - t0
    step("running SWMM", 1, 4)
    t1 = time.perf_counter()
    result = run_swmm(swmm_input(model, settings))
    base = None
    if blocked:
        step("running SWMM with the conduits open", 2, 4)
        open_model = drainage_model(features, drainage_standards(), gage=gage)
        base = run_swmm(swmm_input(open_model, settings))
    timings["run_s"] = time.perf_counter() - t1
    step("storing the results", 3, 4)
    inputs = {"storm": {"return_period_years": storm, "duration_min": storm_min,
                        "idf": dataclasses.asdict(idf_parameters()),
                        "intensities_mm_h": [round(i, 2) for _, i in gage.series]},
              "settings": dataclasses.asdict(settings),
              "counts": model.counts, "notes": model.notes[:20]}
    run = {"return_period_years": storm, "duration_min": storm_min, "blocked": blocked,
           "data_version": version, "inputs": inputs,
           "summary": _summary(model, result, base), "created_by": user}
    run_id = saved_timed(engine, store.save_drainage_run, run, result, timings)
    step("done", 4, 4)
    return {"run_id": run_id, "summary": run["summary"], "inputs": inputs,
            "timings": {k: round(v, 3) for k, v in timings.items()}}


def drainage_snapshot(conn, run_id: int) -> dict:
    """Run ``run_id``'s nodes (``max_depth_m``, ``flood_volume_m3``, ``flood_hours``,
    ``lonlat``), conduits (``max_flow_m3s``, ``max_velocity_ms``, ``max_depth_m``) and outfalls
    (``max_flow_m3s``, ``mean_flow_m3s``) by code; :class:`NotFound` without such a run."""
    run = store.drainage_run_row(conn, run_id)
    if run is None:
        raise NotFound(f"no drainage run {run_id}")
    rows = {k: store.drainage_result_rows(conn, run_id, k) for k in ("node", "link", "outfall")}
    return {
        "run_id": run_id, "return_period_years": run["return_period_years"],
        "blocked": run["blocked"],
        "nodes": {r["code"]: {"max_depth_m": r["max_depth_m"],
                              "flood_volume_m3": r["flood_volume_m3"],
                              "flood_hours": r["flood_hours"], "lonlat": [r["lon"], r["lat"]]}
                  for r in rows["node"]},
        "conduits": {r["code"]: {"max_flow_m3s": r["max_flow_m3s"],
                                 "max_velocity_ms": r["max_velocity_ms"],
                                 "max_depth_m": r["max_depth_m"]} for r in rows["link"]},
        "outfalls": {r["code"]: {"max_flow_m3s": r["max_flow_m3s"],
                                 "mean_flow_m3s": r["mean_flow_m3s"]} for r in rows["outfall"]},
    }


def drainage_nodes_geojson(conn, run_id: int) -> dict:
    """The nodes of run ``run_id`` as GeoJSON points with ``max_depth_m``,
    ``flood_volume_m3``, ``flood_hours`` and ``flooded``; :class:`NotFound` without
    such a run."""
    if store.drainage_run_row(conn, run_id) is None:
        raise NotFound(f"no drainage run {run_id}")
    features = []
    for r in store.drainage_result_rows(conn, run_id, "node"):
        if r["lon"] is None:
            continue
        volume = r["flood_volume_m3"] or 0.0
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
            "properties": {"code": r["code"], "max_depth_m": r["max_depth_m"],
                           "flood_volume_m3": volume, "flood_hours": r["flood_hours"],
                           "flooded": volume > _MIN_FLOOD_M3},
        })
    return {"type": "FeatureCollection", "run_id": run_id, "features": features}

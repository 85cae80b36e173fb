"""Use cases of the simulation area: read the water layer, run EPANET, keep the run.

:func:`simulate_water` is what ``twin simulate water`` and its background
job run; :func:`water_snapshot` reads a stored run back at one time.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from twin.errors import InvalidInput, NotFound, Problem

from . import store
from .algorithms.build import RunSettings
from .algorithms.features import water_model
from .algorithms.hydraulics import HydraulicResult, run_epanet
from .algorithms.pressure import fed_nodes
from .algorithms.records import Demand, WaterModel
from .standards import standards

__all__ = ["SCENARIOS", "load_water_model", "simulate_water", "water_snapshot"]


def _normal(model: WaterModel, std) -> WaterModel:
    return model


def _max_day(model: WaterModel, std) -> WaterModel:
    factor = std["max_day_factor"]
    junctions = [
        dataclasses.replace(
            j, demands=tuple(Demand(d.base_m3s * factor, d.pattern) for d in j.demands)
        )
        for j in model.junctions
    ]
    return dataclasses.replace(model, junctions=junctions)


#: Scenario name -> how it changes the model (the standards' values at hand).
SCENARIOS: dict[str, Callable] = {"normal": _normal, "max_day": _max_day}


def load_water_model(conn, home: Path | str | None, *, year: int | None = None) -> WaterModel:
    """The hydraulic model of the water layer as stored now."""
    features = store.water_features(conn, home)
    return water_model(features, standards(), year=year or date.today().year)


def _summary(model: WaterModel, result: HydraulicResult) -> dict:
    names = [j.code for j in model.junctions if ":" not in j.code]
    pressure = result.nodes["pressure_m"]
    lowest = min(((float(pressure[n].min()), n) for n in names), default=(None, None))
    negative = sorted(n for n in names if pressure[n].min() < 0)
    fed = fed_nodes(model)
    return {
        "junctions": len(names),
        "unsupplied_junctions": sum(n not in fed for n in names),
        "min_pressure_m": lowest[0],
        "min_pressure_at": lowest[1],
        "negative_pressure_junctions": len(negative),
        "negative_examples": negative[:10],
        "times": len(result.times_s),
    }


def _check(scenario: str, at_h: float, duration_h: float) -> None:
    problems = []
    if scenario not in SCENARIOS:
        problems.append(Problem("scenario", "allowed_values",
                                f"{scenario!r} is not one of {', '.join(SCENARIOS)}"))
    if at_h < 0 or duration_h < 0:
        problems.append(Problem("at", "minimum", "times are hours from the start, 0 or more"))
    if problems:
        raise InvalidInput("this water run cannot be made", problems)


def simulate_water(
    engine,
    home: Path | str | None,
    *,
    at_h: float = 0.0,
    duration_h: float = 24.0,
    scenario: str = "normal",
    user: str | None = None,
    progress: Callable | None = None,
) -> dict:
    """Run the water network as stored, keep the run and its results; what the run was.

    The run lasts ``duration_h`` hours (at least up to ``at_h``), hour by
    hour.  Returns the run's ``run_id``, ``summary``, ``inputs`` and the
    seconds each stage took (``timings``).
    """
    _check(scenario, at_h, duration_h)
    step = progress or (lambda *a: None)
    timings = {}
    t0 = time.perf_counter()
    step("reading the water network", 0, 3)
    with Session(engine) as session:
        version = store.data_version(session)
        model = SCENARIOS[scenario](load_water_model(session, home), standards())
    timings["build_s"] = time.perf_counter() - t0
    settings = RunSettings(duration_s=int(round(max(duration_h, at_h) * 3600)))
    step("running EPANET", 1, 3)
    t1 = time.perf_counter()
    result = run_epanet(model, settings)
    timings["run_s"] = time.perf_counter() - t1
    step("storing the results", 2, 3)
    inputs = {"settings": dataclasses.asdict(settings), "counts": model.counts,
              "at_s": int(round(at_h * 3600))}
    run = {"scenario": scenario, "duration_s": settings.duration_s,
           "step_s": settings.hydraulic_step_s, "data_version": version,
           "inputs": inputs, "summary": _summary(model, result), "created_by": user}
    run_id = store.saved_timed(engine, store.save_run, run, result, timings)
    step("done", 3, 3)
    return {"run_id": run_id, "summary": run["summary"], "inputs": inputs,
            "timings": {k: round(v, 3) for k, v in timings.items()}}


def water_snapshot(conn, run_id: int, at_s: int) -> dict:
    """Junctions (``pressure_m``, ``head_m``) and pipes (``flow_lps``) of run ``run_id``
    at ``at_s``; :class:`NotFound` when there is no such run."""
    run = store.run_row(conn, run_id)
    if run is None:
        raise NotFound(f"no water run {run_id}")
    found = store.results_at(conn, run_id, at_s)
    return {
        "run_id": run_id,
        "scenario": run["scenario"],
        "at_s": at_s,
        "junctions": {c: {"pressure_m": v["pressure_m"], "head_m": v["head_m"]}
                      for c, v in found["nodes"].items() if ":" not in c},
        "pipes": {c: {"flow_lps": v["flow_lps"]} for c, v in found["links"].items()},
    }

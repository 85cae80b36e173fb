"""Use cases of power load flows: read the power layer, solve it, keep the run.

:func:`simulate_power` is what ``twin simulate power`` and its background
job run; :func:`power_snapshot` reads a stored run back.  The model of the
layer as it is now, with what is beyond the limits in normal operation, is
kept per data version (:func:`current_power_model`), as outage analyses ask
for it often.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy.orm import Session

from twin.errors import NotFound

from . import power_store, store
from .algorithms.power_features import power_model
from .algorithms.power_feeders import Feeder, feeders
from .algorithms.power_flow import Limits, LoadFlow, feeder_report, run_load_flow
from .algorithms.power_records import PowerModel
from .algorithms.power_reduce import MediumVoltage, medium_voltage
from .algorithms.power_restoration import existing_violations
from .power_standards import power_standards

__all__ = [
    "current_power_model",
    "load_power_model",
    "power_limits",
    "power_snapshot",
    "simulate_power",
]

_cache: dict = {}
_lock = threading.Lock()


def power_limits() -> Limits:
    """The grid code's voltage band and loading limit from ``power_limits.csv``."""
    std = power_standards()
    return Limits(std["voltage.min_pu"], std["voltage.max_pu"], std["loading.max_percent"])


def load_power_model(conn) -> PowerModel:
    """The load-flow model of the power layer as stored now."""
    return power_model(power_store.power_features(conn), power_standards())


def current_power_model(session) -> tuple[PowerModel, MediumVoltage, frozenset]:
    """The power model of ``session``'s database at its present data version, the
    model reduced to 22 kV, and the ``(kind, code)`` of its elements beyond the
    limits in normal operation."""
    key = (str(session.get_bind().url), store.data_version(session))
    with _lock:
        if key in _cache:
            return _cache[key]
    model = load_power_model(session)
    reduced = medium_voltage(model)
    found = (model, reduced, existing_violations(reduced, power_limits()))
    with _lock:
        _cache.clear()
        _cache[key] = found
    return found


def _chosen(found: list[Feeder], feeder: str | None) -> list[Feeder]:
    if feeder is None:
        return found
    wanted = feeder.strip().casefold()
    chosen = [f for f in found if wanted in (f.name.casefold(), (f.head or "").casefold())]
    if not chosen:
        raise NotFound(f"no feeder {feeder!r}: give its name or its feeder breaker's code")
    return chosen


def _result_rows(flow: LoadFlow, chosen: list[Feeder]):
    for f in chosen:
        for bus in sorted(f.buses):
            if bus in flow.vm_pu:
                yield ("bus", bus, f.name, flow.vm_pu[bus], None, None, None)
        for kind, codes, table in (("line", f.lines, flow.lines),
                                   ("transformer", f.transformers, flow.transformers)):
            for code in codes:
                if code in table:
                    r = table[code]
                    yield (kind, code, f.name, None, r["loading_percent"], r["p_mw"] * 1000,
                           r["losses_mw"] * 1000)


def simulate_power(
    engine,
    *,
    feeder: str | None = None,
    user: str | None = None,
    progress: Callable | None = None,
) -> dict:
    """Solve the power network as stored, keep the run and its results; what the run was.

    Every feeder is reported, or the one named ``feeder`` (its name or its
    feeder breaker's code).  Returns the run's ``run_id``, ``feeders`` (one
    :func:`~.algorithms.power_flow.feeder_report` each), ``inputs`` and the
    seconds each stage took (``timings``).
    """
    step = progress or (lambda *a: None)
    timings = {}
    t0 = time.perf_counter()
    step("reading the power network", 0, 3)
    with Session(engine) as session:
        version = store.data_version(session)
        model = load_power_model(session)
    timings["build_s"] = time.perf_counter() - t0
    step("solving the load flow", 1, 3)
    t1 = time.perf_counter()
    flow = run_load_flow(model)
    chosen = _chosen(feeders(model, flow.states), feeder)
    timings["run_s"] = time.perf_counter() - t1
    step("storing the results", 2, 3)
    limits = power_limits()
    reports = [feeder_report(model, flow, f, limits) for f in chosen]
    inputs = {"counts": model.counts, "source_vm_pu": model.source_vm_pu,
              "limits": limits.__dict__, "converged": flow.converged}
    run = {"feeder": feeder, "data_version": version, "inputs": inputs,
           "summary": {"feeders": [_brief(r) for r in reports]}, "created_by": user}
    run_id = store.saved_timed(
        engine, power_store.save_power_run, run, _result_rows(flow, chosen), timings
    )
    step("done", 3, 3)
    return {"run_id": run_id, "feeders": reports, "inputs": inputs,
            "timings": {k: round(v, 3) for k, v in timings.items()}}


def _brief(report: dict) -> dict:
    """A feeder report with its violations counted, the first few kept."""
    found = report["violations"]
    return {**report, "violations": found[:10], "violation_count": len(found)}


def power_snapshot(conn, run_id: int) -> dict:
    """Run ``run_id`` with every bus voltage and line and transformer loading;
    :class:`NotFound` when there is no such run."""
    run = power_store.power_run_row(conn, run_id)
    if run is None:
        raise NotFound(f"no power run {run_id}")
    return {"run": run, **power_store.power_results(conn, run_id)}

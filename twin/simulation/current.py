"""The water model of the twin as it is now, read once per data version.

Outage analyses and fire-flow maps ask for the model often; reading the
water layer again is needed only after an edit or a load, which moves the
data version (:func:`twin.simulation.store.data_version`).  The outage
solver of each hour (an EPANET project kept open) lives as long as the
model it was opened on.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from . import store
from .algorithms.features import water_model
from .algorithms.outage_solver import OutageSolver
from .algorithms.records import WaterModel
from .standards import standards

__all__ = ["CurrentNetwork", "current_network", "outage_solver"]

_cache: dict = {}
_solvers: dict = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class CurrentNetwork:
    """The model, households per customer and ``[lon, lat]`` of the hydrants."""

    model: WaterModel
    households: dict[str, int]
    hydrants: dict[str, tuple[float, float]]
    version: int | None


def current_network(session, home=None) -> CurrentNetwork:
    """The water network of ``session``'s database at its present data version."""
    version = store.data_version(session)
    key = (str(session.get_bind().url), version)
    with _lock:
        if key in _cache:
            return _cache[key]
    features = store.water_features(session, home)
    network = CurrentNetwork(
        water_model(features, standards(), year=date.today().year),
        {r["code"]: int(r.get("households") or 0)
         for r in features.get("water_service_connection", ())},
        {r["code"]: r["xy"] for r in features.get("water_hydrant", ())},
        version,
    )
    with _lock:
        _cache.clear()
        _cache[key] = network
        for solver in _solvers.values():
            solver.close()
        _solvers.clear()
    return network


def outage_solver(network: CurrentNetwork, at_s: int) -> OutageSolver:
    """The outage solver of ``network`` at ``at_s``, opened on first use."""
    key = (id(network.model), at_s)
    with _lock:
        solver = _solvers.get(key)
        if solver is None or solver.model is not network.model:
            std = standards()
            solver = OutageSolver(
                network.model, at_s=at_s, service_minimum_m=std["service.minimum_head"],
                cut_off_share=std["service.cut_off_share"],
                minimum_head_m=std["pdd.minimum_head"],
            )
            _solvers[key] = solver
    return solver

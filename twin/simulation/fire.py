"""Fire flow of every hydrant of the twin, and the hydrants below the requirement.

The requirement and the minimum residual pressure come from the fire-safety
standard (``twin/simulation/data/pressure.csv``); the run is a steady state
at the peak hour of the daily pattern, the hour with the least to spare.  A town's hydrants take a solve each, so
the result is kept until the data version moves.
"""

from __future__ import annotations

import threading

from .algorithms.fire_flow import fire_flows
from .current import current_network
from .outage import peak_hour_s
from .standards import standards

__all__ = ["fire_flow_geojson", "hydrant_fire_flows"]

_kept: dict = {}
_lock = threading.Lock()


def hydrant_fire_flows(session, home=None, *, at_s: int | None = None) -> dict:
    """``required_lps``, ``residual_m``, ``at_s`` and per hydrant ``code``,
    ``available_lps``, ``meets`` and ``lonlat``; ``below`` lists the codes short of it."""
    network = current_network(session, home)
    std = standards()
    at = peak_hour_s() if at_s is None else at_s
    key = (str(session.get_bind().url), network.version, at)
    with _lock:
        if key in _kept:
            return _kept[key]
    flows = fire_flows(
        network.model, sorted(network.hydrants), residual_m=std["fire.minimum_residual_head"],
        required_lps=std["fire.flow_required"], at_s=at,
    )
    hydrants = [
        {"code": f.code, "available_lps": f.available_lps, "meets": f.meets,
         "lonlat": network.hydrants[f.code]}
        for f in flows
    ]
    result = {
        "required_lps": std["fire.flow_required"],
        "residual_m": std["fire.minimum_residual_head"],
        "at_s": at,
        "hydrants": hydrants,
        "below": [h["code"] for h in hydrants if not h["meets"]],
    }
    with _lock:
        _kept.clear()
        _kept[key] = result
    return result


def fire_flow_geojson(result: dict) -> dict:
    """The hydrants of :func:`hydrant_fire_flows` as GeoJSON points for a map layer."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(h["lonlat"])},
                "properties": {k: h[k] for k in ("code", "available_lps", "meets")},
            }
            for h in result["hydrants"]
            if h["lonlat"] and None not in h["lonlat"]
        ],
        "required_lps": result["required_lps"],
        "residual_m": result["residual_m"],
        "at_s": result["at_s"],
    }

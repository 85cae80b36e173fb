"""Where a burst probably is, from which pressure sensors dropped and by how much.

A burst lowers the pressure most at the sensors hydraulically closest to it.
Each pipe of the network is taken in turn as the hypothetical burst; the
drop it would cause at sensor *s* is modelled as ``A · exp(-d(s) / ℓ)``,
with ``d`` the network distance (metres along pipes) from the pipe's middle
to the sensor and ``ℓ`` a length scale.  The amplitude ``A`` is fitted by
least squares to the observed drops (zero for the sensors that held), and
pipes are ranked by the share of the observed pattern they explain.  Sensors
that held are what keeps the estimate from drifting away from the burst.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from twin.i18n import N_

from .decisions import Note

__all__ = ["METHOD", "BurstCandidate", "likely_burst_pipes"]

LENGTH_SCALE_M = 400.0

#: How the likely burst area is found, as stored with the incident (``str(METHOD)``).
METHOD = Note(
    N_("least-squares fit of exp(-distance/%(scale)s m) drop pattern along the network"),
    {"scale": f"{LENGTH_SCALE_M:g}"},
)


@dataclass(frozen=True)
class BurstCandidate:
    """A pipe that may have burst, with the share of the observed drops it explains (0–1)."""

    pipe: str
    score: float
    distance_to_largest_drop_m: float


def _length(u, v, data) -> float:
    return min((attrs.get("length_m") or 1.0) for attrs in data.values())


def _distances(G, sensors: Iterable[str], cutoff_m: float) -> dict[str, dict[str, float]]:
    return {
        s: nx.single_source_dijkstra_path_length(G, s, cutoff=cutoff_m, weight=_length)
        for s in sensors
        if s in G
    }


def _pipe_distance(dist: Mapping[str, float], u: str, v: str, half: float) -> float | None:
    ends = [dist[n] + half for n in (u, v) if n in dist]
    return min(ends) if ends else None


def _fading(distance_m: float | None, length_scale_m: float) -> float:
    """The modelled drop at ``distance_m`` from a burst of amplitude 1 (0 out of reach)."""
    return 0.0 if distance_m is None else math.exp(-distance_m / length_scale_m)


def _explained_share(predicted: list[float], observed: list[float], total: float) -> float | None:
    """The share of the observed drops (``total`` their sum of squares) that the
    ``predicted`` pattern explains at its least-squares amplitude; ``None`` if it
    predicts nothing."""
    norm = sum(p * p for p in predicted)
    if norm == 0:
        return None
    amplitude = sum(p * o for p, o in zip(predicted, observed)) / norm
    residual = sum((o - amplitude * p) ** 2 for p, o in zip(predicted, observed))
    return round(1 - residual / total, 4)


def _candidates(G, dist: Mapping[str, Mapping[str, float]], sensors: list[str],
                observed: list[float], *, dropped: Mapping[str, float], largest: str,
                length_scale_m: float, cutoff_m: float) -> Iterable[BurstCandidate]:
    """Each pipe within reach of a dropped sensor, scored; ``dist`` holds the network
    distances from each sensor, ``observed`` the drop at each of ``sensors``."""
    total = sum(o * o for o in observed)
    for u, v, code, attrs in G.edges(keys=True, data=True):
        half = (attrs.get("length_m") or 0.0) / 2
        reach = {s: _pipe_distance(d, u, v, half) for s, d in dist.items()}
        if all(reach[s] is None for s in dropped):
            continue
        predicted = [_fading(reach[s], length_scale_m) for s in sensors]
        share = _explained_share(predicted, observed, total)
        if share is None:
            continue
        to_largest = reach[largest]
        yield BurstCandidate(
            code, share, round(to_largest if to_largest is not None else cutoff_m, 1)
        )


def likely_burst_pipes(
    G,
    drops: Mapping[str, float],
    steady: Iterable[str] = (),
    *,
    length_scale_m: float = LENGTH_SCALE_M,
    cutoff_m: float = 5000.0,
    top: int = 5,
) -> list[BurstCandidate]:
    """Rank the pipes that best explain the observed pressure drops.

    Parameters
    ----------
    G : networkx.MultiGraph
        Water network (conventions of :mod:`twin.network.graph`); edges carry
        ``length_m``.  Not modified.
    drops : mapping
        Sensor node code -> observed drop in bar (positive).
    steady : iterable of str, keyword-only
        Sensor nodes whose pressure held (observed drop 0).
    length_scale_m : float, keyword-only
        How fast a burst's effect fades with network distance (metres); a
        few hundred metres fits urban distribution mains.
    cutoff_m : float, keyword-only
        Pipes farther than this from every dropped sensor are not candidates.
    top : int, keyword-only
        How many candidates to return.

    Returns
    -------
    list of BurstCandidate
        Best first; empty when no dropped sensor is in the network.

    Examples
    --------
    >>> from twin.network.graph import build_graph
    >>> nodes = [{"code": f"J{i}", "kind": "junction"} for i in range(5)]
    >>> edges = [{"code": f"P{i}", "start_node": f"J{i}", "end_node": f"J{i+1}",
    ...           "length_m": 100} for i in range(4)]
    >>> G = build_graph("water", nodes, edges)
    >>> likely_burst_pipes(G, {"J3": 1.2, "J1": 0.3}, ["J0"], top=1)[0].pipe
    'P3'
    """
    dropped = {s: float(d) for s, d in drops.items() if s in G and d > 0}
    if not dropped:
        return []
    sensors = list(dropped) + [s for s in steady if s in G and s not in dropped]
    dist = _distances(G, sensors, cutoff_m)
    observed = [dropped.get(s, 0.0) for s in sensors]
    found = list(
        _candidates(G, dist, sensors, observed, dropped=dropped, largest=max(dropped, key=dropped.get),
                    length_scale_m=length_scale_m, cutoff_m=cutoff_m)
    )
    found.sort(key=lambda c: (-c.score, c.distance_to_largest_drop_m, c.pipe))
    return found[:top]
